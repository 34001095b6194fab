// A run's stored metrics: the shared eval/metrics.ts over every record of the version, once for all code
// systems together and once per system present (diagnoses and procedures are judged apart, as in CodiEsp).
import { computeMetrics, countCodes, type CodeRef, type ScoredDocument } from '../../eval/metrics.ts';
import type { PredictedRef, RunMetrics } from '../db/schema/index.ts';

export interface RunRecord {
  recordKey: string;
  gold: readonly CodeRef[];
  /** null when the run has no prediction for the record (scored as predicting nothing). */
  predicted: readonly PredictedRef[] | null;
}

export function runMetrics(records: readonly RunRecord[]): RunMetrics {
  const docs: ScoredDocument[] = records.map((r) => ({ id: r.recordKey, gold: r.gold.map(({ system, code }) => ({ system, code })), predicted: r.predicted ?? [] }));
  // Frequency bands relative to the evaluated set itself: a decisions snapshot has no separate training split.
  const referenceCounts = countCodes(docs);
  const strip = (docsIn: ScoredDocument[]) => {
    const { perDoc: _perDoc, perCode: _perCode, ...rest } = computeMetrics(docsIn, { referenceCounts });
    return rest;
  };
  const systems = [...new Set(docs.flatMap((d) => [...d.gold, ...d.predicted].map((c) => c.system)))].sort();
  const out: RunMetrics = { all: strip(docs) };
  for (const system of systems) {
    out[system] = strip(docs.map((d) => ({ id: d.id, gold: d.gold.filter((g) => g.system === system), predicted: d.predicted.filter((p) => p.system === system) })));
  }
  return out;
}
