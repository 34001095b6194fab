// Secondary hypertension (OCG I.C.9.a.6): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('hypertension due to another condition', () => {
  it('"Hypertension secondary to primary aldosteronism" → I15.2 with E26.09, not I10; the reason on I15.2', () => {
    const out = suggest('Assessment:\n1. Hypertension secondary to primary aldosteronism - continue spironolactone.');
    expect(out.map((s) => s.code).sort()).toEqual(['E26.09', 'I15.2']);
    expect(out.find((s) => s.code === 'I15.2')!.rationale.rules.some((r) => r.rule === 'secondary_hypertension' && /^I10 /.test(r.detail))).toBe(true);
  });

  it('"Hypertension secondary to kidney disease" → I15.1 (a renal disorder), not I12.9', () => {
    expect(codes('Assessment:\n1. Hypertension secondary to kidney disease.').sort()).toEqual(['I15.1', 'N28.9']);
  });

  it('"Secondary hypertension" with no cause coded → I15.9', () => {
    expect(codes('Assessment:\n1. Secondary hypertension, workup in progress.')).toEqual(['I15.9']);
  });

  it('"HTN, secondary hyperparathyroidism" is a list: the hypertension is not called secondary', () => {
    expect(codes('PMH: HTN, secondary hyperparathyroidism.\nAssessment:\n1. HTN - controlled.')).toContain('I10');
  });

  it('an uncertain link leaves essential hypertension: "HTN, likely secondary to aldosteronism" stays I10', () => {
    expect(codes('Assessment:\n1. HTN, likely secondary to primary aldosteronism.')).toContain('I10');
  });

  it('"Pulmonary hypertension due to lung disease" beside "HTN" is no secondary hypertension: I10 stays', () => {
    expect(codes('Assessment:\n1. Pulmonary hypertension due to lung disease.\n2. HTN - controlled.')).toContain('I10');
  });
});
