import { beforeAll, describe, expect, it } from 'vitest';
import { NO_CONTEXT } from '../candidates.ts';
import { type Encounter, type Suggestion, SuggestionSchema } from '../types.ts';
import { emRowFor } from './em-table.ts';
import { loadProfessionalDeps, type ProfessionalDeps, withProfessionalCoding } from './professional-coding.ts';

// The structured claim line the API returns (issue 13 item 6): units, modifiers, pointers, the E/M panel and
// the claim findings, kept through the worker's zod parse (SuggestionSchema strips unknown keys).

let deps: ProfessionalDeps;
beforeAll(() => {
  deps = loadProfessionalDeps();
});

const OFFICE: Encounter = { setting: 'professional', dateOfService: '2026-03-10', patient: { age: 44 } };
const VERSIONS = { engine: 'test', prompt: null, model: null, embedder: null };
const NOTE = 'INTERNAL MEDICINE - SAME-DAY SICK VISIT, established patient\nAssessment/Plan:\n1. Asthma with acute exacerbation. Dexamethasone 10 mg IM given in clinic. Start prednisone 40 mg daily x 5 days.';

function asthma(): Suggestion {
  const quote = 'Asthma with acute exacerbation';
  const start = NOTE.indexOf(quote);
  return {
    system: 'ICD10CM', code: 'J45.901', description: 'Unspecified asthma with (acute) exacerbation', evidence: [{ start, end: start + quote.length, quote }], context: NO_CONTEXT,
    confidence: 0.8, kind: 'final', rationale: { matched: quote, matchKind: 'index', rules: [], reminders: [] }, source: 'offline', versions: VERSIONS,
  };
}

describe('structured claim lines on professional suggestions', () => {
  it('the E/M line carries units, modifier 25, its pointer and the three MDM elements with evidence in the note', () => {
    const out = SuggestionSchema.array().parse(withProfessionalCoding({ text: NOTE, encounter: OFFICE }, [asthma()], deps, VERSIONS));
    const em = out.find((s) => s.code === '99214')!;
    expect(em.rationale.line).toMatchObject({ units: 1, modifiers: ['25'], diagnosisPointers: ['J45.901'] });
    const panel = em.rationale.line!.em!;
    expect(panel).toMatchObject({ family: 'office_established', basis: 'mdm', level: 'moderate', newPatient: false });
    expect(panel.problems!.level).toBe('moderate');
    expect(panel.risk!.level).toBe('moderate');
    const riskSpan = panel.risk!.reasons.flatMap((r) => r.evidence)[0]!;
    expect(NOTE.slice(riskSpan.start, riskSpan.end)).toBe(riskSpan.quote);
  });

  it('the drug line carries its computed units and no E/M panel', () => {
    const out = SuggestionSchema.array().parse(withProfessionalCoding({ text: NOTE, encounter: OFFICE }, [asthma()], deps, VERSIONS));
    expect(out.find((s) => s.code === 'J1100')!.rationale.line).toEqual({ units: 10, modifiers: [], diagnosisPointers: ['J45.901'] });
  });

  it('a line with no diagnosis to point to carries a structured diagnosis_pointer finding with its source', () => {
    const out = SuggestionSchema.array().parse(withProfessionalCoding({ text: NOTE, encounter: OFFICE }, [], deps, VERSIONS));
    const findings = out.find((s) => s.code === '99214')!.rationale.findings!;
    expect(findings).toEqual([{ rule: 'diagnosis_pointer', severity: 'warning', code: '99214', message: 'Line 99214 has no supporting diagnosis to point to.', source: 'CMS-1500 item 24E (up to 4 pointers per line)' }]);
  });

  it('a suggestion stored before issue 13 (no line, no findings) still parses', () => {
    const old = { ...asthma(), system: 'CPT' as const, code: '99213' };
    expect(SuggestionSchema.parse(old).rationale.line).toBeUndefined();
  });
});

describe('emRowFor (the one E/M table, shared with the review UI)', () => {
  it('moderate MDM, no time → 99214; low MDM with 45 minutes → 99215 by time', () => {
    expect(emRowFor('office_established', 'moderate', null)).toEqual({ row: expect.objectContaining({ code: '99214' }), basis: 'mdm' });
    expect(emRowFor('office_established', 'low', 45)).toEqual({ row: expect.objectContaining({ code: '99215' }), basis: 'time' });
  });
  it('ED has no time basis: high → 99285 whatever the minutes; preventive has no MDM rows → null', () => {
    expect(emRowFor('emergency', 'high', 90)?.row.code).toBe('99285');
    expect(emRowFor('preventive_established', 'high', null)).toBeNull();
  });
});
