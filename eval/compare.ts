// Compares two evaluation runs (e.g. engine or prompt versions) on the same documents: headline metric
// deltas and, per document, which codes became right or wrong. Metrics come from eval/metrics.ts.
import { codeKey, normalizeCode, type CodeRef, type EvalMetrics, type LevelMetrics } from './metrics.ts';

export interface RunPrediction {
  id: string;
  predicted: readonly CodeRef[];
  gold: readonly CodeRef[];
}

export interface ComparableRun {
  metrics: EvalMetrics;
  predictions: readonly RunPrediction[];
}

export interface Delta {
  a: number;
  b: number;
  /** b − a. */
  delta: number;
}

export interface HeadlineDeltas {
  precision: Delta;
  recall: Delta;
  f1: Delta;
  macroF1: Delta;
  map: Delta;
}

export interface DocumentChange {
  id: string;
  /** Correct (predicted and gold) in b, not in a. */
  gained: CodeRef[];
  /** Correct in a, not in b. */
  lost: CodeRef[];
  /** False positives in b that a did not have. */
  newFalsePositives: CodeRef[];
  /** False positives of a that b no longer makes. */
  removedFalsePositives: CodeRef[];
  /** Sum of the four list lengths. */
  changes: number;
}

export interface RunComparison {
  /** Micro P/R/F1, macro F1 and MAP, at code and at category level. */
  code: HeadlineDeltas;
  category: HeadlineDeltas;
  /** Documents with at least one change, most changed first (ties by id). */
  documents: DocumentChange[];
  unchanged: number;
  /** Ids present in only one run: scored as if the other run predicted nothing for them. */
  onlyInA: string[];
  onlyInB: string[];
}

function headline(a: LevelMetrics, b: LevelMetrics): HeadlineDeltas {
  const d = (x: number, y: number): Delta => ({ a: x, b: y, delta: y - x });
  return {
    precision: d(a.micro.precision, b.micro.precision),
    recall: d(a.micro.recall, b.micro.recall),
    f1: d(a.micro.f1, b.micro.f1),
    macroF1: d(a.macro.f1, b.macro.f1),
    map: d(a.map, b.map),
  };
}

/** Code keys of a document's correct predictions and false positives, with a display ref per key. */
function split(p: RunPrediction | undefined, refs: Map<string, CodeRef>) {
  const correct = new Set<string>();
  const wrong = new Set<string>();
  if (!p) return { correct, wrong };
  const gold = new Set(p.gold.map((g) => codeKey(g.system, g.code)));
  for (const c of p.predicted) {
    const key = codeKey(c.system, c.code);
    if (!refs.has(key)) refs.set(key, { system: c.system, code: normalizeCode(c.system, c.code) });
    (gold.has(key) ? correct : wrong).add(key);
  }
  return { correct, wrong };
}

const minus = (x: Set<string>, y: Set<string>, refs: Map<string, CodeRef>) => [...x].filter((k) => !y.has(k)).map((k) => refs.get(k)!);

/**
 * What changed from run a to run b. Codes compare normalised (`codeKey`); each run's own gold decides
 * correctness, so a gold fix between runs shows up as gained/lost codes too.
 */
export function compareRuns(a: ComparableRun, b: ComparableRun): RunComparison {
  const inA = new Map(a.predictions.map((p) => [p.id, p]));
  const inB = new Map(b.predictions.map((p) => [p.id, p]));
  const ids = [...new Set([...inA.keys(), ...inB.keys()])];
  const refs = new Map<string, CodeRef>();
  const documents: DocumentChange[] = [];
  let unchanged = 0;
  for (const id of ids) {
    const x = split(inA.get(id), refs);
    const y = split(inB.get(id), refs);
    const change = {
      id,
      gained: minus(y.correct, x.correct, refs),
      lost: minus(x.correct, y.correct, refs),
      newFalsePositives: minus(y.wrong, x.wrong, refs),
      removedFalsePositives: minus(x.wrong, y.wrong, refs),
    };
    const changes = change.gained.length + change.lost.length + change.newFalsePositives.length + change.removedFalsePositives.length;
    if (changes === 0) unchanged++;
    else documents.push({ ...change, changes });
  }
  documents.sort((p, q) => q.changes - p.changes || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  return {
    code: headline(a.metrics.code, b.metrics.code),
    category: headline(a.metrics.category, b.metrics.category),
    documents,
    unchanged,
    onlyInA: ids.filter((id) => !inB.has(id)),
    onlyInB: ids.filter((id) => !inA.has(id)),
  };
}
