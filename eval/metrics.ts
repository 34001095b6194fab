// Multi-label coding metrics: one pure module used by the eval CLI and (later) the QA dashboard.
//
// Conventions (each chosen to match the usual multi-label / CodiEsp practice):
// - A document's gold and predicted codes are sets: a code predicted twice counts once, at its first
//   (best) rank, as the CodiEsp script does (`drop_duplicates(keep='first')`).
// - Predictions are ranked by their array order; callers sort (e.g. by confidence) before scoring.
// - P = TP/(TP+FP), 0 when nothing was predicted; R = TP/(TP+FN), 0 when there is no gold;
//   F1 = 2PR/(P+R), 0 when P+R = 0.
// - Micro sums TP/FP/FN over all documents and codes. Macro averages per-code P, R and F1 over every
//   code in gold ∪ predicted (so a code only ever predicted adds R = 0, F1 = 0; one only in gold adds
//   P = 0). Macro-F1 is the mean of per-code F1, not the F1 of macro P and R.
// - Category level maps every code to its 3-character category (ICD-10-CM "E11"; ICD-10-PCS section +
//   body system + root operation "0DT") and then applies the same set rules.
import { formatIcd10cm, type CodeSystem } from '../server/codes/types.ts';
import { ICD10CM_CHAPTERS, icd10cmChapter } from './chapters.ts';

export interface CodeRef {
  system: CodeSystem;
  code: string;
}

export interface RankedCode extends CodeRef {
  /** 0..1; carried for thresholding and reports — the rank is the array order. */
  confidence: number;
}

