/** The p-th percentile (0–100) of `xs`, nearest rank below; NaN for no values. */
export const pct = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!);
