// One code per condition, the most specific the documentation supports (OCG I.B.2, I.A.9.a): an
// "unspecified" (or "without complications") code is not reported beside a more specific code of the
// same category — E11.9 beside E11.65, I50.9 beside I50.23, N18.9 beside N18.31, I48.91 beside I48.20.
import { FREE_EXTRAS, stems } from '../../index/lexical-score.ts';
import type { CandidateMention } from '../candidates.ts';
import { isSubtermCode, notesFor, titleStems } from '../knowledge.ts';
import { namesCode, spanCovers, type Dropped, type RuledCandidate } from '../rules.ts';
import { categoryOf, DIAGNOSTIC_SECTIONS, siblingTitled, inRanges, noteDrop, otherCategoryOfBlock, statementEvidence, type GuidelineInput, type StageResult } from './types.ts';

/**
 * Title words that qualify a condition without naming it: "chronic" is shared by COPD and chronic respiratory failure;
 * "malignant neoplasm" by the primary breast cancer (C50.9) and its pleural metastasis (C78.2), two conditions.
 */
const QUALIFIER_WORDS = new Set(['chronic', 'acute', 'disease', 'disorder', 'other', 'specified', 'type', 'syndrome', 'condition', 'primary', 'secondary', 'malignant', 'neoplasm']);

/** Whether `part` is written as whole words inside `whole` ("CKD" in "CKD stage 4", not "pain" in "painful"). */
const wholeWordIn = (part: string, whole: string) => {
  const i = whole.toLowerCase().indexOf(part.toLowerCase());
  return i >= 0 && !/\w/.test(whole[i - 1] ?? '') && !/\w/.test(whole[i + part.length] ?? '');
};

/** A title that says the site is not given ("Urinary tract infection, site not specified"). */
const SITE_UNSPECIFIED = /\bsite (?:not specified|unspecified)\b|\bunspecified site\b/i;

/**
 * Title words that say the code is the category's default reading. Not an alternative the title also covers: I13.0's
 * "…with heart failure and stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease".
 */
export const UNSPECIFIED = /(?<!\bor )\bunspecified\b|\bwithout complications?\b|\buncomplicated\b|\bNOS\b/i;
/** A title that calls itself unspecified, not only "uncomplicated" or "without complications". */
const NAMED_UNSPECIFIED = /(?<!\bor )\bunspecified\b|\bNOS\b/i;
/** A title for the kind no other code names ("Fatty (change of) liver, not elsewhere classified"). */
const NEC = /,?\s*not elsewhere classified\b|\bNEC\b/i;
/** A title unspecified as to the part of its site ("Fracture of unspecified part of neck of left femur"). */
const PART_UNSPECIFIED = /\bunspecified part\b/i;

/**
 * Two codes the tabular notes pair ("use additional code to identify severe sepsis (R65.2-)" on A41) are both
 * reported, even when read from the same words ("septic shock" → A41.9 and R65.21; OCG I.A.13, I.C.1.d.2).
 */
const reportedTogether = (input: GuidelineInput, a: string, b: string) => pairs(input, a, b) || pairs(input, b, a);
const pairs = (input: GuidelineInput, from: string, to: string) => notesFor(input.kb, from, ['use_additional', 'code_also', 'code_first']).some((n) => namesCode(n.text, to));

/**
 * How a sentence says a title's phrase ("septic shock", "intrauterine pregnancy"), word by word on their first six
 * letters: denied ("no septic shock", "not a threatened miscarriage of an intrauterine pregnancy") or affirmed (said,
 * not denied). Null for a phrase without words.
 */
function phraseSaid(phrase: string): { words: number; denied: RegExp; affirms: (text: string) => boolean; alone: RegExp } | null {
  const list = phrase.toLowerCase().match(/[a-z]+/g) ?? [];
  const words = list.map((w) => `${w.slice(0, 6)}\\w*`).join('\\s+');
  if (!words) return null;
  // A denial runs over a list ("no perforation, abscess, or bleeding"), not past a "with" ("without perforation or
  // abscess, with bleeding").
  const denied = new RegExp(`\\b(?:without|no|not|w/o)\\s+(?:(?!with\\b)\\w+[\\s,]+){0,5}${words}`, 'i');
  const plain = new RegExp(`\\b${words}`, 'i');
  // One word is denied only by a sentence that says nothing else: "No gangrene." after the attending's note.
  const alone = new RegExp(`^\\s*(?:no|without|denies)\\s+${words}\\s*\\.?\\s*$`, 'i');
  return { words: list.length, denied, affirms: (text) => plain.test(text) && !denied.test(text), alone };
}

/** Whether a sentence of the diagnostic statement denies the phrase. */
const statementDenies = (input: GuidelineInput, said: { denied: RegExp }) => input.sentences.some((x) => DIAGNOSTIC_SECTIONS.has(x.section) && said.denied.test(x.text));
/**
 * Whether some sentence of the note denies a phrase of two words or more and none affirms it ("no septic shock" in the
 * course). One word only in a sentence of its own ("No gangrene."): "no active bleeding" at the endoscopy is no denial
 * of the bleeding that brought her in.
 */
const noteDenies = (input: GuidelineInput, said: { words: number; denied: RegExp; affirms: (text: string) => boolean; alone: RegExp }) =>
  (said.words >= 2 ? input.sentences.some((x) => said.denied.test(x.text)) : input.sentences.some((x) => said.alone.test(x.text))) && !input.sentences.some((x) => said.affirms(x.text));

/**
 * The billable sibling whose title is this code's with its first `from` written as `to`: "Severe sepsis with septic
 * shock" → "…without septic shock" (R65.20); "…with acute cholecystitis without obstruction" → "…with obstruction".
 */
function swappedSibling(input: GuidelineInput, code: string, from: RegExp, to: string): string | undefined {
  return siblingTitled(input.kb, code, (input.kb.codes.get(code)?.title ?? '').replace(from, to));
}

