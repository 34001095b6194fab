// The one-code-per-condition stage on candidates as the readers give them (OCG I.B.2).
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applySpecificity } from './specificity.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'M06.9', billable: true, title: 'Rheumatoid arthritis, unspecified', parent: null },
    { code: 'M19.90', billable: true, title: 'Unspecified osteoarthritis, unspecified site', parent: null },
    { code: 'I69.359', billable: true, title: 'Hemiplegia and hemiparesis following cerebral infarction affecting unspecified side', parent: null },
    { code: 'I69.391', billable: true, title: 'Dysphagia following cerebral infarction', parent: null },
    { code: 'I69.30', billable: true, title: 'Unspecified sequelae of cerebral infarction', parent: null },
  ],
  [],
  [],
);
const TEXT = 'Rheumatoid arthritis, RF and anti-CCP positive, both hands.';
const input = { note: { text: TEXT, encounter: { setting: 'professional' as const, dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] };

describe('two unspecified readings of the same words are one condition (OCG I.B.2)', () => {
  it('M19.90 read from "Rheumatoid arthritis" and its "arthritis" goes beside the more confident M06.9 read from the same words', () => {
    const ra = ruledAt(TEXT, 'Rheumatoid arthritis', 'M06.9', 0.96, 'title');
    const oa = ruledAt(TEXT, 'Rheumatoid arthritis', 'M19.90', 0.91, 'learned');
    const inner = ruledAt(TEXT, 'arthritis', 'M19.90', 0.91, 'learned').evidence[0]!;
    oa.evidence.push(inner);
    oa.mentions.push(inner);
    expect(applySpecificity([ra, oa], input).kept.map((c) => c.code)).toEqual(['M06.9']);
  });
});

describe('a sequela category holds different deficits', () => {
  it('"Hemiparesis following cerebral infarction; dysphagia following it" → I69.359 and I69.391: the hemiparesis is no unspecified dysphagia', () => {
    const text = 'Hemiparesis following cerebral infarction; dysphagia following cerebral infarction.';
    const run = (...kept: ReturnType<typeof ruledAt>[]) => applySpecificity(kept, { ...input, note: { ...input.note, text } }).kept.map((c) => c.code);
    expect(run(ruledAt(text, 'Hemiparesis following cerebral infarction', 'I69.359', 0.6), ruledAt(text, 'dysphagia following cerebral infarction', 'I69.391', 0.7))).toEqual(['I69.359', 'I69.391']);
    // "Unspecified sequelae" names no deficit: it gives way.
    expect(run(ruledAt(text, 'Hemiparesis following cerebral infarction', 'I69.30', 0.6), ruledAt(text, 'dysphagia following cerebral infarction', 'I69.391', 0.7))).toEqual(['I69.391']);
  });
});

describe('two "unspecified" titles: the one unspecified as to the part gives way to one that names it (OCG I.B.2)', () => {
  const fractureKb = buildKnowledge(
    'test',
    [
      { code: 'S72.002A', billable: true, title: 'Fracture of unspecified part of neck of left femur, initial encounter for closed fracture', parent: null },
      { code: 'S72.012A', billable: true, title: 'Unspecified intracapsular fracture of left femur, initial encounter for closed fracture', parent: null },
    ],
    [],
    [],
  );
  const text = 'Closed subcapital fracture of the left femoral neck, impacted.';
  const at = { note: { text, encounter: { setting: 'inpatient' as const, dateOfService: '2026-01-15' } }, sentences: [], kb: fractureKb, scored: [] };

  it('"subcapital fracture of the left femoral neck" → S72.012A, not also S72.002A', () => {
    const neck = ruledAt(text, 'fracture of the left femoral neck', 'S72.002A', 0.9);
    const subcapital = ruledAt(text, 'subcapital fracture of the left femoral', 'S72.012A', 0.5);
    const out = applySpecificity([neck, subcapital], at);
    expect(out.kept.map((c) => c.code)).toEqual(['S72.012A']);
    expect(out.dropped[0]!.reason).toMatch(/^unspecified part beside S72\.012A/);
  });
});

describe('a "not elsewhere classified" code beside the code that classifies the condition (OCG I.A.9.b)', () => {
  const liverKb = buildKnowledge(
    'test',
    [
      { code: 'K70.0', billable: true, title: 'Alcoholic fatty liver', parent: null },
      { code: 'K76.0', billable: true, title: 'Fatty (change of) liver, not elsewhere classified', parent: null },
    ],
    [],
    [],
  );
  const text = 'Alcoholic fatty liver: steatosis attributed to alcohol, not metabolic.';
  const at = { note: { text, encounter: { setting: 'professional' as const, dateOfService: '2026-01-15' } }, sentences: [], kb: liverKb, scored: [] };

  it('"Alcoholic fatty liver: steatosis attributed to alcohol" → K70.0, not also K76.0 from "steatosis"', () => {
    const out = applySpecificity([ruledAt(text, 'Alcoholic fatty liver', 'K70.0', 0.7), ruledAt(text, 'steatosis', 'K76.0', 0.9)], at);
    expect(out.kept.map((c) => c.code)).toEqual(['K70.0']);
    expect(out.dropped).toEqual([{ code: 'K76.0', reason: 'K70.0 classifies the condition elsewhere (OCG I.A.9.b, I.B.2)' }]);
  });
});

describe('a title word the statement says in its negated form (OCG I.B.2)', () => {
  const menKb = buildKnowledge(
    'test',
    [
      { code: 'N92', billable: false, title: 'Excessive, frequent and irregular menstruation', parent: null },
      { code: 'N92.0', billable: true, title: 'Excessive and frequent menstruation with regular cycle', parent: 'N92' },
      { code: 'N92.1', billable: true, title: 'Excessive and frequent menstruation with irregular cycle', parent: 'N92' },
    ],
    [],
    [],
  );
  const run = (text: string) => {
    const at = { note: { text, encounter: { setting: 'professional' as const, dateOfService: '2026-01-15' } }, sentences: [{ index: 0, start: 0, end: text.length, text, section: 'assessment' as const }], kb: menKb, scored: [] };
    return applySpecificity([ruledAt(text, 'Menorrhagia', 'N92.0')], at).kept.map((c) => c.code);
  };

  it('"Menorrhagia with irregular cycles" read as N92.0 *…with regular cycle* is N92.1', () => {
    expect(run('Menorrhagia with irregular cycles - GYN evaluating.')).toEqual(['N92.1']);
  });

  it('the plain word keeps it: "Menorrhagia with regular cycles" stays N92.0', () => {
    expect(run('Menorrhagia with regular cycles.')).toEqual(['N92.0']);
  });
});
