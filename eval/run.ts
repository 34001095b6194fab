// Runs a suggester over evaluation documents and scores diagnoses (ICD-10-CM, "D") and procedures
// (ICD-10-PCS, "P") apart, as CodiEsp does.
import type { NoteInput, Suggestion } from '../server/pipeline/types.ts';
import { toGoldPcsPrefix, toGoldVintage, type ConversionTable, type VintageOptions } from './code-versions.ts';
import type { EvalDocument } from './datasets.ts';
import { emAgreement, type EmAgreement, isEmCode } from './em-agreement.ts';
import { calibration, computeMetrics, normalizeCode, type Calibration, type EvalMetrics, type PRF, type RankedCode } from './metrics.ts';

/** The engine under test. It may return bare suggestions or `{ suggestions, warnings }` (server/notes/suggester.ts). */
export type Suggest = (note: NoteInput) => Promise<Suggestion[] | { suggestions: Suggestion[]; warnings?: string[] }>;

export interface RunOptions {
  /** Notes in flight at once. Default 1 (per-note timings are cleanest serially). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** When given, FY2026 ICD-10-CM predictions are mapped to older gold codes they replaced. */
  conversion?: ConversionTable;
  vintage?: VintageOptions;
  /** Reference code counts (e.g. train gold, `countCodes`) for head/torso/tail bands. */
  referenceCounts?: ReadonlyMap<string, number>;
  ks?: readonly number[];
}

export interface PredictedCode extends RankedCode {
  /** The engine's own code when it was scored as a different (gold-vintage or prefix) form. */
  predictedAs?: string;
}

export interface DocRun {
  id: string;
  ms: number;
  /** The suggester's error message; the document is then scored with no predictions. */
  error: string | null;
  /** The suggester's warnings for this note (e.g. a stale code-set release). */
  warnings: string[];
  /** Ranked by confidence, highest first; `kind: 'final'` suggestions only. */
  D: PredictedCode[];
  P: PredictedCode[];
  /** Professional claim lines (CPT, HCPCS Level II), in the engine's line order. */
  L: PredictedCode[];
}

/** The professional side, scored where the dataset's gold has CPT or HCPCS codes (issue: E/M, procedures, drugs). */
export interface ProfessionalScores {
  /** E/M level agreement on the notes whose gold has an E/M code: exact, within one level, confusion table. */
  em: EmAgreement;
  /** CPT lines other than E/M (procedures, administrations), code level, micro-averaged. */
  cpt: PRF;
  /** HCPCS Level II lines (drugs, vaccines, supplies), code level, micro-averaged. */
  hcpcs: PRF;
}

export interface Timing {
  notes: number;
  wallMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  notesPerSecond: number;
}

export interface EvalRun {
  docs: DocRun[];
  D: EvalMetrics;
  P: EvalMetrics;
  timing: Timing;
  errors: number;
  /** Distinct suggester warnings with the number of notes that got each. */
  warnings: { message: string; notes: number }[];
  /** Distinct `Suggestion.versions` seen, JSON-encoded. */
  engineVersions: string[];
  /** Reliability of the diagnosis confidences (ICD-10-CM, code level). */
  calibrationD: Calibration;
  /** Suggested codes the dataset marks as must-not (guideline violations), per note; null when the dataset has no must-not lists. */
  violations: { id: string; codes: string[] }[] | null;
  /** Null when no note's gold has a CPT or HCPCS code. */
  professional: ProfessionalScores | null;
}

/** Suggests codes for every document (in parallel up to `concurrency`) and scores them. */
export async function runEval(docs: readonly EvalDocument[], suggest: Suggest, options: RunOptions = {}): Promise<EvalRun> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const results: DocRun[] = new Array(docs.length);
  const versions = new Set<string>();
  let next = 0;
  let done = 0;
  const t0 = performance.now();

  async function worker(): Promise<void> {
    for (let i = next++; i < docs.length; i = next++) {
      const doc = docs[i]!;
      const start = performance.now();
      let suggestions: Suggestion[] = [];
      let warnings: string[] = [];
      let error: string | null = null;
      try {
        const out = await suggest({ text: doc.text, encounter: doc.encounter });
        if (Array.isArray(out)) suggestions = out;
        else ({ suggestions, warnings = [] } = out);
      } catch (err) {
        // The message only: never the note text.
        error = err instanceof Error ? err.message.slice(0, 300) : 'suggester failed';
      }
      const ms = performance.now() - start;
      for (const s of suggestions) versions.add(JSON.stringify(s.versions));
      results[i] = { id: doc.id, ms, error, warnings, ...predictionsFor(doc, suggestions, options) };
      options.onProgress?.(++done, docs.length);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, docs.length) }, worker));
  const wallMs = performance.now() - t0;

  const metricOptions = { ks: options.ks, referenceCounts: options.referenceCounts };
  const D = computeMetrics(
    docs.map((d, i) => ({ id: d.id, gold: d.gold.filter((g) => g.system === 'ICD10CM'), predicted: results[i]!.D })),
    metricOptions,
  );
  const P = computeMetrics(
    docs.map((d, i) => ({ id: d.id, gold: d.gold.filter((g) => g.system === 'ICD10PCS'), predicted: results[i]!.P })),
    metricOptions,
  );
  return {
    docs: results,
    D,
    P,
    timing: timingOf(results.map((r) => r.ms), wallMs),
    errors: results.filter((r) => r.error !== null).length,
    warnings: countWarnings(results),
    engineVersions: [...versions].sort(),
    violations: mustNotViolations(docs, results),
    calibrationD: calibration(docs.map((d, i) => ({ id: d.id, gold: d.gold.filter((g) => g.system === 'ICD10CM'), predicted: results[i]!.D }))),
    professional: professionalScores(docs, results),
  };
}

