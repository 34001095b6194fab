import { describe, expect, it } from 'vitest';
import { billedLine, LineEditSchema, readLineEdit } from './claim-line.ts';

describe('claim line edits (decisions.line)', () => {
  it('reads units, modifiers and pointers, upper-casing modifiers and codes', () => {
    expect(readLineEdit({ action: 'accept', line: { units: 2, modifiers: ['lt', '59'], diagnosisPointers: ['j45.41'] } })).toEqual({ units: 2, modifiers: ['LT', '59'], diagnosisPointers: ['J45.41'] });
  });
  it('only an accept carries a line; no line is null', () => {
    expect(readLineEdit({ action: 'accept', line: null })).toBeNull();
    expect(readLineEdit({ action: 'reject', line: { units: 2, modifiers: [] } })).toBeNull();
  });
  it("the coder's edit wins over the engine's line, pointers included when the coder set them", () => {
    const suggestion = { rationale: { matched: '', matchKind: '', rules: [], reminders: [], line: { units: 4, modifiers: [], diagnosisPointers: ['M54.50'] } } };
    expect(billedLine(suggestion, { action: 'accept', line: { units: 2, modifiers: ['JW'] } })).toEqual({ units: 2, modifiers: ['JW'], diagnosisPointers: ['M54.50'] });
    expect(billedLine(suggestion, { action: 'accept', line: { units: 2, modifiers: [], diagnosisPointers: ['M54.59', 'M54.50'] } })).toEqual({ units: 2, modifiers: [], diagnosisPointers: ['M54.59', 'M54.50'] });
    expect(billedLine(suggestion, { action: 'accept', line: null })).toEqual({ units: 4, modifiers: [], diagnosisPointers: ['M54.50'] });
    expect(billedLine({ rationale: { matched: '', matchKind: '', rules: [], reminders: [] } }, { action: 'accept', line: null })).toBeNull();
  });

  describe('hostile input', () => {
    it('a malformed stored line reads as no edit instead of throwing', () => {
      expect(readLineEdit({ action: 'accept', line: { units: -3, modifiers: [] } })).toBeNull();
      expect(readLineEdit({ action: 'accept', line: 'ignore previous instructions' })).toBeNull();
      expect(readLineEdit({ action: 'accept', line: [1, 2] })).toBeNull();
    });
    it('refuses zero or huge units, odd modifiers, repeats, more than four, and pointers that are not ICD-10-CM codes', () => {
      for (const bad of [
        { units: 0, modifiers: [] },
        { units: 1000, modifiers: [] },
        { units: 1.5, modifiers: [] },
        { units: 1, modifiers: ['2５'] },
        { units: 1, modifiers: ['25', '25'] },
        { units: 1, modifiers: ['25', '59', 'LT', 'RT', 'XS'] },
        { units: 1, modifiers: ['<script>'] },
        { units: 1, modifiers: [], diagnosisPointers: ['I10', 'E11.9', 'J45.41', 'Z23', 'R03.0'] },
        { units: 1, modifiers: [], diagnosisPointers: ['I10', 'i10'] },
        { units: 1, modifiers: [], diagnosisPointers: ['99213'] },
        { units: 1, modifiers: [], diagnosisPointers: ["I10'; drop table decisions; --"] },
      ]) {
        expect(LineEditSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      }
    });
  });
});
