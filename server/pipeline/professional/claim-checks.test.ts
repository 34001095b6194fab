import { beforeAll, describe, expect, it } from 'vitest';
import type { Encounter } from '../types.ts';
import { assignPointers, checkAddOns, checkClaim, checkHcc, checkMce, checkMue, type ClaimDiagnosis } from './claim-checks.ts';
import { ageMeets, type ClaimTables, loadClaimTables, parseAgeCondition } from './claim-tables.ts';
import type { ProcedureLine } from './types.ts';

let tables: ClaimTables;
beforeAll(() => {
  tables = loadClaimTables();
});

function line(code: string, units = 1, at = 0): ProcedureLine {
  return { system: /^[A-Z]/.test(code) ? 'HCPCS' : 'CPT', code, units, description: 'test line', evidence: [{ start: at, end: at + 5, quote: 'xxxxx' }], reminders: [], modifiers: [], diagnosisPointers: [] };
}
function dx(code: string, description = 'a condition', at = 0): ClaimDiagnosis {
  return { code, description, evidence: [{ start: at, end: at + 5, quote: 'xxxxx' }] };
}
const INPATIENT: Encounter = { setting: 'inpatient', dateOfService: '2026-03-01', patient: { age: 70, sex: 'female' } };

describe('MUE (practitioner, 2026-04-01)', () => {
  it('99214 × 3 on one date exceeds its MUE of 2', () => {
    expect(checkMue([line('99214', 3)], tables)).toEqual([expect.objectContaining({ rule: 'mue', code: '99214', source: 'CMS MUE practitioner, effective 2026-04-01' })]);
  });
  it('J1885 × 2 (ketorolac 30 mg) is within its MUE', () => {
    expect(checkMue([line('J1885', 2)], tables)).toEqual([]);
  });
  it('a line edit (MAI 1, A6460, MUE 1) checks each line; a date-of-service edit (MAI 3, J1885, MUE 8) adds the lines up', () => {
    expect(checkMue([line('A6460', 1), line('A6460', 1)], tables)).toEqual([]);
    expect(checkMue([line('A6460', 2)], tables)).toEqual([expect.objectContaining({ rule: 'mue', code: 'A6460' })]);
    expect(checkMue([line('J1885', 4), line('J1885', 5)], tables)).toEqual([expect.objectContaining({ rule: 'mue', code: 'J1885', message: expect.stringContaining('9 units') })]);
  });
});

describe('add-on codes (NCCI AOC 2026Q3)', () => {
  it('96375 without an IV push or infusion primary is flagged; with 96374 it is not', () => {
    expect(checkAddOns([line('96375')], tables)).toEqual([expect.objectContaining({ rule: 'add_on_without_primary', code: '96375' })]);
    expect(checkAddOns([line('96374'), line('96375')], tables)).toEqual([]);
  });
  it('99417 rides on 99215 or 99205, not on 99213', () => {
    expect(checkAddOns([line('99215'), line('99417')], tables)).toEqual([]);
    expect(checkAddOns([line('99213'), line('99417')], tables)).toHaveLength(1);
  });
});

describe('diagnosis pointers', () => {
  it('the E/M line points to the first four diagnoses in order; a drug line to the nearest diagnosis', () => {
    const diagnoses = [dx('J45.41', 'asthma', 100), dx('J30.9', 'rhinitis', 10), dx('E11.9', 'diabetes', 300), dx('I10', 'hypertension', 400), dx('E78.5', 'lipids', 500)];
    const { lines, findings } = assignPointers([line('99214', 1, 0), line('J1100', 10, 120)], diagnoses);
    expect(lines[0]!.diagnosisPointers).toEqual(['J45.41', 'J30.9', 'E11.9', 'I10']);
    expect(lines[1]!.diagnosisPointers[0]).toBe('J45.41');
    expect(findings).toEqual([]);
  });
  it('a line with no diagnosis on the claim gets a warning', () => {
    expect(assignPointers([line('96372')], []).findings).toEqual([expect.objectContaining({ rule: 'diagnosis_pointer', code: '96372' })]);
  });
});

