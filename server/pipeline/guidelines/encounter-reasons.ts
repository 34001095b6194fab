// Z codes for the reason of the encounter and for facts the classification asks to report:
// - routine examinations, first-listed (OCG I.C.21.c.13, IV.P): adult Z00.00 / Z00.01 "with abnormal
//   findings", child Z00.129 / Z00.121 — "with abnormal findings" when the exam found a condition that is coded;
// - immunization given at the encounter, Z23 (OCG I.C.21.c.2);
// - weeks of gestation with a pregnancy, Z3A.- (OCG I.C.15.a.7);
// - BMI, Z68.-, only beside a documented weight diagnosis and never in pregnancy (OCG I.B.14, I.C.21.c.3);
// - an "Encounter for …" code read only from what the plan schedules ("suture removal in 10 days") is the
//   reason of a later encounter, not of this one (OCG I.C.21.c.7 aftercare: codes for the encounter itself).
import type { AnalysedSentence } from '../candidates.ts';
import { findVaccinesGiven } from '../professional/vaccines.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { DIAGNOSTIC_SECTIONS, derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

const ROUTINE_EXAM = /\b(annual (physical|exam\w*|wellness)|preventive (visit|exam\w*|care)|well[- ](child|baby|visit|woman)|routine (physical|general|health|adult|child) (exam\w*|check)|physical exam(ination)? for (school|sports))\b/i;
const GESTATION = /\b(\d{1,2})\s*(?:w|wk|wks|weeks?)(?:\s*(?:and\s*)?\d\s*d(?:ays?)?)?\b/i;
const PREGNANCY = /\b(pregnan\w*|gestation\w*|IUP|G\d\s*P\d|prenatal|antepartum)\b/i;
const BMI = /\bBMI\s*(?:of|:|=|is)?\s*(\d{2}(?:\.\d)?)\b/i;
/** Weight diagnoses BMI codes go with: overweight and obesity, malnutrition, underweight, abnormal weight loss. */
const WEIGHT_DIAGNOSIS = /^(E66|E4[0-6]|R63\.[46]|R63\.8)/;
/** Another visit than this one, past or ahead: "2 weeks ago", "last", "next", "due", "RTC", "follow-up", "as scheduled". */
const OTHER_TIME = /\b(ago|last|previous|prior|next|due|upcoming|rtc|return|follow[- ]?up|f\/u|schedul\w*)\b|\bin \d+ (days?|weeks?|months?|years?|y)\b/i;
/** A time ahead: "in 7 days", "10-14 days", "in 2 weeks", "next week", "return for", "at follow-up". */
const LATER = /\b(in \d+|\d+\s*(?:-|to)\s*\d+|\d+)\s*(days?|d|weeks?|wks?)\b|\b(next (week|visit)|return (to clinic )?for|at (the )?follow[- ]?up|scheduled for|to be removed)\b/i;

/**
 * A screening test of another encounter: ordered, referred, scheduled or recommended for later, or one done before
 * ("Last mammogram 11/2025 BI-RADS 1", "Mammogram current", "Screening mammogram ordered"). The screening code is for
 * the encounter at which the screening is done (OCG I.C.21.c.5).
 */
const SCREENING_ELSEWHERE = /\b(?:order(?:ed|s)?|refer(?:red|ral|s)?|schedul\w*|due|last|current|up to date|UTD|negative|normal|BI-?RADS|as an outpatient|ago|previous|prior|planned|recommend\w*|discuss\w*|kit)\b|\b(?:19|20)\d\d\b/i;

/** Right before a mention: it is what caused the condition ("due to antineoplastic chemotherapy", "after radiation"). */
const CAUSE_BEFORE = /\b(?:due to|secondary to|caused by|induced by|related to|from|after|following)\s+(?:(?:his|her|the|recent|prior)\s+)?$/i;

const EVERY_BMI = new RegExp(BMI.source, 'gi');
/** A BMI of another time: "Preop weight 262 lb, BMI 44.6", "baseline BMI 41", "down from BMI 44". */
const PAST_BMI = /\b(?:pre-?op(?:erative)?|prior|previous(?:ly)?|baseline|initial|at surgery|before surgery|down from|was)\b[^.;]{0,24}$/i;

