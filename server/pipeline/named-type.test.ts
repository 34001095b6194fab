// An unspecified code the diagnostic statement qualifies with a disease of its block (run.ts promoteNamedTypes).
import { describe, expect, it } from 'vitest';
import { ruledAt } from './fixtures/ruled.ts';
import { buildKnowledge } from './knowledge.ts';
import type { Dropped } from './rules.ts';
import { promoteLongerReadings, promoteNamedTypes } from './run.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'E03.9', billable: true, title: 'Hypothyroidism, unspecified', parent: null },
    { code: 'E06.3', billable: true, title: 'Autoimmune thyroiditis', parent: null },
    { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
  ],
  [],
  [],
);
describe('a disease named as the type of an unspecified condition (OCG I.B.2)', () => {
  it('"Hashimoto\'s (autoimmune) hypothyroidism": E06.3, read below the threshold, replaces E03.9', () => {
    const text = "1. Hashimoto's (autoimmune) hypothyroidism - TSH at goal.";
    const above = [ruledAt(text, 'hypothyroidism', 'E03.9', 0.9)];
    const below = [ruledAt(text, "Hashimoto's", 'E06.3', 0.15)];
    const dropped: Dropped[] = [];
    promoteNamedTypes(above, below, kb, text, 0.5, dropped);
    expect(above.map((c) => [c.code, c.confidence])).toEqual([['E06.3', 0.5]]);
    expect(below).toEqual([]);
    expect(dropped).toEqual([{ code: 'E03.9', reason: 'the statement names its type: E06.3 (OCG I.B.2)' }]);
  });

  it('not a disease listed beside it, nor one of another block', () => {
    const text = "1. Hashimoto's thyroiditis and hypothyroidism.";
    const above = [ruledAt(text, 'hypothyroidism', 'E03.9', 0.9)];
    promoteNamedTypes(above, [ruledAt(text, "Hashimoto's thyroiditis", 'E06.3', 0.15)], kb, text, 0.5, []);
    expect(above.map((c) => c.code)).toEqual(['E03.9']);
    const other = "1. Hypertensive hypothyroidism.";
    const kept = [ruledAt(other, 'hypothyroidism', 'E03.9', 0.9)];
    promoteNamedTypes(kept, [ruledAt(other, 'Hypertensive', 'I10', 0.15)], kb, other, 0.5, []);
    expect(kept.map((c) => c.code)).toEqual(['E03.9']);
  });
});

describe('a code read from part of the words a longer reading of the statement names in full (OCG I.B.2)', () => {
  const zosterKb = buildKnowledge(
    'test',
    [
      { code: 'B00.9', billable: true, title: 'Herpesviral infection, unspecified', parent: null },
      { code: 'B02.9', billable: true, title: 'Zoster without complications', parent: null },
    ],
    [],
    [],
  );
  const read = (text: string, quote: string, code: string, confidence: number, subsumed: boolean, size: number) => {
    const c = ruledAt(text, quote, code, confidence);
    c.evidence[0] = { ...c.evidence[0]!, subsumed, size };
    return c;
  };
  it('"Herpes zoster, left T5 dermatome": B00.9 read from "Herpes" inside "Herpes zoster" gives way to B02.9, scored below the threshold', () => {
    const text = '1. Herpes zoster, left T5 dermatome, without complication.';
    const above = [read(text, 'Herpes', 'B00.9', 0.8, true, 1)];
    const below = [read(text, 'Herpes zoster', 'B02.9', 0.2, false, 2)];
    const dropped: Dropped[] = [];
    promoteLongerReadings(above, below, zosterKb, 0.3, dropped);
    expect(above.map((c) => [c.code, c.confidence])).toEqual([['B02.9', 0.3]]);
    expect(dropped).toEqual([{ code: 'B00.9', reason: 'read from part of the words B02.9 reads in full (OCG I.B.2)' }]);
  });
  it('a reading of its own words stays', () => {
    const text = '1. Herpes labialis. 2. Herpes zoster, resolved.';
    const above = [read(text, 'Herpes', 'B00.9', 0.8, false, 1)];
    promoteLongerReadings(above, [read(text, 'Herpes zoster', 'B02.9', 0.2, false, 2)], zosterKb, 0.3, []);
    expect(above.map((c) => c.code)).toEqual(['B00.9']);
  });
});
