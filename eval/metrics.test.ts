import { describe, expect, it } from 'vitest';
import { calibration, codeKey, computeMetrics, countCodes, frequencyBands, type CodeRef, type RankedCode, type ScoredDocument } from './metrics.ts';

const cm = (code: string): CodeRef => ({ system: 'ICD10CM', code });
const ranked = (...codes: string[]): RankedCode[] => codes.map((code, i) => ({ system: 'ICD10CM', code, confidence: 1 - i / 10 }));

// Worked example. Note a: gold {E11.9, I10, N39.0}, ranked I10 ✓, J18.9 ✗, E11.9 ✓, I10 (repeat, ignored).
//   AP = (P@1 + P@3) / |gold| = (1/1 + 2/3) / 3 = 5/9.
// Note b: gold {R51}, nothing predicted → AP 0.  Note c: no gold, Z00.00 predicted → one FP, no AP.
const worked: ScoredDocument[] = [
  { id: 'a', gold: [cm('E11.9'), cm('I10'), cm('N39.0')], predicted: ranked('I10', 'J18.9', 'E11.9', 'I10') },
  { id: 'b', gold: [cm('R51')], predicted: [] },
  { id: 'c', gold: [], predicted: ranked('Z00.00') },
];

describe('computeMetrics on the worked example', () => {
  const m = computeMetrics(worked);

  it('micro: TP 2 (I10, E11.9), FP 2 (J18.9, Z00.00), FN 2 (N39.0, R51) → P = R = F1 = 0.5', () => {
    expect(m.code.micro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, tp: 2, fp: 2, fn: 2 });
  });

  it('counts a code predicted twice in one note once, at its first rank', () => {
    expect(m.perDoc[0]).toMatchObject({ id: 'a', gold: 3, predicted: 3, tp: 2 });
    expect(m.perDoc[0]!.ap).toBeCloseTo(5 / 9, 12);
  });

  it('MAP averages AP over notes with gold: (5/9 + 0) / 2; the CodiEsp variant skips note b (no predictions)', () => {
    expect(m.code.map).toBeCloseTo(5 / 18, 12);
    expect(m.code.mapCodiesp).toBeCloseTo(5 / 9, 12);
    expect(m.code.documentsWithGold).toBe(2);
    expect(m.perDoc.map((d) => d.ap)).toEqual([expect.closeTo(5 / 9, 12), 0, null]);
  });

  it('P@k divides by k even when fewer codes were predicted', () => {
    // a: P@1 = 1, P@3 = 2/3, P@5 = 2/5, P@10 = 2/10; b: 0 everywhere.
    expect(m.code.precisionAt['1']).toBeCloseTo(0.5, 12);
    expect(m.code.precisionAt['3']).toBeCloseTo(1 / 3, 12);
    expect(m.code.precisionAt['5']).toBeCloseTo(0.2, 12);
    expect(m.code.precisionAt['10']).toBeCloseTo(0.1, 12);
  });

  it('macro averages over the 6 codes of gold ∪ predicted: only E11.9 and I10 score 1', () => {
    expect(m.code.macro.codes).toBe(6);
    expect(m.code.macro.precision).toBeCloseTo(1 / 3, 12);
    expect(m.code.macro.recall).toBeCloseTo(1 / 3, 12);
    expect(m.code.macro.f1).toBeCloseTo(1 / 3, 12);
  });

  it('by chapter: E11.9 missed (4), I10 found (9), J18.9 wrong (10), N39.0 missed (14), R51 missed (18), Z00.00 wrong (21)', () => {
    expect(m.byChapter.map((c) => [c.chapter, c.tp, c.fp, c.fn])).toEqual([
      [4, 1, 0, 0],
      [9, 1, 0, 0],
      [10, 0, 1, 0],
      [14, 0, 0, 1],
      [18, 0, 0, 1],
      [21, 0, 1, 0],
    ]);
    expect(m.byChapter[0]!.title).toBe('Endocrine, nutritional and metabolic diseases (E00-E89)');
  });

  it('per code rows carry the counts, sorted by code', () => {
    expect(m.perCode.map((c) => `${c.code}:${c.tp}/${c.fp}/${c.fn}`)).toEqual(['E11.9:1/0/0', 'I10:1/0/0', 'J18.9:0/1/0', 'N39.0:0/0/1', 'R51:0/0/1', 'Z00.00:0/1/0']);
  });

  it('without reference counts there are no bands', () => {
    expect(m.byBand).toBeNull();
  });
});

describe('empty and degenerate input', () => {
  it('no documents → zeros, never NaN', () => {
    const m = computeMetrics([]);
    expect(m.code.micro).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
    expect(m.code.macro).toEqual({ precision: 0, recall: 0, f1: 0, codes: 0 });
    expect([m.code.map, m.code.mapCodiesp, m.code.precisionAt['1']]).toEqual([0, 0, 0]);
  });

  it('gold but no predictions → P 0 (nothing predicted), R 0, F1 0', () => {
    const m = computeMetrics([{ id: 'x', gold: [cm('I10')], predicted: [] }]);
    expect(m.code.micro).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 1 });
    expect(m.code.map).toBe(0);
  });

  it('a perfect note scores 1 everywhere', () => {
    const m = computeMetrics([{ id: 'x', gold: [cm('I10'), cm('E11.9')], predicted: ranked('E11.9', 'I10') }]);
    expect([m.code.micro.f1, m.code.macro.f1, m.code.map, m.category.map]).toEqual([1, 1, 1, 1]);
  });

  it('normalises codes before matching: "e1165" in gold matches predicted "E11.65"', () => {
    const m = computeMetrics([{ id: 'x', gold: [cm('e1165')], predicted: ranked('E11.65') }]);
    expect(m.code.micro.tp).toBe(1);
    expect(m.perCode[0]!.code).toBe('E11.65');
  });
});

