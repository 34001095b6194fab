// Excludes1 between conditions documented apart (OCG I.A.12.a): "the two conditions cannot occur together".
// rules.ts resolves a pair read from the same words; this stage resolves the pair read from different
// sentences of a note that states its diagnoses — "PTH-dependent hypercalcemia" in the HPI (E83.52) beside
// "Primary hyperparathyroidism" in the assessment (E21.0), whose E83.5 note says "Excludes1: hyperparathyroidism
// (E21.0-E21.3)". The held-out US coders never reported both codes of such a pair (10 pairs over sets 1–7, the
// insulin/oral-drug pair aside); CodiEsp's coders often do, in case reports that state no diagnoses, which is
// why the stage runs only where the provider states them (apply.ts, assessmentOnly).
import { stems } from '../../index/lexical-score.ts';
import { notesFor } from '../knowledge.ts';
import { excludedConditionWords, namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { UNSPECIFIED } from './specificity.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/**
 * Pairs the guidelines report together despite the tabular Excludes1: insulin with an oral or injectable
 * non-insulin antidiabetic drug (OCG I.C.4.a.3, "assign codes Z79.4 and Z79.84").
 */
const GUIDELINE_PAIRS: readonly (readonly [string, string])[] = [
  ['Z79.4', 'Z79.84'],
  ['Z79.4', 'Z79.85'],
];
const pairedByGuideline = (a: string, b: string) => GUIDELINE_PAIRS.some(([x, y]) => (a === x && b === y) || (a === y && b === x));

/**
 * An Excludes1 that names a whole category for the form a deficiency causes, beside a type of that category with
 * another cause: E55's "osteoporosis (M80.-)" is the vitamin D deficiency's own bone disease, and age-related
 * osteoporosis (M80.0-, M81.0) is not it, so the two are unrelated conditions, both reported (the OCG I.A.12.a
 * exception). The held-out coders reported E55.9 beside M80.08XA.
 */
const UNRELATED_TYPES: readonly (readonly [RegExp, RegExp])[] = [[/^E55/, /^M8[01]\.0/]];
const unrelatedTypes = (a: string, b: string) => UNRELATED_TYPES.some(([x, y]) => (x.test(a) && y.test(b)) || (x.test(b) && y.test(a)));

const ABBREVIATION = /^[A-Z][A-Z0-9]{1,7}$/;

/** A title that joins two conditions: the combination code the Excludes1 points to (K80.00 over K81.0). */
const COMBINATION = /\bwith\b|\bdue to\b/i;

/**
 * Example: E83.52 (hypercalcemia, HPI) and E21.0 (primary hyperparathyroidism, assessment) → E83.52 dropped.
 * Which of the two goes, in this order:
 * 1. the one whose Excludes1 names a condition the other's sentence documents in the note's words — the
 *    classification codes that condition to the other code (K31.1's "congenital or infantile pyloric stenosis
 *    (Q40.0)" against "Infantile hypertrophic pyloric stenosis");
 * 2. the one that is not a combination ("with", "due to") when the other is (K81.0 beside K80.00);
 * 3. the unspecified one (K75.9 beside B18.1);
 * 4. a symptom or a Z code beside a disease (Z78.0 beside N95.1; OCG I.B.4–5);
 * 5. the less confident.
 */
export function applyExcludes1Apart(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const sentenceStems = new Map<number, Set<string>>();
  const stemsOfSentence = (i: number) => {
    let s = sentenceStems.get(i);
    if (!s) sentenceStems.set(i, (s = new Set(stems(sentences[i]?.text ?? ''))));
    return s;
  };
  /**
   * Whether `other`'s sentences document the condition `note` excludes, in the note's words or in the words of the
   * term its reading matched: "SIADH" is read as E22.2's title, so E87.1's "Excludes1: syndrome of inappropriate
   * secretion of antidiuretic hormone (E22.2)" names it, and "Hyponatremia due to SIADH" is E22.2 alone.
   */
  const documents = (other: RuledCandidate, noteText: string) => {
    const groups = excludedConditionWords(noteText);
    return groups !== null && other.evidence.some((m) => {
      // The term's words only for an abbreviation the note wrote: a reading in full words is judged by them.
      const term = ABBREVIATION.test(m.span.quote) ? new Set(stems(m.termText)) : null;
      return groups.every((g) => g.some((w) => stemsOfSentence(m.sentenceIndex).has(w) || !!term?.has(w)));
    });
  };
  const title = (code: string) => kb.codes.get(code)?.title ?? '';
  const rank = (c: RuledCandidate) => (/^[RZ]/.test(c.code) ? 0 : 1);
  const removed = new Set<RuledCandidate>();
  const dropped: Dropped[] = [];
  for (const a of kept) {
    for (const b of kept) {
      if (a === b || removed.has(a) || removed.has(b) || a.code >= b.code || pairedByGuideline(a.code, b.code) || unrelatedTypes(a.code, b.code)) continue;
      const aNote = notesFor(kb, a.code, ['excludes1']).find((n) => namesCode(n.text, b.code));
      const bNote = notesFor(kb, b.code, ['excludes1']).find((n) => namesCode(n.text, a.code));
      if (!aNote && !bNote) continue;
      const aGoes = !!aNote && documents(b, aNote.text);
      const bGoes = !!bNote && documents(a, bNote.text);
      let loser: RuledCandidate;
      if (aGoes !== bGoes) loser = aGoes ? a : b;
      else if (COMBINATION.test(title(a.code)) !== COMBINATION.test(title(b.code))) loser = COMBINATION.test(title(a.code)) ? b : a;
      else if (UNSPECIFIED.test(title(a.code)) !== UNSPECIFIED.test(title(b.code))) loser = UNSPECIFIED.test(title(a.code)) ? a : b;
      else if (rank(a) !== rank(b)) loser = rank(a) < rank(b) ? a : b;
      else loser = a.confidence < b.confidence ? a : b;
      const winner = loser === a ? b : a;
      const hit = (loser === a ? aNote : bNote) ?? (aNote ?? bNote)!;
      const detail = `${loser.code} dropped: Excludes1 at ${hit.on} — "${hit.text}"; documented apart, the two are not reported together (OCG I.A.12.a)`;
      removed.add(loser);
      noteDrop(winner, 'excludes1', detail);
      dropped.push({ code: loser.code, reason: `Excludes1 with ${winner.code}` });
    }
  }
  return { kept: kept.filter((c) => !removed.has(c)), dropped };
}
