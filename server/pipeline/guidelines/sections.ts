// Which sections a code may come from (OCG III.B, IV.A–D, IV.J). When the provider writes an assessment
// or a diagnosis list, that list is what the coder codes: a sign, symptom or finding documented only in
// the history, the review of systems, the exam or the results is not carried into it, and neither is a
// condition named only in the history, a past-history list or the plan: the statement is where the provider
// says which coexisting conditions affect this encounter's care (OCG IV.J; inpatient "other diagnoses", III).
// History, status and drug-therapy Z codes are the exception: they are read from those sections by design
// (OCG I.C.21.c.3–4; history.ts, device-status.ts, drug-therapy.ts), as are external causes, which the
// history tells and the site's policy decides (external-causes.ts, OCG I.C.20).
import { FREE_EXTRAS } from '../../index/lexical-score.ts';
import { titleStems } from '../knowledge.ts';
import { CHRONIC, type Dropped, type RuledCandidate } from '../rules.ts';
import type { SectionName } from '../sections.ts';
import { isExternalCause } from './external-causes.ts';
import { treatingDrug } from './treated-conditions.ts';
import { categoryOf, DIAGNOSTIC_SECTIONS, type GuidelineInput, noteDrop, type StageResult } from './types.ts';

/** Sections of findings: the provider records them, and codes them only by carrying them into the assessment (OCG III.B). */
const FINDING_SECTIONS: ReadonlySet<SectionName> = new Set(['ros', 'physical_exam', 'labs', 'imaging']);

/** Sections that list drugs and allergies: a condition is not coded from its treatment or a reaction list (OCG III.B, IV.D). */
const DRUG_SECTIONS: ReadonlySet<SectionName> = new Set(['medications', 'allergies']);

/**
 * A test named after what it looks for ("stress echocardiogram", "H. pylori stool antigen", "strep test"): the
 * condition word names the test, and a test is not a diagnosis — its result is coded only as the provider
 * interprets it (OCG III.B, IV.K). Matched on the words that end the mention or follow it.
 */
const TEST_NAME = /^(?:tests?|testing|study|studies|echo|echocardiograms?|echocardiography|imaging|scan|screen|screening|panel|titer|assay|antigen|antibod(?:y|ies)|cultures?|swab|pcr|serology|ecg|ekg)$/i;

/**
 * An ECG wave or segment before the word ("ST depressions", "PR depression", "ST elevation", "T-wave
 * inversion"): the tracing's finding, not the condition the word names elsewhere (F32.A for "depression").
 * The provider's interpretation is coded (an MI, or R94.31 abnormal ECG), never the word read on its own.
 */
const ECG_SEGMENT_BEFORE = /\b(?:ST|PR|QT|ST[- ]segment|PR[- ]segment|T[- ]waves?|Q[- ]waves?)[\s-]*$/i;

/** Chapter 18: symptoms, signs and abnormal clinical and laboratory findings (R00–R99). */
export const isSymptomCode = (code: string) => code.startsWith('R');

/** Whether the note has a diagnostic statement (assessment, impression, diagnosis list) with any text. */
export function hasDiagnosticStatement(input: Pick<GuidelineInput, 'sentences'>): boolean {
  return input.sentences.some((s) => DIAGNOSTIC_SECTIONS.has(s.section));
}

/**
 * Whether the diagnostic statement names the condition a code describes: some reading of the statement's
 * words (a resolved or less specific one included) has the code's category ("Heart failure" for the
 * history's I50.22), or is a disease whose title words the code's title contains ("Anemia" D64.9 for the
 * history's "anemia in CKD", D63.1). A symptom in the statement names no disease.
 */
function statedConditions(input: GuidelineInput): (code: string) => boolean {
  const words = (code: string) => titleStems(input.kb, code).filter((w) => !FREE_EXTRAS.has(w));
  // A statement's "History of kidney stone" names a past condition: it does not make the history's "passed a
  // kidney stone in 2019" current (a chronic condition documented as history is current, rules.ts CHRONIC).
  const stated = input.scored.filter((c) => c.mentions.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && !m.context.negated && !m.context.family && !m.context.hypothetical && (!m.context.historical || CHRONIC.test(c.code))));
  const categories = new Set(stated.map((c) => categoryOf(c.code)));
  const diseases = stated.filter((c) => !/^[RZ]/.test(c.code)).map((c) => words(c.code)).filter((w) => w.length > 0);
  return (code) => {
    if (categories.has(categoryOf(code))) return true;
    const own = new Set(words(code));
    return diseases.some((w) => w.every((x) => own.has(x)));
  };
}

