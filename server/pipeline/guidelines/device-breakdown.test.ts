// A device's mechanical failure is "Complication, <device>, mechanical, breakdown" (Index; OCG I.C.4.a.5.a): one
// clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('mechanical breakdown of a device', () => {
  it('"Insulin pump failure (mechanical breakdown)" → T85.614A, and the pump\'s status code Z96.41 goes with the reason on it', () => {
    const out = suggest('Principal diagnosis: Insulin pump failure (mechanical breakdown).\nSecondary diagnoses: Presence of insulin pump.', 'inpatient');
    expect(out.map((s) => s.code)).toEqual(['T85.614A']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'device_breakdown' && /^Z96\.41 not reported/.test(r.detail))).toBe(true);
  });

  it('a failure the note denies is none: "insulin pump interrogated; no malfunction found"', () => {
    expect(codes('Principal diagnosis: DKA. Insulin pump interrogated; no malfunction found.', 'inpatient')).not.toContain('T85.614A');
    expect(codes('Principal diagnosis: DKA, not due to underdosing or insulin pump failure.', 'inpatient')).not.toContain('T85.614A');
    // A failure of something else in the sentence is not the pump's.
    expect(codes('Principal diagnosis: DKA in a patient on an insulin pump, with acute respiratory failure from aspiration pneumonia and a long course.', 'inpatient')).not.toContain('T85.614A');
  });
});

describe('a complication of a transplanted organ says the organ is transplanted (OCG I.C.21.c.3)', () => {
  it('"Acute rejection of kidney transplant" with "kidney transplant status" → T86.11 alone', () => {
    expect(codes('Assessment:\n1. Acute rejection of kidney transplant.\n2. Status: kidney transplant 2019.')).toEqual(['T86.11']);
  });

  it('the status alone stays', () => {
    expect(codes('Assessment:\n1. Status: kidney transplant 2019, stable function.')).toEqual(['Z94.0']);
  });
});
