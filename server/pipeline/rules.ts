// Stage 7, coding rules on scored candidates. Each applied rule is recorded on the suggestion.
// Sources: ICD-10-CM Official Guidelines for Coding and Reporting FY2026 (OCG).
import { RETRIEVED_KIND, type Candidate, type CandidateMention } from './candidates.ts';
import { isStopword, stems } from '../index/lexical-score.ts';
import { notesFor, type Knowledge } from './knowledge.ts';
import { bestMention } from './learned.ts';
import { DIAGNOSTIC_SECTIONS } from './sections.ts';
import { UNSPECIFIED_TITLE } from './specificity.ts';
import type { ContextStatus, RuleNote, Setting } from './types.ts';

export interface ScoredCandidate extends Candidate {
  confidence: number;
}

export interface RuledCandidate extends ScoredCandidate {
  evidence: CandidateMention[];
  context: ContextStatus;
  reminders: string[];
}

export interface Dropped {
  code: string;
  reason: string;
}

/** Codes whose title is itself about history or status may be reported from a historical mention. */
const HISTORY_CODE = /\b(history|old|sequela|status|personal)\b/i;

/**
 * Chronic conditions: "history of hypertension" or a past-medical-history entry means the patient still
 * has it — chronic systemic diseases are coded when documented even without current treatment (OCG
 * Section III; history Z-codes are for conditions that no longer exist, OCG I.C.21.c.4). Categories:
 * hypertensive diseases, diabetes, thyroid, lipids, obesity, CKD, COPD/asthma, chronic heart disease,
 * AFib, HIV, chronic hepatitis/cirrhosis, alcohol dependence, epilepsy, Parkinson, RA, BPH,
 * depression; lifelong ones: hyperuricemia/gout, psoriasis, osteoarthritis, osteoporosis, multiple sclerosis,
 * intellectual disabilities, schizophrenia, Alzheimer disease, fibromyalgia, hiatal hernia, chronic bronchitis,
 * chronic venous insufficiency. Not nicotine dependence: the Index gives its history a code of its own ("History,
 * personal, nicotine dependence" Z87.891, history.ts), so "former tobacco dependence" is not current.
 */
/** Diabetes mellitus by type (E08–E13). */
const DIABETES_TYPES = /^E(0[89]|1[013])/;

export const CHRONIC = /^(I1[0-6]|E0[3-9]|E1[0-3]|E78|E66|N18|J4[4-5]|I25|I48|I50|B20|B18|K70|K74|F10\.2|G40|G20|M05|M06|N40|F32|F33|E03|D57|I27|E79\.0|M1A|M10|L40|M1[5-9]|M81|G35|F7[0-9]|F20|G30|M79\.7|K44|J42|I87\.2)/;

/**
 * Applies context and coding rules. Negated, family and hypothetical mentions never become
 * active-condition codes; uncertain diagnoses are coded as established for inpatients (OCG II.H, III.C)
 * and not coded for outpatient / professional encounters (OCG IV.H); Excludes1 pairs are resolved.
 */