/**
 * The patient's BMI now: the one the diagnostic statement gives with the weight diagnosis, else the first that is not
 * another time's ("Preop weight 262 lb, BMI 44.6" in the history is not today's "BMI 32.3"; OCG I.B.14).
 */
function currentBmi(sentences: readonly AnalysedSentence[]): { s: AnalysedSentence; m: RegExpMatchArray } | null {
  const found = sentences.flatMap((s) => [...s.text.matchAll(EVERY_BMI)].map((m) => ({ s, m })));
  const now = found.filter(({ s, m }) => !PAST_BMI.test(s.text.slice(0, m.index)));
  return now.find(({ s }) => DIAGNOSTIC_SECTIONS.has(s.section)) ?? now[0] ?? null;
}

function firstMatch(sentences: readonly AnalysedSentence[], re: RegExp, ok: (s: AnalysedSentence) => boolean = () => true) {
  for (const s of sentences) {
    const m = s.text.match(re);
    if (m && ok(s)) return { s, m };
  }
  return null;
}

/** The completed weeks of gestation the note states ("G2P1 at 34w2d" → 34), with where it says so; null when none. */
export function gestationalWeeks(sentences: readonly AnalysedSentence[]): { weeks: number; s: AnalysedSentence; m: RegExpMatchArray } | null {
  const ga = firstMatch(sentences, GESTATION, (s) => PREGNANCY.test(s.text) || /\bat\s*\d/.test(s.text));
  const weeks = ga ? Number(ga.m[1]) : NaN;
  return ga && weeks >= 8 && weeks <= 42 ? { weeks, ...ga } : null;
}

/** Z68 for an adult BMI value (age 20 and over; the pediatric Z68.5- need a percentile). */
export function adultBmiCode(bmi: number): string {
  if (bmi < 20) return 'Z68.1';
  if (bmi < 40) return `Z68.${Math.floor(bmi)}`;
  if (bmi < 45) return 'Z68.41';
  if (bmi < 50) return 'Z68.42';
  if (bmi < 60) return 'Z68.43';
  if (bmi < 70) return 'Z68.44';
  return 'Z68.45';
}

/**
 * Examples: "here for his annual physical … Prediabetes" → Z00.01; "Tdap administered" → Z23; "G2P1 at
 * 34w2d" → Z3A.34; "Obesity, class 1 … BMI 30.6" → Z68.30.
 */
