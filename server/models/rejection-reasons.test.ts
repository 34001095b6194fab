// What each rejection reason teaches, through the real learner (pipeline/learn.ts) and the real engine on a
// small code set: decision records as finalizing writes them → decisionNotes → learnModel → suggestCodes.
import { describe, expect, it } from 'vitest';
import type { SuggestionOutcome } from '../../eval/decision-record.ts';
import type { GoldCode } from '../db/schema/index.ts';
import type { RejectReason } from '../db/schema/review.ts';
import type { DictionaryTerm } from '../pipeline/dictionary.ts';
import { buildKnowledge, type CodeInfo } from '../pipeline/knowledge.ts';
import { learnModel } from '../pipeline/learn.ts';
import type { LearnedModel } from '../pipeline/learned.ts';
import { suggestCodes } from '../pipeline/run.ts';
import { decisionNotes, rejectionOf, type DecisionRecordInput } from './decision-notes.ts';

const CODES: CodeInfo[] = [
  { code: 'W19.XXXA', billable: true, title: 'Unspecified fall, initial encounter', parent: null },
  { code: 'E78.5', billable: true, title: 'Hyperlipidemia, unspecified', parent: null },
  { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
  { code: 'R53.83', billable: true, title: 'Other fatigue', parent: null },
  { code: 'D64.9', billable: true, title: 'Anemia, unspecified', parent: null },
  { code: 'C61', billable: true, title: 'Malignant neoplasm of prostate', parent: null },
  { code: 'Z85.46', billable: true, title: 'Personal history of malignant neoplasm of prostate', parent: null },
  { code: 'E11.9', billable: true, title: 'Type 2 diabetes mellitus without complications', parent: null },
  { code: 'E11.65', billable: true, title: 'Type 2 diabetes mellitus with hyperglycemia', parent: null },
];
const TERMS: DictionaryTerm[] = [
  { code: 'W19.XXXA', kind: 'index', text: 'Fall, falling', path: ['Fall, falling'], modifiers: [''] },
  { code: 'E78.5', kind: 'index', text: 'Hyperlipidemia', path: ['Hyperlipidemia'], modifiers: [''] },
  { code: 'I10', kind: 'index', text: 'Hypertension, hypertensive', path: ['Hypertension, hypertensive'], modifiers: ['(essential)'] },
  { code: 'R53.83', kind: 'index', text: 'Fatigue', path: ['Fatigue'], modifiers: [''] },
  { code: 'D64.9', kind: 'index', text: 'Anemia', path: ['Anemia'], modifiers: [''] },
  { code: 'C61', kind: 'index', text: 'Cancer, prostate', path: ['Cancer', 'prostate'], modifiers: ['', ''] },
  { code: 'E11.9', kind: 'index', text: 'Diabetes, diabetic, type 2', path: ['Diabetes, diabetic', 'type 2'], modifiers: ['(mellitus)', ''] },
];
const kb = buildKnowledge('test', CODES, [], TERMS);
const DOS = '2026-03-02';
const TITLES = new Map(CODES.map((c) => [c.code, c.title]));

/**
 * What the engine suggests for `text` with `model` (ICD-10-CM codes). This site reports external cause codes on
 * outpatient claims (EXTERNAL_CAUSE_CODES=all; the default leaves them to inpatient records, OCG I.C.20), so the
 * fall is shown and its coders' rejections are what the model learns from.
 */
const suggested = (text: string, model: LearnedModel | null) =>
  suggestCodes({ text, encounter: { setting: 'outpatient', dateOfService: DOS } }, kb, model, undefined, { externalCauses: 'all' })
    .suggestions.filter((s) => s.system === 'ICD10CM')
    .map((s) => s.code)
    .sort();

/**
 * A coder's finalized note: every suggestion in `truth` accepted, the others rejected with `reason`, and the
 * codes of `truth` the engine missed added (without a selection, as a coder who types the code does).
 */
function record(key: string, text: string, truth: readonly string[], reason: RejectReason, reasonText?: string): DecisionRecordInput {
  const shown = suggested(text, null);
  const outcomes: SuggestionOutcome[] = [
    ...shown.map((code, i): SuggestionOutcome => ({
      suggestionId: `${key}-${i}`,
      system: 'ICD10CM',
      code,
      confidence: 0.5,
      ...(truth.includes(code) ? { outcome: 'accepted' as const } : { outcome: 'rejected' as const, reason, reasonText: reasonText ?? null }),
    })),
    ...truth.filter((c) => !shown.includes(c)).map((code): SuggestionOutcome => ({ suggestionId: null, system: 'ICD10CM', code, confidence: null, outcome: 'added' })),
  ];
  const gold: GoldCode[] = truth.map((code) => ({ system: 'ICD10CM', code, description: TITLES.get(code), principal: false, evidence: [] }));
  return { recordKey: key, text, encounter: { setting: 'outpatient', dateOfService: DOS }, gold, outcomes };
}

/** Learns from the records as learnFromDecisions does (exact code match stands in for vintage alignment). */
function learn(records: readonly DecisionRecordInput[]): LearnedModel {
  const { notes } = decisionNotes(records);
  const labelled = notes.map((n) => ({ id: n.id, note: { text: n.text, encounter: n.encounter }, gold: n.gold, selected: n.selected, rejected: n.rejected }));
  return learnModel('site', labelled, kb, (code, gold) => gold.has(code), { keepGuidelineInputs: true }).model;
}

const many = (n: number, f: (i: number) => DecisionRecordInput) => Array.from({ length: n }, (_, i) => f(i));

describe('what a rejection reason teaches the learner', () => {
  // A screening line the context rules read as an affirmed fall ("fall risk" is hypothetical now; a screening
  // score is not yet), and real falls on other notes.
  const SCREENING = 'Screening: fall score 0, low.\nHyperlipidemia.';
  const FELL = 'Patient had a fall at home yesterday.\nHyperlipidemia.';
  const site = (reason: RejectReason) => [
    ...many(20, (i) => record(`s${i}`, SCREENING, ['E78.5'], reason)),
    ...many(6, (i) => record(`f${i}`, FELL, ['E78.5', 'W19.XXXA'], reason)),
  ];

  it('the shipped engine suggests the fall on both wordings', () => {
    expect(suggested(SCREENING, null)).toEqual(['E78.5', 'W19.XXXA']);
    expect(suggested(FELL, null)).toEqual(['E78.5', 'W19.XXXA']);
  });

  it('"negated": a negative for that wording only — the fall stays where a note documents one', () => {
    const model = learn(site('negated'));
    expect(suggested(SCREENING, model)).toEqual(['E78.5']);
    expect(suggested(FELL, model)).toEqual(['E78.5', 'W19.XXXA']);
  });

  it('"not documented": a plain negative for the code on the words that found it, whatever their wording', () => {
    const model = learn(site('not_documented'));
    expect(suggested(SCREENING, model)).toEqual(['E78.5']);
    expect(suggested(FELL, model)).toEqual(['E78.5']);
  });

  it('"integral": a negative only when the diagnosis named as covering it is on the note (OCG I.B.5)', () => {
    const ANEMIA = 'Fatigue.\nAnemia.';
    const HTN = 'Fatigue.\nHypertension.';
    expect(suggested(ANEMIA, null)).toEqual(['D64.9', 'R53.83']);
    const model = learn([
      ...many(15, (i) => record(`a${i}`, ANEMIA, ['D64.9'], 'integral', 'part of the anemia (D64.9)')),
      ...many(15, (i) => record(`h${i}`, HTN, ['I10', 'R53.83'], 'integral')),
    ]);
    expect(suggested(ANEMIA, model)).toEqual(['D64.9']);
    expect(suggested(HTN, model)).toEqual(['I10', 'R53.83']);
    // Read as a plain negative, the same decisions would cost the fatigue beside hypertension half its counts.
    expect(model.code.get('R53.83')).toEqual({ tp: 15, fp: 0 });
  });

  it('"history only": the current code is dropped in that wording and the coder\'s history code is learned on its words', () => {
    const PAST = 'Prostate cancer - treated 2015.\nHypertension.';
    const ACTIVE = 'Prostate cancer, biopsy confirmed today.\nHypertension.';
    expect(suggested(PAST, null)).toEqual(['C61', 'I10']);
    const model = learn([
      ...many(20, (i) => record(`p${i}`, PAST, ['I10', 'Z85.46'], 'history_only')),
      ...many(6, (i) => record(`c${i}`, ACTIVE, ['C61', 'I10'], 'history_only')),
    ]);
    expect(suggested(PAST, model)).toEqual(['I10', 'Z85.46']);
    expect(suggested(ACTIVE, model)).toContain('C61');
  });

  it('"more specific applies": the unspecified code is a negative and the coder\'s specific code a positive on its words', () => {
    const NOTE = 'Type 2 diabetes, sugars running high.\nHyperlipidemia.';
    expect(suggested(NOTE, null)).toEqual(['E11.9', 'E78.5']);
    const records = many(20, (i) => record(`d${i}`, NOTE, ['E11.65', 'E78.5'], 'more_specific'));
    expect(decisionNotes(records).notes[0]!.rejected).toEqual([{ code: 'E11.9', scope: 'plain', replacedBy: ['E11.65'] }]);
    expect(suggested(NOTE, learn(records))).toEqual(['E11.65', 'E78.5']);
  });

  it('maps the reasons from what the record carries', () => {
    const gold: GoldCode[] = [
      { system: 'ICD10CM', code: 'D64.9', description: 'Anemia, unspecified' },
      { system: 'ICD10CM', code: 'I10', description: 'Essential (primary) hypertension' },
      { system: 'ICD10CM', code: 'Z85.46', description: 'Personal history of malignant neoplasm of prostate' },
      { system: 'CPT', code: '99213' },
    ];
    const r = { gold, corrected: new Set(['Z85.46']) };
    expect(rejectionOf('R53.83', 'integral', 'with d64.9', r)).toEqual({ code: 'R53.83', scope: 'covered', coveredBy: ['D64.9'] });
    // No code named: every other final diagnosis may be the covering one.
    expect(rejectionOf('R53.83', 'integral', null, r)).toEqual({ code: 'R53.83', scope: 'covered', coveredBy: ['D64.9', 'I10', 'Z85.46'] });
    expect(rejectionOf('C61', 'history_only', null, r)).toEqual({ code: 'C61', scope: 'context', replacedBy: ['Z85.46'] });
    expect(rejectionOf('R50.9', 'uncertain_outpatient', null, r)).toEqual({ code: 'R50.9', scope: 'context' });
    expect(rejectionOf('E11.9', 'more_specific', null, r)).toEqual({ code: 'E11.9', scope: 'plain', replacedBy: [] });
    expect(rejectionOf('W19.XXXA', 'other', 'not a fall', r)).toEqual({ code: 'W19.XXXA', scope: 'plain' });
  });

  it('CPT and HCPCS line outcomes are counted as skipped and teach nothing; they do not count as decisions', () => {
    const base = record('n1', SCREENING, ['E78.5'], 'not_documented');
    const withLines: DecisionRecordInput = {
      ...base,
      gold: [...base.gold, { system: 'CPT', code: '99213', line: { units: 1, modifiers: [], diagnosisPointers: ['E78.5'] } }],
      outcomes: [
        ...base.outcomes,
        { suggestionId: 'em', system: 'CPT', code: '99214', confidence: 0.6, outcome: 'rejected', reason: 'other', reasonText: 'MDM is low' },
        { suggestionId: null, system: 'CPT', code: '99213', confidence: null, outcome: 'added' },
        { suggestionId: 'drug', system: 'HCPCS', code: 'J1100', confidence: 0.7, outcome: 'accepted', line: { units: 2, modifiers: [], diagnosisPointers: ['E78.5'] } },
      ],
    };
    const plain = decisionNotes([base]);
    const lined = decisionNotes([withLines]);
    expect(lined.counts).toEqual({ ...plain.counts, 'skipped:CPT': 2, 'skipped:HCPCS': 1 });
    expect(lined.decisions).toBe(plain.decisions);
    expect(lined.notes[0]).toMatchObject({ gold: plain.notes[0]!.gold, rejected: plain.notes[0]!.rejected, procedures: [] });
  });
});
