// Combination codes the tabular builds by joining two of its own titles with "with" (OCG I.B.9: "a single code
// used to classify two diagnoses"): N20.2 *Calculus of kidney with calculus of ureter* for N20.0 and N20.1,
// K81.2 *Acute cholecystitis with chronic cholecystitis*, J35.3 tonsils with adenoids, D86.2 lung with lymph
// nodes, Q35.5 hard with soft palate. Found from the titles, not listed: any category where one code's title is
// another's, "with", and a third's.
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';

/** Example: "L distal ureteral calculus with bilateral nonobstructing renal calculi" → N20.2, not N20.1 + N20.0. */
export function applyJoinedTitles(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title.toLowerCase() ?? '';
  const dropped: Dropped[] = [];
  let out = kept;
  for (const a of kept) {
    for (const b of kept) {
      if (a === b || a.code.slice(0, 3) !== b.code.slice(0, 3) || !out.includes(a) || !out.includes(b)) continue;
      const joined = `${title(a.code)} with ${title(b.code)}`;
      const combo = [...(input.kb.children.get(a.code.slice(0, 3)) ?? [])].find((c) => input.kb.codes.get(c)?.billable && title(c) === joined);
      if (!combo) continue;
      const why = `${a.code} and ${b.code} are one combination code, ${combo} (OCG I.B.9)`;
      dropped.push({ code: a.code, reason: why }, { code: b.code, reason: why });
      const existing = out.find((c) => c.code === combo);
      out = out.filter((c) => c !== a && c !== b);
      if (existing) noteDrop(existing, 'combination_code', why);
      else out.push(derivedCandidate(combo, [...a.evidence, ...b.evidence], Math.max(a.confidence, b.confidence), 'combination_code', why));
    }
  }
  return { kept: out, dropped };
}
