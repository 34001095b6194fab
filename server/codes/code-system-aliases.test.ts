import { describe, expect, it } from 'vitest';
import { CodeSystemSchema, parseCodeSystem } from './code-system-aliases.ts';

describe('code system spellings clinical systems send', () => {
  it.each([
    ['ICD10CM', 'ICD10CM'],
    ['ICD-10-CM', 'ICD10CM'],
    ['icd 10 cm', 'ICD10CM'],
    ['http://hl7.org/fhir/sid/icd-10-cm', 'ICD10CM'],
    ['urn:oid:2.16.840.1.113883.6.90', 'ICD10CM'],
    ['ICD-10-PCS', 'ICD10PCS'],
    ['http://www.cms.gov/Medicare/Coding/ICD10', 'ICD10PCS'],
    ['HCPCS', 'HCPCS'],
    ['urn:oid:2.16.840.1.113883.6.285', 'HCPCS'],
    ['http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'HCPCS'],
    ['CPT-4', 'CPT'],
    ['http://www.ama-assn.org/go/cpt/', 'CPT'],
  ])('%s is %s', (written, system) => {
    expect(parseCodeSystem(written)).toBe(system);
    expect(CodeSystemSchema.parse(written)).toBe(system);
  });

  it('refuses WHO ICD-10, ICD-9, SNOMED and non-strings, naming what is accepted', () => {
    for (const written of ['http://hl7.org/fhir/sid/icd-10', 'ICD9CM', 'http://snomed.info/sct', '', 42]) {
      const r = CodeSystemSchema.safeParse(written);
      expect(r.success, String(written)).toBe(false);
      expect(r.error!.issues[0]!.message).toMatch(/use ICD10CM, ICD10PCS, HCPCS, CPT/);
    }
  });
});