/** One document's gold codes and ranked predictions. */
export interface ScoredDocument {
  id: string;
  gold: readonly CodeRef[];
  predicted: readonly RankedCode[];
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface LevelMetrics {
  micro: PRF;
  /** Mean of per-code precision/recall/F1 over `codes` = every code in gold ∪ predicted. */
  macro: { precision: number; recall: number; f1: number; codes: number };
  /**
   * Mean over documents with gold of AP = Σ_{k: pred_k ∈ gold} P@k / |gold|; a document with gold but
   * no predictions has AP 0.
   */
  map: number;
  /**
   * MAP as the official CodiEsp script computes it (trectools `get_map(trec_eval=False)`): the same AP,
   * averaged only over documents that have gold AND at least one prediction. Use it to compare with
   * published CodiEsp numbers; it rewards predicting nothing for hard documents, so prefer `map`.
   */
  mapCodiesp: number;
  /** P@k per k: gold hits among the first k predictions / k, mean over documents with gold. */
  precisionAt: Record<string, number>;
  documentsWithGold: number;
}

export interface CodeMetrics extends PRF, CodeRef {}

export interface ChapterMetrics extends PRF {
  /** ICD-10-CM chapter 1–22; null for codes outside every chapter range. */
  chapter: number | null;
  title: string;
}

export const BANDS = ['head', 'torso', 'tail', 'unseen'] as const;
export type Band = (typeof BANDS)[number];

export interface BandMetrics extends PRF {
  band: Band;
  /** Distinct codes of this band in gold ∪ predicted. */
  codes: number;
}

export interface DocMetrics {
  id: string;
  gold: number;
  /** Distinct predictions. */
  predicted: number;
  tp: number;
  /** Average precision; null when the document has no gold. */
  ap: number | null;
}

export interface EvalMetrics {
  documents: number;
  code: LevelMetrics;
  category: LevelMetrics;
  bySystem: Partial<Record<CodeSystem, PRF>>;
  /** ICD-10-CM codes only, at code level, chapters with any TP/FP/FN, in chapter order. */
  byChapter: ChapterMetrics[];
  /** Code level, by frequency band of the reference counts; null when no reference was given. */
  byBand: BandMetrics[] | null;
  /** Code level, one row per code in gold ∪ predicted, sorted by system then code. */
  perCode: CodeMetrics[];
  perDoc: DocMetrics[];
}

export interface MetricsOptions {
  /** Cut-offs for P@k. Default [1, 3, 5, 10]. */
  ks?: readonly number[];
  /** Code-level occurrence counts keyed by `codeKey` (e.g. train gold from `countCodes`) for `byBand`. */
  referenceCounts?: ReadonlyMap<string, number>;
}

/** Display form used for scoring: ICD-10-CM dotted upper case ("e11.65" → "E11.65"); others upper case. */
export function normalizeCode(system: CodeSystem, code: string): string {
  return system === 'ICD10CM' ? formatIcd10cm(code) : code.trim().toUpperCase();
}

/** 3-character category: ICD-10-CM "E11.65" → "E11"; ICD-10-PCS "0DTJ4ZZ" → "0DT"; HCPCS/CPT: the code. */
export function categoryOf(system: CodeSystem, code: string): string {
  const c = normalizeCode(system, code);
  return system === 'ICD10CM' || system === 'ICD10PCS' ? c.slice(0, 3) : c;
}

/** Map key of a code: "ICD10CM|E11.65". */
export function codeKey(system: CodeSystem, code: string): string {
  return `${system}|${normalizeCode(system, code)}`;
}

/** Gold occurrences per `codeKey`, a code counted once per document — the reference for `byBand`. */
export function countCodes(docs: readonly { gold: readonly CodeRef[] }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    for (const key of new Set(doc.gold.map((g) => codeKey(g.system, g.code)))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Frequency band per code key. Codes sorted by count (desc; ties by key) are `head` while the
 * occurrences before them cover < 50% of all, then `torso` while < 80%, then `tail`. So head = the
 * fewest most frequent codes that reach 50% of occurrences, torso the next 30%, tail the rest.
 * Codes absent from the reference (or with count 0) are `unseen`.
 */
export function frequencyBands(reference: ReadonlyMap<string, number>): Map<string, Band> {
  const entries = [...reference].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const bands = new Map<string, Band>();
  let covered = 0;
  for (const [key, n] of entries) {
    bands.set(key, covered < 0.5 * total ? 'head' : covered < 0.8 * total ? 'torso' : 'tail');
    covered += n;
  }
  return bands;
}

export function prf(tp: number, fp: number, fn: number): PRF {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

/** All metrics for a set of documents. Documents may mix code systems; see `bySystem`. */
export function computeMetrics(docs: readonly ScoredDocument[], options: MetricsOptions = {}): EvalMetrics {
  const ks = options.ks ?? [1, 3, 5, 10];
  const refs = new Map<string, CodeRef>();
  const codeLevel = docs.map((d) => prepare(d, (c) => codeKey(c.system, c.code), refs));
  const categoryLevel = docs.map((d) => prepare(d, (c) => codeKey(c.system, categoryOf(c.system, c.code)), new Map()));
  const code = scoreLevel(codeLevel, ks);
  const category = scoreLevel(categoryLevel, ks);

  const perCode: CodeMetrics[] = [...code.counts]
    .map(([key, c]) => ({ ...refs.get(key)!, ...prf(c.tp, c.fp, c.fn) }))
    .sort((a, b) => (a.system === b.system ? cmp(a.code, b.code) : cmp(a.system, b.system)));

  const bySystem: Partial<Record<CodeSystem, PRF>> = {};
  for (const [system, c] of groupCounts(code.counts, (key) => refs.get(key)!.system)) bySystem[system] = prf(c.tp, c.fp, c.fn);

  const chapterCounts = groupCounts(code.counts, (key) => {
    const ref = refs.get(key)!;
    return ref.system === 'ICD10CM' ? (icd10cmChapter(ref.code) ?? null) : undefined;
  });
  const byChapter: ChapterMetrics[] = [...chapterCounts]
    .sort((a, b) => (a[0] ?? 99) - (b[0] ?? 99))
    .map(([chapter, c]) => ({
      chapter,
      title: chapter == null ? 'Outside every chapter range' : ICD10CM_CHAPTERS[chapter - 1]!.desc,
      ...prf(c.tp, c.fp, c.fn),
    }));

  let byBand: BandMetrics[] | null = null;
  if (options.referenceCounts) {
    const bands = frequencyBands(options.referenceCounts);
    const grouped = groupCounts(code.counts, (key) => bands.get(key) ?? 'unseen');
    byBand = BANDS.map((band) => {
      const c = grouped.get(band) ?? { tp: 0, fp: 0, fn: 0, codes: 0 };
      return { band, codes: c.codes, ...prf(c.tp, c.fp, c.fn) };
    });
  }

  const perDoc: DocMetrics[] = codeLevel.map((d, i) => ({
    id: d.id,
    gold: d.gold.size,
    predicted: d.ranked.length,
    tp: d.ranked.filter((k) => d.gold.has(k)).length,
    ap: code.ap[i] ?? null,
  }));

  return { documents: docs.length, code: code.metrics, category: category.metrics, bySystem, byChapter, byBand, perCode, perDoc };
}

interface Prepared {
  id: string;
  gold: Set<string>;
  /** Distinct predicted keys in rank order (first occurrence wins). */
  ranked: string[];
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function prepare(doc: ScoredDocument, keyOf: (c: CodeRef) => string, refs: Map<string, CodeRef>): Prepared {
  const remember = (c: CodeRef) => {
    const key = keyOf(c);
    if (!refs.has(key)) refs.set(key, { system: c.system, code: normalizeCode(c.system, c.code) });
    return key;
  };
  const gold = new Set(doc.gold.map(remember));
  const ranked = [...new Set(doc.predicted.map(remember))];
  return { id: doc.id, gold, ranked };
}

function scoreLevel(docs: readonly Prepared[], ks: readonly number[]) {
  const counts = new Map<string, Counts>();
  const bump = (key: string, field: keyof Counts) => {
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { tp: 0, fp: 0, fn: 0 }));
    c[field]++;
  };
  const ap: (number | null)[] = [];
  const pAt = ks.map(() => 0);
  let withGold = 0;
  let apSum = 0;
  let apSumPredicted = 0;
  let withGoldAndPredictions = 0;
  for (const d of docs) {
    const predicted = new Set(d.ranked);
    for (const key of d.ranked) bump(key, d.gold.has(key) ? 'tp' : 'fp');
    for (const key of d.gold) if (!predicted.has(key)) bump(key, 'fn');
    if (d.gold.size === 0) {
      ap.push(null);
      continue;
    }
    withGold++;
    // CodiEsp / trec_eval AP: precision at each rank holding a gold code, summed, over |gold|.
    let hits = 0;
    let sum = 0;
    d.ranked.forEach((key, i) => {
      if (d.gold.has(key)) sum += ++hits / (i + 1);
    });
    const docAp = sum / d.gold.size;
    ap.push(docAp);
    apSum += docAp;
    if (d.ranked.length > 0) {
      withGoldAndPredictions++;
      apSumPredicted += docAp;
    }
    ks.forEach((k, j) => {
      pAt[j]! += d.ranked.slice(0, k).filter((key) => d.gold.has(key)).length / k;
    });
  }

  let tp = 0;
  let fp = 0;
  let fn = 0;
  let macroP = 0;
  let macroR = 0;
  let macroF = 0;
  for (const c of counts.values()) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    const m = prf(c.tp, c.fp, c.fn);
    macroP += m.precision;
    macroR += m.recall;
    macroF += m.f1;
  }
  const n = counts.size;
  const metrics: LevelMetrics = {
    micro: prf(tp, fp, fn),
    macro: { precision: n ? macroP / n : 0, recall: n ? macroR / n : 0, f1: n ? macroF / n : 0, codes: n },
    map: withGold ? apSum / withGold : 0,
    mapCodiesp: withGoldAndPredictions ? apSumPredicted / withGoldAndPredictions : 0,
    precisionAt: Object.fromEntries(ks.map((k, j) => [String(k), withGold ? pAt[j]! / withGold : 0])),
    documentsWithGold: withGold,
  };
  return { metrics, counts, ap };
}

function groupCounts<G>(counts: ReadonlyMap<string, Counts>, groupOf: (key: string) => G | undefined) {
  const out = new Map<G, Counts & { codes: number }>();
  for (const [key, c] of counts) {
    const g = groupOf(key);
    if (g === undefined) continue;
    let acc = out.get(g);
    if (!acc) out.set(g, (acc = { tp: 0, fp: 0, fn: 0, codes: 0 }));
    acc.tp += c.tp;
    acc.fp += c.fp;
    acc.fn += c.fn;
    acc.codes++;
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface CalibrationBin {
  /** Confidence range [from, to). */
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  /** Share of the bin's predictions that are in the gold. */
  accuracy: number;
}

export interface Calibration {
  /** Mean squared error of confidence against correctness over every prediction; null without predictions. */
  brier: number | null;
  predictions: number;
  /** Reliability table: a calibrated engine has accuracy ≈ meanConfidence in every bin. */
  bins: CalibrationBin[];
}

/**
 * Reliability of the shown confidence, at code level: each predicted code once per document (its best
 * rank), correct when it is in the document's gold. Example: two predictions at 0.9, one right → bin
 * [0.9, 1.0) accuracy 0.5, Brier (0.01 + 0.81) / 2.
 */
export function calibration(docs: readonly ScoredDocument[], binWidth = 0.1): Calibration {
  const nBins = Math.round(1 / binWidth);
  const bins = Array.from({ length: nBins }, (_, i) => ({ from: i * binWidth, to: (i + 1) * binWidth, n: 0, sum: 0, right: 0 }));
  let squared = 0;
  let n = 0;
  for (const d of docs) {
    const gold = new Set(d.gold.map((g) => codeKey(g.system, g.code)));
    const seen = new Set<string>();
    for (const p of d.predicted) {
      const key = codeKey(p.system, p.code);
      if (seen.has(key)) continue;
      seen.add(key);
      const right = gold.has(key) ? 1 : 0;
      // A small epsilon: 0.3 / 0.1 is 2.999… in floating point, and 0.3 belongs to the [0.3, 0.4) bin.
      const bin = bins[Math.min(nBins - 1, Math.floor(p.confidence * nBins + 1e-9))]!;
      bin.n++;
      bin.sum += p.confidence;
      bin.right += right;
      squared += (p.confidence - right) ** 2;
      n++;
    }
  }
  return {
    brier: n ? squared / n : null,
    predictions: n,
    bins: bins.filter((b) => b.n > 0).map((b) => ({ from: b.from, to: b.to, n: b.n, meanConfidence: b.sum / b.n, accuracy: b.right / b.n })),
  };
}
