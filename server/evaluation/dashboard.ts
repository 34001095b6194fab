// The QA dashboard's numbers: pure functions over finalized-note records (the "decisions" set), physician
// queries, second codings and audits. Every table row carries the note ids behind it, so each number
// drills down to its notes without a second code path.
import { scoredDocument, type DecisionRecord } from '../../eval/decision-record.ts';
import { decisionMetrics, isoWeek, weeklyTrends, type DecisionMetrics, type WeekTrend } from '../../eval/decision-metrics.ts';
import { BANDS, codeKey, computeMetrics, countCodes, frequencyBands, prf, type Band, type DocMetrics, type PRF, type ScoredDocument } from '../../eval/metrics.ts';
import { ICD10CM_CHAPTERS, icd10cmChapter } from '../../eval/chapters.ts';
import type { AuditItem, AuditVerdict } from '../../eval/agreement.ts';
import type { CodeSystem } from '../codes/types.ts';

export interface QueryFacts {
  noteId: string;
  sentAt: Date;
  answeredAt: Date | null;
  status: 'sent' | 'answered' | 'closed' | 'withdrawn';
}

export interface BreakdownRow extends PRF {
  key: string;
  label: string;
  /** Notes with a true positive, false positive or false negative in this row. */
  noteIds: string[];
}

export interface QueryStats {
  /** Queries sent in the period. */
  sent: number;
  answered: number;
  withdrawn: number;
  open: number;
  /** Finalized notes that had at least one query / finalized notes; null without notes. */
  queryRate: number | null;
  /** Median hours from sent to answered; null when none was answered. */
  medianResponseHours: number | null;
  /** Answered within 72 h / answered; null when none was answered. */
  answeredWithin72h: number | null;
  noteIds: string[];
}

/** One code of a finalized note as the engine scored on it: TP (suggested and final), FP (suggested only), FN (final only). */
export interface NoteCode {
  system: CodeSystem;
  code: string;
  kind: 'tp' | 'fp' | 'fn';
  /** The breakdown rows (drill keys: "chapter:4", "band:head", "system:ICD10CM") this code is counted in. */
  rows: string[];
}

export interface Dashboard {
  notes: number;
  decisions: DecisionMetrics;
  trends: WeekTrend[];
  overall: PRF;
  byChapter: BreakdownRow[];
  byBand: BreakdownRow[];
  bySystem: BreakdownRow[];
  queries: QueryStats;
  /** Note ids per drill-down key: "week:2026-W48", "reason:negated", "outcome:edited", "all". */
  drill: Record<string, string[]>;
  /** Each note's codes as TP / FP / FN: what a drill-down lists under the note. */
  noteCodes: Map<string, NoteCode[]>;
}

/** Per (note, code) outcome at code level: TP, FP (suggested, not final) or FN (final, not suggested). */
function codeOutcomes(doc: ScoredDocument) {
  const gold = new Map(doc.gold.map((g) => [codeKey(g.system, g.code), g]));
  const predicted = new Map(doc.predicted.map((p) => [codeKey(p.system, p.code), p]));
  // chapter: ICD-10-CM chapter number, 0 outside every chapter, null for other systems.
  const out: { key: string; system: CodeSystem; code: string; kind: 'tp' | 'fp' | 'fn'; chapter: number | null }[] = [];
  const chapter = (system: CodeSystem, code: string) => (system === 'ICD10CM' ? (icd10cmChapter(code) ?? 0) : null);
  for (const [key, g] of gold) out.push({ key, system: g.system, code: g.code, kind: predicted.has(key) ? 'tp' : 'fn', chapter: chapter(g.system, g.code) });
  for (const [key, p] of predicted) if (!gold.has(key)) out.push({ key, system: p.system, code: p.code, kind: 'fp', chapter: chapter(p.system, p.code) });
  return out;
}

class Tally {
  private rows = new Map<string, { label: string; tp: number; fp: number; fn: number; notes: Set<string> }>();
  add(key: string, label: string, kind: 'tp' | 'fp' | 'fn', noteId: string) {
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { label, tp: 0, fp: 0, fn: 0, notes: new Set() }));
    row[kind]++;
    row.notes.add(noteId);
  }
  result(order: (a: string, b: string) => number): BreakdownRow[] {
    return [...this.rows]
      .sort(([a], [b]) => order(a, b))
      .map(([key, r]) => {
        const precision = r.tp + r.fp > 0 ? r.tp / (r.tp + r.fp) : 0;
        const recall = r.tp + r.fn > 0 ? r.tp / (r.tp + r.fn) : 0;
        const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
        return { key, label: r.label, precision, recall, f1, tp: r.tp, fp: r.fp, fn: r.fn, noteIds: [...r.notes] };
      });
  }
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function queryStats(queries: readonly QueryFacts[], finalizedNotes: ReadonlySet<string>): QueryStats {
  const answered = queries.filter((q) => q.answeredAt);
  const hours = answered.map((q) => (q.answeredAt!.getTime() - q.sentAt.getTime()) / 3_600_000);
  const queried = new Set(queries.map((q) => q.noteId));
  const queriedFinal = [...finalizedNotes].filter((id) => queried.has(id)).length;
  return {
    sent: queries.length,
    answered: answered.length,
    withdrawn: queries.filter((q) => q.status === 'withdrawn').length,
    open: queries.filter((q) => q.status === 'sent').length,
    queryRate: finalizedNotes.size > 0 ? queriedFinal / finalizedNotes.size : null,
    medianResponseHours: median(hours),
    answeredWithin72h: answered.length > 0 ? hours.filter((h) => h <= 72).length / answered.length : null,
    noteIds: [...queried],
  };
}

