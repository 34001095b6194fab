// One pattern of use per substance (OCG I.C.5.b.2), the diagnostic statement's first (I.B.2, IV.J).
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applySubstanceUse } from './substance-use.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'F10.11', billable: true, title: 'Alcohol abuse, in remission', parent: null },
    { code: 'F10.21', billable: true, title: 'Alcohol dependence, in remission', parent: null },
  ],
  [],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applySubstanceUse(kept, { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] }).kept.map((c) => c.code);

describe('the pattern of use the statement states', () => {
  it('"Alcohol use disorder, mild, in sustained remission" (F10.11) wins over "previously binge drinking" in the HPI read as dependence', () => {
    const text = 'HPI: previously binge drinking. Assessment: Alcohol use disorder, mild, in sustained remission.';
    const hpi = ruledAt(text, 'binge drinking', 'F10.21');
    hpi.evidence = hpi.evidence.map((m) => ({ ...m, section: 'hpi' }));
    expect(run(text, hpi, ruledAt(text, 'Alcohol use disorder, mild', 'F10.11'))).toEqual(['F10.11']);
    // Both in the statement: the higher pattern, as before.
    expect(run(text, ruledAt(text, 'binge drinking', 'F10.21'), ruledAt(text, 'Alcohol use disorder, mild', 'F10.11'))).toEqual(['F10.21']);
  });
});
