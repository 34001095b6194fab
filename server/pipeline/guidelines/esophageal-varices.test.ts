// Esophageal varices "in (due to)" liver disease are secondary (Index; OCG I.A.15): one clinical sentence per case.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyEsophagealVarices } from './esophageal-varices.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'K70.31', billable: true, title: 'Alcoholic cirrhosis of liver with ascites', parent: null },
    { code: 'K21.9', billable: true, title: 'Gastro-esophageal reflux disease without esophagitis', parent: null },
    { code: 'I85.00', billable: true, title: 'Esophageal varices without bleeding', parent: null },
    { code: 'I85.01', billable: true, title: 'Esophageal varices with bleeding', parent: null },
    { code: 'I85.10', billable: true, title: 'Secondary esophageal varices without bleeding', parent: null },
    { code: 'I85.11', billable: true, title: 'Secondary esophageal varices with bleeding', parent: null },
  ],
  [],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applyEsophagealVarices(kept, { note: { text, encounter: { setting: 'inpatient', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] }).kept.map((c) => c.code);

describe('esophageal varices in liver disease (Index "Varix, esophagus, in (due to)")', () => {
  it('"Alcoholic cirrhosis with ascites; esophageal varices without bleeding" → K70.31 and I85.10, not I85.00', () => {
    const text = 'Alcoholic cirrhosis with ascites; esophageal varices without bleeding.';
    expect(run(text, ruledAt(text, 'Alcoholic cirrhosis with ascites', 'K70.31'), ruledAt(text, 'esophageal varices', 'I85.00'))).toEqual(['K70.31', 'I85.10']);
  });

  it('bleeding varices stay bleeding (I85.11); without liver disease the varices stay primary', () => {
    const text = 'Alcoholic cirrhosis with ascites; bleeding esophageal varices banded.';
    expect(run(text, ruledAt(text, 'Alcoholic cirrhosis with ascites', 'K70.31'), ruledAt(text, 'bleeding esophageal varices', 'I85.01'))).toEqual(['K70.31', 'I85.11']);
    const plain = 'GERD; esophageal varices without bleeding.';
    expect(run(plain, ruledAt(plain, 'GERD', 'K21.9'), ruledAt(plain, 'esophageal varices', 'I85.00'))).toEqual(['K21.9', 'I85.00']);
  });
});
