// OCG I.C.20 — "There is no national requirement for mandatory ICD-10-CM external cause code reporting.
// Unless a provider is subject to a state-based external cause code reporting mandate or these codes are
// required by a particular payer, reporting of … Chapter 20 … is not required." State mandates are mostly
// for hospital discharge data, so by default chapter 20 codes (V00–Y99: how, where, doing what) are suggested
// for inpatient encounters only; a site under an ED/outpatient mandate or payer rule sets `all`, one with
// none sets `none` (EXTERNAL_CAUSE_CODES, README "Configuration"). The dropped code is listed with the reason.
import type { Setting } from '../types.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import type { GuidelineInput, StageResult } from './types.ts';

export const EXTERNAL_CAUSE_POLICIES = ['none', 'inpatient', 'all'] as const;
export type ExternalCausePolicy = (typeof EXTERNAL_CAUSE_POLICIES)[number];
export const DEFAULT_EXTERNAL_CAUSE_POLICY: ExternalCausePolicy = 'inpatient';

/** Chapter 20, External Causes of Morbidity (V00–Y99). */
export const isExternalCause = (code: string) => /^[VWXY]/.test(code);

export const reportsExternalCauses = (policy: ExternalCausePolicy, setting: Setting) => policy === 'all' || (policy === 'inpatient' && setting === 'inpatient');

/** Example: "HPI: tripped over a hose" on a professional claim → W19.XXXA not suggested (policy `inpatient`). */
export function applyExternalCauses(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const policy = input.externalCauses ?? DEFAULT_EXTERNAL_CAUSE_POLICY;
  if (reportsExternalCauses(policy, input.note.encounter.setting)) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    if (!isExternalCause(c.code)) return true;
    dropped.push({ code: c.code, reason: `external cause code not required for a ${input.note.encounter.setting} encounter unless a state mandate or payer requires it (OCG I.C.20; site setting EXTERNAL_CAUSE_CODES=${policy})` });
    return false;
  });
  return { kept: out, dropped };
}
