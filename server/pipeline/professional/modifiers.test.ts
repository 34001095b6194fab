import { describe, expect, it } from 'vitest';
import { applyModifier25 } from './modifiers.ts';
import type { ProcedureLine } from './types.ts';

function line(code: string): ProcedureLine {
  return { system: /^[A-Z]/.test(code) ? 'HCPCS' : 'CPT', code, units: 1, description: 'test line', evidence: [{ start: 0, end: 4, quote: 'note' }], reminders: [], modifiers: [], diagnosisPointers: [] };
}

describe('applyModifier25', () => {
  it('an office E/M beside an IM injection (99214 + 96372) gets modifier 25 with its reason', () => {
    const [em, drug, admin] = applyModifier25([line('99214'), line('J1100'), line('96372')], 'note');
    expect(em!.modifiers).toEqual(['25']);
    expect(em!.reminders.join(' ')).toMatch(/separately identifiable from 96372/);
    expect(drug!.modifiers).toEqual([]);
    expect(admin!.modifiers).toEqual([]);
  });
  it('an E/M with only a HCPCS drug line, or with its prolonged-service add-on, gets no modifier', () => {
    expect(applyModifier25([line('99215'), line('99417')], 'note')[0]!.modifiers).toEqual([]);
    expect(applyModifier25([line('99214'), line('J1885')], 'note')[0]!.modifiers).toEqual([]);
  });
  it('"Procedure: laceration repair" with no procedure line reminds the coder instead of adding 25', () => {
    const [em] = applyModifier25([line('99213')], 'URGENT CARE VISIT\nProcedure: simple repair of a 2 cm forehead laceration.');
    expect(em!.modifiers).toEqual([]);
    expect(em!.reminders.join(' ')).toMatch(/A procedure is documented/);
  });
  it('an E/M beside an in-office ECG or scored instruments only (93000, 96127) needs no 25', () => {
    expect(applyModifier25([line('99214'), line('93000'), line('96127')], 'note')[0]!.modifiers).toEqual([]);
  });
  it('no E/M line: nothing changes', () => {
    const lines = [line('96374'), line('J1938')];
    expect(applyModifier25(lines, 'note')).toEqual(lines);
  });
});
