// OCG I.C.5.d and I.A.13 (etiology/manifestation): dementia is classified by etiology and severity. When the
// note codes the underlying disease whose tabular asks for the dementia as an additional code ("G30
// Alzheimer's disease — Use additional code to identify: dementia … (F02.8-)"; Parkinson's, Lewy body), the
// dementia is "dementia in other diseases classified elsewhere" (F02), not unspecified dementia (F03). The
// severity and behaviour characters carry over: F03.B0 → F02.B0; F03.90 (unspecified severity) → F02.80.
import { notesFor } from '../knowledge.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** F03 → F02 with the same severity and behaviour: "unspecified severity" is F03.9- but F02.8-. */
export const inOtherDisease = (f03: string) => `F02.${f03[4] === '9' ? '8' : f03[4]}${f03.slice(5)}`;

/** Example: "Alzheimer's disease, late onset, with moderate dementia" → G30.1 + F02.B0 (not F03.B0). */
export function applyDementiaEtiology(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb } = input;
  const etiology = kept.find((c) => notesFor(kb, c.code, ['use_additional', 'code_also']).some((n) => /\bF02\b/.test(n.text) && /dementia/i.test(n.text)));
  if (!etiology) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.flatMap((c) => {
    if (!/^F03\.[9ABC]/.test(c.code)) return [c];
    const code = inOtherDisease(c.code);
    if (!kb.codes.get(code)?.billable) return [c];
    dropped.push({ code: c.code, reason: `dementia of ${etiology.code}: ${code}, dementia in other diseases classified elsewhere (OCG I.C.5.d, I.A.13)` });
    const existing = kept.find((o) => o.code === code);
    if (existing) {
      noteDrop(existing, 'dementia_etiology', `${c.code} not reported: the dementia is due to ${etiology.code} (OCG I.C.5.d, I.A.13)`);
      return [];
    }
    return [derivedCandidate(code, c.evidence, Math.max(c.confidence, etiology.confidence), 'dementia_etiology', `${c.code} → ${code}: the dementia is due to ${etiology.code}, whose tabular asks for F02 as an additional code; sequenced after it (OCG I.C.5.d, I.A.13)`)];
  });
  return { kept: out, dropped };
}
