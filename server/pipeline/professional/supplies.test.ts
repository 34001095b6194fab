import { beforeAll, describe, expect, it } from 'vitest';
import type { Encounter } from '../types.ts';
import { type HcpcsDrugFile, loadHcpcsDrugs } from './hcpcs-file.ts';
import { suggestSupplyLines } from './supplies.ts';
import { SUPPLIES } from './supply-table.ts';

const OFFICE: Encounter = { setting: 'professional', dateOfService: '2026-02-14', patient: { age: 44, sex: 'female' } };
let hcpcs: HcpcsDrugFile;
beforeAll(() => {
  hcpcs = loadHcpcsDrugs();
});
const codes = (text: string, encounter = OFFICE, facilitySupplied = false) =>
  suggestSupplyLines({ text, encounter }, hcpcs, { facilitySupplied }).map((l) => `${l.code}x${l.units}`);

describe('supplies handed out at the visit (HCPCS Level II)', () => {
  it('every code of the table is an active code of the shipped HCPCS release, its descriptor read from it', () => {
    for (const s of SUPPLIES) expect(hcpcs.supplies.get(s.code), s.code).toBeTruthy();
    expect(hcpcs.supplies.get('E0114')).toMatch(/^Crutches underarm/);
  });
  it('"Crutches dispensed" → E0114 × 1 with the evidence, the descriptor from the file and the DMEPOS reminder', () => {
    const [l] = suggestSupplyLines({ text: 'Ankle sprain. Crutches dispensed and gait training done.', encounter: OFFICE }, hcpcs);
    expect(l).toMatchObject({ system: 'HCPCS', code: 'E0114', units: 1, rule: 'supply', evidence: [{ quote: 'Crutches' }] });
    expect(l!.description).toMatch(/pair/);
    expect(l!.reminders.join(' ')).toMatch(/DMEPOS supplier/);
  });
  it('the item the words name: pneumatic vs plain walking boot, quad vs straight cane, rolling vs pickup walker', () => {
    expect(codes('Placed in a CAM boot today.')).toEqual(['L4387x1']);
    expect(codes('Pneumatic walking boot fitted in clinic.')).toEqual(['L4361x1']);
    expect(codes('Quad cane provided.')).toEqual(['E0105x1']);
    expect(codes('Cane provided.')).toEqual(['E0100x1']);
    expect(codes('Rolling walker dispensed.')).toEqual(['E0143x1']);
    expect(codes('Spacer provided and MDI technique reviewed; sling applied to the left arm.')).toEqual(['A4565x1', 'A4627x1']);
  });
  it('prescribed, ordered from a supplier, recommended, declined or the patient’s own: no line', () => {
    expect(codes('Rx for nebulizer machine sent to DME company.')).toEqual([]);
    expect(codes('Recommend a walker; PT to fit.')).toEqual([]);
    expect(codes('Continue own crutches as needed, given instructions.')).toEqual([]);
    expect(codes('Sling not applied; patient declined.')).toEqual([]);
    expect(codes('Will be fitted for a walking boot at the next visit.')).toEqual([]);
  });
  it('a nebulizer treatment given in the office is a drug and its administration, not the machine', () => {
    expect(codes('Albuterol nebulizer treatment given in office with improvement.')).toEqual([]);
    expect(codes('Home nebulizer machine dispensed with tubing.')).toEqual(['E0570x1']);
  });
  it('an ED or hospital supplies its own: no supply line on its professional claim', () => {
    expect(codes('Crutches dispensed.', { ...OFFICE, setting: 'inpatient' })).toEqual([]);
    expect(codes('Crutches dispensed.', OFFICE, true)).toEqual([]);
  });
});
