// OCG I.C.2.d — "When a primary malignancy has been excised or eradicated from its site and there is no further
// treatment directed to that site and there is no evidence of any existing primary malignancy at that site, a code
// from category Z85, Personal history of malignant neoplasm, should be used." The provider says so in the
// diagnosis's own sentence ("Sigmoid colon adenocarcinoma, completed surgery and adjuvant chemotherapy - no
// evidence of disease"). A surveillance visit after the completed treatment is Z08, first-listed (I.C.21.c.8),
// and the past chemotherapy or radiation is history too (Z92.21, Z92.3; I.C.21.c.4). Lymphoma, leukemia and
// myeloma (C81–C96) in remission keep their own "in remission" codes, and a secondary malignancy (C77–C80) is
// never history: neither is read here.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { personalHistoryCode } from './history.ts';
import { derivedCandidate, DIAGNOSTIC_SECTIONS, inRanges, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const SOLID_PRIMARY: readonly (readonly [string, string])[] = [['C00', 'C76']];
const NO_EVIDENCE = /\bno (?:evidence|sign) of (?:recurren\w*|residual |active |metastatic |existing )*(?:disease|malignancy|cancer|recurren\w*)\b|\bNED\b|\b(?:cancer|disease|tumou?r)[- ]free\b|\bno recurrence\b/i;
const SURVEILLANCE = /\bsurveillance\b|\bfollow-?up (?:(?:exam\w*|visit)\s+)?after completed treatment\b/i;
/** The statement's own "personal history of thyroid cancer": a reading that says the cancer is history. */
const SAID_HISTORY = /\b(?:personal )?history of\b|\bh\/o\b/i;
/**
 * Treatment still directed at the malignancy ("on adjuvant anastrozole", "continue tamoxifen", "on ADT"): the
 * guideline's "no further treatment directed to that site" does not hold, so the malignancy is current whatever the
 * exam shows ("no evidence of recurrence on exam").
 */
// Only therapy adjectives between the verb and the drug: "no recurrence on exam after radiation" is not "on radiation".
const CURRENT_TREATMENT = /\b(?:on|continue|continuing|continues|receiving|currently on|remains on)\s+(?:(?:adjuvant|maintenance|oral|daily|endocrine|hormonal|systemic)\s+)*(?:adjuvant|tamoxifen|anastrozole|letrozole|exemestane|endocrine|hormon\w*|ADT|androgen|chemo\w*|immunotherapy|radiation|radiotherapy|trastuzumab|pembrolizumab|osimertinib|enzalutamide|abiraterone|leuprolide)\b/i;
const PAST_CHEMO = /\b(?:completed|finished|s\/p|status post|after|prior)\b[^.;]{0,50}\bchemo(?:therapy)?\b|\bchemo(?:therapy)?\b[^.;]{0,30}\bcompleted\b/i;
const PAST_RADIATION = /\b(?:completed|finished|s\/p|status post|after|prior)\b[^.;]{0,50}\b(?:radiation|radiotherapy|XRT)\b/i;

/** Example: "Sigmoid colon adenocarcinoma, completed surgery and adjuvant chemotherapy - no evidence of disease, surveillance" → Z08, Z85.038, Z92.21. */
export function applyCancerHistory(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const dropped: Dropped[] = [];
  const added: RuledCandidate[] = [];
  const has = (code: string) => kept.some((c) => c.code === code) || added.some((c) => c.code === code);
  const historical = new Set<string>();
  const out = kept.filter((c) => {
    if (!inRanges(c.code, SOLID_PRIMARY)) return true;
    // Every statement reading of it, a "History of prostate cancer … no evidence of disease" included (the rules
    // set that one aside as history while "Prostate cancer: PSA undetectable" in the course kept the code).
    const all = input.scored.find((x) => x.code === c.code)?.mentions ?? c.evidence;
    const stated = all.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section) && !m.context.negated && !m.context.family && !m.context.hypothetical).map((m) => ({ ...m, context: { ...m.context, historical: false } }));
    const said = stated.map((m) => sentences[m.sentenceIndex]?.text ?? '');
    if (said.length === 0 || !said.some((t) => NO_EVIDENCE.test(t)) || !said.every((t) => NO_EVIDENCE.test(t) || SAID_HISTORY.test(t)) || said.some((t) => CURRENT_TREATMENT.test(t))) return true;
    const code = personalHistoryCode(kb, c.code, said[0]!);
    if (!code || !kb.codes.get(code)?.billable) return true;
    const why = 'excised or treated, no evidence of existing malignancy: personal history (OCG I.C.2.d)';
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    historical.add(c.code.slice(0, 3));
    if (!has(code)) added.push(derivedCandidate(code, stated, c.confidence, 'personal_history', `${c.code} → ${code}: ${why}`));
    const history = added.find((a) => a.code === code) ?? kept.find((a) => a.code === code);
    const text = said.join(' ');
    if (history && input.note.encounter.setting !== 'inpatient' && SURVEILLANCE.test(text) && !has('Z08') && kb.codes.get('Z08')?.billable) {
      added.unshift(derivedCandidate('Z08', stated, c.confidence, 'encounter_reason', 'surveillance after completed treatment of a malignancy: follow-up examination, first-listed, with the history code (OCG I.C.21.c.8, I.C.2.d)'));
    }
    for (const [re, past, what] of [[PAST_CHEMO, 'Z92.21', 'antineoplastic chemotherapy'], [PAST_RADIATION, 'Z92.3', 'irradiation']] as const) {
      if (!re.test(text) || has(past) || !kb.codes.get(past)?.billable) continue;
      added.push(derivedCandidate(past, stated, c.confidence * 0.9, 'personal_history', `completed ${what}: personal history (OCG I.C.21.c.4)`));
    }
    if (history) noteDrop(history, 'personal_history', `${c.code} (${kb.codes.get(c.code)?.title ?? c.code}) not coded: ${why}`);
    return false;
  });
  // The same cancer read only outside the statement ("CC: Testicular cancer surveillance" as C62.90 beside the
  // statement's seminoma made history) is that history too.
  const rest = out.filter((c) => {
    if (!historical.has(c.code.slice(0, 3)) || c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section))) return true;
    dropped.push({ code: c.code, reason: 'the statement makes this malignancy personal history; read only outside it (OCG I.C.2.d, I.B.2)' });
    return false;
  });
  return { kept: [...rest, ...added], dropped };
}
