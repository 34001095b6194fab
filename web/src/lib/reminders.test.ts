import { describe, expect, it } from 'vitest';
import { additionalCodes } from './reminders.ts';

const sug = (id: string, reminders: string[]) => ({ id, rationale: { reminders } });

describe('additionalCodes', () => {
  it('takes the code from a "Use additional code" reminder, not the code the note is on', () => {
    const got = additionalCodes([sug('s1', ['Use additional code: Use additional code to identify control using: insulin (Z79.4) (E11)'])], new Set());
    expect(got).toEqual([{ code: 'Z79.4', header: false, text: 'Use additional code to identify control using: insulin (Z79.4)', suggestionId: 's1' }]);
  });

  it('lists a code once across suggestions, skips kept codes and other reminder kinds', () => {
    const got = additionalCodes(
      [
        sug('s1', ['Use additional code: to identify control using: insulin (Z79.4), oral hypoglycemic drugs (Z79.84) (E11)', 'Code first: underlying disease (E11)']),
        sug('s2', ['Use additional code: to identify control using: insulin (Z79.4) (E11.6)']),
      ],
      new Set(['Z79.84']),
    );
    expect(got.map((a) => [a.code, a.suggestionId])).toEqual([['Z79.4', 's1']]);
  });

  it('marks categories and ranges as headers to choose from', () => {
    const got = additionalCodes([sug('s1', ['Use additional code: code (B95-B97), to identify infectious agent; (Z79.-) for long-term use (N39.0)'])], new Set());
    expect(got.map((a) => [a.code, a.header])).toEqual([
      ['B95', true],
      ['B97', true],
      ['Z79', true],
    ]);
  });

  it('no reminders, no codes', () => {
    expect(additionalCodes([], new Set())).toEqual([]);
  });
});
