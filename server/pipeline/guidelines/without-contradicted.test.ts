// A title's "without X" against a statement that documents X (OCG I.B.2): one clinical sentence per case.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyWithoutContradicted } from './without-contradicted.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'K35.3', billable: false, title: 'Acute appendicitis with localized peritonitis', parent: null },
    { code: 'K35.30', billable: true, title: 'Acute appendicitis with localized peritonitis, without perforation or gangrene', parent: 'K35.3' },
    { code: 'K35.31', billable: true, title: 'Acute appendicitis with localized peritonitis and gangrene, without perforation', parent: 'K35.3' },
    { code: 'K35.32', billable: true, title: 'Acute appendicitis with perforation, localized peritonitis, and gangrene, without abscess', parent: 'K35.3' },
    { code: 'K35.20', billable: false, title: 'Acute appendicitis with generalized peritonitis, without abscess', parent: null },
    { code: 'K35.200', billable: true, title: 'Acute appendicitis with generalized peritonitis, without perforation or abscess', parent: 'K35.20' },
    { code: 'K35.201', billable: true, title: 'Acute appendicitis with generalized peritonitis, with perforation, without abscess', parent: 'K35.20' },
    { code: 'K35.209', billable: true, title: 'Acute appendicitis with generalized peritonitis, without abscess, unspecified as to perforation', parent: 'K35.20' },
    { code: 'K44', billable: false, title: 'Diaphragmatic hernia', parent: null },
    { code: 'K44.0', billable: true, title: 'Diaphragmatic hernia with obstruction, without gangrene', parent: 'K44' },
    { code: 'K44.9', billable: true, title: 'Diaphragmatic hernia without obstruction or gangrene', parent: 'K44' },
  ],
  [],
  [],
);
const run = (text: string, quote: string, code: string) => {
  const sentence = { index: 0, start: 0, end: text.length, text, section: 'diagnoses' as const };
  return applyWithoutContradicted([ruledAt(text, quote, code)], { note: { text, encounter: { setting: 'inpatient', dateOfService: '2026-01-15' } }, sentences: [sentence], kb, scored: [] } as never).kept.map((c) => c.code);
};

describe('a "without" the statement contradicts', () => {
  it('"Acute gangrenous appendicitis with localized peritonitis, no perforation" read as K35.30 *…without perforation or gangrene* is K35.31', () => {
    const text = 'Acute gangrenous appendicitis with localized peritonitis, no perforation.';
    expect(run(text, 'appendicitis with localized peritonitis', 'K35.30')).toEqual(['K35.31']);
  });
  it('"Perforated acute appendicitis with generalized peritonitis, without abscess" read as K35.200 is K35.201; the "unspecified as to perforation" sibling documents nothing', () => {
    const text = 'Perforated acute appendicitis with generalized (diffuse) peritonitis, without abscess.';
    expect(run(text, 'acute appendicitis with generalized (diffuse) peritonitis', 'K35.200')).toEqual(['K35.201']);
  });
  it('a denied word, or one of another condition in another clause, contradicts nothing', () => {
    const denied = 'Acute appendicitis with localized peritonitis, no perforation or gangrene.';
    expect(run(denied, 'Acute appendicitis with localized peritonitis', 'K35.30')).toEqual(['K35.30']);
    const other = 'Sliding hiatal hernia, repaired; obstructive sleep apnea on CPAP.';
    expect(run(other, 'hiatal hernia', 'K44.9')).toEqual(['K44.9']);
  });
});
