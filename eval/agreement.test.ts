import { describe, expect, it } from 'vitest';
import { agreement, auditAccuracy, type AuditItem, type CodingPair } from './agreement.ts';
import type { CodeRef } from './metrics.ts';

const cm = (...codes: string[]): CodeRef[] => codes.map((code) => ({ system: 'ICD10CM', code }));
const pcs = (...codes: string[]): CodeRef[] => codes.map((code) => ({ system: 'ICD10PCS', code }));

// Worked example, three double-coded notes.
//   n1: first {I10, E11.9, 0DTJ4ZZ}, second {I10, 0DTJ4ZZ}
//   n2: first {J18.9},               second {J18.9, I10}
//   n3: first {},                    second {e119}  (= E11.9 once normalised)
// ICD-10-CM universe = codes used anywhere = {I10, E11.9, J18.9}: 3 codes × 3 notes = 9 items.
//   n1: both I10, first-only E11.9, neither J18.9
//   n2: both J18.9, second-only I10, neither E11.9
//   n3: second-only E11.9, neither I10, J18.9
//   → a 2, b 1, c 2, d 4.  po = 6/9; first says yes 3/9, second 4/9;
//   pe = (3·4 + 6·5)/81 = 42/81 = 14/27; κ = (18/27 − 14/27)/(13/27) = 4/13.
//   jaccard = 2/5; positive agreement = 2·2/(3 + 4) = 4/7.
// ICD-10-PCS universe {0DTJ4ZZ}: 3 items: a 1, d 2 → po 1, pe (1·1 + 2·2)/9 = 5/9, κ 1.
// Overall: a 3, b 1, c 2, d 6, n 12 → po 9/12; yes 4 and 5, no 8 and 7: pe = (20 + 56)/144 = 19/36;
//   κ = (27/36 − 19/36)/(17/36) = 8/17.
const pairs: CodingPair[] = [
  { noteId: 'n1', first: [...cm('I10', 'E11.9'), ...pcs('0DTJ4ZZ')], second: [...cm('I10'), ...pcs('0dtj4zz')] },
  { noteId: 'n2', first: cm('J18.9'), second: cm('J18.9', 'I10') },
  { noteId: 'n3', first: [], second: cm('e119') },
];

describe('agreement on the worked example', () => {
  const r = agreement(pairs);

  it('ICD-10-CM: table 2/1/2/4, jaccard 2/5, positive agreement 4/7, kappa 4/13', () => {
    const s = r.bySystem.ICD10CM!;
    expect(s).toMatchObject({ notes: 3, both: 2, firstOnly: 1, secondOnly: 2, neither: 4, items: 9, jaccard: 2 / 5 });
    expect(s.positiveAgreement).toBeCloseTo(4 / 7, 12);
    expect(s.observed).toBeCloseTo(2 / 3, 12);
    expect(s.expected).toBeCloseTo(14 / 27, 12);
    expect(s.kappa).toBeCloseTo(4 / 13, 12);
  });

  it('ICD-10-PCS: perfect agreement with negatives → kappa 1', () => {
    expect(r.bySystem.ICD10PCS).toMatchObject({ both: 1, firstOnly: 0, secondOnly: 0, neither: 2, jaccard: 1, positiveAgreement: 1, observed: 1 });
    expect(r.bySystem.ICD10PCS!.kappa).toBeCloseTo(1, 12);
  });

  it('overall sums the system tables: kappa 8/17', () => {
    expect(r.overall).toMatchObject({ both: 3, firstOnly: 1, secondOnly: 2, neither: 6, items: 12, jaccard: 3 / 6 });
    expect(r.overall.kappa).toBeCloseTo(8 / 17, 12);
    expect(Object.keys(r.bySystem)).toEqual(['ICD10CM', 'ICD10PCS']);
  });
});

