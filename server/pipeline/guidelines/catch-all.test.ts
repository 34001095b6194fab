// The chapter-wide residual codes (R69, B99.9, T14.8-/T14.90) in a note that states its diagnoses (OCG I.B.18).
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('a bare "illness", "infection" or "injury" is coded only when the record says no more (OCG I.B.18)', () => {
  it('"Sick-day rules reviewed" under type 2 diabetes is no R69; "injury prevention" is no T14.90XA', () => {
    expect(codes('Assessment:\n1. Type 2 diabetes without complications. Sick-day rules reviewed.')).toEqual(['E11.9']);
    expect(codes('Assessment:\n1. Essential hypertension.\n2. Injury prevention counseling given.')).toEqual(['I10']);
  });

  it('"necrosis" of a condition another code of the sentence classifies is no I96 Gangrene NEC', () => {
    expect(codes('Assessment:\n1. Acute alcohol induced pancreatitis with focal necrosis, not infected.')).not.toContain('I96');
  });

  it('"antibiotics during this illness" points back to the condition coded elsewhere: no B99.9 or R69', () => {
    const out = codes('Assessment:\n1. Cellulitis of left lower leg.\n2. Continue cephalexin for the infection. Fluids during this illness.');
    expect(out).toEqual(['L03.116']);
  });

  it('a heading in capitals names a service: "INFECTION - FOLLOW-UP" is no B99.9', () => {
    expect(codes('INFECTION - FOLLOW-UP\nAssessment:\n1. Cellulitis of left lower leg; infection improving.')).toEqual(['L03.116']);
  });

  it('an infection the provider states with no site or organism stays B99.9 beside another condition', () => {
    expect(codes('Assessment:\n1. Essential hypertension.\n2. Infection, source not yet identified; cultures pending.').sort()).toEqual(['B99.9', 'I10']);
  });

  it('a bare "fracture" or "injury" whose sentence names the body region is no T14 (injury of unspecified body region)', () => {
    const out = codes('Assessment:\n1. Essential hypertension.\n2. Injury of left ankle after a fall.');
    expect(out).toContain('I10');
    expect(out).not.toContain('T14.90XA');
    expect(codes('Assessment:\n1. Essential hypertension.\n2. Injury after a fall, not yet examined.').sort()).toEqual(['I10', 'T14.90XA']);
  });
});
