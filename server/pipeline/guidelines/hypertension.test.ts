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
    { code: 'I12.9', billable: true, title: 'Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease', parent: null },
    { code: 'I13.10', billable: true, title: 'Hypertensive heart and chronic kidney disease without heart failure, with stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease', parent: null },
    { code: 'N18.32', billable: true, title: 'Chronic kidney disease, stage 3b', parent: null },
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

describe('a combination the note states names its heart or kidney part (OCG I.C.9.a.3)', () => {
  const text = 'Assessment: 1. Hypertensive heart and chronic kidney disease with LVH, no heart failure, CKD stage 3b.';
  const input = { note: { text, encounter: { setting: 'professional' as const, dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] };
  it('I13.10 beside CKD 3b stays I13.10 (its heart part is the statement\'s), not replaced by I12.9', () => {
    const out = applyHypertension([ruledAt(text, 'Hypertensive heart and chronic kidney disease', 'I13.10'), ruledAt(text, 'CKD stage 3b', 'N18.32')], input);
    expect(out.kept.map((c) => c.code).sort()).toEqual(['I13.10', 'N18.32']);
  });
  it('I11.9 beside CKD 3b is I13.10 (heart and kidney), not I12.9', () => {
    const out = applyHypertension([ruledAt(text, 'Hypertensive heart and chronic kidney disease', 'I11.9'), ruledAt(text, 'CKD stage 3b', 'N18.32')], input);
    expect(out.kept.map((c) => c.code).sort()).toEqual(['I13.10', 'N18.32']);
  });
});