describe('category level', () => {
  // Gold E11.65; predicted E11.9, E11.8, I10 → code level nothing right; category E11 found at rank 1
  // (E11.8 repeats category E11 and is ignored), I10 is a wrong category.
  const m = computeMetrics([{ id: 'x', gold: [cm('E11.65')], predicted: ranked('E11.9', 'E11.8', 'I10') }]);

  it('scores no code-level hit', () => {
    expect(m.code.micro).toMatchObject({ tp: 0, fp: 3, fn: 1 });
  });

  it('matches E11 once: TP 1, FP 1 (I10), AP 1', () => {
    expect(m.category.micro).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, tp: 1, fp: 1, fn: 0 });
    expect(m.category.map).toBe(1);
  });

  it('ICD-10-PCS categories are the first three characters (section, body system, operation)', () => {
    const p = computeMetrics([{ id: 'x', gold: [{ system: 'ICD10PCS', code: 'BW20' }], predicted: [{ system: 'ICD10PCS', code: 'bw24zzz', confidence: 1 }] }]);
    expect(p.code.micro.tp).toBe(0);
    expect(p.category.micro.tp).toBe(1);
  });
});

describe('systems and frequency bands', () => {
  it('reports each system apart and leaves PCS out of the chapters', () => {
    const m = computeMetrics([
      { id: 'x', gold: [cm('I10'), { system: 'ICD10PCS', code: '0DTJ4ZZ' }], predicted: [...ranked('I10'), { system: 'ICD10PCS', code: '0DTJ0ZZ', confidence: 0.5 }] },
    ]);
    expect(m.bySystem.ICD10CM).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(m.bySystem.ICD10PCS).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(m.byChapter.map((c) => c.chapter)).toEqual([9]);
  });

  it('head = fewest top codes reaching 50% of occurrences, torso the next 30%, tail the rest', () => {
    // 100 occurrences: A 50 (before it 0% → head), B 20 (50% → torso), C 15 (70% → torso), D 10 (85% → tail), E 5.
    const bands = frequencyBands(new Map([['E', 5], ['C', 15], ['A', 50], ['D', 10], ['B', 20], ['Z', 0]]));
    expect(Object.fromEntries(bands)).toEqual({ A: 'head', B: 'torso', C: 'torso', D: 'tail', E: 'tail' });
  });

  it('scores by band, with codes missing from the reference as unseen', () => {
    const train = [{ gold: [cm('I10'), cm('I10')] }, { gold: [cm('I10'), cm('E11.9')] }, { gold: [cm('J18.9')] }];
    const reference = countCodes(train);
    // A code repeated in one note counts once: I10 2, E11.9 1, J18.9 1 (4 in all). Before I10 0% → head;
    // before E11.9 50% → torso; before J18.9 75% (< 80%) → torso. K35.80 is not in the reference → unseen.
    expect(Object.fromEntries(reference)).toEqual({ [codeKey('ICD10CM', 'I10')]: 2, [codeKey('ICD10CM', 'E11.9')]: 1, [codeKey('ICD10CM', 'J18.9')]: 1 });
    const m = computeMetrics([{ id: 'x', gold: [cm('I10'), cm('J18.9'), cm('K35.80')], predicted: ranked('I10', 'E11.9') }], { referenceCounts: reference });
    expect(m.byBand!.map((b) => [b.band, b.codes, b.tp, b.fp, b.fn])).toEqual([
      ['head', 1, 1, 0, 0],
      ['torso', 2, 0, 1, 1],
      ['tail', 0, 0, 0, 0],
      ['unseen', 1, 0, 0, 1],
    ]);
  });
});

describe('calibration', () => {
  it('bins each predicted code once per document and scores Brier against correctness', () => {
    const c = calibration([
      { id: 'a', gold: [{ system: 'ICD10CM', code: 'I10' }], predicted: [{ system: 'ICD10CM', code: 'I10', confidence: 0.9 }, { system: 'ICD10CM', code: 'E11.9', confidence: 0.95 }, { system: 'ICD10CM', code: 'I10', confidence: 0.2 }] },
      { id: 'b', gold: [], predicted: [{ system: 'ICD10CM', code: 'R52', confidence: 0.3 }] },
    ]);
    expect(c.predictions).toBe(3);
    expect(c.brier).toBeCloseTo((0.01 + 0.9025 + 0.09) / 3, 10);
    expect(c.bins.map((b) => [b.from.toFixed(1), b.n, b.accuracy])).toEqual([
      ['0.3', 1, 0],
      ['0.9', 2, 0.5],
    ]);
    expect(calibration([]).brier).toBeNull();
  });
});
