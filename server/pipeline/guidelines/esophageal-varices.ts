// OCG I.A.15 — "The word 'with' or 'in' should be interpreted to mean 'associated with' or 'due to' when it appears
// in … the Alphabetic Index": the Index's "Varix, esophagus, in (due to) alcoholic liver disease / cirrhosis of liver /
// portal hypertension / schistosomiasis / toxic liver disease" is I85.1- *Secondary esophageal varices* (bleeding
// I85.11). So esophageal varices read as I85.0- (primary) beside one of those conditions are the secondary ones; the
// varices' bleeding, or its absence, is kept (fifth character). The conditions are the Index's, as code ranges.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { inRanges, recoded, type GuidelineInput, type StageResult } from './types.ts';

/** Alcoholic liver disease K70, toxic liver disease K71, cirrhosis K74.3–K74.6 (and cardiac K76.1), portal hypertension K76.6, schistosomiasis B65. */
const IN_DUE_TO: readonly (readonly [string, string])[] = [['K70', 'K71'], ['K74.3', 'K74.6'], ['K76.1', 'K76.1'], ['K76.6', 'K76.6'], ['B65', 'B65']];
const PRIMARY = /^I85\.0[01]$/;

/** Example: "Alcoholic cirrhosis with ascites; esophageal varices without bleeding" → K70.31 and I85.10, not I85.00. */
export function applyEsophagealVarices(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const cause = kept.find((c) => inRanges(c.code, IN_DUE_TO));
  if (!cause || !kept.some((c) => PRIMARY.test(c.code))) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out: RuledCandidate[] = [];
  for (const c of kept) {
    const code = c.code === 'I85.01' ? 'I85.11' : 'I85.10';
    if (!PRIMARY.test(c.code) || !input.kb.codes.get(code)?.billable) {
      out.push(c);
      continue;
    }
    const why = `${c.code} beside ${cause.code}: the Index's "Varix, esophagus, in (due to)" that condition is ${code}, secondary esophageal varices (OCG I.A.15)`;
    if (kept.some((o) => o.code === code)) dropped.push({ code: c.code, reason: why });
    else out.push(recoded(c, code, 'combination_code', why));
  }
  return { kept: out, dropped };
}