/** The billable code of the given title anywhere in a code's category. */
function titledInCategory(input: GuidelineInput, code: string, title: string): string | undefined {
  const wanted = title.toLowerCase();
  const queue = [code.slice(0, 3)];
  while (queue.length) {
    const at = queue.shift()!;
    if (at !== code && input.kb.codes.get(at)?.billable && input.kb.codes.get(at)?.title.toLowerCase() === wanted) return at;
    queue.push(...(input.kb.children.get(at) ?? []));
  }
  return undefined;
}

/** A cause named right after the diagnosis: "… due to malabsorption", "… after gastric bypass". */
const IRON_CAUSE = /^[^.;]{0,30}?\b(?:due to|secondary to|caused by|from|after|related to)\s+\w/i;
const BLOOD_LOSS = /\b(?:blood loss|bleed\w*|hemorrhag\w*|menorrhag\w*|melena|hematochezia|menstrua\w*|heavy (?:periods|menses))\b/i;

/** A condition's adjective ("ruptured", "infective", "traumatic", "rheumatic", "toxic"). */
const ADJECTIVE = /(?:ed|ive|ic|al|ous|ant|ent)$/;
/** A word with a negating prefix ("irregular", "unprovoked", "non-bleeding"): the prefix, then the word. */
const NEGATED_FORM = /\b(ir|un|non-?)([a-z]{4,})\b/gi;

const DENIED_BLOOD_LOSS = /\b(?:no|without|denies|negative for)\s+(?:\w+\s+){0,2}(?:blood loss|bleed\w*|hemorrhag\w*|melena|hematochezia)\b/gi;

/** A sentence that hedges its diagnosis ("likely iron deficiency", "possible", "r/o"). */
const HEDGED = /\b(?:likely|probabl\w*|possibl\w*|suspect\w*|presum\w*|versus|vs|rule out|r\/o|concern for)\b/i;

/** An unspecified code (prefix) → the kinds of it coded elsewhere (see applySpecificity). */
const SPECIFIC_KINDS: readonly (readonly [string, readonly (readonly [string, string])[]])[] = [
  ['D64.9', [['D50', 'D63'], ['D64.0', 'D64.89']]],
  // "Noninfective gastroenteritis and colitis, unspecified" read from "the gastroenteritis" beside the infectious one
  // the note names ("Acute viral gastroenteritis", A08.4): the same condition, its kind documented.
  ['K52.9', [['A00', 'A09']]],
  ['N39.0', [['N10', 'N12'], ['N30', 'N30'], ['N34', 'N34'], ['N41', 'N41'], ['O23', 'O23'], ['O86.2', 'O86.2']]],
  ['T78.3', [['T78.0', 'T78.0'], ['T78.2', 'T78.2'], ['T88.6', 'T88.6']]],
  // "Hypothyroidism, unspecified" beside the hypothyroidism whose cause is coded: Hashimoto's (autoimmune thyroiditis,
  // E06.3) or the state after ablation or thyroidectomy (E89.0). None of the held-out coders reported E03.9 beside
  // E06.3; six listed it as must-not.
  ['E03.9', [['E06.3', 'E06.3'], ['E89.0', 'E89.0']]],
];

/**
 * Example: "T2DM with hyperglycemia … Diabetes" → E11.65 and E11.9 found → E11.9 dropped, the decision
 * recorded on E11.65. When every code of the category reads as unspecified, all stay.
 */
