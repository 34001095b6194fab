import { describe, expect, it } from 'vitest';
import { DecisionRecordSchema, scoredDocument, type DecisionRecord, type SuggestionOutcome } from './decision-record.ts';
import { computeMetrics } from './metrics.ts';

const cm = (code: string) => ({ system: 'ICD10CM' as const, code });
const s = (id: string, code: string, confidence: number, outcome: SuggestionOutcome['outcome'], extra: Partial<SuggestionOutcome> = {}): SuggestionOutcome => ({
  suggestionId: id,
  ...cm(code),
  confidence,
  outcome,
  ...extra,
});

// n1: final {I10, E11.9, N39.0}. I10 accepted (0.9); J18.9 rejected (0.8); E11.65 edited to E11.9 (0.7);
// R51 undecided (0.3); N39.0 added by the coder.  n2: final {I10}; I10 accepted; Z00.00 rejected (negated).
const n1: DecisionRecord = {
  noteId: 'n1',
  coderId: 'coder-1',
  finalizedAt: '2026-11-23T10:00:00Z',
  setting: 'inpatient',
  gold: [{ ...cm('I10'), principal: true, evidence: [{ start: 0, end: 12, quote: 'Hypertension' }] }, cm('E11.9'), cm('N39.0')],
  outcomes: [
    s('s1', 'I10', 0.9, 'accepted'),
    s('s3', 'E11.65', 0.7, 'edited', { editedTo: cm('E11.9') }),
    s('s2', 'J18.9', 0.8, 'rejected', { reason: 'not_documented', reasonText: 'no imaging' }),
    s('s4', 'R51', 0.3, 'undecided'),
    { suggestionId: null, ...cm('N39.0'), confidence: null, outcome: 'added' },
  ],
  versions: [{ engine: 'offline-1', prompt: null, model: null, embedder: 'glove-100d' }],
};
const n2: DecisionRecord = { ...n1, noteId: 'n2', gold: [cm('I10')], outcomes: [s('s5', 'I10', 0.95, 'accepted'), s('s6', 'Z00.00', 0.5, 'rejected', { reason: 'negated' })] };
const added = (code: string): SuggestionOutcome => ({ suggestionId: null, ...cm(code), confidence: null, outcome: 'added' });
const worked = [n1, n2];

describe('DecisionRecordSchema', () => {
  it('accepts the worked records unchanged', () => {
    for (const r of worked) expect(DecisionRecordSchema.parse(r)).toEqual(r);
  });

  it('refuses an added code that names a suggestion, and a suggestion outcome without one', () => {
    expect(DecisionRecordSchema.safeParse({ ...n1, outcomes: [{ ...added('N39.0'), suggestionId: 's9' }] }).success).toBe(false);
    expect(DecisionRecordSchema.safeParse({ ...n1, outcomes: [{ ...s('s1', 'I10', 0.9, 'accepted'), suggestionId: null }] }).success).toBe(false);
  });

  it('refuses an unknown reject reason, a confidence above 1 and a date without a time zone', () => {
    expect(DecisionRecordSchema.safeParse({ ...n2, outcomes: [s('s6', 'Z00.00', 0.5, 'rejected', { reason: 'boring' as never })] }).success).toBe(false);
    expect(DecisionRecordSchema.safeParse({ ...n2, outcomes: [s('s5', 'I10', 1.5, 'accepted')] }).success).toBe(false);
    expect(DecisionRecordSchema.safeParse({ ...n2, finalizedAt: '2026-11-29 10:00' }).success).toBe(false);
  });
});

describe('scoredDocument', () => {
  it('gold = final codes; predicted = suggestions only (not the added N39.0), by confidence desc', () => {
    const doc = scoredDocument(n1);
    expect(doc.gold).toEqual([cm('I10'), cm('E11.9'), cm('N39.0')]);
    expect(doc.predicted.map((p) => p.code)).toEqual(['I10', 'J18.9', 'E11.65', 'R51']);
  });

  it('scores an edited suggestion as its original code: n1 has TP 1 (I10), FP 3, FN 2 (E11.9, N39.0)', () => {
    expect(computeMetrics([scoredDocument(n1)]).code.micro).toMatchObject({ tp: 1, fp: 3, fn: 2 });
  });
});

describe('scoredDocument ties', () => {
  it('keeps engine order for equal confidences and ranks a missing confidence last', () => {
    const r = { ...n2, outcomes: [s('a', 'R51', 0.5, 'undecided'), { ...s('b', 'I10', 0.5, 'accepted'), confidence: null }, s('c', 'Z00.00', 0.5, 'rejected')] };
    expect(scoredDocument(r).predicted.map((p) => p.code)).toEqual(['R51', 'Z00.00', 'I10']);
  });
});
