// The newborn's record (OCG I.C.15.a.2): the mother's pregnancy is told, not coded.
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('on a newborn\'s record the mother\'s conditions are not coded (OCG I.C.15.a.2)', () => {
  const note = 'NEWBORN DISCHARGE SUMMARY\nDiagnoses: term female, born in this hospital by cesarean; nausea with vomiting.\nBirth history: Maternal gestational diabetes, insulin from 28 weeks. Mother has essential hypertension.';

  it('no gestational-diabetes code (chapter 15) and no I10 read from the mother\'s history, aged 0', () => {
    const out = codes(note, 'inpatient', 0);
    expect(out.some((c) => c.startsWith('O'))).toBe(false);
    expect(out).not.toContain('I10');
    expect(out).toContain('R11.2');
  });

  it('an injury found in the stay the infant was born in is a birth injury (chapter 16), not S42.0- (OCG I.C.16.a.1)', () => {
    expect(codes('NEWBORN DISCHARGE SUMMARY\nDiagnoses: term male, born in this hospital by spontaneous vaginal delivery; fracture of right clavicle.', 'inpatient', 0)).not.toContain('S42.001A');
    expect(codes('Assessment:\n1. Fracture of right clavicle after a fall.', 'outpatient', 0)).toContain('S42.001A');
  });

  it('the same sentences on an adult\'s record are her own', () => {
    expect(codes('Assessment:\n1. Gestational diabetes, diet controlled.', 'professional', 31).some((c) => c.startsWith('O24'))).toBe(true);
  });
});