export function applyRules(candidates: ScoredCandidate[], setting: Setting, kb: Knowledge): { kept: RuledCandidate[]; dropped: Dropped[] } {
  const dropped: Dropped[] = [];
  const kept: RuledCandidate[] = [];
  // Categories the note denies in the Index's or the classification's own words ("No evidence of sepsis": A41).
  // A code read both from the denial and from a leftover phrase elsewhere ("no hypopituitarism" and "pituitary"
  // retrieved as E23.0) is denied too: its dictionary readings decide.
  const denied = new Set(
    candidates
      .filter((c) => {
        const read = c.mentions.filter((m) => !m.termKind.startsWith(RETRIEVED_KIND));
        return read.length > 0 && read.every((m) => m.context.negated);
      })
      .map((c) => c.code.slice(0, 3)),
  );
  for (const c of candidates) {
    const rules: RuleNote[] = [...c.rules];
    const title = kb.codes.get(c.code)?.title ?? '';
    const usable = c.mentions.filter((m) => !m.context.negated && !m.context.family && !m.context.hypothetical);
    if (usable.length === 0) {
      dropped.push({ code: c.code, reason: reasonOf(c.mentions[0]!.context) });
      continue;
    }
    // A leftover phrase's nearest code text is weaker evidence than a denial of its category: "58 y/o M with MRSA"
    // retrieved as A41.02 *Sepsis due to MRSA* in a note that says "No evidence of sepsis".
    if (denied.has(c.code.slice(0, 3)) && usable.every((m) => m.termKind.startsWith(RETRIEVED_KIND))) {
      dropped.push({ code: c.code, reason: `a leftover phrase's reading of a category the note denies (${c.code.slice(0, 3)})` });
      continue;
    }
    const chronic = CHRONIC.test(c.code);
    // A chronic condition documented only as history is current (below), unless the provider's statement says it
    // is not present now ("Graves' disease itself is no longer active").
    if (chronic && usable.every((m) => m.context.historical) && c.mentions.some((m) => m.context.negated && DIAGNOSTIC_SECTIONS.has(m.section))) {
      dropped.push({ code: c.code, reason: 'documented as history, and the diagnostic statement says it is not present now (OCG I.C.21.c.4)' });
      continue;
    }
    // An office note's "Hypertension resolved - no treatment needed": the provider says the chronic condition is gone
    // (OCG IV.J: code conditions that exist at the time of the encounter). A stay's "DKA resolved" was treated in it.
    if (chronic && setting === 'professional' && usable.every((m) => m.context.historical) && usable.some((m) => /^resolved\b/.test(m.around?.split('|')[1] ?? ''))) {
      dropped.push({ code: c.code, reason: 'documented as resolved: not present at this encounter (OCG IV.J)' });
      continue;
    }
    const current = usable.filter((m) => !m.context.historical || HISTORY_CODE.test(title) || chronic);
    if (chronic && current.every((m) => m.context.historical)) {
      rules.push({ rule: 'chronic_condition_in_history', detail: 'Chronic condition documented as history: coded as current (OCG Section III); confirm it is ongoing' });
    }
    if (current.length === 0) {
      dropped.push({ code: c.code, reason: 'historical mention: the condition is not current (OCG I.C.21.c.4)' });
      continue;
    }
    const certain = current.filter((m) => !m.context.uncertain);
    let evidence = certain.length ? certain : current;
    let confidence = c.confidence;
    if (certain.length === 0) {
      if (setting !== 'inpatient') {
        dropped.push({ code: c.code, reason: 'uncertain diagnosis in an outpatient/professional encounter: code the documented signs and symptoms (OCG IV.H)' });
        continue;
      }
      rules.push({ rule: 'uncertain_coded_as_established', detail: 'Inpatient: a diagnosis documented as probable/suspected/rule out at discharge is coded as if established (OCG II.H, III.C)' });
      confidence *= 0.85;
      evidence = current;
    }
    const context: ContextStatus = {
      negated: false,
      uncertain: certain.length === 0,
      historical: evidence.every((m) => m.context.historical),
      family: false,
      hypothetical: false,
    };
    const reminders = notesFor(kb, c.code, ['code_first', 'use_additional', 'code_also'])
      .slice(0, 6)
      .map((n) => `${n.kind === 'code_first' ? 'Code first' : n.kind === 'use_additional' ? 'Use additional code' : 'Code also'}: ${n.text} (${n.on})`);
    kept.push({ ...c, confidence, rules, evidence, context, reminders });
  }
  resolveExcludes1(kept, kb, dropped);
  return { kept, dropped };
}

function reasonOf(ctx: ContextStatus): string {
  if (ctx.negated) return 'negated mention';
  if (ctx.family) return 'family history mention: not the patient’s condition';
  return 'hypothetical mention';
}

/**
 * OCG I.A.12.a — Excludes1: the two conditions are never reported together. When a kept code's Excludes1
 * notes name another kept code (or its category, "E10.-") read from the same words (see sameEvidence),
 * the less specific reading (or else the less confident one) is dropped and the decision recorded on the
 * kept one, so the coder can reverse it.
 */
