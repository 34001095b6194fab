// The birth episode (OCG I.C.16.a.2): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

const newborn = (text: string) => codes(text, 'inpatient', 0);

describe('a newborn born during the stay: Z38 is the principal diagnosis (OCG I.C.16.a.2)', () => {
  it('"born in this hospital by spontaneous vaginal delivery" → Z38.00, first, beside the newborn\'s conditions', () => {
    const out = suggest('Birth: term male, born in this hospital by spontaneous vaginal delivery.\nDischarge diagnoses:\n1. Hypertension.', 'inpatient', 0);
    expect(out.map((s) => s.code)).toEqual(['Z38.00', 'I10']);
    expect(out[0]!.evidence[0]!.quote).toBe('born in this hospital');
  });

  it('the type and place of birth pick the code: cesarean Z38.01, a twin Z38.30 / Z38.31, born at home Z38.1', () => {
    expect(newborn('Birth: born in this hospital by repeat cesarean section.')).toEqual(['Z38.01']);
    expect(newborn('Birth: twin A, born vaginally in hospital at 36 weeks.')).toEqual(['Z38.30']);
    expect(newborn('Birth: twin B, born at our facility by C-section.')).toEqual(['Z38.31']);
    expect(newborn('Birth: born at home, precipitous delivery; admitted from the ED.')).toEqual(['Z38.1']);
  });

  it('not for an older child, an outpatient visit, or a newborn readmitted after the birth stay', () => {
    expect(codes('Birth: born in this hospital by vaginal delivery.', 'inpatient', 3)).not.toContain('Z38.00');
    expect(codes('Birth: born in this hospital by vaginal delivery.', 'professional', 0)).not.toContain('Z38.00');
    expect(newborn('Readmitted on day 5 of life for jaundice; discharged home on day 2 after birth.')).not.toContain('Z38.00');
  });
});
