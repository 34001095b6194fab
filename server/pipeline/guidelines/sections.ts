// Which sections a code may come from (OCG III.B, IV.A–D, IV.J). When the provider writes an assessment
// or a diagnosis list, that list is what the coder codes: a sign, symptom or finding documented only in
// the history, the review of systems, the exam or the results is not carried into it.
import type { Dropped, RuledCandidate } from '../rules.ts';
import type { SectionName } from '../sections.ts';
import { DIAGNOSTIC_SECTIONS, type GuidelineInput, type StageResult } from './types.ts';

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

/** Chapter 18: symptoms, signs and abnormal clinical and laboratory findings (R00–R99). */
export const isSymptomCode = (code: string) => code.startsWith('R');

/** Whether the note has a diagnostic statement (assessment, impression, diagnosis list) with any text. */
export function hasDiagnosticStatement(input: Pick<GuidelineInput, 'sentences'>): boolean {
  return input.sentences.some((s) => DIAGNOSTIC_SECTIONS.has(s.section));
}

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
  const out = kept.filter((c) => {
    if (c.evidence.every(namesTest)) {
      dropped.push({ code: c.code, reason: 'read only from the name of a test ("stress echo", "stool antigen"): a test is not a diagnosis (OCG III.B, IV.K)' });
      return false;
    }
    if (c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section))) return true;
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
    return true;
  });
  return { kept: out, dropped };
}
