// OCG I.C.9.a — hypertension with heart disease (I11), with chronic kidney disease (I12), with both (I13):
// the classification presumes the causal link, "unless the documentation clearly states the conditions
// are unrelated". The combination code replaces I10; the heart failure (I50.-) and CKD stage (N18.-)
// codes are reported with it ("use additional code").
import { sameEvidence, type Dropped, type RuledCandidate } from '../rules.ts';
import { derivedCandidate, DIAGNOSTIC_SECTIONS, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const HYPERTENSION = /^I1[0-3]/;
/** OCG I.C.9.a.1: heart conditions classified to I50.- or I51.4–I51.7, I51.89, I51.9. */
const HEART = /^(I50|I51\.[4-7]|I51\.89|I51\.9)/;
const CKD = /^N18\./;
const ESRD = /^N18\.[56]/;
/** The provider says the conditions are not linked: the presumption does not apply. */
const UNRELATED = /\b(unrelated|not (?:due to|related to|caused by|from) (?:his |her |the )?(?:hypertension|htn))\b/i;

/**
 * Example: "HTN. Chronic systolic heart failure. CKD stage 3a." → I13.0 + I50.22 + N18.31, not I10.
 */
export function applyHypertension(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const htn = kept.filter((c) => HYPERTENSION.test(c.code));
  if (htn.length === 0) return { kept, dropped: [] };
  // "Heart disease, unspecified" read from words another heart code reads ("cardiac … CAD" beside I25.10) is that
  // condition named loosely: coronary disease (I20–I25) is not among the heart conditions I11 presumes.
  const heart = kept.filter((c) => HEART.test(c.code) && !(c.code === 'I51.9' && kept.some((o) => /^I[2-5]/.test(o.code) && !HEART.test(o.code) && sameEvidence(o, c))));
  // The CKD stage the combination code names is the one the diagnostic statement reports when it reports one
  // (ESRD in the history, CKD 3a after a transplant in the assessment: I12.9, not I12.0); the specificity stage
  // then drops the other stage as read only outside the statement (specificity.ts).
  const anyCkd = kept.filter((c) => CKD.test(c.code));
  const statedCkd = anyCkd.filter((c) => c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section)));
  const ckd = statedCkd.length ? statedCkd : anyCkd;
  if (heart.length === 0 && ckd.length === 0) return statedCombination(kept);
  // A combination the note states names its heart or kidney part itself ("Hypertensive heart and chronic kidney
  // disease with LVH, no heart failure" read as I13.10, beside CKD 3b): that part is documented (OCG I.C.9.a.3).
  const hasHeart = heart.length > 0 || kept.some((c) => /^I1[13]/.test(c.code));
  const hasCkd = ckd.length > 0 || kept.some((c) => /^I1[23]/.test(c.code));
  // Said where the condition is read, or anywhere the note names it with the denial ("Cardiology: … the heart failure is
  // felt to be unrelated to her hypertension").
  const unrelated =
    [...heart, ...ckd].some((c) => c.evidence.some((m) => UNRELATED.test(input.sentences[m.sentenceIndex]?.text ?? ''))) ||
    input.sentences.some((s) => UNRELATED.test(s.text) && /\b(?:heart|cardiac|cardiomyopathy|HF\w*|kidney|renal|CKD)\b/i.test(s.text) && /\b(?:hypertension|htn)\b/i.test(s.text));
  if (unrelated) {
    // A combination read from the very words that deny it ("the heart failure is … unrelated to her hypertension"
    // read as "Hypertension, with heart failure") goes too.
    const denied = (c: RuledCandidate) => /^I1[1-3]/.test(c.code) && c.evidence.length > 0 && c.evidence.every((m) => UNRELATED.test(input.sentences[m.sentenceIndex]?.text ?? ''));
    const dropped: Dropped[] = kept.filter(denied).map((c) => ({ code: c.code, reason: 'the provider documents the condition as unrelated to the hypertension (OCG I.C.9.a)' }));
    return { kept: kept.filter((c) => !denied(c)), dropped };
  }
  const failure = heart.some((c) => c.code.startsWith('I50'));
  const esrd = ckd.some((c) => ESRD.test(c.code));
  let code: string;
  if (hasCkd && hasHeart) code = failure ? (esrd ? 'I13.2' : 'I13.0') : esrd ? 'I13.11' : 'I13.10';
  else if (hasCkd) code = esrd ? 'I12.0' : 'I12.9';
  else code = failure ? 'I11.0' : 'I11.9';
  if (!input.kb.codes.get(code)?.billable) return { kept, dropped: [] };
  const section = hasCkd && hasHeart ? 'I.C.9.a.3' : hasCkd ? 'I.C.9.a.2' : 'I.C.9.a.1';
  const dropped: Dropped[] = [];
  const existing = kept.find((c) => c.code === code);
  const combined =
    existing ??
    derivedCandidate(
      code,
      [...htn, ...heart, ...ckd].flatMap((c) => c.evidence),
      Math.max(...htn.map((c) => c.confidence)),
      'combination_code',
      `hypertension with ${[hasHeart ? 'heart disease' : '', hasCkd ? 'chronic kidney disease' : ''].filter(Boolean).join(' and ')}: the link is presumed (OCG ${section})`,
    );
  // Other hypertension codes, and the unspecified heart disease the combination now names, are replaced.
  const replaced = new Set(kept.filter((c) => c !== combined && (HYPERTENSION.test(c.code) || c.code === 'I51.9')));
  for (const c of replaced) {
    dropped.push({ code: c.code, reason: `replaced by the combination code ${code} (OCG ${section})` });
    noteDrop(combined, 'combination_code', `${c.code} replaced by ${code}: hypertension with ${hasHeart ? 'heart disease' : 'CKD'} is presumed linked (OCG ${section})`);
  }
  const out = kept.filter((c) => !replaced.has(c));
  if (!existing) out.push(combined);
  return { kept: out, dropped };
}

/**
 * A combination code read from the note's own words ("Hypertensive heart disease without heart failure", I11.9) codes
 * the hypertension: I10 read from "HTN" elsewhere is that hypertension, not a second one (OCG I.C.9.a.1).
 */
function statedCombination(kept: RuledCandidate[]): StageResult {
  const combination = kept.find((c) => /^I1[1-3]/.test(c.code));
  if (!combination) return { kept, dropped: [] };
  const replaced = kept.filter((c) => c.code === 'I10');
  for (const c of replaced) noteDrop(combination, 'combination_code', `${c.code} not reported: ${combination.code} codes the hypertension (OCG I.C.9.a)`);
  return { kept: kept.filter((c) => c.code !== 'I10'), dropped: replaced.map((c) => ({ code: c.code, reason: `the combination code ${combination.code} codes the hypertension (OCG I.C.9.a)` })) };
}
