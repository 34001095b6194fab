// QA dashboard numbers over finalized notes (eval/decision-record.ts): how coders used the suggestions,
// and the engine's precision/recall against the final codes per ISO week.
//
// Zero denominators: every rate here is null when its denominator is 0 (no notes, no decided suggestions,
// no final codes …), so a dashboard shows "—" instead of a 0% that reads as a measured failure. This
// includes weekly precision (null without suggestions), recall (null without final codes) and F1 (null
// when either is), although the underlying counts come from `computeMetrics`, which reports 0 there.
import { REJECT_REASON_CHOICES, REJECT_REASONS, type RejectReason } from '../server/db/schema/review.ts';
import { scoredDocument, type DecisionRecord } from './decision-record.ts';
import { codeKey, computeMetrics, prf, type EvalMetrics } from './metrics.ts';

export interface ReasonCount {
  reason: RejectReason;
  count: number;
  /** count / all rejected suggestions (those without a reason included); null when none were rejected. */
  share: number | null;
}

export interface DecisionMetrics {
  notes: number;
  /** Engine suggestions (outcomes with a suggestionId), decided or not. */
  suggestions: number;
  suggestionsPerNote: number | null;
  /** Distinct (system, code) final codes, summed over notes. */
  finalCodes: number;
  /** Suggestions accepted, rejected or edited (not undecided) — the denominator of edit/rejection rates. */
  decided: number;
  /**
   * Where the final codes came from, one source per code so the four add up to `finalCodes`: the dashboard's
   * Accepted / Edited / Added cards are shares of the same denominator. `other`: a code entered outside the
   * review flow (none of the three).
   */
  finalSources: FinalCodeSources;
  /** Rejected suggestions (the Rejected card: of `decided`, a different denominator, shown as such). */
  rejected: number;
  /** Final codes that are an accepted suggestion's code, unchanged / final codes. */
  acceptanceRate: number | null;
  /** Edited suggestions / decided suggestions. */
  editRate: number | null;
  /** Rejected suggestions / decided suggestions. */
  rejectionRate: number | null;
  /** Final codes that came only from a coder's add (the engine missed them) / final codes. */
  addedMissedRate: number | null;
  /** Every offered reject reason (and a legacy one in use), most frequent first (ties in REJECT_REASONS order). */
  rejectionReasons: ReasonCount[];
  /** Rejections recorded without a reason: in the shares' denominator, in no row. */
  rejectionsWithoutReason: number;
}

export interface FinalCodeSources {
  accepted: number;
  edited: number;
  added: number;
  other: number;
}

// Records are immutable values (a re-finalization is a new record), so each one's sources are computed once:
// the dashboard re-aggregates the same records after every finalization.
const sourcesCache = new WeakMap<DecisionRecord, { final: number; accepted: number; edited: number; added: number }>();
function finalCodeSources(record: DecisionRecord): { final: number; accepted: number; edited: number; added: number } {
  let cached = sourcesCache.get(record);
  if (!cached) sourcesCache.set(record, (cached = computeFinalCodeSources(record)));
  return cached;
}

/**
 * Where each final code of a note came from, first match wins: an accepted suggestion of that code, an
 * edited suggestion whose `editedTo` is that code, a code the coder added; otherwise none of these (e.g. a
 * code entered outside the review flow). Final codes are de-duplicated per note like the metrics do.
 */
function computeFinalCodeSources(record: DecisionRecord): { final: number; accepted: number; edited: number; added: number } {
  const accepted = new Set<string>();
  const edited = new Set<string>();
  const added = new Set<string>();
  for (const o of record.outcomes) {
    if (o.outcome === 'accepted') accepted.add(codeKey(o.system, o.code));
    else if (o.outcome === 'edited' && o.editedTo) edited.add(codeKey(o.editedTo.system, o.editedTo.code));
    else if (o.outcome === 'added') added.add(codeKey(o.system, o.code));
  }
  const finals = new Set(record.gold.map((g) => codeKey(g.system, g.code)));
  let fromAccepted = 0;
  let fromEdited = 0;
  let fromAdded = 0;
  for (const key of finals) {
    if (accepted.has(key)) fromAccepted++;
    else if (edited.has(key)) fromEdited++;
    else if (added.has(key)) fromAdded++;
  }
  return { final: finals.size, accepted: fromAccepted, edited: fromEdited, added: fromAdded };
}

