// Estrogen receptor status of a breast malignancy (ICD-10-CM tabular C50: "Use additional code to identify estrogen
// receptor status (Z17.0, Z17.1)"; OCG I.C.2 instructs following such notes). The provider writes it beside the
// cancer ("ER positive", "ER+/PR+/HER2-", "estrogen receptor-negative"): Z17.0 for positive, Z17.1 for negative,
// only while a C50 code is reported. "Triple-negative" is estrogen receptor negative too.
import type { RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

const POSITIVE = /\b(?:ER|estrogen[- ]receptor)(?:\s*[/-]?\s*PR)?\s*(?:\+|[- ]?positive\b|\s+pos\b)/i;
const NEGATIVE = /\b(?:ER|estrogen[- ]receptor)(?:\s*[/-]?\s*PR)?\s*(?:-(?![A-Za-z])|[- ]?negative\b|\s+neg\b)|\btriple[- ]negative\b/i;

/** Example: "Right breast cancer, upper-outer quadrant, ER positive, on adjuvant anastrozole" → C50.411 with Z17.0. */
export function applyReceptorStatus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const breast = kept.find((c) => c.code.startsWith('C50'));
  if (!breast || kept.some((c) => c.code.startsWith('Z17.'))) return { kept, dropped: [] };
  for (const m of breast.evidence) {
    const sentence = input.sentences[m.sentenceIndex];
    if (!sentence) continue;
    // The first status written wins ("ER+/PR+/HER2-": the "-" is HER2's).
    const positive = POSITIVE.exec(sentence.text);
    const negative = NEGATIVE.exec(sentence.text);
    const found = positive && (!negative || positive.index <= negative.index) ? { hit: positive, code: 'Z17.0' } : negative ? { hit: negative, code: 'Z17.1' } : null;
    if (!found || !input.kb.codes.get(found.code)?.billable) continue;
    const start = sentence.start + found.hit.index;
    const mention = derivedMention(sentence, start, start + found.hit[0].length, input.note.text, found.hit[0], found.code);
    const status = found.code === 'Z17.0' ? 'positive' : 'negative';
    return { kept: [...kept, derivedCandidate(found.code, [mention], breast.confidence * 0.95, 'use_additional', `estrogen receptor ${status}, written with ${breast.code}: C50's "use additional code to identify estrogen receptor status"`)], dropped: [] };
  }
  return { kept, dropped: [] };
}
