// Sequencing: the order a coder reports the codes in. Inpatient: the principal diagnosis first — the one the
// provider writes after "Principal diagnosis:", else the first discharge / final diagnosis (OCG Section II).
// Outpatient and professional: the first-listed diagnosis, the main reason for the encounter, which is the
// first item of the assessment (OCG IV.G). A combination code goes before the codes its tabular notes say to
// add after it ("code first" on I50.-, N18.-: I11.0 / I13.0 / E11.22 come first). Then the rest in the
// order the provider listed them, and the codes found elsewhere by confidence.
import { notesFor } from '../knowledge.ts';
import { namesCode, type RuledCandidate } from '../rules.ts';
import type { SectionName } from '../sections.ts';
import { DIAGNOSTIC_SECTIONS, type GuidelineInput } from './types.ts';

/** Which diagnostic section speaks first about the principal / first-listed diagnosis. */
const PRIORITY: Partial<Record<SectionName, number>> = { principal_diagnosis: 0, discharge_diagnoses: 1, diagnoses: 2, assessment: 3, assessment_plan: 3, problem_list: 4 };

/** Where the provider first lists the code: [section priority, offset], or null when never in a diagnostic section. */
function listedAt(c: RuledCandidate): [number, number] | null {
  let best: [number, number] | null = null;
  for (const m of c.evidence) {
    if (!DIAGNOSTIC_SECTIONS.has(m.section)) continue;
    const at: [number, number] = [PRIORITY[m.section] ?? 5, m.span.start];
    if (!best || at[0] < best[0] || (at[0] === best[0] && at[1] < best[1])) best = at;
  }
  return best;
}

/**
 * Orders diagnoses for reporting and marks the first. Example: "Principal diagnosis: Acute on chronic
 * systolic heart failure. Secondary: hypertension." → I11.0, I50.23 (I50: "code first … hypertension").
 */
export function sequenceDiagnoses(kept: RuledCandidate[], input: GuidelineInput): RuledCandidate[] {
  const setting = input.note.encounter.setting;
  const listed = new Map(kept.map((c) => [c, listedAt(c)]));
  const ordered = [...kept].sort((a, b) => {
    const [x, y] = [listed.get(a), listed.get(b)];
    if (x && y) return x[0] - y[0] || x[1] - y[1];
    if (x || y) return x ? -1 : 1;
    return b.confidence - a.confidence;
  });
  // OCG I.C.15.a.1: "Chapter 15 codes have sequencing priority over codes from other chapters."
  const obstetric = (c: RuledCandidate) => c.code.startsWith('O');
  if (ordered.some((c) => obstetric(c) && listed.get(c))) ordered.splice(0, ordered.length, ...ordered.filter(obstetric), ...ordered.filter((c) => !obstetric(c)));
  // Symptoms, Z codes of history/status/drugs, external causes and the organism codes B95–B97 ("supplementary or
  // additional codes to identify the infectious agent", tabular) are not first-listed when a condition is there.
  const firstIndex = ordered.findIndex((c) => listed.get(c) && !/^[RVWXY]|^Z(79|8[0-9]|9[1-9])|^B9[5-7]/.test(c.code));
  if (firstIndex > 0) ordered.unshift(...ordered.splice(firstIndex, 1));
  // OCG I.C.16.a.2: on the birth record the Z38 code is the principal diagnosis.
  const birth = ordered.findIndex((c) => c.code.startsWith('Z38'));
  if (birth > 0) ordered.unshift(...ordered.splice(birth, 1));
  // "Code first": a kept code whose notes ask for another kept code to be sequenced before it.
  const first = ordered[0];
  if (first) {
    const before = ordered.find((c) => c !== first && notesFor(input.kb, first.code, ['code_first']).some((n) => namesCode(n.text, c.code)));
    if (before) {
      ordered.splice(ordered.indexOf(before), 1);
      ordered.unshift(before);
    }
  }
  // Each remaining "code first" pair: the named code moves just before the code that names it.
  for (let i = 1; i < ordered.length; i++) {
    const c = ordered[i]!;
    const j = ordered.findIndex((o, k) => k > i && notesFor(input.kb, c.code, ['code_first']).some((n) => namesCode(n.text, o.code)));
    if (j > i) ordered.splice(i, 0, ...ordered.splice(j, 1));
  }
  // A routine examination is the reason for the encounter: first-listed, findings after it (OCG IV.P).
  const exam = ordered.findIndex((c) => c.rules.some((r) => r.rule === 'encounter_reason'));
  if (exam > 0) ordered.unshift(...ordered.splice(exam, 1));
  const head = ordered[0];
  if (head && (listed.get(head) || head.rules.some((r) => r.rule === 'encounter_reason'))) {
    head.rules.push(
      setting === 'inpatient'
        ? { rule: 'principal_diagnosis', detail: 'Sequenced first: the principal diagnosis as the provider lists it (OCG Section II)' }
        : { rule: 'first_listed_diagnosis', detail: 'Sequenced first: the main reason for the encounter, first in the assessment (OCG IV.G)' },
    );
  }
  return ordered;
}