describe('agreement with a caller-given universe', () => {
  it('a shared list adds negatives: universe {I10, E11.9, J18.9, R51} gives n1–n3 one more "neither" each', () => {
    const r = agreement(pairs.map((p) => ({ ...p, first: p.first.filter((c) => c.system === 'ICD10CM'), second: p.second.filter((c) => c.system === 'ICD10CM') })), cm('I10', 'E11.9', 'J18.9', 'R51'));
    expect(r.bySystem.ICD10CM).toMatchObject({ both: 2, firstOnly: 1, secondOnly: 2, neither: 7, items: 12 });
  });

  it('a per-note map: items are that note’s candidates plus both coders’ codes', () => {
    const r = agreement([{ noteId: 'n1', first: cm('I10'), second: cm('E11.9') }], new Map([['n1', cm('I10', 'R51', 'K35.80')]]));
    // Items {I10, R51, K35.80, E11.9}: a 0, b 1 (I10), c 1 (E11.9), d 2.
    expect(r.overall).toMatchObject({ both: 0, firstOnly: 1, secondOnly: 1, neither: 2, items: 4 });
    // po 1/2, pe (1·1 + 3·3)/16 = 10/16 → κ = (8/16 − 10/16)/(6/16) = −1/3.
    expect(r.overall.kappa).toBeCloseTo(-1 / 3, 12);
  });
});

describe('degenerate agreement', () => {
  it('no pairs → no items, every ratio null', () => {
    expect(agreement([]).overall).toEqual({ notes: 0, both: 0, firstOnly: 0, secondOnly: 0, neither: 0, items: 0, jaccard: null, positiveAgreement: null, observed: null, expected: null, kappa: null });
  });

  it('notes where neither coder chose anything → jaccard and kappa null', () => {
    const r = agreement([{ noteId: 'x', first: [], second: [] }]);
    expect(r.overall).toMatchObject({ notes: 1, items: 0, jaccard: null, kappa: null });
  });

  it('both chose the same single code with no other candidate → perfect but chance-explained: kappa null (pe = 1)', () => {
    const r = agreement([{ noteId: 'x', first: cm('I10'), second: cm('I10') }]);
    expect(r.overall).toMatchObject({ both: 1, items: 1, jaccard: 1, positiveAgreement: 1, observed: 1, expected: 1, kappa: null });
  });

  it('a code listed twice by one coder counts once', () => {
    expect(agreement([{ noteId: 'x', first: cm('I10', 'i10'), second: cm('I10', 'R51') }]).overall).toMatchObject({ both: 1, firstOnly: 0, secondOnly: 1, neither: 0 });
  });
});

describe('auditAccuracy', () => {
  const items = (coderId: string | null, correct: number, incorrect: number, missing: number): AuditItem[] => [
    ...Array.from({ length: correct }, () => ({ coderId, verdict: 'correct' as const })),
    ...Array.from({ length: incorrect }, () => ({ coderId, verdict: 'incorrect' as const })),
    ...Array.from({ length: missing }, () => ({ coderId, verdict: 'missing' as const })),
  ];

  it('19 of 20 correct meets the 95% benchmark; 18 of 20 does not; missing codes count against accuracy', () => {
    const r = auditAccuracy([...items('bob', 18, 1, 1), ...items('alice', 19, 1, 0), ...items(null, 7, 2, 1)]);
    expect(r.benchmark).toBe(0.95);
    expect(r.coders).toEqual([
      { coderId: 'alice', correct: 19, incorrect: 1, missing: 0, total: 20, accuracy: 0.95, meetsBenchmark: true },
      { coderId: 'bob', correct: 18, incorrect: 1, missing: 1, total: 20, accuracy: 0.9, meetsBenchmark: false },
    ]);
    expect(r.engine).toEqual({ coderId: null, correct: 7, incorrect: 2, missing: 1, total: 10, accuracy: 0.7, meetsBenchmark: false });
    expect(r.allCoders).toEqual({ correct: 37, incorrect: 2, missing: 1, total: 40, accuracy: 37 / 40, meetsBenchmark: false });
  });

  it('nothing audited → accuracy null, benchmark not met', () => {
    const r = auditAccuracy([]);
    expect(r.coders).toEqual([]);
    expect(r.engine).toMatchObject({ total: 0, accuracy: null, meetsBenchmark: false });
    expect(r.allCoders).toMatchObject({ total: 0, accuracy: null, meetsBenchmark: false });
  });
});