export function professionalScores(docs: readonly EvalDocument[], results: readonly DocRun[]): ProfessionalScores | null {
  if (!docs.some((d) => d.gold.some((g) => g.system === 'CPT' || g.system === 'HCPCS'))) return null;
  const lines = (system: 'CPT' | 'HCPCS') =>
    computeMetrics(
      docs.map((d, i) => ({
        id: d.id,
        gold: d.gold.filter((g) => g.system === system && !isEmCode(g.code)),
        predicted: results[i]!.L.filter((p) => p.system === system && !isEmCode(p.code)),
      })),
    ).code.micro;
  const em = emAgreement(
    docs.map((d, i) => ({
      id: d.id,
      gold: d.gold.find((g) => g.system === 'CPT' && isEmCode(g.code))?.code ?? null,
      predicted: results[i]!.L.find((p) => p.system === 'CPT' && isEmCode(p.code))?.code ?? null,
    })),
  );
  return { em, cpt: lines('CPT'), hcpcs: lines('HCPCS') };
}

/** Final suggestions that a note's must-not list names (in the engine's own code form, any system). */
export function mustNotViolations(docs: readonly EvalDocument[], results: readonly DocRun[]): { id: string; codes: string[] }[] | null {
  if (!docs.some((d) => d.mustNot)) return null;
  return docs
    .map((d, i) => {
      const bad = new Set((d.mustNot ?? []).map((m) => `${m.system}|${m.code}`));
      const r = results[i]!;
      const codes = [...r.D, ...r.P].map((p) => `${p.system}|${p.predictedAs ?? p.code}`).filter((k) => bad.has(k));
      return { id: d.id, codes: [...new Set(codes)].map((k) => k.split('|')[1]!) };
    })
    .filter((v) => v.codes.length > 0);
}

/** Final suggestions, split by system, ranked by confidence, mapped to the gold's code forms. */
export function predictionsFor(doc: EvalDocument, suggestions: readonly Suggestion[], options: Pick<RunOptions, 'conversion' | 'vintage'> = {}) {
  const ranked = suggestions.filter((s) => s.kind === 'final').sort((a, b) => b.confidence - a.confidence);
  const goldD = new Set(doc.gold.filter((g) => g.system === 'ICD10CM').map((g) => g.code));
  const goldP = new Set(doc.gold.filter((g) => g.system === 'ICD10PCS').map((g) => g.code));
  const D: PredictedCode[] = [];
  const P: PredictedCode[] = [];
  // Claim lines keep the engine's order (the E/M line first), each code once.
  const L: PredictedCode[] = [];
  for (const s of suggestions) {
    if (s.kind === 'final' && (s.system === 'CPT' || s.system === 'HCPCS') && !L.some((l) => l.system === s.system && l.code === s.code)) {
      L.push({ system: s.system, code: s.code, confidence: s.confidence });
    }
  }
  for (const s of ranked) {
    if (s.system !== 'ICD10CM' && s.system !== 'ICD10PCS') continue;
    const own = normalizeCode(s.system, s.code);
    const scored =
      s.system === 'ICD10CM'
        ? options.conversion
          ? toGoldVintage(own, goldD, options.conversion, options.vintage)
          : own
        : toGoldPcsPrefix(own, goldP);
    const p: PredictedCode = { system: s.system, code: scored, confidence: s.confidence };
    if (scored !== own) p.predictedAs = own;
    (s.system === 'ICD10CM' ? D : P).push(p);
  }
  return { D, P, L };
}

function countWarnings(results: readonly DocRun[]): { message: string; notes: number }[] {
  const counts = new Map<string, number>();
  for (const r of results) for (const w of new Set(r.warnings)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([message, notes]) => ({ message, notes })).sort((a, b) => b.notes - a.notes);
}

function timingOf(ms: number[], wallMs: number): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  // Nearest-rank percentile.
  const pct = (p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! : 0);
  return {
    notes: ms.length,
    wallMs,
    meanMs: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0,
    p50Ms: pct(0.5),
    p95Ms: pct(0.95),
    maxMs: sorted.at(-1) ?? 0,
    notesPerSecond: wallMs > 0 ? (ms.length * 1000) / wallMs : 0,
  };
}
