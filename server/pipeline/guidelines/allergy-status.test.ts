// Z88 allergy status from a drug allergy the provider lists among the diagnoses (OCG I.C.21.c.3).
import { describe, expect, it } from 'vitest';
import { allergyStatusOfClass } from './allergy-status.ts';
import { codes } from './fixture-knowledge.ts';

describe('drug allergy listed among the diagnoses → Z88 status by the drug\'s class', () => {
  it('"Allergy to penicillin (hives)" → Z88.0, not an urticaria of this encounter', () => {
    const out = codes('Hospital course: Penicillin allergy (hives) - tolerated ceftriaxone.\nDischarge diagnoses:\n1. Hypothyroidism.\n2. Allergy to penicillin (hives).', 'inpatient');
    expect(out).toContain('Z88.0');
    expect(out).not.toContain('L50.0');
  });

  it('the class comes from the Table of Drugs, or the class word the provider writes: amoxicillin, codeine, cephalexin, sulfa', () => {
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Amoxicillin allergy (rash).')).toContain('Z88.0');
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Allergic to codeine.')).toContain('Z88.5');
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Cephalexin allergy.')).toContain('Z88.1');
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Sulfa allergy.')).toContain('Z88.2');
  });

  it('no status from a denied allergy, from an allergy list outside the diagnoses, or from a food or unknown word', () => {
    expect(codes('Assessment:\n1. Hypothyroidism. No known allergy to penicillin.').some((c) => c.startsWith('Z88'))).toBe(false);
    expect(codes('Allergies: penicillin (hives).\nAssessment:\n1. Hypothyroidism.').some((c) => c.startsWith('Z88'))).toBe(false);
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Allergy to cats.').some((c) => c.startsWith('Z88'))).toBe(false);
  });

  it('an allergy the provider has taken off ("Penicillin allergy de-labeled - not allergic") is no status', () => {
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Penicillin allergy de-labeled - not allergic; chart updated.').some((c) => c.startsWith('Z88'))).toBe(false);
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Penicillin allergy (hives).')).toContain('Z88.0');
  });

  it('Table classes map to the Index\'s allergy subterms', () => {
    expect(['T36.0X', 'T36.8X', 'T37.0X', 'T37.8X', 'T39.01', 'T40.2X', 'T40.5X', 'T41.3X', 'T50.A1', 'T46.4X', 'T59.1X'].map(allergyStatusOfClass)).toEqual([
      'Z88.0', 'Z88.1', 'Z88.2', 'Z88.3', 'Z88.6', 'Z88.5', 'Z88.8', 'Z88.4', 'Z88.7', 'Z88.8', null,
    ]);
  });
});
