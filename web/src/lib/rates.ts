// How the QA pages print rates: the server sends fractions (0–1) and null where a denominator is 0
// (eval/decision-metrics.ts), which must read "—", never a 0% that looks like a measured failure.

/** 0.8123 → "81.2%"; null → "—". */
export function percent(x: number | null | undefined, digits = 1): string {
  return x == null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** A change of a rate in percentage points: 0.031 → "+3.1 pp". */
export function points(delta: number): string {
  const v = delta * 100;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} pp`;
}

/** 0.91 → "0.91"; null → "—" (kappa is not a percentage). */
export function ratio(x: number | null | undefined): string {
  return x == null || !Number.isFinite(x) ? '—' : x.toFixed(2);
}

/** 30.5 → "30.5 h"; null → "—". */
export function hours(x: number | null | undefined): string {
  return x == null ? '—' : `${x.toFixed(1)} h`;
}
