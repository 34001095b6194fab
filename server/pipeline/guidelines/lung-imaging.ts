// OCG IV.H / IV.D (outpatient and professional): a diagnosis documented as "possible", "vs" or "rule out" is
// not coded; the condition is coded to the highest degree of certainty, which for an imaging finding is the
// finding itself — Index: Abnormal, diagnostic imaging, lung (field) R91.8. Providers write such findings as
// "RLL opacity", "bilateral infiltrates", "LUL consolidation", words the Index does not list under the lung, so
// the stage reads them from the diagnostic statement only (a finding carried into the assessment). Whether it
// stays is the symptom stage's decision (symptoms.ts: a confirmed lung disease explains it).
import { applyContext } from '../context.ts';
import type { RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, DIAGNOSTIC_SECTIONS, type GuidelineInput, type StageResult } from './types.ts';

const SITE = String.raw`(?:RLL|RUL|RML|LLL|LUL|lingula[r]?|(?:right|left|bilateral|bibasilar|basilar|R|L)\s+(?:(?:lower|upper|middle)\s+)?(?:lobe|lung|base)s?|lung|pulmonary|perihilar)`;
const FINDING = String.raw`(?:opacit(?:y|ies)|infiltrates?|consolidation|airspace (?:disease|opacit(?:y|ies))|ground[- ]glass(?: opacit(?:y|ies))?)`;
const DOUBTED = /\b(?:possible|possibly|probable|likely|suspected|questionable|question of|concern for|r\/o|rule out|cannot exclude)\s+(?:\w+\s+){0,2}$/i;

/** Site then finding ("RLL opacity", "bibasilar infiltrates") or finding then site ("opacity in the RLL"). */
const LUNG_FINDING = new RegExp(String.raw`\b${SITE}\s+(?:\w+\s+)?${FINDING}\b|\b${FINDING}\s+(?:of|in|at)\s+(?:the\s+)?${SITE}\b`, 'gi');

/** Example: "4. RLL opacity - possible early pneumonia vs atelectasis" (professional) → R91.8. */
export function applyLungImaging(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const code = 'R91.8';
  if (kept.some((c) => c.code.startsWith('R91')) || !input.kb.codes.get(code)?.billable) return { kept, dropped: [] };
  for (const s of input.sentences) {
    if (!DIAGNOSTIC_SECTIONS.has(s.section)) continue;
    for (const m of s.text.matchAll(LUNG_FINDING)) {
      const [status] = applyContext(s.text, [{ start: m.index, end: m.index + m[0].length }], { section: s.section });
      // Uncertainty is read only in front of the finding: "RLL opacity - possible early pneumonia vs atelectasis"
      // doubts what the opacity is, not that it is there (ConText's bidirectional "vs" would take it).
      if (status!.negated || status!.hypothetical || status!.family || status!.historical || DOUBTED.test(s.text.slice(Math.max(0, m.index - 40), m.index))) continue;
      const start = s.start + m.index;
      const detail = 'imaging finding of the lung carried into the diagnostic statement: Abnormal, diagnostic imaging, lung R91.8 (OCG IV.D, IV.H)';
      return { kept: [...kept, derivedCandidate(code, [derivedMention(s, start, start + m[0].length, input.note.text, detail, code)], 0.6, 'imaging_finding', detail)], dropped: [] };
    }
  }
  return { kept, dropped: [] };
}
