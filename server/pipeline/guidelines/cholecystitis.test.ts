// Cholecystitis with gallbladder stones is one K80 code (Index: Calculus, gallbladder, with cholecystitis; K81
// Excludes1; OCG I.B.9): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('calculous cholecystitis', () => {
  it('"Acute calculous cholecystitis without obstruction" → K80.00, not K81.0, the drop on its rationale', () => {
    const out = suggest('Principal diagnosis: Acute calculous cholecystitis without obstruction.', 'inpatient');
    expect(out.map((s) => s.code)).toEqual(['K80.00']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'combination_code' && /^K81\.0 /.test(r.detail))).toBe(true);
  });

  it('"acute cholecystitis due to gallstones, with cystic duct obstruction" → K80.01', () => {
    expect(codes('Principal diagnosis: Acute cholecystitis due to gallstones, with cystic duct obstruction.', 'inpatient')).toEqual(['K80.01']);
  });

  it('acalculous cholecystitis stays K81.0', () => {
    expect(codes('Principal diagnosis: Acute acalculous cholecystitis.', 'inpatient')).toEqual(['K81.0']);
  });
});
