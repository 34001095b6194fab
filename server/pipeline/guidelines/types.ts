// Shapes shared by the guideline stages: each stage takes the candidates a coder would see and returns
// the ones the ICD-10-CM Official Guidelines (OCG FY2026) keep, the ones they drop (with the reason) and
// the codes they add (combination codes, Z codes), each with evidence spans into the note.
import type { AnalysedSentence, CandidateMention } from '../candidates.ts';
import type { Knowledge } from '../knowledge.ts';
import type { Dropped, RuledCandidate, ScoredCandidate } from '../rules.ts';
import { DIAGNOSTIC_SECTIONS, type SectionName } from '../sections.ts';
import type { NoteInput } from '../types.ts';
import type { ExternalCausePolicy } from './external-causes.ts';

export interface GuidelineInput {
  note: NoteInput;
  sentences: readonly AnalysedSentence[];
  kb: Knowledge;
  /** Every scored candidate before the context rules: family and historical mentions included. */
  scored: readonly ScoredCandidate[];
  /**
   * The confidence a dictionary reading needs to be suggested (the learned threshold): a stage that derives a
   * code from a reading the context rules set aside (a family or past condition) asks the same of it.
   */
  threshold?: number;
  /** Which encounters get chapter 20 external cause codes (external-causes.ts; default inpatient only). */
  externalCauses?: ExternalCausePolicy;
}

export interface StageResult {
  kept: RuledCandidate[];
  dropped: Dropped[];
}

export type GuidelineStage = (kept: RuledCandidate[], input: GuidelineInput) => StageResult;

/** Where the provider states diagnoses (defined beside the section names). */
export { DIAGNOSTIC_SECTIONS };

/** The kind of mention a guideline stage adds: learned layer and rationale show it apart. */
export const GUIDELINE_KIND = 'guideline';

/** A mention that a guideline stage derived from a sentence span (not a dictionary match). */
export function derivedMention(sentence: AnalysedSentence, start: number, end: number, note: string, termText: string, termCode: string): CandidateMention {
  return {
    span: { start, end, quote: note.slice(start, end) },
    sentenceIndex: sentence.index,
    section: sentence.section,
    context: { negated: false, uncertain: false, historical: false, family: false, hypothetical: false },
    termText,
    termKind: GUIDELINE_KIND,
    termCode,
    size: 3,
    gaps: 0,
    optionalHits: 0,
    subsumed: false,
  };
}

/** A candidate a guideline adds, ready to be suggested. */
export function derivedCandidate(code: string, evidence: CandidateMention[], confidence: number, rule: string, detail: string): RuledCandidate {
  return {
    code,
    kind: 'final',
    mentions: evidence,
    evidence,
    confidence,
    rules: [{ rule, detail }],
    context: { negated: false, uncertain: false, historical: false, family: false, hypothetical: false },
    reminders: [],
  };
}

/** The candidate read again as `code` (a sibling, the combination's other form), the change recorded on it. */
export function recoded(c: RuledCandidate, code: string, rule: string, detail: string): RuledCandidate {
  const out = { ...c, code, rules: [...c.rules] };
  noteDrop(out, rule, detail);
  return out;
}

/** The billable sibling of a code with the given title (compared in lower case). */
export function siblingTitled(kb: Knowledge, code: string, title: string): string | undefined {
  const wanted = title.toLowerCase();
  const parent = kb.codes.get(code)?.parent;
  return (parent ? (kb.children.get(parent) ?? []) : []).find((x) => x !== code && kb.codes.get(x)?.billable && kb.codes.get(x)?.title.toLowerCase() === wanted);
}

/** Records on `kept` why `other` was dropped, so the coder sees it and can restore it. */
export function noteDrop(kept: RuledCandidate, rule: string, detail: string): void {
  if (!kept.rules.some((r) => r.rule === rule && r.detail === detail)) kept.rules.push({ rule, detail });
}

export const categoryOf = (code: string) => code.slice(0, 3);

/** A candidate's readings where the provider states the diagnoses, when it is read there; else all of them. */
export function statementEvidence(c: RuledCandidate): CandidateMention[] {
  const inStatement = c.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section));
  return inStatement.length ? inStatement : c.evidence;
}
/**
 * Another category of the same block, by the first two characters (E03 and E06, thyroid; E43 and E46,
 * malnutrition): near enough for the classification's blocks, which run in tens within a chapter letter.
 */
export const otherCategoryOfBlock = (a: string, b: string) => a.slice(0, 2) === b.slice(0, 2) && categoryOf(a) !== categoryOf(b);

/** Whether `code` falls in "A00-B99"-style ranges (categories compared, inclusive). */
export function inRanges(code: string, ranges: readonly (readonly [string, string])[]): boolean {
  const cat = categoryOf(code);
  return ranges.some(([a, b]) => cat >= a.slice(0, 3) && cat <= b.slice(0, 3) && (a.length <= 3 || code >= a) && (b.length <= 3 || code.slice(0, b.length) <= b));
}