export function applySpecificity(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title ?? '';
  // Asked for every pair of candidates below: each code's words, and each candidate's title-and-term words, once.
  const wordsOf = new Map<string, Set<string>>();
  const words = (code: string) => {
    let w = wordsOf.get(code);
    if (!w) wordsOf.set(code, (w = new Set(titleStems(input.kb, code).filter((x) => !FREE_EXTRAS.has(x)))));
    return w;
  };
  const termWordsOf = new Map<RuledCandidate, Set<string>>();
  const termWords = (c: RuledCandidate) => {
    let w = termWordsOf.get(c);
    if (!w) termWordsOf.set(c, (w = new Set(c.evidence.flatMap((n) => stems(n.termText)))));
    return w;
  };
  const byCategory = new Map<string, RuledCandidate[]>();
  for (const c of kept) {
    const list = byCategory.get(categoryOf(c.code));
    if (list) list.push(c);
    else byCategory.set(categoryOf(c.code), [c]);
  }
  const drop = new Set<RuledCandidate>();
  const dropped: Dropped[] = [];
  for (const group of byCategory.values()) {
    if (group.length < 2) continue;
    // The diagnostic statement's reading of the condition wins over a different one of the same category
    // read only elsewhere: the statement is the provider's conclusion for this encounter (ESRD in the
    // history, CKD 3a after the transplant in the assessment; "concussion precautions" in the plan beside
    // "concussion with brief LOC"). A statement reading inside a longer one of the same category ("chronic
    // systolic" within "acute on chronic systolic heart failure") does not count as the statement's.
    const stated = group.filter((c) => c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && !group.some((o) => o !== c && o.evidence.some((n) => DIAGNOSTIC_SECTIONS.has(n.section) && n.size > m.size && n.span.start <= m.span.start && n.span.end >= m.span.end))));
    const statedSpecific = stated.find((c) => !UNSPECIFIED.test(title(c.code)));
    // Z codes of one category are different facts (Z79.01 and Z79.84), as are conditions whose titles share
    // no word (E87.6 hypokalemia, E87.1 hyponatremia): only another reading of the same condition yields.
    if (statedSpecific && !statedSpecific.code.startsWith('Z')) {
      const statedWords = words(statedSpecific.code);
      for (const c of group) {
        if (stated.includes(c) || ![...words(c.code)].some((w) => statedWords.has(w))) continue;
        drop.add(c);
        dropped.push({ code: c.code, reason: `the diagnostic statement codes the condition as ${statedSpecific.code}; ${c.code} is read only elsewhere (OCG I.B.2, IV.J)` });
        noteDrop(statedSpecific, 'statement_reading', `${c.code} (${title(c.code)}) not reported: read only outside the diagnostic statement, which documents ${statedSpecific.code} (OCG I.B.2, IV.J)`);
      }
    }
    // "Without X" beside "with X" of the same category: the note documents the X ("Bleeding duodenal ulcer" K26.4
    // and "duodenal ulcer" K26.9 *…without hemorrhage or perforation* read elsewhere: one ulcer, with hemorrhage).
    for (const c of group) {
      const without = /\bwithout (\w+)/i.exec(title(c.code))?.[1];
      const withIt = without && group.find((o) => o !== c && !drop.has(o) && new RegExp(`\\bwith ${without}\\b`, 'i').test(title(o.code)));
      if (drop.has(c) || !withIt) continue;
      // Unless the statement denies it ("Right tubal ectopic pregnancy, unruptured, no intrauterine pregnancy"; "No
      // septic shock."): then the "with" reading came from other words ("severe sepsis with septic acute kidney
      // injury") and goes, unless its own sentence states it too (two conditions: "…with macular edema, right eye" and
      // "…without macular edema, left eye" both stay).
      const phrase = (/\bwithout ([^,]+)/i.exec(title(c.code))?.[1] ?? without).split(/\s+or\s+/)[0]!;
      const said = phraseSaid(phrase);
      if (said && (statementDenies(input, said) || noteDenies(input, said))) {
        if (withIt.evidence.some((m) => said.affirms(input.sentences[m.sentenceIndex]?.text ?? ''))) continue;
        drop.add(withIt);
        dropped.push({ code: withIt.code, reason: `the note says no ${phrase} (OCG I.B.2)` });
        noteDrop(c, 'more_specific_code', `${withIt.code} (${title(withIt.code)}) not reported: the note documents no ${phrase}`);
        continue;
      }
      drop.add(c);
      dropped.push({ code: c.code, reason: `${withIt.code} documents the ${without} that ${c.code} says is absent (OCG I.B.2)` });
      noteDrop(withIt, 'more_specific_code', `${c.code} (${title(c.code)}) not reported beside ${withIt.code}: the note documents the ${without} (OCG I.B.2)`);
    }
    // "Not X" beside "X" of the same category, the statement saying X: "Chronic migraine without aura, intractable"
    // read also by the inclusion "Chronic migraine without aura NOS" (G43.709 *…, not intractable*) is G43.719.
    for (const c of group) {
      const claimed = /\bnot (\w+)/i.exec(title(c.code))?.[1];
      if (!claimed || drop.has(c)) continue;
      const plain = new RegExp(`\\b${claimed}\\b`, 'i');
      const negated = new RegExp(`\\bnot ${claimed}\\b`, 'i');
      const affirms = (text: string) => plain.test(text) && !negated.test(text);
      const says = c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && affirms(input.sentences[m.sentenceIndex]?.text ?? ''));
      const sibling = says && group.find((o) => o !== c && !drop.has(o) && affirms(title(o.code)));
      if (!sibling) continue;
      drop.add(c);
      dropped.push({ code: c.code, reason: `${sibling.code}: the statement documents ${claimed}, which ${c.code} says is not (OCG I.B.2)` });
      noteDrop(sibling, 'more_specific_code', `${c.code} (${title(c.code)}) not reported beside ${sibling.code}: the statement says ${claimed} (OCG I.B.2)`);
    }
    // Two titles that both say "unspecified": the one unspecified as to the part gives way to one read from the same
    // sentence that names the part: "subcapital fracture of the left femoral neck" is S72.012A *Unspecified
    // intracapsular fracture of left femur* (Index: Fracture, femur, subcapital), not also S72.002A *Fracture of
    // unspecified part of neck of left femur*.
    const live = group.filter((c) => !drop.has(c));
    const partNamed = live.filter((c) => !PART_UNSPECIFIED.test(title(c.code)));
    if (partNamed.length > 0 && partNamed.length < live.length) {
      for (const c of live) {
        const named = PART_UNSPECIFIED.test(title(c.code)) && partNamed.find((o) => o.evidence.some((n) => c.evidence.some((m) => m.sentenceIndex === n.sentenceIndex)));
        if (!named) continue;
        drop.add(c);
        dropped.push({ code: c.code, reason: `unspecified part beside ${named.code}, whose part the same sentence names (OCG I.B.2)` });
        noteDrop(named, 'more_specific_code', `${c.code} (${title(c.code)}) not reported beside ${named.code}: the sentence names the part (OCG I.B.2)`);
      }
    }
    // When every code left is a default of some kind, the one the title calls "unspecified" gives way to one that is
    // only "uncomplicated": "Unspecified asthma, uncomplicated" (J45.909, from "asthma since childhood") beside "Mild
    // persistent asthma, uncomplicated" (J45.30) is the same asthma, its severity documented.
    const strict = group.filter((c) => !drop.has(c) && !UNSPECIFIED.test(title(c.code)));
    const weakOnly = strict.length === 0;
    const specific = weakOnly ? group.filter((c) => !drop.has(c) && !NAMED_UNSPECIFIED.test(title(c.code))) : strict;
    if (specific.length === 0 || (weakOnly && specific.length === group.filter((c) => !drop.has(c)).length)) continue;
    const best = specific.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    // Every diagnostic-statement reading of the specific code lies inside a longer reading of this one: "Nausea with
    // vomiting, unspecified" (R11.2) is not dropped beside "Nausea" (R11.0) read from its first word; the rule
    // below on readings of part of the words drops R11.0 instead.
    const readsMoreThanBest = (c: RuledCandidate) => {
      const own = best.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section));
      return own.length > 0 && own.every((m) => c.evidence.some((n) => n.span.start <= m.span.start && n.span.end >= m.span.end && n.size > m.size));
    };
    // A sequela category holds different deficits ("Hemiplegia and hemiparesis following cerebral infarction affecting
    // unspecified side" and "Dysphagia following cerebral infarction", I69.3-): one is no unspecified form of the other.
    const deficit = (code: string) => /^(.*?) following /i.exec(title(code))?.[1]?.toLowerCase();
    const otherDeficit = (c: RuledCandidate) => deficit(c.code) !== undefined && deficit(best.code) !== undefined && deficit(c.code) !== deficit(best.code);
    for (const c of group) {
      if (drop.has(c) || !(weakOnly ? NAMED_UNSPECIFIED : UNSPECIFIED).test(title(c.code)) || readsMoreThanBest(c) || otherDeficit(c)) continue;
      drop.add(c);
      dropped.push({ code: c.code, reason: `unspecified code beside the more specific ${best.code} (OCG I.B.2)` });
      noteDrop(best, 'more_specific_code', `${c.code} (${title(c.code)}) not reported beside ${best.code}: one code per condition, the most specific documented (OCG I.B.2)`);
    }
  }
  // Across categories: an unspecified code read from the same words as a more specific one ("AKI" as
  // T14.90XA *Injury, unspecified* beside N17.9; "CKD" as N28.9 beside N18.31), or whose title the specific
  // code's title contains ("Anemia, unspecified" beside "Anemia in chronic kidney disease").
  // The same words are judged where the provider states the diagnoses, when the unspecified code is read
  // there: "CKD" in "CKD stage 3b" in the assessment is N18.32, whatever "kidney function" in the history read as.
  // Overlapping words read at least as fully: "Acute maxillary sinusitis" (J01.00, "…, unspecified" as to
  // recurrence) does not give way to J32.0 read from "maxillary sinusitis" inside it, nor "URI" (J06.9) to a
  // reading of fewer of its words.
  const overlaps = (m: CandidateMention, o: RuledCandidate) => o.evidence.some((n) => m.span.start < n.span.end && n.span.start < m.span.end && n.size >= m.size);
  for (const a of kept) {
    if (drop.has(a) || !UNSPECIFIED.test(title(a.code))) continue;
    const aWords = words(a.code);
    // What its title claims, its "without …" default aside: "Unspecified viral hepatitis C without hepatic coma" (B19.20)
    // says no more than "Chronic viral hepatitis C" (B18.2).
    const aClaims = new Set(stems(title(a.code).replace(/\bwithout\b[^,]*/gi, ' ')).filter((w) => !FREE_EXTRAS.has(w)));
    // An "unspecified" title that contains all of this one's words and more is more specific too: "Unspecified severe
    // protein-calorie malnutrition" (E43) beside "Unspecified protein-calorie malnutrition" (E46).
    const aAll = words(a.code);
    const narrower = (o: RuledCandidate) => {
      // Another category of the same block ("E4": malnutrition); within a category the group rule above decides.
      if (!otherCategoryOfBlock(o.code, a.code)) return false;
      const oWords = words(o.code);
      return oWords.size > aAll.size && [...aAll].every((w) => oWords.has(w));
    };
    // A drug's adverse-effect or poisoning code (T36–T50) names the drug, not the condition it caused ("diabetes,
    // attributed to tacrolimus": E09.9 with T45.1X5A, OCG I.C.19.e.5.a).
    const drugEffect = (code: string) => /^T(?:3[6-9]|4\d|50)/.test(code);
    // So does a chapter 15 code for "other diseases complicating pregnancy" (O98, O99, O9A: "use additional code to
    // identify the specific condition"): E03.9 stays beside O99.284 (OCG I.C.15.a.1).
    const inPregnancy = (code: string) => /^O9[89A]/.test(code) && !a.code.startsWith('O');
    const specifics = kept.filter((o) => o !== a && !drop.has(o) && (!UNSPECIFIED.test(title(o.code)) || narrower(o)) && !reportedTogether(input, a.code, o.code) && (!drugEffect(o.code) || drugEffect(a.code)) && !inPregnancy(o.code));
    const own = statementEvidence(a);
    // Each of its mentions may be read more specifically by a different code: "kidney disease" in "T2DM with
    // diabetic chronic kidney disease" (E11.22) and "CKD" in "CKD stage 3b" (N18.32) leave N28.9 nothing.
    // The same words read more specifically elsewhere in the note are the same condition: "CKD" in "Hypertension
    // with CKD" when "CKD stage 4" is N18.4 (N28.9 read from it is not a second kidney disorder). Only a code
    // whose title shares a word with the unspecified one's (the same condition, not another that shares a word).
    // The words are the code's title and the term it was read by ("Aspiration pneumonia NOS" for J69.0, whose
    // title says "Pneumonitis"): "pneumonia" in "Right lower lobe pneumonia, likely aspiration pneumonia" is J69.0.
    const sameWords = (m: CandidateMention, o: RuledCandidate) =>
      !o.code.startsWith('Z') && // a family or personal history of the condition is another fact ("Mother had COPD")
      [...aWords].some((w) => (words(o.code).has(w) || termWords(o).has(w)) && !QUALIFIER_WORDS.has(w)) &&
      o.evidence.some((n) => n.size >= m.size && wholeWordIn(m.span.quote, n.span.quote));
    const covered = (m: CandidateMention, o: RuledCandidate) => overlaps(m, o) || sameWords(m, o);
    const b =
      specifics.find((o) => own.every((m) => overlaps(m, o)) || [...aClaims].every((w) => words(o.code).has(w))) ??
      (own.every((m) => specifics.some((o) => covered(m, o))) ? (specifics.find((o) => overlaps(own[0]!, o)) ?? specifics.find((o) => covered(own[0]!, o))) : undefined);
    if (!b) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `unspecified reading of the condition coded more specifically as ${b.code} (OCG I.B.2)` });
    noteDrop(b, 'more_specific_code', `${a.code} (${title(a.code)}) not reported: ${b.code} codes the same condition more specifically (OCG I.B.2)`);
  }
  // A "not elsewhere classified" code beside the code that classifies the same condition elsewhere, read in the same
  // sentence: "Alcoholic fatty liver: steatosis attributed to alcohol" is K70.0, not also K76.0 *Fatty (change of)
  // liver, not elsewhere classified* from "steatosis" (the NEC code is for the kind no other code names; OCG I.A.9.b,
  // I.B.2). The other code's title says all the NEC title says.
  for (const a of kept) {
    if (drop.has(a) || !NEC.test(title(a.code))) continue;
    const claims = stems(title(a.code).replace(NEC, ' ').replace(/\([^)]*\)/g, ' ')).filter((w) => !FREE_EXTRAS.has(w));
    const sentences = new Set(statementEvidence(a).map((m) => m.sentenceIndex));
    const by = claims.length > 0 && kept.find((o) => o !== a && !drop.has(o) && categoryOf(o.code) !== categoryOf(a.code) && !o.code.startsWith('Z') && claims.every((w) => words(o.code).has(w)) && o.evidence.some((m) => sentences.has(m.sentenceIndex)));
    if (!by) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `${by.code} classifies the condition elsewhere (OCG I.A.9.b, I.B.2)` });
    noteDrop(by, 'more_specific_code', `${a.code} (${title(a.code)}) not reported: ${by.code} classifies the same condition (OCG I.A.9.b, I.B.2)`);
  }
  // An unspecified code whose Excludes1 or block puts the specific kind elsewhere, beside a code of that kind: "Anemia,
  // unspecified" beside thalassemia minor (D56.3, block "Hemolytic anemias"), "UTI, site not specified" beside acute
  // pyelonephritis (N39.0 Excludes1 "urinary tract infection of specified site"), angioedema beside the anaphylaxis it
  // is part of (T78.3 beside T78.0-/T78.2-/T88.6-): one condition, coded by the specific code (OCG I.B.2, I.B.5).
  const hedged = (o: RuledCandidate) => o.context.uncertain || o.evidence.every((m) => HEDGED.test(input.sentences[m.sentenceIndex]?.text ?? ''));
  for (const a of kept) {
    const kinds = SPECIFIC_KINDS.find(([code]) => a.code.startsWith(code))?.[1];
    // Only a kind the note establishes: "Mild anemia - likely iron deficiency" in an office note stays D64.9 (OCG IV.H).
    const by = kinds && kept.find((o) => o !== a && !drop.has(o) && !hedged(o) && inRanges(o.code, kinds));
    if (!by || drop.has(a)) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `${by.code} is the specific kind of ${title(a.code)} (OCG I.B.2)` });
    noteDrop(by, 'more_specific_code', `${a.code} (${title(a.code)}) not reported: ${by.code} codes it (OCG I.B.2)`);
  }
  // A "with X" reading the statement denies ("Severe sepsis with septic shock" completed from "severe sepsis with septic
  // acute kidney injury" while the statement says "no septic shock"), its own sentence not stating X: its "without X"
  // sibling (R65.20), as the "without" code beside it would be kept above (OCG I.B.2).
  const replaced = new Map<RuledCandidate, { code: string; detail: string }>();
  for (const c of kept) {
    if (drop.has(c)) continue;
    const t = title(c.code);
    const phrase = /\bwith (?!out)([^,]+)/i.exec(t)?.[1]?.split(/\s+or\s+/)[0];
    if (!phrase) continue;
    const said = phraseSaid(phrase);
    // The course's denial counts too ("BP 96/58 responding to fluids (no vasopressors; no septic shock)"): a "with X"
    // read from other words ("Severe sepsis with acute kidney injury (septic AKI)") is no X the note rules out.
    if (!said || !(statementDenies(input, said) || noteDenies(input, said))) continue;
    if (c.evidence.some((m) => said.affirms(input.sentences[m.sentenceIndex]?.text ?? ''))) continue;
    const sibling = swappedSibling(input, c.code, /\bwith (?!out)/i, 'without ');
    if (!sibling) continue;
    drop.add(c);
    dropped.push({ code: c.code, reason: `the note says no ${phrase}: ${sibling} (OCG I.B.2)` });
    if (!kept.some((o) => o.code === sibling)) replaced.set(c, { code: sibling, detail: `${c.code} → ${sibling}: the note denies what ${c.code} claims (OCG I.B.2)` });
  }
  // And the mirror: a "without X" reading whose own sentence in the diagnostic statement says X ("Acute calculous
  // cholecystitis with obstruction" read by the Index as K80.00 *…without obstruction*): its "with X" sibling (K80.01).
  // Each "without" of the title in turn: "Diverticulitis of large intestine without perforation or abscess without
  // bleeding" (K57.32) for "…without perforation or abscess, with bleeding" is K57.33.
  for (const c of kept) {
    if (drop.has(c) || replaced.has(c)) continue;
    const t = title(c.code);
    let phrase: string | undefined;
    let sibling: string | undefined;
    for (const w of t.matchAll(/\bwithout ((?:(?!\bwithout\b)[^,])+)/gi)) {
      // "without mention of fluctuations" (G20.A1) is "without fluctuations"; its sibling says "with fluctuations".
      const mention = /^mention of /i.test(w[1]!.trim());
      phrase = w[1]!.trim().replace(/^mention of /i, '').split(/\s+or\s+/)[0];
      const said = phrase ? phraseSaid(phrase) : null;
      if (!said || !c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && said.affirms(input.sentences[m.sentenceIndex]?.text ?? ''))) continue;
      // Not when X is a condition coded on its own: "panic disorder with agoraphobia" keeps F41.0 beside F40.02. One the
      // classification sends to this code's category is no such condition (K82.0 *Obstruction of gallbladder* Excludes1
      // "obstruction of gallbladder with cholelithiasis (K80.-)").
      // (A sibling of its own category is this condition's other reading: G20.A2 "…with fluctuations" beside G20.A1.)
      if (kept.some((o) => o !== c && !drop.has(o) && categoryOf(o.code) !== categoryOf(c.code) && said.affirms(title(o.code)) && !notesFor(input.kb, o.code, ['excludes1']).some((n) => namesCode(n.text, c.code)))) continue;
      sibling = siblingTitled(input.kb, c.code, `${t.slice(0, w.index)}with ${t.slice(w.index + (mention ? 'without mention of ' : 'without ').length)}`);
      if (sibling) break;
    }
    if (!sibling) continue;
    drop.add(c);
    dropped.push({ code: c.code, reason: `the diagnostic statement says ${phrase}: ${sibling} (OCG I.B.2)` });
    if (!kept.some((o) => o.code === sibling)) replaced.set(c, { code: sibling, detail: `${c.code} → ${sibling}: the diagnostic statement documents the ${phrase} (OCG I.B.2)` });
  }
  // A title word the diagnostic statement says in its negated form ("with regular cycle" for "Menorrhagia with irregular
  // cycles"): the sibling whose title has that form (N92.1 *…with irregular cycle*), the statement's own word (OCG I.B.2).
  // The statement's prefixed words are found first (few sentences have one), then looked up in the title.
  for (const c of kept) {
    if (drop.has(c) || replaced.has(c)) continue;
    const said = c.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section)).map((m) => input.sentences[m.sentenceIndex]?.text ?? '');
    const negatedForms = said.flatMap((t) => [...t.matchAll(NEGATED_FORM)]);
    for (const [form, , word] of negatedForms) {
      const w = word!.toLowerCase();
      const plain = new RegExp(`(?<![a-z-])${w}\\b`, 'i');
      if (!plain.test(title(c.code)) || said.some((t) => plain.test(t))) continue;
      const sibling = swappedSibling(input, c.code, plain, form.toLowerCase());
      if (!sibling || kept.some((o) => o.code === sibling)) continue;
      drop.add(c);
      dropped.push({ code: c.code, reason: `the statement says "${form}": ${sibling} (OCG I.B.2)` });
      replaced.set(c, { code: sibling, detail: `${c.code} → ${sibling}: the statement says "${form}", not "${w}" (OCG I.B.2)` });
      break;
    }
  }
  // The reverse: a title word in its negated form that the statement says plainly, beside the reading ("ruptured aneurysm"
  // read as I67.1 *Cerebral aneurysm, nonruptured*): the sibling with the plain word, else no code here — the
  // documentation contradicts the title (OCG I.B.2; the plain condition is coded where the Index sends it). Only within a
  // few words of the reading, so "Severe aortic stenosis; no history of rheumatic fever" leaves I35.0 alone.
  for (const c of kept) {
    if (drop.has(c) || replaced.has(c)) continue;
    const text = input.note.text;
    const said = c.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section)).map((m) => text.slice(Math.max(0, m.span.start - 25), m.span.end + 25));
    if (said.length === 0) continue;
    for (const [form, prefix, word] of title(c.code).matchAll(NEGATED_FORM)) {
      const w = word!.toLowerCase();
      // Only "non" on an adjective of the condition ("nonruptured", "noninfective", "nontraumatic"): "irradiation",
      // "uncomplicated", "non-insulin" and "non-Hodgkin" name no state the statement could contradict.
      // Written solid ("nonruptured"): the hyphenated "non-dominant" is the side's axis, which dominant-side.ts reads.
      if (!/^non$/i.test(prefix!) || !ADJECTIVE.test(w)) continue;
      const negated = new RegExp(`\\b${form}\\b`, 'i');
      const plain = new RegExp(`(?<![a-z-])(?<!\\b(?:not|no|non|without|of)\\s)${w}\\b`, 'i');
      if (!said.some((t) => plain.test(t)) || said.some((t) => negated.test(t))) continue;
      const sibling = swappedSibling(input, c.code, negated, w);
      drop.add(c);
      dropped.push({ code: c.code, reason: `the statement says "${w}", the title "${form}"${sibling ? `: ${sibling}` : ''} (OCG I.B.2)` });
      if (sibling && !kept.some((o) => o.code === sibling)) replaced.set(c, { code: sibling, detail: `${c.code} → ${sibling}: the statement says "${w}", not "${form}" (OCG I.B.2)` });
      break;
    }
  }
  // So is a title's "not <word>" ("Menstrual migraine, not intractable", read from "Menstrual migraine NOS") where the
  // statement says the word ("Menstrual migraine, intractable"): the sibling with the word (G43.839), OCG I.A.19.
  for (const c of kept) {
    if (drop.has(c) || replaced.has(c)) continue;
    const said = c.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section)).map((m) => input.sentences[m.sentenceIndex]?.text ?? '');
    const not = /\bnot (intractable|in remission|displaced)\b/i.exec(title(c.code));
    if (!not || said.length === 0) continue;
    const w = not[1]!.toLowerCase();
    const plain = new RegExp(`(?<!\\b(?:not|non|no)[\\s-])${w}\\b`, 'i');
    if (!said.some((t) => plain.test(t)) || said.some((t) => new RegExp(`\\bnot ${w}\\b`, 'i').test(t))) continue;
    // The classification puts the two in sibling subcategories (G43.82 / G43.83): the code of that title in the category.
    const sibling = titledInCategory(input, c.code, title(c.code).replace(/\bnot (?=intractable|in remission|displaced)/i, ''));
    if (!sibling) continue;
    drop.add(c);
    dropped.push({ code: c.code, reason: `the statement says "${w}", the title "not ${w}": ${sibling} (OCG I.B.2)` });
    if (!kept.some((o) => o.code === sibling)) replaced.set(c, { code: sibling, detail: `${c.code} → ${sibling}: the statement says "${w}" (OCG I.B.2)` });
  }
  // Iron deficiency anemia whose cause the statement names, other than blood loss (D50.0, which completion reads):
  // "due to malabsorption from celiac disease", "after gastric bypass" is a specified type (Index: Anemia, iron
  // deficiency, specified type NEC, D50.8), not D50.9. A cause not yet known stays unspecified.
  for (const c of kept) {
    if (c.code !== 'D50.9' || drop.has(c) || replaced.has(c) || c.context.uncertain || !input.kb.codes.get('D50.8')?.billable) continue;
    const cause = c.evidence.some((m) => {
      const s = input.sentences[m.sentenceIndex];
      if (!s || !DIAGNOSTIC_SECTIONS.has(m.section)) return false;
      const after = input.note.text.slice(m.span.end, s.start + s.text.length);
      // A blood loss the sentence denies ("…from celiac disease; no GI blood loss") is no cause.
      return IRON_CAUSE.test(after) && !BLOOD_LOSS.test(after.replace(DENIED_BLOOD_LOSS, ' ')) && !HEDGED.test(s.text);
    });
    if (!cause) continue;
    drop.add(c);
    dropped.push({ code: c.code, reason: 'the statement names the cause: D50.8 (Index: Anemia, iron deficiency, specified type NEC; OCG I.B.2)' });
    if (!kept.some((o) => o.code === 'D50.8')) replaced.set(c, { code: 'D50.8', detail: 'D50.9 → D50.8: the statement names the cause of the iron deficiency (Index: Anemia, iron deficiency, specified type NEC; OCG I.B.2)' });
  }
  // A code whose Excludes1 sends "that with X" to a combination ("Calculus of kidney and ureter" N20: "that with
  // hydronephrosis (N13.2)") beside X coded on its own (N13.30 *Unspecified hydronephrosis*): the combination codes both
  // ("Obstructing right UVJ stone with mild hydronephrosis" is N13.2; OCG I.A.12.a, I.B.9).
  for (const c of kept) {
    if (drop.has(c) || replaced.has(c)) continue;
    for (const n of notesFor(input.kb, c.code, ['excludes1'])) {
      const m = /^that with (.+?) \(([A-Z]\d[0-9A-Z.]*)\)$/i.exec(n.text.trim());
      if (!m || !input.kb.codes.get(m[2]!)?.billable) continue;
      const words = stems(m[1]!);
      // X alone ("Unspecified hydronephrosis", "Other hydronephrosis"), not X with more ("Hydronephrosis with ureteral
      // stricture" N13.1, "Pyonephrosis" N13.6 keep their codes).
      const alone = (o: RuledCandidate) => { const t = titleStems(input.kb, o.code).filter((w) => !FREE_EXTRAS.has(w) && w !== 'other'); return t.length > 0 && t.every((w) => words.includes(w)) && words.every((w) => t.includes(w)); };
      const other = kept.find((o) => o !== c && !drop.has(o) && o.code !== m[2] && alone(o));
      if (!other) continue;
      drop.add(c);
      drop.add(other);
      for (const x of [c, other]) dropped.push({ code: x.code, reason: `${c.code} Excludes1 "${n.text.trim()}": the combination ${m[2]} codes both (OCG I.A.12.a)` });
      if (!kept.some((o) => o.code === m[2])) replaced.set(c, { code: m[2]!, detail: `${c.code} with ${other.code} → ${m[2]}: ${c.code} Excludes1 "${n.text.trim()}" (OCG I.A.12.a, I.B.9)` });
      break;
    }
  }
  // A category whose title excludes a condition ("Paralytic ileus and intestinal obstruction without hernia", K56)
  // beside a code that names it and the same condition ("Incisional hernia with obstruction, without gangrene",
  // K43.0): the obstruction is the hernia's, coded once by the combination (OCG I.B.9).
  for (const a of kept) {
    if (drop.has(a)) continue;
    const excluded = /\bwithout (\w+)/i.exec(input.kb.codes.get(categoryOf(a.code))?.title ?? '')?.[1];
    if (!excluded) continue;
    // The two share what the titles claim, their "without …" aside (M81.0 and a "Long term (current) use" code share
    // only the "current" M81 denies).
    const claims = (code: string) => stems(title(code).replace(/\bwithout\b[^,]*/gi, ' ')).filter((w) => !FREE_EXTRAS.has(w) && !QUALIFIER_WORDS.has(w));
    const own = new Set(claims(a.code));
    const by = kept.find((o) => o !== a && !drop.has(o) && categoryOf(o.code) !== categoryOf(a.code) && new RegExp(`\\b${excluded}\\b`, 'i').test(title(o.code).replace(/\bwithout\b[^,]*/gi, ' ')) && claims(o.code).some((w) => own.has(w)));
    if (!by) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `${categoryOf(a.code)} is "${input.kb.codes.get(categoryOf(a.code))?.title}"; ${by.code} codes the ${excluded} with it (OCG I.B.9)` });
    noteDrop(by, 'combination_code', `${a.code} (${title(a.code)}) not reported: ${by.code} includes it (OCG I.B.9)`);
  }
  // Two unspecified readings of the same words: one condition, one code — the reading of more of the words
  // ("viral gastroenteritis" A08.4 over "gastroenteritis" K52.9), else the more confident ("depression" as
  // F32.A or F32.9).
  // More of the words: more term words, or as many over a longer stretch of the note ("COPD with emphysema",
  // J43.9 by the Index, over the "COPD" inside it, J44.9 — an abbreviation counts its expansion's words).
  const longer = (n: CandidateMention, m: CandidateMention) => n.size > m.size || (n.size === m.size && n.span.end - n.span.start > m.span.end - m.span.start);
  // Mention by mention: each of its readings lies inside a longer one of the other, or is the same words read more
  // confidently ("rheumatoid arthritis" as M19.90 by the learned layer, and its "arthritis", beside M06.9's title).
  const sameSpan = (n: CandidateMention, m: CandidateMention) => n.span.start === m.span.start && n.span.end === m.span.end;
  const readsMore = (o: RuledCandidate, a: RuledCandidate) =>
    a.evidence.every((m) => o.evidence.some((n) => (spanCovers(n, m) && longer(n, m)) || (o.confidence > a.confidence && sameSpan(n, m))));
  for (const a of kept) {
    if (drop.has(a) || !UNSPECIFIED.test(title(a.code))) continue;
    const b = kept.find((o) => o !== a && !drop.has(o) && UNSPECIFIED.test(title(o.code)) && readsMore(o, a));
    if (!b) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `another reading of the same words as ${b.code} (OCG I.B.2: one code per condition)` });
    noteDrop(b, 'same_words', `${a.code} (${title(a.code)}) not reported: read from the same words as ${b.code}; choose the one the documentation supports (OCG I.B.2)`);
  }
  // An unspecified-site reading whose Excludes1 names a kept code of the specified site is that condition read
  // without its site, wherever each is written: "UTI" (N39.0 *Urinary tract infection, site not specified*;
  // Excludes1 "urinary tract infection of specified site, such as: cystitis (N30.-)") beside acute cystitis
  // (N30.00) is the cystitis (OCG I.A.12.a, I.B.2).
  for (const a of kept) {
    if (drop.has(a) || !SITE_UNSPECIFIED.test(title(a.code))) continue;
    const excludes = notesFor(input.kb, a.code, ['excludes1']);
    const b = kept.find((o) => o !== a && !drop.has(o) && excludes.some((n) => namesCode(n.text, o.code)));
    if (!b) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `the site is documented: ${b.code} (Excludes1 at ${a.code}; OCG I.A.12.a, I.B.2)` });
    noteDrop(b, 'more_specific_code', `${a.code} (${title(a.code)}) not reported: ${b.code} codes the same condition at its documented site (Excludes1 at ${a.code}, OCG I.A.12.a)`);
  }
  // A reading of some of the words of a longer reading of the same chapter is the same condition read less
  // fully: "Acute maxillary sinusitis" is J01.00 (its title), and "maxillary sinusitis" inside it, J32.0
  // (chronic, the Index default), is not reported beside it. Pairs the tabular asks to report together stay.
  // A symptom is judged where the provider states the diagnoses (it is coded from there, sections.ts): "Nausea" in
  // the history does not keep R11.0 beside the assessment's "Nausea with vomiting" (R11.2). A condition read
  // elsewhere too stays (ip-08: "NSTEMI" in the course keeps I21.4 beside a longer statement reading).
  const inside = (n: CandidateMention, m: CandidateMention) => spanCovers(n, m) && n.size > m.size;
  // The longer reading's Index path names these words as its cause, after "in (due to)": "Varix, esophagus, in portal
  // hypertension" (I85.10) is the varices; the portal hypertension (K76.6) is a condition of its own, coded too.
  const namesAsCause = (o: RuledCandidate, words: readonly string[]) =>
    o.evidence.some((n) => {
      const text = n.termKind === 'index' ? n.termText : '';
      const m = /,\s*(?:in|due to|secondary to)\b(?:\s*\(due to\))?[,\s]+(.+)$/i.exec(text);
      if (!m) return false;
      const cause = new Set(stems(m[1]!));
      return words.length > 0 && words.every((w) => cause.has(w));
    });
  for (const a of kept) {
    if (drop.has(a) || a.evidence.length === 0 || a.code.startsWith('Z')) continue;
    // Another chapter too when the longer reading's term has every word this one was read from: "hypertension" (I10) inside
    // "portal hypertension" (K76.6) is that condition, not also essential hypertension.
    // (Not a chapter-15 code: "anemia in pregnancy" O99.01- is reported with the anemia's own code, OCG I.C.15.a.1.)
    const quoted = [...new Set(a.evidence.flatMap((m) => stems(m.span.quote)))];
    const sameChapterOrNamed = (o: RuledCandidate) => o.code[0] === a.code[0] || (!a.code.startsWith('O') && quoted.length > 0 && quoted.every((w) => termWords(o).has(w)));
    // The longer reading's code is one the Index gives below the path this one was read by: "fatty liver" (K76.0, "Fatty,
    // liver NEC") inside the statement's "Alcoholic fatty liver" (K70.0, at "…, alcoholic"). The history's "fatty liver
    // on prior ultrasound" and the imaging's "hepatic steatosis" are that liver too: the statement decides, as for a symptom.
    const subtermOf = (o: RuledCandidate) => a.evidence.some((m) => m.termKind === 'index' && isSubtermCode(input.kb, m.termText, o.code));
    const b = kept.find((o) => o !== a && !drop.has(o) && !o.code.startsWith('Z') && sameChapterOrNamed(o) && !reportedTogether(input, a.code, o.code) && !namesAsCause(o, quoted) && (a.code.startsWith('R') || subtermOf(o) ? statementEvidence(a) : a.evidence).every((m) => o.evidence.some((n) => inside(n, m))));
    if (!b) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `read from part of the words ${b.code} reads in full (OCG I.B.2: one code per condition)` });
    noteDrop(b, 'same_words', `${a.code} (${title(a.code)}) not reported: read from part of the words of ${b.code} (OCG I.B.2)`);
  }
  // A reading that gathers its words across others ("Sigmoid diverticulitis with colovesical fistula" as "Fistula,
  // sigmoid", K63.2) beside a reading of as many words written together that ends on the same word ("colovesical
  // fistula", N32.1), when a third condition is read from the far words ("Sigmoid diverticulitis", K57.32): the head's
  // own modifier is the one next to it; the far word qualifies the other condition. ("Influenza A with acute otitis
  // media" stays J10.83 beside H66.92: no third reading claims "Influenza A".)
  for (const a of kept) {
    if (drop.has(a) || a.code.startsWith('Z')) continue;
    const own = statementEvidence(a);
    const claimedBetween = (from: number, to: number, b: RuledCandidate) =>
      kept.some((c) => c !== a && c !== b && !drop.has(c) && c.evidence.some((k) => k.span.start < to && from < k.span.end));
    const closer = (m: CandidateMention) => (o: RuledCandidate) =>
      o.evidence.some((n) => n.gaps === 0 && n.size >= m.size && n.span.end === m.span.end && n.span.start > m.span.start && claimedBetween(m.span.start, n.span.start, o));
    const b = own.every((m) => m.gaps > 0) ? kept.find((o) => o !== a && !drop.has(o) && !reportedTogether(input, a.code, o.code) && own.every((m) => closer(m)(o))) : undefined;
    if (!b) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `read across other words; ${b.code} reads the same condition from the words written together (OCG I.B.2)` });
    noteDrop(b, 'same_words', `${a.code} (${title(a.code)}) not reported: its reading gathered a word that qualifies another condition (OCG I.B.2)`);
  }
  // OCG I.C.21.c.10: counseling that is part of treating a documented condition is not coded apart.
  if (kept.some((c) => !c.code.startsWith('Z') && !drop.has(c))) {
    for (const c of kept) {
      if (c.code !== 'Z71.9' || drop.has(c)) continue;
      drop.add(c);
      dropped.push({ code: c.code, reason: 'counseling integral to the treatment of a documented condition (OCG I.C.21.c.10)' });
    }
  }
  const withoutSiblings = [...replaced].map(([c, { code, detail }]) => ({ ...c, code, rules: [...c.rules, { rule: 'more_specific_code', detail }] }));
  return { kept: [...kept.filter((c) => !drop.has(c)), ...withoutSiblings], dropped };
}