function resolveExcludes1(kept: RuledCandidate[], kb: Knowledge, dropped: Dropped[]): void {
  const namedUnspecified = (code: string) => UNSPECIFIED_TITLE.test(kb.codes.get(code)?.title ?? '');
  // A reading of the whole phrase outranks one of the words inside it ("diabetes with hyperglycemia"
  // over "hyperglycemia"), then the reading of more of the words ("major depressive disorder, recurrent
  // episode, moderate" as F33.1 over "major depressive disorder" as F32.9: the most specific code the
  // documentation supports, OCG I.B.2), then the more confident wins.
  const words = (c: RuledCandidate) => Math.max(...c.evidence.map((m) => m.size));
  const ordered = [...kept].sort((a, b) => Number(!bestMention(b).subsumed) - Number(!bestMention(a).subsumed) || words(b) - words(a) || b.confidence - a.confidence);
  const removed = new Set<string>();
  ordered.forEach((a, i) => {
    if (removed.has(a.code)) return;
    const excludes = notesFor(kb, a.code, ['excludes1']);
    for (const b of ordered.slice(i + 1)) {
      if (removed.has(b.code) || !sameReadEvidence(a, b)) continue;
      // Two diabetes types ("diabetic ketoacidosis" read with the type 2 default beside "type 1 diabetes … with
      // diabetic ketoacidosis"): the guideline stage re-types the default to the documented type (OCG I.C.4.a.2,
      // guidelines/diabetes.ts); resolved here, the default could win and take the combination code with it.
      if (DIABETES_TYPES.test(a.code) && DIABETES_TYPES.test(b.code) && a.code.slice(0, 3) !== b.code.slice(0, 3)) continue;
      // The exclusion binds both ways: R73.9's "Excludes1: diabetes mellitus (E08-E13)" also keeps R73.9
      // off beside E11.65.
      const onA = excludes.find((n) => namesCode(n.text, b.code));
      const hit = onA ?? notesFor(kb, b.code, ['excludes1']).find((n) => namesCode(n.text, a.code));
      if (!hit || !readsNosCondition(hit.text, onA ? b : a)) continue;
      // An unspecified reading inside a longer one whose kind its own Excludes1 sends elsewhere goes, however sure:
      // "urinary incontinence" read as R32 inside "Urge urinary incontinence" (N39.41), R32 excluding "other specified
      // urinary incontinence (N39.3-N39.49)".
      if (readsMoreOfShared(b, a) || (onA && holdsInside(b, a) && !holdsInside(a, b) && namedUnspecified(a.code) && !namedUnspecified(b.code))) {
        removed.add(a.code);
        inheritConfidence(b, a);
        b.rules.push({ rule: 'excludes1', detail: `${a.code} dropped: Excludes1 at ${hit.on} — "${hit.text}" (OCG I.A.12.a)` });
        dropped.push({ code: a.code, reason: `Excludes1 with ${b.code}` });
        return;
      }
      // `a`'s own Excludes1 names the condition `b`'s words document ("Acute radiation cystitis with gross hematuria" read
      // as N30.01 beside N30.41: N30.0 "Excludes1: irradiation cystitis (N30.4-)"): `a` is not the code for these words.
      // Not where `a`'s own term says those words too ("vitamin B12 deficiency (E53.8)" at D51 is no bar to "vitamin B12
      // deficiency anemia", whose term reads them): the words are then `a`'s condition, not the excluded one.
      // Nor toward an unspecified code ("mitral valve disease (I05.9)" at I34): a catch-all yields to a specific reading.
      if (onA && !namedUnspecified(b.code) && documentsExcluded(hit.text, b, (m) => m.span.quote) && !documentsExcluded(hit.text, a, (m) => m.termText)) {
        removed.add(a.code);
        inheritConfidence(b, a);
        b.rules.push({ rule: 'excludes1', detail: `${a.code} dropped: Excludes1 at ${hit.on} — "${hit.text}", which the note documents (OCG I.A.12.a)` });
        dropped.push({ code: a.code, reason: `Excludes1 with ${b.code}` });
        return;
      }
      removed.add(b.code);
      inheritConfidence(a, b);
      a.rules.push({ rule: 'excludes1', detail: `${b.code} dropped: Excludes1 at ${hit.on} — "${hit.text}" (OCG I.A.12.a)` });
      dropped.push({ code: b.code, reason: `Excludes1 with ${a.code}` });
    }
  });
  for (let i = kept.length - 1; i >= 0; i--) if (removed.has(kept[i]!.code)) kept.splice(i, 1);
}

