// BPH written with its urinary symptoms is N40.1 (Index "Hyperplasia, prostate, with lower urinary tract symptoms").
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyProstateSymptoms } from './prostate-symptoms.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'N40', billable: false, title: 'Benign prostatic hyperplasia', parent: null },
    { code: 'N40.0', billable: true, title: 'Benign prostatic hyperplasia without lower urinary tract symptoms', parent: 'N40' },
    { code: 'N40.1', billable: true, title: 'Benign prostatic hyperplasia with lower urinary tract symptoms', parent: 'N40' },
    { code: 'R35.1', billable: true, title: 'Nocturia', parent: null },
    { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
  ],
  [{ code: 'N40.1', kind: 'use_additional', text: 'nocturia (R35.1)' }],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applyProstateSymptoms(kept, { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] }).kept.map((c) => c.code);

describe('BPH with its urinary symptoms', () => {
  it('"BPH with weak stream and nocturia, on tamsulosin" → N40.1 with R35.1, not N40.0', () => {
    const text = 'BPH with weak stream and nocturia, on tamsulosin.';
    expect(run(text, ruledAt(text, 'BPH', 'N40.0'), ruledAt(text, 'nocturia', 'R35.1'))).toEqual(['N40.1', 'R35.1']);
  });

  it('BPH with no symptom the N40.1 note names stays N40.0', () => {
    const text = 'BPH, asymptomatic; hypertension.';
    expect(run(text, ruledAt(text, 'BPH', 'N40.0'), ruledAt(text, 'hypertension', 'I10'))).toEqual(['N40.0', 'I10']);
  });
});
