// A combination code's "with" condition is not coded again (OCG I.B.9): one clinical sentence per case.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyWithClause, withCondition } from './with-clause.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'K50.812', billable: true, title: "Crohn's disease of both small and large intestine with intestinal obstruction", parent: null },
    { code: 'K56.600', billable: true, title: 'Partial intestinal obstruction, unspecified as to cause', parent: null },
    { code: 'K40.30', billable: true, title: 'Unilateral inguinal hernia, with obstruction, without gangrene, not specified as recurrent', parent: null },
    { code: 'K56.609', billable: true, title: 'Unspecified intestinal obstruction, unspecified as to partial versus complete obstruction', parent: null },
    { code: 'J45.41', billable: true, title: 'Moderate persistent asthma with (acute) exacerbation', parent: null },
    { code: 'J44.1', billable: true, title: 'Chronic obstructive pulmonary disease with (acute) exacerbation', parent: null },
    { code: 'I11.0', billable: true, title: 'Hypertensive heart disease with heart failure', parent: null },
    { code: 'I50.9', billable: true, title: 'Heart failure, unspecified', parent: null },
    { code: 'K25.4', billable: true, title: 'Chronic or unspecified gastric ulcer with hemorrhage', parent: null },
    { code: 'K27.4', billable: true, title: 'Chronic or unspecified peptic ulcer, site unspecified, with hemorrhage', parent: null },
  ],
  [{ code: 'I11.0', kind: 'use_additional', text: 'code to identify type of heart failure (I50.-)' }],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applyWithClause(kept, { note: { text, encounter: { setting: 'inpatient', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] }).kept.map((c) => c.code);

describe('the condition a combination code names after "with" (OCG I.B.9)', () => {
  it('reads the last "with" of a title to its comma or "without"', () => {
    expect(withCondition('Unilateral inguinal hernia, with obstruction, without gangrene, not specified as recurrent')).toEqual(['obstruction']);
    expect(withCondition('Moderate persistent asthma with (acute) exacerbation')).toEqual(['exacerbation']);
    expect(withCondition('Calculus of gallbladder without cholecystitis without obstruction')).toEqual([]);
    expect(withCondition('Nonpurulent mastitis associated with the puerperium')).toEqual([]);
  });

  it('"Crohn\'s disease of both small and large intestine with intestinal obstruction - partial" → K50.812, not K56.600 beside it', () => {
    const text = "Crohn's disease of both small and large intestine with intestinal obstruction - partial.";
    expect(run(text, ruledAt(text, "Crohn's disease of both small and large intestine", 'K50.812'), ruledAt(text, 'intestinal obstruction - partial', 'K56.600'))).toEqual(['K50.812']);
  });

  it('"Right inguinal hernia with obstruction. CT: small bowel obstruction." → K40.30, not K56.609', () => {
    const text = 'Right inguinal hernia with obstruction. CT: small bowel obstruction.';
    expect(run(text, ruledAt(text, 'inguinal hernia with obstruction', 'K40.30'), ruledAt(text, 'small bowel obstruction', 'K56.609'))).toEqual(['K40.30']);
  });

  it('keeps a code naming more than the condition (COPD beside asthma "with exacerbation"), and one the notes ask for (I50.- with I11.0)', () => {
    const text = 'Moderate persistent asthma with exacerbation; COPD with exacerbation; hypertensive heart disease with heart failure.';
    expect(run(text, ruledAt(text, 'Moderate persistent asthma with exacerbation', 'J45.41'), ruledAt(text, 'COPD with exacerbation', 'J44.1'))).toEqual(['J45.41', 'J44.1']);
    expect(run(text, ruledAt(text, 'hypertensive heart disease with heart failure', 'I11.0'), ruledAt(text, 'heart failure', 'I50.9'))).toEqual(['I11.0', 'I50.9']);
  });

  it('leaves two combination codes of the same "with" to the one-code-per-condition stages (K25.4 and K27.4 "with hemorrhage")', () => {
    const text = 'Bleeding chronic gastric ulcer; peptic ulcer with hemorrhage.';
    expect(run(text, ruledAt(text, 'Bleeding chronic gastric ulcer', 'K25.4'), ruledAt(text, 'peptic ulcer with hemorrhage', 'K27.4'))).toEqual(['K25.4', 'K27.4']);
  });
});
