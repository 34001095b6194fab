// MDM elements read from a note: the problems addressed (assessment/plan items), the data reviewed or
// ordered, and the risk of the management chosen — each with the note spans it rests on.

import { applyContext } from '../context.ts';
import { type Section, type SectionName, trimRange } from '../sections.ts';
import { type Sentence, splitSentences } from '../sentences.ts';
import type { EvidenceSpan } from '../types.ts';
import {
  CHRONIC_CUES,
  cueRegex,
  DISCUSSION_CUES,
  DOSE_CUE,
  DRUG_ACTION_CUES,
  EXTERNAL_NOTES_CUES,
  HISTORIAN_CUES,
  INTERPRETATION_CUES,
  NON_PROBLEM_LINE,
  OTC_DRUG_CUES,
  PROBLEM_CUES,
  PROGRESSION_CUES,
  RISK_CUES,
  RISK_FACTOR_CUES,
  RX_DRUG_CUES,
  TEST_CUES,
} from './em-cues.ts';
import { DATA_RULES, type MdmLevel, mdmRank, PROBLEM_KINDS, type ProblemKind, RISK_KINDS, type RiskKind } from './em-table.ts';

export interface MdmReason {
  /** Problem kind, data item kind or risk kind. */
  kind: string;
  label: string;
  evidence: EvidenceSpan[];
}

export interface MdmElement {
  level: MdmLevel;
  reasons: MdmReason[];
}

export interface MdmElements {
  problems: MdmElement;
  data: MdmElement;
  risk: MdmElement;
}

const ASSESSMENT_SECTIONS: ReadonlySet<SectionName> = new Set(['assessment', 'assessment_plan', 'diagnoses', 'discharge_diagnoses']);
// History-taking sections: what is written there happened before today's decision making.
export const HISTORY_SECTIONS: ReadonlySet<SectionName> = new Set(['chief_complaint', 'hpi', 'pmh', 'psh', 'family_history', 'social_history', 'medications', 'allergies', 'ros']);

