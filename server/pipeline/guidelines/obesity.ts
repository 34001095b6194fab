// OCG I.C.4.b.1 — obesity class: "The obesity class codes can be reported with other obesity codes in the
// classification … However, if both class 3 obesity and morbid obesity are documented, only a code for class 3
// obesity should be assigned as it is more specific." Morbid obesity reads as E66.01 by the Index ("Obesity,
// morbid"); E66.2, morbid obesity *with alveolar hypoventilation*, says more than the class and stays.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const CLASS_3 = 'E66.813';
const MORBID = 'E66.01';

/** Example: "Morbid obesity, class 3, BMI 43.3" → E66.813 (and Z68.41), not also E66.01. */
export function applyObesityClass(kept: RuledCandidate[], _input: GuidelineInput): StageResult {
  const class3 = kept.find((c) => c.code === CLASS_3);
  if (!class3) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    if (c.code !== MORBID) return true;
    dropped.push({ code: c.code, reason: `morbid obesity documented with class 3 obesity: only ${CLASS_3} (OCG I.C.4.b.1)` });
    noteDrop(class3, 'obesity_class', `${MORBID} (morbid obesity) not reported beside class 3 obesity, the more specific code (OCG I.C.4.b.1)`);
    return false;
  });
  return { kept: out, dropped };
}
