// The residual codes that name a whole chapter's subject and nothing else — R69 *Illness, unspecified*,
// B99.9 *Unspecified infectious disease*, T14.8-/T14.90 *injury of unspecified body region*, and I96 *Gangrene, not
// elsewhere classified* (see isCatchAll) — are for a record
// that says no more (OCG I.B.18: an unspecified code only when the documentation is insufficient). In a note
// that states its diagnoses the bare word is nearly always part of something coded more exactly ("Asymptomatic
// HIV infection" Z21, "Stage 2 pressure injury" L89.152, "Cesarean wound infection" O86.0-) or a word used as a
// modifier ("sick-day rules", "infection risk", "trauma-related nightmares", "Infectious Diseases clinic").
// None of the 330 US notes' coders reported one of these codes; CodiEsp's coders do (R69 150 times, B99.9 70), in
// case reports without a diagnostic statement, which is why the stage runs only where diagnoses are stated.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { type GuidelineInput, type StageResult } from './types.ts';

/**
 * R69, B99.8/B99.9, T14.8-, T14.90: the chapter's own word, with no site, organism or kind. I96 *Gangrene, not
 * elsewhere classified* is read from "necrosis" and "gangrene" alone, words of the pancreatitis, the diabetic foot or the
 * ulcer another code of the sentence classifies ("pancreatitis with sterile necrosis" K85.11): suggested 11 times on the
 * US sets and never gold.
 */
export const isCatchAll = (code: string) => code === 'R69' || code === 'B99.8' || code === 'B99.9' || code === 'I96' || code.startsWith('T14.8') || code.startsWith('T14.90');

/** Injuries by body region (S00–T34, not T14) and the fractures of chapter 13 (pathological, stress, collapsed vertebra). */
const SITED_INJURY = /^(?:S|T[0-2]\d|T3[0-4]|M80|M84|M48\.5)/;

/** A body region named in words: T14 (injury of unspecified body region) is not the injury of that sentence. */
const BODY_REGION =
  /\b(?:head|scalp|skull|face|eye|ear|nose|jaw|mouth|neck|chest|rib|sternum|back|spine|vertebra\w*|[CTL][1-9]\d?|abdomen|pelvis|pelvic|hip|groin|buttock|shoulder|clavicle|arm|humer\w*|elbow|forearm|radius|radial|ulna\w*|wrist|scaphoid|hand|finger|thumb|metacarp\w*|thigh|femur|femoral|knee|patella|leg|tibia\w*|fibula\w*|ankle|malleol\w*|foot|heel|calcane\w*|toe|metatars\w*)\b/i;

/** A word after the mention that makes it a modifier ("infection risk", "illness visit", "injury prevention"). */
const MODIFIED = /^(?:-|\s*[-–]?\s*(?:risks?|rules?|visits?|clinic|prevention|precautions?|control|services?|consult(?:ation)?|team|related|specialists?|days?|diseases?|plan|education|counsel(?:l)?ing)\b)/i;

/** "this illness", "the infection": a word that points back to a condition the note names elsewhere. */
const POINTS_BACK = /\b(?:this|that|the|current|his|her|their|same)\s+$/i;

/** A heading line in capitals ("PEDIATRICS - SICK VISIT", "INFECTIOUS DISEASES - HIV CLINIC") names a service. */
const isHeading = (sentence: string) => /[A-Z]{3}/.test(sentence) && sentence === sentence.toUpperCase() && sentence.length <= 80;

/**
 * Example: "2. Asymptomatic HIV infection, virologically suppressed." — Z21 is coded; B99.9 for "infection" is
 * not. Example: "sick-day rules reviewed" — no R69. Each mention must be one of: part of a sentence another
 * code reads, a modifier, a word pointing back, or a heading; a bare "Infection, site not yet known" stays.
 */
export function applyCatchAll(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const text = input.note.text;
  const dropped: Dropped[] = [];
  const others = kept.filter((c) => !isCatchAll(c.code));
  if (others.length === 0) return { kept, dropped };
  const readIn = (sentenceIndex: number) => others.find((o) => o.evidence.some((m) => m.sentenceIndex === sentenceIndex));
  // The note's own injury or fracture coded with its site: "CC: follow-up of L ankle fracture" is that fracture.
  const sited = others.find((o) => SITED_INJURY.test(o.code));
  const out = kept.filter((c) => {
    if (!isCatchAll(c.code) || c.evidence.length === 0) return true;
    const why = c.evidence.map((m) => {
      const by = readIn(m.sentenceIndex);
      if (by) return `the word is part of a condition coded more exactly in its sentence (${by.code})`;
      if (sited && c.code.startsWith('T14')) return `the note codes its injury with the site (${sited.code})`;
      if (c.code.startsWith('T14') && BODY_REGION.test(input.sentences[m.sentenceIndex]?.text ?? '')) return 'its sentence names the body region (T14 is for an injury of an unspecified one)';
      if (MODIFIED.test(text.slice(m.span.end, m.span.end + 24))) return `"${m.span.quote}" modifies the word after it`;
      if (POINTS_BACK.test(text.slice(Math.max(0, m.span.start - 12), m.span.start))) return `"${m.span.quote}" points back to a condition named elsewhere`;
      if (isHeading(input.sentences[m.sentenceIndex]?.text.trim() ?? '')) return `"${m.span.quote}" is in a heading, which names a service`;
      return null;
    });
    if (why.some((w) => w === null)) return true;
    dropped.push({ code: c.code, reason: `${why[0]}; ${c.code} is for a record that says no more (OCG I.B.18)` });
    return false;
  });
  return { kept: out, dropped };
}
