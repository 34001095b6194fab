// OCG I.C.9.a.6 — secondary hypertension: "Secondary hypertension is due to an underlying condition. Two codes are
// required: one to identify the underlying etiology and one from category I15 to identify the hypertension." The
// provider's link ("Hypertension secondary to primary aldosteronism", "HTN due to the renal disease") makes the
// hypertension secondary; the I15 code follows the cause, as the Index does (Hypertension, secondary NEC, due to:
// renovascular disorders I15.0, renal disorders NEC I15.1, endocrine disorders I15.2, specified disease NEC I15.8).
// A hypertension the sentence calls "secondary" without a coded cause is I15.9. CKD (N18) is not read as a cause:
// the classification presumes hypertension causes it (I12, hypertension.ts). An uncertain link ("likely secondary to
// OSA") leaves essential hypertension as it is.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, inRanges, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

type Range = readonly [string, string];
const CAUSES: readonly { code: string; ranges: Range[]; kind: string }[] = [
  { code: 'I15.0', ranges: [['I70.1', 'I70.1'], ['I72.2', 'I72.2'], ['I77.1', 'I77.1'], ['I77.3', 'I77.3']], kind: 'renovascular disorder' },
  { code: 'I15.1', ranges: [['N00', 'N17'], ['N20', 'N29'], ['Q60', 'Q63']], kind: 'renal disorder' },
  { code: 'I15.2', ranges: [['E00', 'E35'], ['C74', 'C75'], ['D35.0', 'D35.3'], ['D44.1', 'D44.4']], kind: 'endocrine disorder' },
];
/** The link after the hypertension's words: "Hypertension secondary to …", "HTN due to …". */
const LINK = /^[\s,-]*(?:(?:is|was|felt|thought|considered)\s+(?:to be\s+)?)?(?:secondary to|due to|caused by|from|resulting from|as a result of)\b/i;
/** "Secondary hypertension", "hypertension, secondary": the Index's own word. */
const SECONDARY_BEFORE = /\bsecondary\s+$/i;
const UNCERTAIN = /\b(?:likely|probabl[ey]|possibl[ey]|may be|might|suspect(?:ed)?|question(?:able)?|presumed|vs\.?|versus|rule out|r\/o)\b|\?/i;
const ESSENTIAL = /^I1[0-3]/;
const OTHER_HYPERTENSION = /\b(?:pulmonary|portal|intracranial|ocular|intra-?abdominal|venous|pulmonary arterial)\s+$/i;
/** The mention lies inside a longer reading of another code ("Pulmonary hypertension due to COPD and hypoxia", I27.23). */
const inLonger = (kept: readonly RuledCandidate[], h: RuledCandidate, m: RuledCandidate['evidence'][number]) =>
  kept.some((o) => o !== h && o.evidence.some((n) => n.sentenceIndex === m.sentenceIndex && n.span.start <= m.span.start && n.span.end >= m.span.end && n.span.end - n.span.start > m.span.end - m.span.start));
const isCause = (code: string) => !/^[RZSTVWXY]/.test(code) && !/^N1[89]/.test(code) && !ESSENTIAL.test(code) && !code.startsWith('I15');

/** Example: "Hypertension secondary to primary aldosteronism" read as I10 and E26.09 → I15.2 beside E26.09. */
export function applySecondaryHypertension(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const htn = kept.filter((c) => c.code === 'I10');
  if (htn.length === 0 || kept.some((c) => c.code.startsWith('I15'))) return { kept, dropped: [] };
  const text = input.note.text;
  for (const h of htn) {
    for (const m of h.evidence) {
      const sentence = input.sentences[m.sentenceIndex];
      // "Pulmonary hypertension due to COPD", "portal hypertension from cirrhosis": another condition, read whole elsewhere.
      if (!sentence || OTHER_HYPERTENSION.test(text.slice(Math.max(sentence.start, m.span.start - 20), m.span.start)) || inLonger(kept, h, m)) continue;
      const after = text.slice(m.span.end, sentence.end);
      const link = LINK.exec(after);
      // Only "secondary hypertension": in "HTN, secondary hyperparathyroidism" the word starts the next item of a list.
      const calledSecondary = SECONDARY_BEFORE.test(text.slice(Math.max(sentence.start, m.span.start - 12), m.span.start));
      if ((!link && !calledSecondary) || UNCERTAIN.test(sentence.text)) continue;
      const from = link ? m.span.end + link.index + link[0].length : m.span.end;
      const cause = link ? kept.find((c) => c !== h && isCause(c.code) && c.evidence.some((n) => n.sentenceIndex === m.sentenceIndex && n.span.start >= from)) : undefined;
      if (link && !cause && !calledSecondary) continue;
      const row = cause ? CAUSES.find((r) => inRanges(cause.code, r.ranges)) : undefined;
      const code = cause ? (row?.code ?? 'I15.8') : 'I15.9';
      if (!input.kb.codes.get(code)?.billable) continue;
      const why = cause
        ? `hypertension the provider puts down to ${cause.code} (${row?.kind ?? 'a specified disease'}): secondary hypertension ${code}, coded with its cause (OCG I.C.9.a.6)`
        : `hypertension documented as secondary, its cause not coded: ${code} (OCG I.C.9.a.6)`;
      const derived = derivedCandidate(code, h.evidence, h.confidence, 'secondary_hypertension', why);
      noteDrop(derived, 'secondary_hypertension', `I10 (essential hypertension) not reported: the hypertension is secondary`);
      const dropped: Dropped[] = [{ code: 'I10', reason: why }];
      return { kept: [...kept.filter((c) => c !== h), derived], dropped };
    }
  }
  return { kept, dropped: [] };
}
