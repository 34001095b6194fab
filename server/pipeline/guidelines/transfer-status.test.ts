// Status after tPA at another facility, Z92.82 (OCG I.C.21.c.3): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('Z92.82: tPA given at another facility before the transfer', () => {
  it('"At Mercy Community Hospital: CT head without hemorrhage; IV alteplase administered; transferred for thrombectomy" → Z92.82 after the stroke', () => {
    const out = codes('HPI: At Mercy Community Hospital: CT head without hemorrhage; IV alteplase administered at 09:05; transferred for thrombectomy.\nDiagnoses:\n1. Acute ischemic stroke.', 'inpatient');
    expect(out).toEqual(['I63.9', 'Z92.82']);
  });

  it('"s/p tPA at outside hospital" → Z92.82; tPA given here, or not given, or on an outpatient record → none', () => {
    expect(codes('Diagnoses:\n1. Stroke.\n2. S/p IV tPA at outside hospital within 24 h prior to transfer.', 'inpatient')).toContain('Z92.82');
    expect(codes('Diagnoses:\n1. Stroke. IV alteplase given in our ED at 09:05.', 'inpatient')).not.toContain('Z92.82');
    expect(codes('Diagnoses:\n1. Stroke. IV alteplase given at this hospital; transferred to the ICU for monitoring.', 'inpatient')).not.toContain('Z92.82');
    expect(codes('Diagnoses:\n1. Stroke. Outside hospital: not a tPA candidate (outside window).', 'inpatient')).not.toContain('Z92.82');
    expect(codes('Assessment: Stroke; tPA given at outside hospital.', 'professional')).not.toContain('Z92.82');
  });

  it('the Index\'s "tPA" read alone is no status: "tPA given at 3.8 h (our facility)" → no Z92.82', () => {
    expect(codes('HPI: CT head no hemorrhage. tPA given at 3.8 h (our facility).\nDiagnoses:\n1. Acute ischemic stroke.', 'inpatient')).toEqual(['I63.9']);
    expect(codes('HPI: tPA given at outside hospital 2 h before transfer.\nDiagnoses:\n1. Acute ischemic stroke.', 'inpatient')).toEqual(['I63.9', 'Z92.82']);
  });
});
