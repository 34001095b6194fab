// Index: "Hyperplasia, prostate, with lower urinary tract symptoms (LUTS)" N40.1 (nodular prostate N40.3). A note that
// writes the prostate's enlargement with its urinary symptoms in one sentence ("BPH with weak stream and nocturia")
// documents the combination (OCG I.A.15 "with"), whether or not it says "LUTS": the code "without lower urinary tract
// symptoms" gives way to its "with" sibling, and the symptoms stay, as the sibling's own note asks ("Use additional
// code for associated symptoms, when specified: … nocturia (R35.1) … weak urinary stream (R39.12)").
import { notesFor } from '../knowledge.ts';
import { namesCode, type RuledCandidate } from '../rules.ts';
import { recoded, siblingTitled, type GuidelineInput, type StageResult } from './types.ts';

const WITHOUT_LUTS = / without lower urinary tract symptoms$/i;

/** Example: "BPH with weak stream and nocturia, on tamsulosin" → N40.1 with R39.12 and R35.1, not N40.0. */
export function applyProstateSymptoms(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb } = input;
  const out = kept.map((c) => {
    const title = kb.codes.get(c.code)?.title ?? '';
    if (!WITHOUT_LUTS.test(title)) return c;
    const withLuts = siblingTitled(kb, c.code, title.replace(WITHOUT_LUTS, ' with lower urinary tract symptoms'));
    if (!withLuts) return c;
    const asked = notesFor(kb, withLuts, ['use_additional']);
    const sentences = new Set(c.evidence.map((m) => m.sentenceIndex));
    const symptom = kept.find((s) => s !== c && asked.some((n) => namesCode(n.text, s.code)) && s.evidence.some((m) => sentences.has(m.sentenceIndex)));
    if (!symptom) return c;
    return recoded(c, withLuts, 'combination_code', `${c.code} written with ${symptom.code} (${kb.codes.get(symptom.code)?.title}): ${withLuts}, the "with lower urinary tract symptoms" code, whose note asks for the symptom beside it (Index; OCG I.A.15)`);
  });
  return { kept: out, dropped: [] };
}