const LIST_MARKER = /^\s*(?:[-*•·▪◦‣–—]|\(?\d{1,3}[.)]|\(?[A-Za-z]\)|#\d*)\s+/u;

const RE = {
  chronic: cueRegex(CHRONIC_CUES),
  progression: cueRegex(PROGRESSION_CUES),
  historian: cueRegex(HISTORIAN_CUES),
  external: cueRegex(EXTERNAL_NOTES_CUES),
  interpretation: cueRegex(INTERPRETATION_CUES),
  discussion: cueRegex(DISCUSSION_CUES),
  drugAction: cueRegex(DRUG_ACTION_CUES),
  otc: cueRegex(OTC_DRUG_CUES),
  isOtc: cueRegex(OTC_DRUG_CUES, 'iu'),
  rx: cueRegex(RX_DRUG_CUES),
  dose: cueRegex([DOSE_CUE]),
  problems: PROBLEM_CUES.map((p) => ({ kind: p.kind, re: cueRegex(p.cues) })),
  risks: RISK_CUES.map((r) => ({ kind: r.kind, re: cueRegex(r.cues) })),
  riskFactor: cueRegex(RISK_FACTOR_CUES),
  tests: TEST_CUES.map((t) => ({ key: t.key, re: cueRegex([t.cue]) })),
};

function span(text: string, start: number, end: number): EvidenceSpan {
  return { start, end, quote: text.slice(start, end) };
}

/** Live matches of `re` in `sentence`: not negated, not hypothetical, not about family (ConText). */
function liveMatches(text: string, sentence: { start: number; text: string }, re: RegExp, section?: SectionName): RegExpExecArray[] {
  const matches = [...sentence.text.matchAll(re)].filter((m) => m[0].length > 0);
  if (matches.length === 0) return [];
  const status = applyContext(sentence.text, matches.map((m) => ({ start: m.index, end: m.index + m[0].length })), { section });
  return matches.filter((_, i) => !status[i]!.negated && !status[i]!.hypothetical && !status[i]!.family);
}

function atLeast(a: MdmLevel, b: MdmLevel): MdmLevel {
  return mdmRank(a) >= mdmRank(b) ? a : b;
}

// SOAP notes write "A:" and "P:", which the section splitter does not take as headers (one letter is too
// ambiguous engine-wide); without an assessment section the "A:" block is read, else the plan's items.
const SOAP_ASSESSMENT = /^[ \t]*A[ \t]*:/m;
const SOAP_ASSESSMENT_END = /^[ \t]*(?:P|Plan|Dispo\w*|Follow[- ]?up)[ \t]*:/im;

function assessmentRanges(text: string, sections: readonly Section[]): { start: number; end: number }[] {
  const ranges = sections.filter((s) => ASSESSMENT_SECTIONS.has(s.name));
  if (ranges.length > 0) return ranges;
  const soap = SOAP_ASSESSMENT.exec(text);
  if (soap) {
    const from = soap.index + soap[0].length;
    const end = SOAP_ASSESSMENT_END.exec(text.slice(from));
    return [{ start: from, end: end ? from + end.index : text.length }];
  }
  return sections.filter((s) => s.name === 'plan');
}

/** Assessment items: numbered or bulleted lines, or each line, of the assessment sections. */
export function assessmentItems(text: string, sections: readonly Section[]): { start: number; end: number; text: string }[] {
  const items: { start: number; end: number; text: string; numbered: boolean }[] = [];
  for (const section of assessmentRanges(text, sections)) {
    let offset = section.start;
    for (const line of text.slice(section.start, section.end).split('\n')) {
      const lineStart = offset;
      offset += line.length + 1;
      const marker = LIST_MARKER.exec(line);
      const body = trimRange(text, lineStart + (marker?.[0].length ?? 0), lineStart + line.length);
      if (body.start === body.end) continue;
      const bodyText = text.slice(body.start, body.end);
      const last = items.at(-1);
      // An unmarked line that starts in lower case continues the item above; so does an indented bullet under
      // a numbered item ("1. Thyroid nodule\n   - TSH ordered."): it is that problem's plan, not a problem.
      const subBullet = marker !== null && /^[ \t]+[-*•·▪◦‣–—]/u.test(line) && last?.numbered === true;
      if ((!marker && last && /^\p{Ll}/u.test(bodyText)) || subBullet) {
        last.end = body.end;
        last.text = text.slice(last.start, last.end);
        continue;
      }
      if (NON_PROBLEM_LINE.test(bodyText)) continue;
      items.push({ ...body, text: bodyText, numbered: marker !== null && /\d/.test(marker[0]) });
    }
  }
  return items.map(({ start, end, text: itemText }) => ({ start, end, text: itemText }));
}

// The diagnosis an item names comes first ("T2DM, controlled - discussed fracture healing"); kind cues are
// read there so that plan wording does not re-classify the problem. Status and work-up wording is read anywhere.
const ITEM_HEAD_END = /\s[-–—:]\s|[.;](?:\s|$)/;
const WHOLE_ITEM_KINDS: ReadonlySet<ProblemKind> = new Set(['undiagnosed_uncertain']);

/** Kind of one assessment item. Example: "T2DM, poorly controlled - A1c up to 9.4%" → chronic_progressing. */
export function classifyProblem(item: string): ProblemKind {
  const cut = ITEM_HEAD_END.exec(item);
  const head = { start: 0, text: cut ? item.slice(0, cut.index) : item };
  const whole = { start: 0, text: item };
  for (const { kind, re } of RE.problems) {
    if (liveMatches(item, WHOLE_ITEM_KINDS.has(kind) ? whole : head, re).length > 0) return kind;
  }
  const chronic = liveMatches(item, head, RE.chronic).length > 0;
  if (chronic) return liveMatches(item, whole, RE.progression).length > 0 ? 'chronic_progressing' : 'chronic_stable';
  if (/\b(?:exacerbation|flare)\b/i.test(item)) return 'chronic_progressing';
  return 'acute_uncomplicated';
}

const PAST_CONDITION = /^(?:h\/o|hx of|history of|personal history of|past history of|s\/p|status post|remote history)\b/i;

export function scoreProblems(text: string, sections: readonly Section[]): MdmElement {
  // "History of tobacco dependence", "s/p appendectomy": a past condition listed is not a problem addressed.
  const reasons: MdmReason[] = assessmentItems(text, sections).filter((item) => !PAST_CONDITION.test(item.text)).map((item) => {
    const kind = classifyProblem(item.text);
    return { kind, label: PROBLEM_KINDS[kind].label, evidence: [span(text, item.start, item.end)] };
  });
  let level: MdmLevel = 'straightforward';
  for (const r of reasons) level = atLeast(level, PROBLEM_KINDS[r.kind as ProblemKind].level);
  const count = (kind: ProblemKind): number => reasons.filter((r) => r.kind === kind).length;
  // Two or more stable chronic illnesses reach moderate; two or more minor or acute problems reach low.
  if (count('chronic_stable') >= 2) level = atLeast(level, 'moderate');
  if (count('minor') >= 2) level = atLeast(level, 'low');
  return { level, reasons };
}

// Labels of today's work ("ED course:", "MDM:", "Treatment in clinic:") that the section splitter does not
// know, so their lines fall into the section above (often the HPI). A labelled block runs to the next label.
const DECISION_LABEL = /^[ \t]*(?:ed course|clinical course|course|mdm|medical decision making|results?|data|data reviewed|(?:external|outside) records?|records?(?: reviewed)?|labs?(?: reviewed)?|imaging|radiology|ecg|ekg|cxr|ct|x-?ray|xr|orders?|disposition|dispo|procedure|treatment|(?:in-office|clinic|office) treatment|treatment in (?:clinic|office)|administration|interventions?)\b[^:\n]{0,30}:/i;
const ANY_LABEL = /^[ \t]*[A-Za-z][A-Za-z /&()-]{0,30}:/;

/** Ranges of labelled decision blocks. Example: "HPI: pain\nED course: CT ordered" → the "ED course" line. */
export function decisionBlocks(text: string): { start: number; end: number }[] {
  const blocks: { start: number; end: number }[] = [];
  let offset = 0;
  let open: { start: number; end: number } | null = null;
  for (const line of text.split('\n')) {
    const lineEnd = offset + line.length;
    if (DECISION_LABEL.test(line)) {
      open = { start: offset, end: lineEnd };
      blocks.push(open);
    } else if (ANY_LABEL.test(line)) open = null;
    else if (open) open.end = lineEnd;
    offset = lineEnd + 1;
  }
  return blocks;
}

/** Sentences about today's decisions: outside the history sections, or inside a labelled decision block. */
export function decisionSentences(text: string, sections: readonly Section[]): Sentence[] {
  const blocks = decisionBlocks(text);
  return splitSentences(text, sections).filter((s) => !HISTORY_SECTIONS.has(s.section) || blocks.some((b) => s.start >= b.start && s.start < b.end));
}


export function scoreData(text: string, sections: readonly Section[]): MdmElement {
  const all = splitSentences(text, sections);
  const decisions = decisionSentences(text, sections);
  const tests = new Map<string, EvidenceSpan>();
  const external: EvidenceSpan[] = [];
  const interpretation: EvidenceSpan[] = [];
  const discussion: EvidenceSpan[] = [];
  for (const s of decisions) {
    for (const { key, re } of RE.tests) {
      for (const m of liveMatches(text, s, re, s.section)) {
        // Imaging is keyed by body part ("ct head" and "ct chest" are two unique tests).
        const unique = key === 'ct' || key === 'mri' || key === 'xr' ? `${key}:${m[0].toLowerCase().replace(/\s+/g, ' ')}` : key;
        if (!tests.has(unique)) tests.set(unique, span(text, s.start + m.index, s.start + m.index + m[0].length));
      }
    }
    for (const m of liveMatches(text, s, RE.external, s.section)) external.push(span(text, s.start + m.index, s.start + m.index + m[0].length));
    for (const m of liveMatches(text, s, RE.interpretation, s.section)) interpretation.push(span(text, s.start + m.index, s.start + m.index + m[0].length));
    for (const m of liveMatches(text, s, RE.discussion, s.section)) discussion.push(span(text, s.start + m.index, s.start + m.index + m[0].length));
  }
  // The historian is usually named in the HPI, so every section is read for it.
  const historian: EvidenceSpan[] = [];
  for (const s of all) for (const m of liveMatches(text, s, RE.historian)) historian.push(span(text, s.start + m.index, s.start + m.index + m[0].length));

  const reasons: MdmReason[] = [];
  for (const [key, ev] of tests) reasons.push({ kind: 'unique_test', label: `unique test ordered or reviewed (${key})`, evidence: [ev] });
  if (external.length) reasons.push({ kind: 'external_notes', label: 'external notes reviewed', evidence: [external[0]!] });
  if (historian.length) reasons.push({ kind: 'independent_historian', label: 'assessment needing an independent historian', evidence: [historian[0]!] });
  if (interpretation.length) reasons.push({ kind: 'independent_interpretation', label: 'independent interpretation of a test', evidence: [interpretation[0]!] });
  if (discussion.length) reasons.push({ kind: 'discussion', label: 'management discussed with an external physician or professional', evidence: [discussion[0]!] });

  const category1 = tests.size + (external.length ? 1 : 0) + (historian.length ? 1 : 0);
  const categoriesMet = (category1 >= DATA_RULES.moderateCategory1 ? 1 : 0) + (interpretation.length ? 1 : 0) + (discussion.length ? 1 : 0);
  let level: MdmLevel = 'straightforward';
  if (category1 >= DATA_RULES.limitedCategory1 || historian.length) level = 'low';
  if (categoriesMet >= 1) level = 'moderate';
  if (categoriesMet >= DATA_RULES.extensiveCategories) level = 'high';
  return { level, reasons };
}

export function scoreRisk(text: string, sections: readonly Section[]): MdmElement {
  const reasons: MdmReason[] = [];
  const seen = new Set<RiskKind>();
  const add = (kind: RiskKind, ...evidence: EvidenceSpan[]): void => {
    if (seen.has(kind)) return;
    seen.add(kind);
    reasons.push({ kind, label: RISK_KINDS[kind].label, evidence });
  };
  const sentences = decisionSentences(text, sections);
  // Risk factors named in the sentence of a surgical decision or the one on either side of it.
  const riskFactorNear = (i: number): EvidenceSpan | null => {
    for (const s of sentences.slice(Math.max(0, i - 1), i + 2)) {
      const m = liveMatches(text, s, RE.riskFactor, s.section)[0];
      if (m) return span(text, s.start + m.index, s.start + m.index + m[0].length);
    }
    return null;
  };
  for (const [i, s] of sentences.entries()) {
    for (const { kind, re } of RE.risks) {
      const m = liveMatches(text, s, re, s.section)[0];
      if (!m) continue;
      const ev = span(text, s.start + m.index, s.start + m.index + m[0].length);
      const factor = kind === 'elective_major_surgery' || kind === 'minor_surgery' ? riskFactorNear(i) : null;
      if (factor) add(kind === 'minor_surgery' ? 'minor_surgery_with_risk' : 'elective_major_surgery_with_risk', ev, factor);
      else add(kind, ev);
    }
    const otcAlone = liveMatches(text, s, RE.otc, s.section)[0];
    if (liveMatches(text, s, RE.drugAction, s.section).length === 0) {
      // "ibuprofen OTC, salt water gargles": an OTC recommendation needs no verb; a prescription drug does.
      if (otcAlone && s.section !== 'physical_exam') add('otc_drug', span(text, s.start + otcAlone.index, s.start + otcAlone.index + otcAlone[0].length));
      continue;
    }
    const rx = liveMatches(text, s, RE.rx, s.section).filter((m) => !RE.isOtc.test(m[0]));
    const doses = liveMatches(text, s, RE.dose, s.section);
    const otc = liveMatches(text, s, RE.otc, s.section);
    if (rx[0]) add('prescription_drug', span(text, s.start + rx[0].index, s.start + rx[0].index + rx[0][0].length));
    else if (otc[0]) add('otc_drug', span(text, s.start + otc[0].index, s.start + otc[0].index + otc[0][0].length));
    else if (doses[0] && s.section !== 'physical_exam') add('prescription_drug', span(text, s.start + doses[0].index, s.start + doses[0].index + doses[0][0].length));
  }
  let level: MdmLevel = 'straightforward';
  for (const r of reasons) level = atLeast(level, RISK_KINDS[r.kind as RiskKind].level);
  return { level, reasons };
}

/** The three MDM elements of a note. */
export function readMdm(text: string, sections: readonly Section[]): MdmElements {
  return { problems: scoreProblems(text, sections), data: scoreData(text, sections), risk: scoreRisk(text, sections) };
}
