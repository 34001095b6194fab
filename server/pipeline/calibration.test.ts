import { describe, expect, it } from 'vitest';
import { calibrate, fitIsotonic, loadCalibration, parseCurve } from './calibration.ts';

describe('confidence calibration', () => {
  it('fits a monotone curve by pooling adjacent violators', () => {
    expect(fitIsotonic([{ confidence: 0.2, correct: false }, { confidence: 0.5, correct: true }, { confidence: 0.6, correct: false }, { confidence: 0.9, correct: true }])).toEqual([
      [0.2, 0],
      [0.55, 0.5],
      [0.9, 1],
    ]);
  });

  it('maps a raw confidence between knots linearly and flat outside them', () => {
    const curve = parseCurve({ fittedOn: 'test', points: [[0.2, 0.1], [0.9, 0.7]] });
    expect(calibrate(curve, 0.55)).toBe(0.4);
    expect(calibrate(curve, 0.05)).toBe(0.1);
    expect(calibrate(curve, 0.99)).toBe(0.7);
  });

  it('refuses a curve that goes down, naming the problem', () => {
    expect(() => parseCurve({ fittedOn: 'x', points: [[0.2, 0.5], [0.9, 0.4]] })).toThrow(/Invalid calibration curve: points: knots must increase/);
  });

  it('the shipped curves (notes with an assessment, narratives) load and are monotone', () => {
    const shipped = loadCalibration();
    expect(shipped).not.toBeNull();
    for (const curve of [shipped!.assessed, shipped!.narrative]) {
      const ys = [0, 0.25, 0.5, 0.75, 1].map((x) => calibrate(curve, x));
      expect(ys).toEqual([...ys].sort((a, b) => a - b));
    }
  });
});