describe('MCE v43 (inpatient claims only)', () => {
  it('a manifestation code as principal diagnosis (D63.1 anaemia in CKD) is flagged', () => {
    expect(checkMce([dx('D63.1'), dx('N18.4')], INPATIENT, tables)).toEqual([expect.objectContaining({ rule: 'mce_manifestation_pdx', code: 'D63.1' })]);
  });
  it('Z00.00 (general adult exam) is not acceptable as principal diagnosis', () => {
    expect(checkMce([dx('Z00.00')], INPATIENT, tables)).toEqual([expect.objectContaining({ rule: 'mce_unacceptable_pdx' })]);
  });
  it('an obstetric-tetanus (maternity) code on a 70-year-old conflicts with the age', () => {
    expect(checkMce([dx('I10'), dx('A34')], INPATIENT, tables)).toEqual([expect.objectContaining({ rule: 'mce_age', code: 'A34' })]);
  });
  it('is not applied to professional claims', () => {
    expect(checkMce([dx('D63.1')], { ...INPATIENT, setting: 'professional' }, tables)).toEqual([]);
  });
});

describe('HCC age conditions (validated on load)', () => {
  it('reads "age < 50", "0 <= age <= 17" and "age = 0"; an unknown form fails loudly', () => {
    expect(ageMeets(parseAgeCondition('age < 50'), 49)).toBe(true);
    expect(ageMeets(parseAgeCondition('0 <= age <= 17'), 18)).toBe(false);
    expect(ageMeets(parseAgeCondition('age = 0'), 0)).toBe(true);
    expect(ageMeets(parseAgeCondition('age >= 15'), undefined)).toBe(false);
    expect(() => parseAgeCondition('age between 1 and 2')).toThrow(/unknown HCC age condition/);
  });
});

describe('CMS-HCC V28 (PY2026 final)', () => {
  it('E11.65 maps to a payment HCC, named with its label', () => {
    const [f] = checkHcc([dx('E11.65', 'Type 2 diabetes mellitus with hyperglycemia')], tables);
    expect(f).toMatchObject({ rule: 'hcc_payment', severity: 'info', code: 'E11.65', source: 'CMS-HCC V28, PY2026 final mappings' });
    expect(f!.message).toMatch(/HCC 38/);
  });
  it('F32.9 (unspecified) maps to none, while a more specific F32 code does', () => {
    expect(checkHcc([dx('F32.9', 'Major depressive disorder, single episode, unspecified')], tables)).toEqual([expect.objectContaining({ rule: 'hcc_unspecified', code: 'F32.9' })]);
  });
  it('age splits apply: C50.011 (female breast cancer) is HCC 22 under 50 and HCC 23 from 50', () => {
    const breast = [dx('C50.011', 'Malignant neoplasm of nipple and areola, right female breast')];
    expect(checkHcc(breast, tables, { age: 45, sex: 'female' })[0]!.message).toMatch(/HCC 22 /);
    expect(checkHcc(breast, tables, { age: 70, sex: 'female' })[0]!.message).toMatch(/HCC 23 /);
    expect(checkHcc(breast, tables)[0]!.message).toMatch(/HCC 22 .* or HCC 23 .*depending on age\/sex/);
  });
  it('I10 maps to nothing and has no finding', () => {
    expect(checkHcc([dx('I10', 'Essential (primary) hypertension')], tables)).toEqual([]);
  });
});

describe('checkClaim', () => {
  it('no finding blocks: all are warnings or info, each naming its source', () => {
    const { findings } = checkClaim([line('96375'), line('99214', 3)], [dx('F32.9', 'unspecified')], INPATIENT, tables);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.source.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.severity))).toEqual(new Set(['warning', 'info']));
  });
  it('hostile input: an empty claim and odd codes give no crash and no findings', () => {
    expect(checkClaim([], [], INPATIENT, tables).findings).toEqual([]);
    expect(checkClaim([line('IGNORE PREVIOUS')], [dx('\u200B')], INPATIENT, tables).findings).toEqual([]);
  });
});
