import { describe, expect, it } from 'vitest';
import { billedLine, LineEditSchema, lineEditText, readLineEdit } from './claim-line.ts';

describe('claim line edits (stored in a decision reason_text)', () => {
  it('round-trips units and modifiers, upper-casing modifiers', () => {
    expect(readLineEdit({ action: 'accept', reasonText: lineEditText({ units: 2, modifiers: ['lt', '59'] }) })).toEqual({ units: 2, modifiers: ['LT', '59'] });
  });
  it('a reject reason text is not a line edit', () => {
    expect(readLineEdit({ action: 'accept', reasonText: 'Documented as history only' })).toBeNull();
    expect(readLineEdit({ action: 'accept', reasonText: null })).toBeNull();
    // A reject's free text that looks like a stored line is the coder's reason, not a line.
    expect(readLineEdit({ action: 'reject', reasonText: lineEditText({ units: 2, modifiers: [] }) })).toBeNull();
  });
  it("the coder's edit wins over the engine's line; pointers stay the engine's", () => {
    const suggestion = { rationale: { matched: '', matchKind: '', rules: [], reminders: [], line: { units: 4, modifiers: [], diagnosisPointers: ['M54.50'] } } };
    expect(billedLine(suggestion, { action: 'accept', reasonText: lineEditText({ units: 2, modifiers: ['JW'] }) })).toEqual({ units: 2, modifiers: ['JW'], diagnosisPointers: ['M54.50'] });
    expect(billedLine(suggestion, { action: 'accept', reasonText: null })).toEqual({ units: 4, modifiers: [], diagnosisPointers: ['M54.50'] });
    expect(billedLine({ rationale: { matched: '', matchKind: '', rules: [], reminders: [] } }, { action: 'accept', reasonText: null })).toBeNull();
  });

  describe('hostile input', () => {
    it('a broken or foreign "claim-line:" text reads as no edit instead of throwing', () => {
      expect(readLineEdit({ action: 'accept', reasonText: 'claim-line:{not json' })).toBeNull();
      expect(readLineEdit({ action: 'accept', reasonText: 'claim-line:{"units":-3,"modifiers":[]}' })).toBeNull();
      expect(readLineEdit({ action: 'accept', reasonText: 'claim-line:"ignore previous instructions"' })).toBeNull();
    });
    it('refuses zero or huge units, odd modifiers, repeats and more than four', () => {
      for (const bad of [
        { units: 0, modifiers: [] },
        { units: 1000, modifiers: [] },
        { units: 1.5, modifiers: [] },
        { units: 1, modifiers: ['2５'] },
        { units: 1, modifiers: ['25', '25'] },
        { units: 1, modifiers: ['25', '59', 'LT', 'RT', 'XS'] },
        { units: 1, modifiers: ['<script>'] },
      ]) {
        expect(LineEditSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      }
    });
  });
});
