// Confidence calibration: the learned layer's confidences come from CodiEsp counts and the guideline stages
// give fixed ones, so the shown percentage is mapped through a monotone curve fitted on the tuning data
// (isotonic regression, pool-adjacent-violators) — a 90% suggestion should be right about 9 times in 10.
// The curve is data (data/learned/calibration.json, fitted by scripts/fit-calibration.ts), validated on load.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const CurveSchema = z.strictObject({
  fittedOn: z.string().min(1),
  /** [raw confidence, calibrated] knots, raw strictly increasing, calibrated non-decreasing, both in [0, 1]. */
  points: z
    .array(z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]))
    .min(2)
    .refine((p) => p.every((x, i) => i === 0 || (x[0] > p[i - 1]![0] && x[1] >= p[i - 1]![1])), 'knots must increase'),
});
export type CalibrationCurve = z.infer<typeof CurveSchema>;

/**
 * One curve per kind of documentation: notes with the provider's diagnostic statement (assessment, diagnosis
 * list: US notes, where the guideline layer runs in full) and narratives without one (case reports). The
 * learned counts come from narratives, so the two need different curves (measured: scripts/fit-calibration.ts).
 */
const CalibrationFileSchema = z.strictObject({ $comment: z.string(), assessed: CurveSchema, narrative: CurveSchema });
export type Calibration = z.infer<typeof CalibrationFileSchema>;

/** Validates with `schema`; a problem throws and names its path. */
function parseWith<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid calibration curve: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export const parseCalibration = (raw: unknown): Calibration => parseWith(CalibrationFileSchema, raw);
export const parseCurve = (raw: unknown): CalibrationCurve => parseWith(CurveSchema, raw);

export const DEFAULT_CALIBRATION_FILE = new URL('../../data/learned/calibration.json', import.meta.url);

/** The shipped curves, or null when none is shipped. */
export function loadCalibration(file: URL | string = DEFAULT_CALIBRATION_FILE): Calibration | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return parseCalibration(JSON.parse(text));
}

/** Piecewise-linear between knots, flat outside them. Example: knots [[0.2,0.1],[0.9,0.7]], 0.55 → 0.4. */
export function calibrate(curve: CalibrationCurve, raw: number): number {
  const p = curve.points;
  if (raw <= p[0]![0]) return p[0]![1];
  for (let i = 1; i < p.length; i++) {
    const [x1, y1] = p[i]!;
    if (raw <= x1) {
      const [x0, y0] = p[i - 1]!;
      return Math.round((y0 + ((y1 - y0) * (raw - x0)) / (x1 - x0)) * 1000) / 1000;
    }
  }
  return p[p.length - 1]![1];
}

/**
 * Isotonic regression of correctness on confidence (pool adjacent violators), as knots at each pooled
 * block's mean confidence. Example: (0.2,0) (0.5,1) (0.6,0) (0.9,1) → blocks {0.2}, {0.5,0.6}, {0.9} →
 * [[0.2,0],[0.55,0.5],[0.9,1]].
 */
export function fitIsotonic(pairs: readonly { confidence: number; correct: boolean }[]): [number, number][] {
  const sorted = [...pairs].sort((a, b) => a.confidence - b.confidence);
  const blocks: { sx: number; sy: number; n: number }[] = [];
  for (const p of sorted) {
    blocks.push({ sx: p.confidence, sy: p.correct ? 1 : 0, n: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.sy / blocks[blocks.length - 2]!.n >= blocks[blocks.length - 1]!.sy / blocks[blocks.length - 1]!.n) {
      const b = blocks.pop()!;
      const a = blocks[blocks.length - 1]!;
      a.sx += b.sx;
      a.sy += b.sy;
      a.n += b.n;
    }
  }
  const knots: [number, number][] = [];
  for (const b of blocks) {
    const x = Math.round((b.sx / b.n) * 1000) / 1000;
    const y = Math.round((b.sy / b.n) * 1000) / 1000;
    if (knots.length && x <= knots[knots.length - 1]![0]) knots[knots.length - 1] = [knots[knots.length - 1]![0], Math.max(knots[knots.length - 1]![1], y)];
    else knots.push([x, y]);
  }
  return knots;
}
