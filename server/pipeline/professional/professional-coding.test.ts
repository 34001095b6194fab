import { beforeAll, describe, expect, it } from 'vitest';
import { NO_CONTEXT } from '../candidates.ts';
import type { Encounter, Suggestion } from '../types.ts';
import { loadProfessionalDeps, type ProfessionalDeps, professionalCoding, withProfessionalCoding } from './professional-coding.ts';

let deps: ProfessionalDeps;
beforeAll(() => {
  deps = loadProfessionalDeps();
});

const OFFICE: Encounter = { setting: 'professional', dateOfService: '2026-03-10', patient: { age: 44 } };
const VERSIONS = { engine: 'test', prompt: null, model: null, embedder: null };

function diagnosis(text: string, quote: string, code: string, description: string): Suggestion {
  const start = text.indexOf(quote);
  return {
    system: 'ICD10CM', code, description, evidence: [{ start, end: start + quote.length, quote }], context: NO_CONTEXT, confidence: 0.8, kind: 'final',
    rationale: { matched: quote, matchKind: 'index', rules: [], reminders: [] }, source: 'offline', versions: VERSIONS,
  };
}

const CLINIC_NOTE = 'INTERNAL MEDICINE - SAME-DAY SICK VISIT, established patient\nAssessment/Plan:\n1. Asthma with acute exacerbation. Dexamethasone 10 mg IM given in clinic. Start prednisone 40 mg daily x 5 days.';

describe('professionalCoding', () => {
  it('an office visit with an IM steroid → 99214, J1100 × 10, 96372, each pointing to the asthma diagnosis', () => {
    const dx = [diagnosis(CLINIC_NOTE, 'Asthma with acute exacerbation', 'J45.901', 'Unspecified asthma with (acute) exacerbation')];
    const r = professionalCoding({ text: CLINIC_NOTE, encounter: OFFICE }, dx, deps);
    expect(r.lines.map((l) => [l.code, l.units, l.diagnosisPointers])).toEqual([
      ['99214', 1, ['J45.901']],
      ['J1100', 10, ['J45.901']],
      ['96372', 1, ['J45.901']],
    ]);
    expect(r.em?.mdm?.level).toBe('moderate');
    expect(r.lines[0]!.modifiers).toEqual(['25']); // E/M beside the same-day injection
  });

  it('a nurse visit is 99211; a nurse visit for an injection is the injection alone, and says why', () => {
    const bp = 'NURSE VISIT - established patient\nBP check: 128/80 on lisinopril, reviewed with Dr. Lee; no change.';
    expect(professionalCoding({ text: bp, encounter: OFFICE }, [], deps).lines.map((l) => l.code)).toEqual(['99211']);
    const b12 = 'NURSE VISIT - established patient\nPernicious anemia. Cyanocobalamin 1000 mcg IM given in the L deltoid per standing order.';
    const r = professionalCoding({ text: b12, encounter: OFFICE }, [], deps);
    expect(r.em).toBeNull();
    expect(r.lines.map((l) => l.code)).toEqual(['J3420', '96372']);
    expect(r.notices.join(' ')).toMatch(/No 99211/);
  });

  it('an office visit whose only problems the minor procedure treats gets no E/M, and says why; another problem managed keeps it', () => {
    const repair = 'URGENT CARE VISIT\nCC: laceration of L forearm.\nPROCEDURE - laceration repair: lidocaine, irrigated, 4-0 nylon x5.\nTdap 0.5 mL IM given; VIS given.\nASSESSMENT:\n1. Laceration of L forearm, 3.0 cm - simple repair.\n2. Tetanus immunization given (Tdap).\nPLAN: suture removal in 10 days.';
    const r = professionalCoding({ text: repair, encounter: OFFICE }, [], deps);
    expect(r.em).toBeNull();
    expect(r.lines.some((l) => /^99[2-4]\d\d$/.test(l.code))).toBe(false);
    expect(r.notices.join(' ')).toContain('NCCI Policy Manual ch. I');
    const more = repair.replace('2. Tetanus', '2. Essential hypertension, above goal; start amlodipine 5 mg daily.\n3. Tetanus');
    expect(professionalCoding({ text: more, encounter: OFFICE }, [], deps).em).not.toBeNull();
    const ed = repair.replace('URGENT CARE VISIT', 'ED PHYSICIAN NOTE');
    expect(professionalCoding({ text: ed, encounter: OFFICE }, [], deps).em).not.toBeNull();
  });

  it("an ED visit: the E/M line only — the drug given in the ED is the facility's", () => {
    const text = CLINIC_NOTE.replace('INTERNAL MEDICINE - SAME-DAY SICK VISIT', 'ED PHYSICIAN NOTE');
    const r = professionalCoding({ text, encounter: OFFICE }, [], deps);
    expect(r.lines.map((l) => l.code)).toEqual(['99284']);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'diagnosis_pointer', code: '99284' })]);
  });

  it('withProfessionalCoding appends CPT/HCPCS suggestions with our own E/M wording and exact spans', () => {
    const dx = [diagnosis(CLINIC_NOTE, 'Asthma with acute exacerbation', 'J45.901', 'Unspecified asthma with (acute) exacerbation')];
    const out = withProfessionalCoding({ text: CLINIC_NOTE, encounter: OFFICE }, dx, deps, VERSIONS);
    expect(out.map((s) => s.system)).toEqual(['ICD10CM', 'CPT', 'HCPCS', 'CPT']);
    expect(out[1]!.description).toBe('E/M office/outpatient visit, established patient, level 4 (MDM moderate)');
    // The drug line's span is the drug and dose as written (quotes are rebuilt from offsets, so check where they point).
    expect(out[2]!.evidence.map((e) => e.quote)).toEqual(['Dexamethasone 10 mg']);
    expect(out[2]!.evidence[0]!.start).toBe(CLINIC_NOTE.indexOf('Dexamethasone 10 mg'));
  });
});