/**
 * An Excludes1 note of the form "senile dementia NOS (F03)" excludes that condition only: G30's note does not drop
 * Alzheimer's disease beside "mild dementia with psychotic disturbance" (F03.A2, which the dementia stage makes F02.A2),
 * whose words do not say "senile". A note without "NOS" names a category's condition however it is written.
 */
function readsNosCondition(noteText: string, named: RuledCandidate): boolean {
  if (!/\bNOS\b/.test(noteText)) return true;
  return saysCondition(noteText.replace(/\bNOS\b/g, ''), named, (m) => m.span.quote) ?? true;
}

/**
 * Whether the words of `named`'s readings (their note words, or their terms' words) say every word of the condition an Excludes1 note excludes ("irradiation
 * cystitis (N30.4-)" in "acute radiation cystitis"; the Index's "irradiation" is the notes' "radiation").
 */
function documentsExcluded(noteText: string, named: RuledCandidate, text: (m: CandidateMention) => string): boolean {
  // A note that excludes a condition "NOS" ("apnea NOS (R06.81)" at G47.3) says nothing against a specific reading.
  return saysCondition(noteText, named, text) ?? false;
}

/**
 * Whether `named`'s readings (the words `text` takes from each) say every word of the condition an Excludes1 note names
 * (its word groups, excludedConditionWords; the Index's "irradiation" is the notes' "radiation"); null when the note names
 * no condition in words or says "NOS".
 */
function saysCondition(noteText: string, named: RuledCandidate, text: (m: CandidateMention) => string): boolean | null {
  const groups = excludedConditionWords(irradiationAsRadiation(noteText));
  if (groups === null) return null;
  const words = new Set(named.evidence.flatMap((m) => stems(irradiationAsRadiation(text(m)))));
  return groups.every((g) => g.some((w) => words.has(w)));
}
const irradiationAsRadiation = (text: string) => text.replace(/\birradiation\b/gi, 'radiation');

/**
 * In the diagnostic statement, the reading kept is as sure as the one it replaces, which shares its words
 * ("Hypothyroidism due to prior neck irradiation" as E89.0 takes E03.9's confidence: a path the learned model has
 * not seen). Elsewhere a narrative's "pain" read as R52 lends nothing to "pain in limb" (M79.609): measured on
 * CodiEsp, where that costs precision.
 */
function inheritConfidence(kept: RuledCandidate, replaced: RuledCandidate): void {
  if (kept.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section))) kept.confidence = Math.max(kept.confidence, replaced.confidence);
}

/**
 * Where the two readings share words, whether `b` reads more of them than `a`: "ketoacidosis" (E87.29) read
 * alone and again elsewhere does not outrank "Type 1 diabetes mellitus with diabetic ketoacidosis" (E10.10), whose
 * words it shares; the reading of the whole phrase is kept (OCG I.B.2).
 */
function readsMoreOfShared(b: RuledCandidate, a: RuledCandidate): boolean {
  const shared = (x: RuledCandidate, y: RuledCandidate) => Math.max(0, ...x.evidence.filter((m) => y.evidence.some((n) => spansOverlap(m, n))).map((m) => m.size));
  return shared(b, a) > shared(a, b);
}

/**
 * `x` has a reading whose span holds one of `y`'s inside a longer span of the same sentence. Not a reading through an
 * "NOS" term: "hepatitis B" read as B16.9's "Hepatitis B (acute) (viral) NOS" is a default, not the more specific kind.
 */
