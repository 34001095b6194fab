// Inter-coder agreement on double-coded notes, and audit accuracy per coder and for the engine.
//
// Agreement is reported two ways, per code system and overall, pooled over notes (sums, not a mean of
// per-note ratios, so a note with many codes weighs more, as in micro-averaged metrics):
// - jaccard = Σ|A∩B| / Σ|A∪B|: the share of codes used by either coder that both used.
// - positiveAgreement = 2Σ|A∩B| / (Σ|A| + Σ|B|): positive specific agreement (Fleiss 1975; Cicchetti &
//   Feinstein 1990), equal to the F1 of one coder scored against the other. This is the usual "positive
//   agreement" for coding, where true negatives are uncountable; jaccard is the stricter of the two.
//
// Cohen's kappa needs a 2×2 table over items both coders judged, including the codes neither chose (d).
// Every code of a system is far too many negatives (kappa → observed agreement → ~1), and only the union
// of the two coders' codes on a note has no negatives at all (kappa undefined or negative). The default
// universe here is, per system, every code either coder used on ANY note of the sample: codes that are
// plausibly in play for this kind of note, so "neither chose E11.9 on note 7" is a real decision when
// someone chose E11.9 elsewhere. Callers with a better candidate set (e.g. the engine's candidates per
// note) pass `universe`; a note's own codes are always added to its items. Kappa is null when undefined:
// no items, or expected agreement 1 (both coders constant, e.g. both chose every item).
import type { CodeSystem } from '../server/codes/types.ts';
import { codeKey, type CodeRef } from './metrics.ts';

export interface CodingPair {
  noteId: string;
  first: readonly CodeRef[];
  second: readonly CodeRef[];
}

/** Candidate codes: one list for every note, or a list per noteId (notes missing from the map get none). */
export type AgreementUniverse = readonly CodeRef[] | ReadonlyMap<string, readonly CodeRef[]>;

export interface AgreementStats {
  notes: number;
  /** The 2×2 table over (note, code) items: both chose it, only the first, only the second, neither. */
  both: number;
  firstOnly: number;
  secondOnly: number;
  neither: number;
  items: number;
  /** Σ|A∩B| / Σ|A∪B|; null when neither coder chose any code. */
  jaccard: number | null;
  /** 2Σ|A∩B| / (Σ|A| + Σ|B|); null when neither coder chose any code. */
  positiveAgreement: number | null;
  /** Observed agreement (both + neither) / items; null without items. */
  observed: number | null;
  /** Chance agreement from each coder's marginal rates; null without items. */
  expected: number | null;
  /** (observed − expected) / (1 − expected); null without items or when expected = 1. */
  kappa: number | null;
}

export interface AgreementReport {
  overall: AgreementStats;
  /** Systems that occur in the pairs or the universe. */
  bySystem: Partial<Record<CodeSystem, AgreementStats>>;
}

interface Table {
  both: number;
  firstOnly: number;
  secondOnly: number;
  neither: number;
}

const keysBySystem = (codes: readonly CodeRef[]) => {
  const out = new Map<CodeSystem, Set<string>>();
  for (const c of codes) {
    let set = out.get(c.system);
    if (!set) out.set(c.system, (set = new Set()));
    set.add(codeKey(c.system, c.code));
  }
  return out;
};

/** Agreement between two coders over the same notes; see the file header for definitions. */
export function agreement(pairs: readonly CodingPair[], universe?: AgreementUniverse): AgreementReport {
  let perNoteUniverse: Map<string, Map<CodeSystem, Set<string>>> | null = null;
  let shared = new Map<CodeSystem, Set<string>>();
  if (universe instanceof Map) perNoteUniverse = new Map([...universe].map(([id, codes]) => [id, keysBySystem(codes)]));
  else if (universe) shared = keysBySystem(universe as readonly CodeRef[]);
  // Default: per system, every code either coder used anywhere in the sample.
  else shared = keysBySystem(pairs.flatMap((p) => [...p.first, ...p.second]));

  const tables = new Map<CodeSystem, Table>();
  const tableOf = (system: CodeSystem) => {
    let t = tables.get(system);
    if (!t) tables.set(system, (t = { both: 0, firstOnly: 0, secondOnly: 0, neither: 0 }));
    return t;
  };
  for (const system of shared.keys()) tableOf(system);
  if (perNoteUniverse) for (const bySys of perNoteUniverse.values()) for (const system of bySys.keys()) tableOf(system);

  for (const pair of pairs) {
    const first = keysBySystem(pair.first);
    const second = keysBySystem(pair.second);
    const candidates = perNoteUniverse ? (perNoteUniverse.get(pair.noteId) ?? new Map<CodeSystem, Set<string>>()) : shared;
    const systems = new Set([...first.keys(), ...second.keys(), ...candidates.keys()]);
    for (const system of systems) {
      const t = tableOf(system);
      const a = first.get(system) ?? new Set<string>();
      const b = second.get(system) ?? new Set<string>();
      let both = 0;
      for (const key of a) if (b.has(key)) both++;
      t.both += both;
      t.firstOnly += a.size - both;
      t.secondOnly += b.size - both;
      // Negatives: candidates neither coder chose on this note.
      for (const key of candidates.get(system) ?? []) if (!a.has(key) && !b.has(key)) t.neither++;
    }
  }

  const bySystem: Partial<Record<CodeSystem, AgreementStats>> = {};
  const total: Table = { both: 0, firstOnly: 0, secondOnly: 0, neither: 0 };
  for (const [system, t] of [...tables].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    bySystem[system] = statsOf(t, pairs.length);
    total.both += t.both;
    total.firstOnly += t.firstOnly;
    total.secondOnly += t.secondOnly;
    total.neither += t.neither;
  }
  return { overall: statsOf(total, pairs.length), bySystem };
}

