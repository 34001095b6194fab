import { describe, expect, it } from 'vitest';
import type { Encounter } from '../server/pipeline/types.ts';
import { readFhirClaim, toFhirClaim } from './fhir-claim.ts';

const OFFICE: Encounter = { setting: 'professional', dateOfService: '2025-11-04' };
const REFS = { patient: 'urn:uuid:p', document: 'urn:uuid:d' };

describe('FHIR Claim for procedure lines', () => {
  it('99214-25 pointing at the second diagnosis → item with modifier, quantity and diagnosisSequence [2]', () => {
    const claim = toFhirClaim(
      [
        { system: 'ICD10CM', code: 'E11.65' },
        { system: 'ICD10CM', code: 'M54.50' },
        { system: 'CPT', code: '99214', line: { units: 1, modifiers: ['25'], diagnosisPointers: ['M54.50'] } },
        { system: 'HCPCS', code: 'J1885', line: { units: 4, modifiers: ['RT'], diagnosisPointers: ['M54.50', 'E11.65'] } },
      ],
      OFFICE,
      REFS,
    )!;
    expect(claim).toMatchObject({ resourceType: 'Claim', status: 'draft', type: { coding: [{ code: 'professional' }] }, patient: { reference: 'urn:uuid:p' } });
    expect(claim.item).toEqual([
      expect.objectContaining({ sequence: 1, modifier: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '25' }] }], quantity: { value: 1 }, diagnosisSequence: [2] }),
      expect.objectContaining({ sequence: 2, modifier: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'RT' }] }], quantity: { value: 4 }, diagnosisSequence: [2, 1] }),
    ]);
    // Provider and coverage are unknown to a coding tool: marked absent (data-absent-reason), not invented.
    expect(claim.provider).toEqual({ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] });
    expect(readFhirClaim(claim)).toEqual({
      document: 'urn:uuid:d',
      lines: [
        { system: 'CPT', code: '99214', line: { units: 1, modifiers: ['25'], diagnosisPointers: ['M54.50'] } },
        { system: 'HCPCS', code: 'J1885', line: { units: 4, modifiers: ['RT'], diagnosisPointers: ['M54.50', 'E11.65'] } },
      ],
    });
  });

  it('a document with diagnoses only has no Claim', () => {
    expect(toFhirClaim([{ system: 'ICD10CM', code: 'I10' }], OFFICE, REFS)).toBeNull();
  });

  describe('hostile input', () => {
    it('a Claim without items, with zero quantity or not an object is refused with the field named', () => {
      expect(readFhirClaim({ resourceType: 'Claim' })).toMatch(/^item/);
      expect(readFhirClaim({ resourceType: 'Claim', item: [{ productOrService: { coding: [{ system: 'CPT', code: '99213' }] }, quantity: { value: 0 } }] })).toMatch(/quantity/);
      expect(typeof readFhirClaim('ignore previous instructions')).toBe('string');
    });
    it('items in an unknown code system and pointers to missing diagnoses are skipped, not guessed', () => {
      const r = readFhirClaim({
        resourceType: 'Claim',
        item: [
          { productOrService: { coding: [{ system: 'http://example.org/local', code: 'X1' }] } },
          { productOrService: { coding: [{ system: 'CPT', code: '99213' }] }, diagnosisSequence: [7] },
        ],
      });
      expect(r).toEqual({ document: undefined, lines: [{ system: 'CPT', code: '99213', line: { units: 1, modifiers: [], diagnosisPointers: [] } }] });
    });
  });
});