function holdsInside(x: RuledCandidate, y: RuledCandidate): boolean {
  return x.evidence.some((n) => !/\bNOS\b/.test(n.termText) && y.evidence.some((m) => m.sentenceIndex === n.sentenceIndex && n.span.start <= m.span.start && n.span.end >= m.span.end && n.span.end - n.span.start > m.span.end - m.span.start));
}

/**
 * Excludes1 decides between two readings of the same words ("pain" read as R52 beside "abdominal pain",
 * R10.9). Conditions documented apart are both reported: the Excludes1 exception for unrelated
 * conditions (OCG I.A.12.a) is the coder's call, and dropping one would hide documented evidence.
 */
export function sameEvidence(a: RuledCandidate, b: RuledCandidate): boolean {
  return b.evidence.every((n) => a.evidence.some((m) => spansOverlap(m, n)));
}

/**
 * Where the dictionary read a code only in the diagnostic statement, a leftover phrase's retrieved reading in the story
 * is no second condition: "Became hypothyroid 4 months later", retrieved as E03.9, is the hypothyroidism the
 * assessment states "after radioactive iodine ablation" (E89.0). A case report without a statement (CodiEsp) keeps
 * both: its coders report the tachycardia (R00.0) beside the SVT it names (dev: 3 TP, measured).
 */
function sameReadEvidence(a: RuledCandidate, b: RuledCandidate): boolean {
  const read = b.evidence.filter((n) => !n.termKind.startsWith(RETRIEVED_KIND));
  const stated = read.length > 0 && read.every((n) => DIAGNOSTIC_SECTIONS.has(n.section));
  return (stated ? read : b.evidence).every((n) => a.evidence.some((m) => spansOverlap(m, n)));
}

/** Two mentions share at least one character of the note. */
export const spansOverlap = (m: CandidateMention, n: CandidateMention) => m.span.start < n.span.end && n.span.start < m.span.end;

/** `n`'s span contains `m`'s. */
export const spanCovers = (n: CandidateMention, m: CandidateMention) => n.span.start <= m.span.start && n.span.end >= m.span.end;

/** Whether a note text such as "type 1 diabetes mellitus (E10.-)" or "(I10-I16)" names `code`. */
export function namesCode(noteText: string, code: string): boolean {
  // "E10.-", "Z79.4", "I10-I16", "N18.1-N18.6": a dotted code's "-" is its own ("E10.-") only when no range follows.
  const refs = noteText.match(/\b[A-Z]\d[0-9A-Z](?:\.(?:-|[0-9A-Z]{1,4}-?(?![A-Z]\d)))?(?:-[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)?/g) ?? [];
  for (const ref of refs) {
    const range = ref.match(/^([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)-([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)$/);
    if (range) {
      const cat = code.slice(0, 3);
      if (cat >= range[1]!.slice(0, 3) && cat <= range[2]!.slice(0, 3)) return true;
      continue;
    }
    const prefix = ref.replace(/\.?-+$/, '');
    if (code === prefix || code.startsWith(prefix.length === 3 ? `${prefix}.` : prefix) || (prefix.length === 3 && code === prefix)) return true;
  }
  return false;
}

/**
 * The words an Excludes1 note's condition needs, as groups of alternatives ("congenital or infantile pyloric
 * stenosis": one of congenital / infantile, then pyloric, stenosis). Parenthesised nonessential words and
 * code references are not needed; what follows "without" is a condition the note must not have, not one it
 * must say. A note that says "NOS" describes the condition without the qualifier the pair turns on, so its
 * words decide nothing: null.
 */
export function excludedConditionWords(noteText: string): string[][] | null {
  if (/\bNOS\b/.test(noteText)) return null;
  const words = noteText.replace(/\([^)]*\)/g, ' ').split(/\bwithout\b/i)[0]!.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const groups: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'or' && groups.length > 0 && i + 1 < words.length) {
      groups[groups.length - 1]!.push(...stems(words[++i]!));
      continue;
    }
    if (isStopword(w) || w === 'that' || w === 'any') continue;
    const s = stems(w);
    if (s.length > 0) groups.push(s);
  }
  return groups.length > 0 ? groups : null;
}