export function applyEncounterReasons(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note, sentences } = input;
  const age = note.encounter.patient?.age;
  const dropped: Dropped[] = [];
  // Scheduled: the plan puts it later, and neither the reason for the visit nor the provider's diagnoses state it.
  const scheduled = (c: RuledCandidate) =>
    /^Encounter for\b/i.test(kb.codes.get(c.code)?.title ?? '') &&
    c.evidence.some((m) => (m.section === 'plan' || m.section === 'assessment_plan') && LATER.test(sentences[m.sentenceIndex]?.text ?? '')) &&
    !c.evidence.some((m) => m.section === 'chief_complaint' || m.section === 'hpi' || (DIAGNOSTIC_SECTIONS.has(m.section) && !LATER.test(sentences[m.sentenceIndex]?.text ?? '')));
  // The cause of the condition treated ("Febrile neutropenia due to antineoplastic chemotherapy"): given before,
  // not this encounter's reason (OCG I.C.2.e: an admission for a complication of chemotherapy codes the complication).
  const asCause = (c: RuledCandidate) =>
    /^Encounter for\b/i.test(kb.codes.get(c.code)?.title ?? '') &&
    c.evidence.every((m) => CAUSE_BEFORE.test(note.text.slice(Math.max(0, m.span.start - 40), m.span.start)) || /^-?induced\b/i.test(note.text.slice(m.span.end, m.span.end + 9)));
  const screeningElsewhere = (c: RuledCandidate) =>
    /^Z1[23]\./.test(c.code) && c.evidence.length > 0 && c.evidence.every((m) => SCREENING_ELSEWHERE.test(sentences[m.sentenceIndex]?.text ?? ''));
  const out = kept.filter((c) => {
    if (screeningElsewhere(c)) {
      dropped.push({ code: c.code, reason: 'a screening ordered, referred or done at another encounter: the screening code is for the encounter that performs it (OCG I.C.21.c.5)' });
      return false;
    }
    if (asCause(c)) {
      dropped.push({ code: c.code, reason: 'named as the cause of the condition treated, not this encounter\'s reason (OCG I.C.2.e)' });
      return false;
    }
    if (!scheduled(c)) return true;
    dropped.push({ code: c.code, reason: 'scheduled for a later encounter in the plan, not this encounter\'s reason (OCG I.C.21.c.7)' });
    return false;
  });
  const has = (code: string) => out.some((c) => c.code === code);
  const addAt = (code: string, s: AnalysedSentence, start: number, end: number, confidence: number, rule: string, detail: string) => {
    if (has(code) || !kb.codes.get(code)?.billable) return;
    out.push(derivedCandidate(code, [derivedMention(s, start, end, note.text, detail, code)], confidence, rule, detail));
  };
  const add = (code: string, s: AnalysedSentence, m: RegExpMatchArray, confidence: number, rule: string, detail: string) =>
    addAt(code, s, s.start + m.index!, s.start + m.index! + m[0].length, confidence, rule, detail);
  const conditions = kept.filter((c) => !/^[ZVWXY]/.test(c.code));
  // Pregnant when the note is coded as a pregnancy (chapter 15, or the pregnant-state, supervision and gestation Z
  // codes): a word alone says nothing ("Pregnancy test negative", "prenatal vitamin", "pregnancy planning").
  const pregnant = kept.some((c) => /^(?:O|Z3[3-6]|Z3A)/.test(c.code));

  // The examination this encounter is: not one the plan schedules ("RTC 6 months for annual wellness visit")
  // nor one that happened elsewhere before ("a neck mass found at her annual exam 2 weeks ago").
  const exam = firstMatch(sentences, ROUTINE_EXAM, (s) => s.section !== 'plan' && !OTHER_TIME.test(s.text));
  if (exam && age !== undefined) {
    const abnormal = conditions.length > 0;
    const code = age < 18 ? (abnormal ? 'Z00.121' : 'Z00.129') : abnormal ? 'Z00.01' : 'Z00.00';
    add(code, exam.s, exam.m, 0.8, 'encounter_reason', `routine examination ${abnormal ? 'with' : 'without'} abnormal findings, first-listed (OCG I.C.21.c.13, IV.P)`);
  }
  // One reading of "a vaccine was given today" for Z23 and the administration lines (professional/vaccines.ts).
  const [shot] = findVaccinesGiven(note.text);
  const shotSentence = shot && sentences.find((s) => shot.span.start >= s.start && shot.span.end <= s.end);
  if (shot && shotSentence) addAt('Z23', shotSentence, shot.span.start, shot.span.end, 0.75, 'immunization', 'immunization given at this encounter (OCG I.C.21.c.2)');
  if (pregnant && kept.some((c) => c.code.startsWith('O'))) {
    const ga = gestationalWeeks(sentences);
    if (ga) add(`Z3A.${String(ga.weeks).padStart(2, '0')}`, ga.s, ga.m, 0.75, 'weeks_of_gestation', `${ga.weeks} completed weeks of gestation (OCG I.C.15.a.7)`);
  }
  if (!pregnant && (age === undefined || age >= 20) && kept.some((c) => WEIGHT_DIAGNOSIS.test(c.code))) {
    const bmi = currentBmi(sentences);
    if (bmi) add(adultBmiCode(Number(bmi.m[1])), bmi.s, bmi.m, 0.75, 'bmi', `BMI ${bmi.m[1]} with a documented weight diagnosis (OCG I.B.14, I.C.21.c.3)`);
  }
  return { kept: out, dropped };
}
