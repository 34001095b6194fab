import { describe, expect, it } from 'vitest';
import { billedLine, LineEditSchema, lineEditText, readLineEdit } from './claim-line.ts';

describe('claim line edits (stored in a decision reason_text)', () => {
  it('round-trips units and modifiers, upper-casing modifiers', () => {
    expect(readLineEdit(lineEditText({ units: 2, modifiers: ['lt', '59'] }))).toEqual({ units: 2, modifiers: ['LT', '59'] });
  });
  it('a reject reason text is not a line edit', () => {
    expect(readLineEdit('Documented as history only')).toBeNull();
    expect(readLineEdit(null)).toBeNull();
  });
  it("the coder's edit wins over the engine's line; pointers stay the engine's", () => {
    const suggestion = { rationale: { matched: '', matchKind: '', rules: [], reminders: [], line: { units: 4, modifiers: [], diagnosisPointers: ['M54.50'] } } };
    expect(billedLine(suggestion, lineEditText({ units: 2, modifiers: ['JW'] }))).toEqual({ units: 2, modifiers: ['JW'], diagnosisPointers: ['M54.50'] });
    expect(billedLine(suggestion, null)).toEqual({ units: 4, modifiers: [], diagnosisPointers: ['M54.50'] });
    expect(billedLine({ rationale: { matched: '', matchKind: '', rules: [], reminders: [] } }, null)).toBeNull();
  });

  describe('hostile input', () => {
    it('a broken or foreign "claim-line:" text reads as no edit instead of throwing', () => {
      expect(readLineEdit('claim-line:{not json')).toBeNull();
      expect(readLineEdit('claim-line:{"units":-3,"modifiers":[]}')).toBeNull();
      expect(readLineEdit('claim-line:"ignore previous instructions"')).toBeNull();
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