const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** Suggestion-use rates over finalized notes; see the file header for zero denominators. */
export function decisionMetrics(records: readonly DecisionRecord[]): DecisionMetrics {
  let suggestions = 0;
  let decided = 0;
  let edited = 0;
  let rejected = 0;
  let finalCodes = 0;
  let acceptedFinal = 0;
  let editedFinal = 0;
  let addedFinal = 0;
  let withoutReason = 0;
  const reasons = new Map<RejectReason, number>(REJECT_REASONS.map((r) => [r, 0]));
  for (const record of records) {
    for (const o of record.outcomes) {
      if (o.suggestionId === null) continue;
      suggestions++;
      if (o.outcome === 'undecided') continue;
      decided++;
      if (o.outcome === 'edited') edited++;
      else if (o.outcome === 'rejected') {
        rejected++;
        if (o.reason) reasons.set(o.reason, reasons.get(o.reason)! + 1);
        else withoutReason++;
      }
    }
    const sources = finalCodeSources(record);
    finalCodes += sources.final;
    acceptedFinal += sources.accepted;
    editedFinal += sources.edited;
    addedFinal += sources.added;
  }
  // Reasons no longer offered are listed only where older decisions still carry them.
  const offered = new Set<RejectReason>(REJECT_REASON_CHOICES);
  const rejectionReasons = REJECT_REASONS.filter((r) => offered.has(r) || reasons.get(r)! > 0).map((reason) => ({ reason, count: reasons.get(reason)!, share: rate(reasons.get(reason)!, rejected) }));
  // Stable sort: equal counts keep REJECT_REASONS order.
  rejectionReasons.sort((a, b) => b.count - a.count);
  return {
    notes: records.length,
    suggestions,
    suggestionsPerNote: rate(suggestions, records.length),
    finalCodes,
    decided,
    finalSources: { accepted: acceptedFinal, edited: editedFinal, added: addedFinal, other: finalCodes - acceptedFinal - editedFinal - addedFinal },
    rejected,
    acceptanceRate: rate(acceptedFinal, finalCodes),
    editRate: rate(edited, decided),
    rejectionRate: rate(rejected, decided),
    addedMissedRate: rate(addedFinal, finalCodes),
    rejectionReasons,
    rejectionsWithoutReason: withoutReason,
  };
}

export interface WeekTrend {
  /** ISO 8601 week of finalizedAt in UTC, e.g. "2026-W48"; the year is the ISO week-year. */
  week: string;
  /** The week's Monday, "YYYY-MM-DD" (UTC). */
  weekStart: string;
  notes: number;
  /** Micro, code level, suggestions against final codes (computeMetrics over scoredDocument). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  acceptanceRate: number | null;
}

const DAY_MS = 86_400_000;

/**
 * ISO 8601 week of an instant, in UTC: weeks start on Monday and belong to the year of their Thursday,
 * so 2027-01-01 (a Friday) is "2026-W53" and 2024-12-30 (a Monday) is "2025-W01".
 */
export function isoWeek(instant: string | Date): { week: string; weekStart: string } {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(t)) throw new RangeError(`not a date-time: ${String(instant)}`);
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, weekStart: new Date(monday).toISOString().slice(0, 10) };
}

/**
 * Per ISO week of finalizedAt, oldest first: engine precision/recall/F1 and the acceptance rate.
 * Weekly micro counts are summed from `perDoc` of one `computeMetrics` run over all records (micro TP/FP/FN
 * are per-document sums, so this equals scoring each week apart, without 52 more metric runs). Pass
 * `metrics` = computeMetrics(records.map(scoredDocument)) when you have it already; same order required.
 */
export function weeklyTrends(records: readonly DecisionRecord[], metrics?: Pick<EvalMetrics, 'perDoc'>): WeekTrend[] {
  const perDoc = (metrics ?? computeMetrics(records.map(scoredDocument), { ks: [] })).perDoc;
  if (perDoc.length !== records.length || perDoc.some((d, i) => d.id !== records[i]!.noteId)) {
    throw new Error('weeklyTrends: metrics must be computeMetrics(records.map(scoredDocument)) over the same records, in order');
  }
  const weeks = new Map<string, { weekStart: string; notes: number; tp: number; fp: number; fn: number; final: number; accepted: number }>();
  records.forEach((record, i) => {
    const { week, weekStart } = isoWeek(record.finalizedAt);
    let w = weeks.get(week);
    if (!w) weeks.set(week, (w = { weekStart, notes: 0, tp: 0, fp: 0, fn: 0, final: 0, accepted: 0 }));
    const d = perDoc[i]!;
    const sources = finalCodeSources(record);
    w.notes++;
    w.tp += d.tp;
    w.fp += d.predicted - d.tp;
    w.fn += d.gold - d.tp;
    w.final += sources.final;
    w.accepted += sources.accepted;
  });
  return [...weeks]
    .sort((a, b) => (a[1].weekStart < b[1].weekStart ? -1 : a[1].weekStart > b[1].weekStart ? 1 : 0))
    .map(([week, w]) => {
      const micro = prf(w.tp, w.fp, w.fn);
      const precision = w.tp + w.fp > 0 ? micro.precision : null;
      const recall = w.tp + w.fn > 0 ? micro.recall : null;
      const f1 = precision === null || recall === null ? null : micro.f1;
      return { week, weekStart: w.weekStart, notes: w.notes, precision, recall, f1, acceptanceRate: rate(w.accepted, w.final) };
    });
}
