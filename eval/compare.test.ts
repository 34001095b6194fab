import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparableRun, type RunPrediction } from './compare.ts';
import { computeMetrics, type CodeRef } from './metrics.ts';

const cm = (...codes: string[]): CodeRef[] => codes.map((code) => ({ system: 'ICD10CM', code }));

/** A run as the eval runner would hand it over: metrics from computeMetrics over the same predictions. */
function run(predictions: RunPrediction[]): ComparableRun {
  return { metrics: computeMetrics(predictions.map((p) => ({ id: p.id, gold: p.gold, predicted: p.predicted.map((c, i) => ({ ...c, confidence: 1 - i / 100 })) }))), predictions };
}

// d1: gold {I10, E11.9}.  a predicts I10, J18.9;  b predicts I10, E11.9.
//   → gained E11.9, removed FP J18.9 (2 changes).
// d2: gold {N39.0}.  a predicts N39.0;  b predicts R51, Z00.00, K35.80.
//   → lost N39.0, new FPs R51, Z00.00, K35.80 (4 changes).
// d3: gold {R51}.  both predict r51 / R51 → unchanged (normalised).
// Code level, a: TP 3 (I10, N39.0, R51), FP 1 → P 3/4; FN 1 (E11.9) → R 3/4.
//             b: TP 3 (I10, E11.9, R51), FP 3 → P 1/2; FN 1 (N39.0) → R 3/4.
const gold = { d1: cm('I10', 'E11.9'), d2: cm('N39.0'), d3: cm('R51') };
const a = run([
  { id: 'd1', gold: gold.d1, predicted: cm('I10', 'J18.9') },
  { id: 'd2', gold: gold.d2, predicted: cm('N39.0') },
  { id: 'd3', gold: gold.d3, predicted: cm('r51') },
]);
const b = run([
  { id: 'd1', gold: gold.d1, predicted: cm('I10', 'E11.9') },
  { id: 'd2', gold: gold.d2, predicted: cm('R51', 'Z00.00', 'K35.80') },
  { id: 'd3', gold: gold.d3, predicted: cm('R51') },
]);

describe('compareRuns on the worked example', () => {
  const c = compareRuns(a, b);

  it('deltas are b − a: precision 1/2 − 3/4, recall unchanged', () => {
    expect(c.code.precision).toEqual({ a: 0.75, b: 0.5, delta: -0.25 });
    expect(c.code.recall).toEqual({ a: 0.75, b: 0.75, delta: 0 });
    expect(c.code.f1.delta).toBeCloseTo(0.6 - 0.75, 12);
    // MAP a: d1 AP (1/1)/2, d2 1, d3 1 → 5/6;  b: d1 1, d2 0, d3 1 → 2/3.
    expect(c.code.map.delta).toBeCloseTo(2 / 3 - 5 / 6, 12);
    // Macro F1 a: I10 1, E11.9 0, J18.9 0, N39.0 1, R51 1 → 3/5;
    //          b: I10 1, E11.9 1, N39.0 0, R51 (TP d3, FP d2) 2/3, Z00.00 0, K35.80 0 → 4/9.
    expect(c.code.macroF1.delta).toBeCloseTo(4 / 9 - 3 / 5, 12);
    expect(c.category.f1).toMatchObject({ a: a.metrics.category.micro.f1, b: b.metrics.category.micro.f1 });
  });

  it('lists per-document gains, losses and false-positive changes, most changed first', () => {
    expect(c.documents).toEqual([
      { id: 'd2', gained: [], lost: cm('N39.0'), newFalsePositives: cm('R51', 'Z00.00', 'K35.80'), removedFalsePositives: [], changes: 4 },
      { id: 'd1', gained: cm('E11.9'), lost: [], newFalsePositives: [], removedFalsePositives: cm('J18.9'), changes: 2 },
    ]);
    expect(c.unchanged).toBe(1);
    expect([c.onlyInA, c.onlyInB]).toEqual([[], []]);
  });
});

describe('compareRuns edge cases', () => {
  it('a document in one run only counts as predicting nothing in the other', () => {
    const c = compareRuns(run([]), run([{ id: 'x', gold: cm('I10'), predicted: cm('I10', 'R51') }]));
    expect(c.documents).toEqual([{ id: 'x', gained: cm('I10'), lost: [], newFalsePositives: cm('R51'), removedFalsePositives: [], changes: 2 }]);
    expect(c.onlyInB).toEqual(['x']);
  });

  it('two empty runs: zero deltas, no documents', () => {
    const c = compareRuns(run([]), run([]));
    expect(c.code.f1).toEqual({ a: 0, b: 0, delta: 0 });
    expect(c.documents).toEqual([]);
  });
});