/** What the dashboard derives from one record alone; records are immutable, so it is computed once per record. */
interface Derived {
  doc: ScoredDocument;
  /** The record's own counts from the shared metrics module (code level). */
  counts: DocMetrics;
  outcomes: ReturnType<typeof codeOutcomes>;
  week: string;
}
const derivedCache = new WeakMap<DecisionRecord, Derived>();
/** Derived values of every record, computing the missing ones in one computeMetrics call (per-document counts do not depend on the other documents). */
async function derivedAll(records: readonly DecisionRecord[]): Promise<Derived[]> {
  const missing = records.filter((r) => !derivedCache.has(r));
  for (let from = 0; from < missing.length; from += 4 * CHUNK) {
    if (from > 0) await breathe();
    const part = missing.slice(from, from + 4 * CHUNK);
    const docs = part.map(scoredDocument);
    const { perDoc } = computeMetrics(docs, { ks: [] });
    part.forEach((r, i) => derivedCache.set(r, { doc: docs[i]!, counts: perDoc[i]!, outcomes: codeOutcomes(docs[i]!), week: isoWeek(r.finalizedAt).week }));
  }
  return records.map((r) => derivedCache.get(r)!);
}

/**
 * Records handled between two turns of the event loop: a rebuild over 10,000 notes takes a few hundred
 * milliseconds of CPU, and requests (a stale dashboard, a decision) must not wait for all of it.
 */
const CHUNK = 1_000;
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Everything the dashboard shows, from the newest record of each finalized note in the period. Per-record
 * work is cached (see `derived`), so after one more finalization a rebuild only sums: the totals are the
 * per-document counts added up, exactly what computeMetrics' micro average is.
 */
export async function buildDashboard(records: readonly DecisionRecord[], queries: readonly QueryFacts[]): Promise<Dashboard> {
  const per = await derivedAll(records);
  const docs = per.map((d) => d.doc);
  const sum = per.reduce((t, d) => ({ tp: t.tp + d.counts.tp, fp: t.fp + d.counts.predicted - d.counts.tp, fn: t.fn + d.counts.gold - d.counts.tp }), { tp: 0, fp: 0, fn: 0 });
  // Bands from the final codes themselves: which codes are this organisation's head, torso and tail.
  const bands = frequencyBands(countCodes(docs));
  const chapters = new Tally();
  const byBand = new Tally();
  const bySystem = new Tally();
  const drill: Record<string, string[]> = { all: records.map((r) => r.noteId) };
  const push = (key: string, id: string) => (drill[key] ??= []).push(id);
  const noteCodes = new Map<string, NoteCode[]>();
  for (let i = 0; i < records.length; i++) {
    if (i % CHUNK === CHUNK - 1) await breathe();
    const r = records[i]!;
    const codes: NoteCode[] = [];
    for (const o of per[i]!.outcomes) {
      bySystem.add(o.system, o.system, o.kind, r.noteId);
      const band: Band = bands.get(o.key) ?? 'unseen';
      byBand.add(band, band, o.kind, r.noteId);
      if (o.chapter !== null) chapters.add(String(o.chapter), o.chapter ? ICD10CM_CHAPTERS[o.chapter - 1]!.desc : 'Outside the chapters', o.kind, r.noteId);
      // The same keys qa-service gives the table rows (`${prefix}:${row.key}`).
      codes.push({ system: o.system, code: o.code, kind: o.kind, rows: [`system:${o.system}`, `band:${band}`, ...(o.chapter !== null ? [`chapter:${o.chapter}`] : [])] });
    }
    noteCodes.set(r.noteId, codes);
    const outcomes = new Set(r.outcomes.map((o) => o.outcome));
    for (const o of outcomes) push(`outcome:${o}`, r.noteId);
    for (const reason of new Set(r.outcomes.filter((o) => o.outcome === 'rejected' && o.reason).map((o) => o.reason!))) push(`reason:${reason}`, r.noteId);
    push(`week:${per[i]!.week}`, r.noteId);
  }
  const q = queryStats(queries, new Set(records.map((r) => r.noteId)));
  drill['queries'] = q.noteIds;
  await breathe();
  const decisions = decisionMetrics(records);
  await breathe();
  const trends = weeklyTrends(records, { perDoc: per.map((d) => d.counts) });
  return {
    notes: records.length,
    decisions,
    trends,
    overall: prf(sum.tp, sum.fp, sum.fn),
    byChapter: chapters.result((a, b) => Number(a) - Number(b)),
    byBand: byBand.result((a, b) => BANDS.indexOf(a as Band) - BANDS.indexOf(b as Band)),
    bySystem: bySystem.result((a, b) => a.localeCompare(b)),
    queries: q,
    drill,
    noteCodes,
  };
}

/**
 * The accuracy items of one audit worksheet: the coder's (each final code correct or incorrect, each
 * missing code against them) and the engine's, judged against the same truth (correct + missing codes):
 * an engine code in the truth is correct, one outside it incorrect, a truth code it did not suggest missing.
 */
export function auditItems(audit: { coderId: string | null; items: readonly { system: CodeSystem; code: string; verdict: AuditVerdict }[]; engineCodes: readonly { system: CodeSystem; code: string }[] }): AuditItem[] {
  const coderId = audit.coderId ?? 'unknown';
  const truth = new Set(audit.items.filter((i) => i.verdict !== 'incorrect').map((i) => codeKey(i.system, i.code)));
  const engine = new Set(audit.engineCodes.map((c) => codeKey(c.system, c.code)));
  return [
    ...audit.items.map((i) => ({ coderId, verdict: i.verdict })),
    ...[...engine].map((k) => ({ coderId: null, verdict: truth.has(k) ? ('correct' as const) : ('incorrect' as const) })),
    ...[...truth].filter((k) => !engine.has(k)).map(() => ({ coderId: null, verdict: 'missing' as const })),
  ];
}