function statsOf(t: Table, notes: number): AgreementStats {
  const { both: a, firstOnly: b, secondOnly: c, neither: d } = t;
  const n = a + b + c + d;
  const union = a + b + c;
  const observed = n > 0 ? (a + d) / n : null;
  // Chance agreement: P(both yes) + P(both no) if the coders chose independently at their own rates.
  const expected = n > 0 ? ((a + b) * (a + c) + (c + d) * (b + d)) / (n * n) : null;
  const kappa = observed === null || expected === null || expected === 1 ? null : (observed - expected) / (1 - expected);
  return {
    notes,
    ...t,
    items: n,
    jaccard: union > 0 ? a / union : null,
    positiveAgreement: union > 0 ? (2 * a) / (2 * a + b + c) : null,
    observed,
    expected,
    kappa,
  };
}

/** The coding-accuracy benchmark commonly used in coding audits (e.g. AHIMA practice briefs): 95%. */
export const CODING_ACCURACY_BENCHMARK = 0.95;

export const AUDIT_VERDICTS = ['correct', 'incorrect', 'missing'] as const;
export type AuditVerdict = (typeof AUDIT_VERDICTS)[number];

export interface AuditItem {
  /** The coder whose code was audited; null = the engine's suggestion. */
  coderId: string | null;
  verdict: AuditVerdict;
}

export interface AuditAccuracy {
  coderId: string | null;
  correct: number;
  incorrect: number;
  missing: number;
  total: number;
  /** correct / (correct + incorrect + missing); null with no audited items. */
  accuracy: number | null;
  /** accuracy ≥ CODING_ACCURACY_BENCHMARK; false when accuracy is null. */
  meetsBenchmark: boolean;
}

export interface AuditReport {
  benchmark: number;
  /** Human coders, sorted by coderId. */
  coders: AuditAccuracy[];
  /** The engine (coderId null); zero counts and accuracy null when it was not audited. */
  engine: AuditAccuracy;
  /** All human coders pooled. */
  allCoders: Omit<AuditAccuracy, 'coderId'>;
}

/** Audit accuracy per coder and for the engine: a missing code counts against accuracy like a wrong one. */
export function auditAccuracy(items: readonly AuditItem[]): AuditReport {
  const counts = new Map<string | null, Record<AuditVerdict, number>>();
  const pooled: Record<AuditVerdict, number> = { correct: 0, incorrect: 0, missing: 0 };
  counts.set(null, { correct: 0, incorrect: 0, missing: 0 });
  for (const item of items) {
    let c = counts.get(item.coderId);
    if (!c) counts.set(item.coderId, (c = { correct: 0, incorrect: 0, missing: 0 }));
    c[item.verdict]++;
    if (item.coderId !== null) pooled[item.verdict]++;
  }
  const score = (c: Record<AuditVerdict, number>) => {
    const total = c.correct + c.incorrect + c.missing;
    const accuracy = total > 0 ? c.correct / total : null;
    return { ...c, total, accuracy, meetsBenchmark: accuracy !== null && accuracy >= CODING_ACCURACY_BENCHMARK };
  };
  const coders = [...counts]
    .filter((e): e is [string, Record<AuditVerdict, number>] => e[0] !== null)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([coderId, c]) => ({ coderId, ...score(c) }));
  return { benchmark: CODING_ACCURACY_BENCHMARK, coders, engine: { coderId: null, ...score(counts.get(null)!) }, allCoders: score(pooled) };
}
