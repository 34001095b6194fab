// Combination codes built from two titles joined by "with" (OCG I.B.9).
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('two conditions the tabular joins in one title are one combination code (OCG I.B.9)', () => {
  it('"Calculus of left ureter" with "bilateral kidney calculi" → N20.2, not N20.1 + N20.0', () => {
    expect(codes('Impression:\n1. Calculus of left ureter, 5 mm.\n2. Bilateral nonobstructing kidney calculi.', 'outpatient')).toEqual(['N20.2']);
  });

  it('one of the two alone stays as it is', () => {
    expect(codes('Impression:\n1. Calculus of left ureter, 5 mm.', 'outpatient')).toEqual(['N20.1']);
  });
});

describe('a category whose title excludes a condition gives way to the code that combines it (OCG I.B.9)', () => {
  it('"Obstruction of intestine" (K56, "… without hernia") beside "Incisional hernia with obstruction" (K43.0) is K43.0 alone', () => {
    expect(codes('Discharge diagnoses:\n1. Incisional hernia with obstruction.\n2. Obstruction of intestine, resolved after repair.', 'inpatient')).toEqual(['K43.0']);
    expect(codes('Discharge diagnoses:\n1. Obstruction of intestine.', 'inpatient')).toEqual(['K56.609']);
  });
});
