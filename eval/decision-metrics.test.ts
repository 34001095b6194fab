import { describe, expect, it } from 'vitest';
import { decisionMetrics, isoWeek, weeklyTrends } from './decision-metrics.ts';
import { scoredDocument, type DecisionRecord, type SuggestionOutcome } from './decision-record.ts';
import { computeMetrics } from './metrics.ts';

const cm = (code: string) => ({ system: 'ICD10CM' as const, code });
const s = (id: string, code: string, confidence: number, outcome: SuggestionOutcome['outcome'], extra: Partial<SuggestionOutcome> = {}): SuggestionOutcome => ({
  suggestionId: id,
  ...cm(code),
  confidence,
  outcome,
  ...extra,
});
const added = (code: string): SuggestionOutcome => ({ suggestionId: null, ...cm(code), confidence: null, outcome: 'added' });
const record = (noteId: string, finalizedAt: string, gold: string[], outcomes: SuggestionOutcome[]): DecisionRecord => ({
  noteId,
  coderId: 'coder-1',
  finalizedAt,
  setting: 'outpatient',
  gold: gold.map(cm),
  outcomes,
  versions: [{ engine: 'offline-1', prompt: null, model: null, embedder: 'glove-100d' }],
});

// Worked example.
// n1 (Mon 2026-11-23, W48): final {I10, E11.9, N39.0}. I10 accepted; J18.9 rejected (not documented);
//   E11.65 edited to E11.9; R51 left undecided; N39.0 added by the coder.
// n2 (Sun 2026-11-29 23:59:59Z, still W48): final {I10}. I10 accepted; Z00.00 rejected (negated);
//   I25.2 rejected without a reason.
// n3 (Mon 2026-11-30, W49): final {K35.80}. K35.80 accepted; K35.2 rejected (not documented).
const n1 = record('n1', '2026-11-23T10:00:00Z', ['I10', 'E11.9', 'N39.0'], [
  s('s1', 'I10', 0.9, 'accepted'),
  s('s3', 'E11.65', 0.7, 'edited', { editedTo: cm('E11.9') }),
  s('s2', 'J18.9', 0.8, 'rejected', { reason: 'not_documented' }),
  s('s4', 'R51', 0.3, 'undecided'),
  added('N39.0'),
]);
const n2 = record('n2', '2026-11-29T23:59:59Z', ['I10'], [
  s('s5', 'I10', 0.95, 'accepted'),
  s('s6', 'Z00.00', 0.5, 'rejected', { reason: 'negated' }),
  s('s7', 'I25.2', 0.4, 'rejected', { reason: null }),
]);
const n3 = record('n3', '2026-11-30T00:00:00Z', ['K35.80'], [s('s8', 'K35.80', 0.6, 'accepted'), s('s9', 'K35.2', 0.2, 'rejected', { reason: 'not_documented' })]);
const worked = [n1, n2, n3];

describe('decisionMetrics on the worked example', () => {
  const m = decisionMetrics(worked);

  it('counts 3 notes, 9 suggestions (3 per note), 5 final codes, 8 decided (R51 undecided)', () => {
    expect(m).toMatchObject({ notes: 3, suggestions: 9, suggestionsPerNote: 3, finalCodes: 5, decided: 8 });
  });

  it('acceptance 3/5 (I10, I10, K35.80; not the edited E11.9 nor the added N39.0), added/missed 1/5', () => {
    expect(m.acceptanceRate).toBe(3 / 5);
    expect(m.addedMissedRate).toBe(1 / 5);
  });

  it('the final codes by source add up: 3 accepted + 1 edited (E11.9) + 1 added (N39.0) + 0 other = 5 final codes', () => {
    expect(m.finalSources).toEqual({ accepted: 3, edited: 1, added: 1, other: 0 });
    expect(m.acceptanceRate).toBe(m.finalSources.accepted / m.finalCodes);
    expect(m.rejected).toBe(4);
  });

  it('a final code the coder neither accepted, edited to nor added counts as other', () => {
    const outside = record('n4', '2026-11-30T00:00:00Z', ['I10', 'Z99.89'], [s('s10', 'I10', 0.9, 'accepted')]);
    expect(decisionMetrics([outside]).finalSources).toEqual({ accepted: 1, edited: 0, added: 0, other: 1 });
  });

  it('edit 1/8 and rejection 4/8 of decided suggestions', () => {
    expect(m.editRate).toBe(1 / 8);
    expect(m.rejectionRate).toBe(4 / 8);
  });

  it('lists every offered reject reason by count (legacy ones only when used); the reasonless rejection is in the denominator only', () => {
    expect(m.rejectionReasons).toEqual([
      { reason: 'not_documented', count: 2, share: 0.5 },
      { reason: 'negated', count: 1, share: 0.25 },
      { reason: 'integral', count: 0, share: 0 },
      { reason: 'more_specific', count: 0, share: 0 },
      { reason: 'history_only', count: 0, share: 0 },
      { reason: 'uncertain_outpatient', count: 0, share: 0 },
      { reason: 'other', count: 0, share: 0 },
    ]);
    expect(m.rejectionsWithoutReason).toBe(1);
  });
});

