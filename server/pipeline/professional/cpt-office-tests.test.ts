import { describe, expect, it } from 'vitest';
import { procedureFindings } from './cpt-procedures.ts';

const codes = (text: string, options = {}) => procedureFindings(text, options).map((f) => `${f.code}x${f.units}`);

describe('in-office tests performed and interpreted at the visit', () => {
  it('"ECG today (performed and interpreted in office): NSR" → 93000', () => {
    expect(codes('ECG today (performed and interpreted in office): NSR 72, normal axis and intervals.')).toEqual(['93000x1']);
  });
  it('an ECG from another date that is reviewed is MDM data, not a test line; an ED interpretation is not either', () => {
    expect(codes('ECG (3/2026, tracing reviewed): sinus rhythm, Q waves V1-V3.')).toEqual([]);
    expect(codes('ECG today (my interpretation): sinus tachycardia 104.', { facilitySupplied: true })).toEqual([]);
  });
  it('"Tests performed: spirometry before and after bronchodilator, lung volumes by body plethysmography, diffusing capacity (DLCO)" → 94060, 94726, 94729', () => {
    expect(codes('Tests performed: spirometry before and after bronchodilator (albuterol via spacer), lung volumes by body plethysmography, diffusing capacity (DLCO, single breath).')).toEqual(['94060x1', '94726x1', '94729x1']);
  });
  it('spirometry alone, done in clinic today → 94010', () => {
    expect(codes('Spirometry performed in clinic today: FEV1/FVC 0.62.')).toEqual(['94010x1']);
  });
  it('"PHQ-9 today: 15. GAD-7 today: 13. Both administered and scored at this visit." → 96127 × 2', () => {
    expect(codes('PHQ-9 today: 15 (17 four weeks ago). GAD-7 today: 13 (14). Both administered and scored at this visit.')).toEqual(['96127x2']);
  });
  it('a score quoted without saying it was administered here is not a line: "PHQ-9 16 (7 in May)"', () => {
    expect(codes('Mood worse. PHQ-9 16 (7 in May).')).toEqual([]);
  });
  it('a planned test is not coded: "will obtain spirometry in clinic next visit"', () => {
    expect(codes('Plan: will obtain spirometry in clinic at the next visit.')).toEqual([]);
  });
});
