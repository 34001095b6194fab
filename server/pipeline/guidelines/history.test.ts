// Personal history codes (OCG I.C.21.c.4), the stage on its own: one past condition is one history code.
import { describe, expect, it } from 'vitest';
import { GUIDELINE_KB } from './fixture-knowledge.ts';
import { applyHistoryCodes } from './history.ts';
import { derivedCandidate, derivedMention, type GuidelineInput } from './types.ts';

const text = 'Assessment:\n1. History of melanoma in situ, right upper back - excised 2021, no recurrence.';
const sentence = { index: 0, start: 0, end: text.length, text, section: 'assessment' as const };
const read = (code: string, words: string) => {
  const start = text.indexOf(words);
  return derivedCandidate(code, [derivedMention(sentence, start, start + words.length, text, words, code)], 0.6, 'test', '');
};
const input = { note: { text, encounter: { setting: 'professional' } }, sentences: [sentence], kb: GUIDELINE_KB, scored: [] } as unknown as GuidelineInput;

describe('a history code read inside a longer history reading (OCG I.B.2)', () => {
  it('"History of melanoma in situ" is Z86.006, not also Z85.820 from "History of melanoma"', () => {
    const out = applyHistoryCodes([read('Z86.006', 'History of melanoma in situ'), read('Z85.820', 'History of melanoma')], input);
    expect(out.kept.map((c) => c.code)).toEqual(['Z86.006']);
    expect(out.dropped.map((d) => d.code)).toEqual(['Z85.820']);
  });

  it('two history codes of different words both stay', () => {
    const out = applyHistoryCodes([read('Z86.006', 'History of melanoma in situ'), read('Z87.891', 'excised 2021')], input);
    expect(out.kept.map((c) => c.code).sort()).toEqual(['Z86.006', 'Z87.891']);
  });
});