describe('zero denominators give null, never NaN', () => {
  it('no records', () => {
    const m = decisionMetrics([]);
    expect(m).toMatchObject({ notes: 0, suggestions: 0, suggestionsPerNote: null, finalCodes: 0, acceptanceRate: null, editRate: null, rejectionRate: null, addedMissedRate: null });
    expect(m.rejectionReasons.every((r) => r.count === 0 && r.share === null)).toBe(true);
    expect(weeklyTrends([])).toEqual([]);
  });

  it('a note finalized with no codes and only undecided suggestions', () => {
    const r = record('x', '2026-11-24T08:00:00Z', [], [s('a', 'I10', 0.5, 'undecided')]);
    expect(decisionMetrics([r])).toMatchObject({ suggestions: 1, decided: 0, finalCodes: 0, acceptanceRate: null, editRate: null, rejectionRate: null, addedMissedRate: null });
    // One suggestion, no final code: precision is measured (0/1), recall and F1 are not.
    expect(weeklyTrends([r])).toEqual([{ week: '2026-W48', weekStart: '2026-11-23', notes: 1, precision: 0, recall: null, f1: null, acceptanceRate: null }]);
  });

  it('a note the engine had no suggestions for: precision null, recall 0', () => {
    const r = record('y', '2026-11-24T08:00:00Z', ['I10'], [added('I10')]);
    expect(weeklyTrends([r])[0]).toMatchObject({ precision: null, recall: 0, f1: null, acceptanceRate: 0 });
    expect(decisionMetrics([r]).addedMissedRate).toBe(1);
  });
});

describe('weeklyTrends', () => {
  it('W48 (n1, n2): TP 2, FP 5, FN 2 → P 2/7, R 1/2, F1 4/11, acceptance 2/4; W49 (n3): P 1/2, R 1, F1 2/3', () => {
    const weeks = weeklyTrends([n3, n1, n2]);
    expect(weeks.map((w) => [w.week, w.weekStart, w.notes, w.acceptanceRate])).toEqual([
      ['2026-W48', '2026-11-23', 2, 0.5],
      ['2026-W49', '2026-11-30', 1, 1],
    ]);
    expect(weeks[0]!.precision).toBeCloseTo(2 / 7, 12);
    expect(weeks[0]!.recall).toBe(0.5);
    expect(weeks[0]!.f1).toBeCloseTo(4 / 11, 12);
    expect(weeks[1]).toMatchObject({ precision: 0.5, recall: 1 });
    expect(weeks[1]!.f1).toBeCloseTo(2 / 3, 12);
  });
});

describe('isoWeek (UTC, Monday start, week-year of the Thursday)', () => {
  it.each([
    ['2026-11-23T00:00:00Z', '2026-W48', '2026-11-23'],
    ['2026-11-29T23:59:59.999Z', '2026-W48', '2026-11-23'],
    ['2027-01-01T12:00:00Z', '2026-W53', '2026-12-28'],
    ['2024-12-30T00:00:00Z', '2025-W01', '2024-12-30'],
    ['2021-01-03T00:00:00Z', '2020-W53', '2020-12-28'],
    // 00:30 in UTC+01:00 is still Sunday 23:30 UTC.
    ['2026-11-30T00:30:00+01:00', '2026-W48', '2026-11-23'],
  ])('%s → %s starting %s', (at, week, weekStart) => {
    expect(isoWeek(at)).toEqual({ week, weekStart });
  });

  it('names an unparseable date', () => {
    expect(() => isoWeek('yesterday')).toThrow(/not a date-time: yesterday/);
  });
});

describe('weeklyTrends equals scoring each week apart', () => {
  it('matches computeMetrics over each week’s records, with or without precomputed metrics', () => {
    const records = [n1, n2, n3, { ...n1, noteId: 'n4', finalizedAt: '2026-12-02T09:00:00Z' }, { ...n2, noteId: 'n5', finalizedAt: '2026-11-25T09:00:00Z' }];
    const all = computeMetrics(records.map(scoredDocument));
    for (const trends of [weeklyTrends(records), weeklyTrends(records, all)]) {
      for (const w of trends) {
        const micro = computeMetrics(records.filter((r) => isoWeek(r.finalizedAt).week === w.week).map(scoredDocument)).code.micro;
        expect([w.precision, w.recall, w.f1]).toEqual([micro.precision, micro.recall, micro.f1]);
      }
    }
  });

  it('refuses metrics computed over other records', () => {
    expect(() => weeklyTrends([n1, n2], computeMetrics([n2, n1].map(scoredDocument)))).toThrow(/same records, in order/);
  });
});
