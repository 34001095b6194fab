// OCG I.C.21.c.3: "A status code should not be used with a diagnosis code from one of the body system chapters, if
// the diagnosis code includes the information provided by the status code." A complication of a transplanted organ
// (T86.1- *Kidney transplant rejection / failure / infection / other complication*) says the organ is transplanted: its
// transplant status code (Z94.0 *Kidney transplant status*) goes beside it. The organ is matched by the titles' words.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const STATUS = / transplant status$/i;

/** Example: "Acute T-cell mediated rejection of the kidney transplant" read as T86.11 beside Z94.0 → T86.11 alone. */
export function applyTransplantComplication(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title ?? '';
  const complications = kept.filter((c) => c.code.startsWith('T86'));
  if (complications.length === 0) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    if (!c.code.startsWith('Z94') || !STATUS.test(title(c.code))) return true;
    const organ = title(c.code).replace(STATUS, '').toLowerCase();
    const complication = complications.find((t) => title(t.code).toLowerCase().includes(`${organ} transplant`));
    if (!complication) return true;
    const why = `${complication.code} is a complication of the ${organ} transplant, which says the organ is transplanted (OCG I.C.21.c.3)`;
    dropped.push({ code: c.code, reason: why });
    noteDrop(complication, 'transplant_status', `${c.code} (${title(c.code)}) not reported: ${why}`);
    return false;
  });
  return { kept: out, dropped };
}