/**
 * Example: "ECG: horizontal ST depressions II, III, aVF." — no F32.A. With or without an assessment: a case
 * report's "ST-segment depression" is no more a mood disorder than an office note's.
 */
export function applyEcgFindings(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const text = input.note.text;
  const ecgFinding = (m: RuledCandidate['evidence'][number]) => ECG_SEGMENT_BEFORE.test(text.slice(Math.max(0, m.span.start - 16), m.span.start));
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    // A circulatory reading of those words ("ST elevation MI") is the provider's interpretation: kept.
    if (c.code.startsWith('I') || c.code === 'R94.31' || c.evidence.length === 0 || !c.evidence.every(ecgFinding)) return true;
    dropped.push({ code: c.code, reason: 'read only from an ECG finding ("ST depression"): the tracing is coded as the provider interprets it, not as the word (OCG III.B)' });
    return false;
  });
  return { kept: out, dropped };
}

/**
 * Right before a symptom: what a treatment or an instruction is for ("gabapentin qHS for neuropathic pain", "ibuprofen
 * for pain and fever", "ED precautions for confusion"), up to two words between. Not the reason the patient came
 * ("admitted for evaluation of chest pain", "seen for", "referred for"): that is the encounter's symptom.
 */
const INDICATION = /\b(?:for|prn|as needed for)\s+(?:[a-z-]+\s+){0,2}$/i;
const CAME_FOR = /\b(?:admit\w*|present\w*|evaluat\w*|work-?up|seen|referr\w*|visit|came|comes|here|c\/o|complain\w*)\b[^.;]*$/i;
const namesIndication = (before: string) => INDICATION.test(before) && !CAME_FOR.test(before);

/**
 * Example: "ROS: + cough. … Assessment: 1. COPD with acute exacerbation." — R05.9 (cough, ROS only) is not
 * coded; J44.1 is. A note without an assessment keeps every candidate (nothing to read it against).
 */
export function applySectionPolicy(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  if (!hasDiagnosticStatement(input)) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const text = input.note.text;
  const namesTest = (m: RuledCandidate['evidence'][number]) => {
    const last = /(\w+)\W*$/.exec(m.span.quote)?.[1] ?? '';
    const next = /^[\s-]*(\w+)/.exec(text.slice(m.span.end, m.span.end + 40))?.[1] ?? '';
    return TEST_NAME.test(last) || TEST_NAME.test(next);
  };
  const stated = statedConditions(input);
  const out = kept.filter((c) => {
    if (c.evidence.every(namesTest)) {
      dropped.push({ code: c.code, reason: 'read only from the name of a test ("stress echo", "stool antigen"): a test is not a diagnosis (OCG III.B, IV.K)' });
      return false;
    }
    // A symptom named in the statement only as what a treatment is for ("gabapentin qHS for neuropathic pain",
    // "ibuprofen for pain and fever") is the indication of the drug, not a diagnosis the provider states.
    const symptom = isSymptomCode(c.code);
    if (c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && !(symptom && namesIndication(text.slice(Math.max(0, m.span.start - 40), m.span.start))))) return true;
    if (symptom && c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section))) {
      dropped.push({ code: c.code, reason: 'symptom named in the statement only as what a treatment is for ("… for pain"): not a stated diagnosis (OCG IV.D, I.B.4–5)' });
      return false;
    }
    const sections = [...new Set(c.evidence.map((m) => m.section))];
    if (isSymptomCode(c.code)) {
      dropped.push({ code: c.code, reason: `sign/symptom documented only in ${sections.join(', ')}, not in the assessment (OCG IV.D, I.B.4–5)` });
      return false;
    }
    if (sections.every((s) => DRUG_SECTIONS.has(s))) {
      dropped.push({ code: c.code, reason: `read only from the ${sections.join(', ')} list: a drug or allergy list is not a diagnosis (OCG IV.D)` });
      return false;
    }
    if (sections.every((s) => FINDING_SECTIONS.has(s))) {
      dropped.push({ code: c.code, reason: `finding documented only in ${sections.join(', ')}: coded only when the provider carries it into the assessment (OCG III.B)` });
      return false;
    }
    if (!c.code.startsWith('Z') && !isExternalCause(c.code) && !stated(c.code)) {
      const drug = treatingDrug(c, input);
      if (drug) {
        noteDrop(c, 'treated_condition', `documented in the history and treated during the stay (${drug}): an additional diagnosis (OCG III)`);
        return true;
      }
      dropped.push({ code: c.code, reason: `condition documented only in ${sections.join(', ')}, not in the provider's diagnostic statement (OCG IV.J, III)` });
      return false;
    }
    return true;
  });
  return { kept: out, dropped };
}
