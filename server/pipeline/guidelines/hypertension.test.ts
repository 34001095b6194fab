// Hypertension combination codes at the stage (OCG I.C.9.a), on candidates as the dictionary reads them.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyHypertension } from './hypertension.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
    { code: 'I11.9', billable: true, title: 'Hypertensive heart disease without heart failure', parent: null },
  ],
  [],
  [],
);
const TEXT = 'Assessment: 1. Hypertensive heart disease without heart failure - LVH due to hypertension; BP near goal.';
const ruled = (code: string, quote: string) => ruledAt(TEXT, quote, code);

describe('a combination code the note states codes the hypertension (OCG I.C.9.a.1)', () => {
  it('"Hypertensive heart disease without heart failure - LVH due to hypertension": I11.9, and I10 from "hypertension" goes', () => {
    const input = { note: { text: TEXT, encounter: { setting: 'professional' as const, dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] };
    const out = applyHypertension([ruled('I11.9', 'Hypertensive heart disease without heart failure'), ruled('I10', 'hypertension')], input);
    expect(out.kept.map((c) => c.code)).toEqual(['I11.9']);
    expect(out.dropped).toEqual([{ code: 'I10', reason: 'the combination code I11.9 codes the hypertension (OCG I.C.9.a)' }]);
  });

  it('I10 alone stays', () => {
    const input = { note: { text: TEXT, encounter: { setting: 'professional' as const, dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] };
    expect(applyHypertension([ruled('I10', 'hypertension')], input).kept.map((c) => c.code)).toEqual(['I10']);
  });
});
