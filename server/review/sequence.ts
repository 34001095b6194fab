/** A kept diagnosis as sequencing sees it: the coder's explicit rank, and the engine's rank of the suggestion it decides. */
export interface SequencedDiagnosis {
  id: string;
  /** Set by PUT /sequence (1 = principal / first-listed); null until the coder orders the codes. */
  rank: number | null;
  /** suggestions.rank of the decided suggestion; null for a code the coder added. */
  engineRank: number | null;
}

/**
 * The diagnosis sequence of a note: codes the coder ordered first, in their order; then the others in the
 * engine's reporting order (pipeline/guidelines/sequencing.ts, OCG II / IV.G), added codes last. Input
 * order (the decision order) breaks ties, so accepting codes in any order gives the engine's sequence.
 */
export function orderDiagnoses<T extends SequencedDiagnosis>(diagnoses: readonly T[]): T[] {
  const key = (d: T): [number, number] => [d.rank ?? Infinity, d.engineRank ?? Infinity];
  return diagnoses
    .map((d, i) => ({ d, i, k: key(d) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.d);
}
