// OCG I.C.18.i — the NIH Stroke Scale score is reported with an acute stroke (I63 "Use additional code, if
// applicable, to identify the NIHSS score (R29.7-)"): "at a minimum, report the initial score documented",
// sequenced after the stroke code. The score may be written by any clinician (it need not be the provider's),
// so it is read wherever the note records it. Written by hand: the code is the score itself (R29.700–R29.742),
// which no Index path holds.
import type { RuledCandidate } from '../rules.ts';
import { categoryOf, derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/** "NIHSS 14", "NIHSS score: 6", "NIH stroke scale of 22", "NIHSS was 3", "NIHSS on arrival 8". */
const NIHSS = /\b(?:NIHSS|NIH\s+stroke\s+scale|National\s+Institutes\s+of\s+Health\s+Stroke\s+Scale)(?:\s+score)?(?:\s+(?:on arrival|at (?:arrival|admission|presentation)|initially|initial|on admission))?(?:\s*(?:of|was|is|=|:)\s*|\s+)(\d{1,2})\b/gi;

/** Example: "On arrival: NIHSS 14. … Discharge exam: NIHSS 6" with an acute ischemic stroke → R29.714 (the first score). */
export function applyNihss(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const stroke = kept.filter((c) => categoryOf(c.code) === 'I63');
  if (stroke.length === 0 || kept.some((c) => c.code.startsWith('R29.7'))) return { kept, dropped: [] };
  for (const s of input.sentences) {
    for (const m of s.text.matchAll(NIHSS)) {
      const score = Number(m[1]);
      const code = `R29.7${String(score).padStart(2, '0')}`;
      if (!input.kb.codes.get(code)?.billable) continue;
      const start = s.start + m.index;
      const detail = `NIHSS ${score}, the initial score documented, reported after the stroke code (OCG I.C.18.i)`;
      const mention = derivedMention(s, start, start + m[0].length, input.note.text, detail, code);
      return { kept: [...kept, derivedCandidate(code, [mention], Math.max(...stroke.map((c) => c.confidence)), 'nihss', detail)], dropped: [] };
    }
  }
  return { kept, dropped: [] };
}
