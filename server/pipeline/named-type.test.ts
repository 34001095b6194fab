// An unspecified code the diagnostic statement qualifies with a disease of its block (run.ts promoteNamedTypes).
import { describe, expect, it } from 'vitest';
import { ruledAt } from './fixtures/ruled.ts';
import { buildKnowledge } from './knowledge.ts';
import type { Dropped } from './rules.ts';
import { promoteNamedTypes } from './run.ts';

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
