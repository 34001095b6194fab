// Stages 1–5 up to candidate codes: sections → sentences → abbreviation expansion → dictionary mentions
// → context → completion to a reportable code. One candidate per (code); evidence from every mention.
import { expandAbbreviations, type Replacement, toOriginal } from './abbreviations.ts';
import { applyContext, findTriggers } from './context.ts';
import { withPhrases, type Knowledge } from './knowledge.ts';
import { SITE_FORMS, type Dictionary, type DictionaryEntry } from './dictionary.ts';
import { findMentions, findMinedMentions, markSubsumed, type ExtraWords, type Mention } from './mentions.ts';
import { courseAsStatement, DIAGNOSTIC_SECTIONS, splitSections, type SectionName } from './sections.ts';
import { splitSentences } from './sentences.ts';
import { ACUTE_ON_CHRONIC_MARK, completeCode, DUE_TO_MARK, WITHOUT_MARK } from './specificity.ts';
import { CANCER_CHEMOTHERAPY, drugClass } from './drug-class.ts';
import { stems, stemWord } from '../index/lexical-score.ts';
import { uncoveredPhrases, type PhraseVocabulary } from './phrases.ts';
import type { RetrievedHits } from './retrieve.ts';
import { INDEX_SYNONYMS } from './synonyms.ts';
import { documentFrequency, MAX_POSTING, termIndexOf } from './term-index.ts';
import { causalLinks, listBoundaries, tokenize, type CausalLink, type Token } from './tokens.ts';
import type { ContextStatus, EvidenceSpan, RuleNote, Setting } from './types.ts';

export interface CandidateMention {
  span: EvidenceSpan;
  sentenceIndex: number;
  section: SectionName;
  context: ContextStatus;
  /** The dictionary term that matched, its kind and how specific it is. */
  termText: string;
  termKind: string;
  termCode: string;
  size: number;
  gaps: number;
  optionalHits: number;
  /** Inside a longer mention of the same sentence (see Mention.subsumed). */
  subsumed: boolean;
  /**
   * The words just before and after the mention in its sentence ("screening|risk low"): the wording a coder's
   * "negated" or "history only" rejection is about (learned.ts contextKey). Absent on derived mentions.
   */
  around?: string;
}

export interface Candidate {
  code: string;
  kind: 'final' | 'needs_specificity';
  mentions: CandidateMention[];
  rules: RuleNote[];
}

export interface AnalysedSentence {
  index: number;
  start: number;
  end: number;
  text: string;
  section: SectionName;
}

/** A run of words no dictionary term matched whole, sent to retrieval (see phrases.ts). */
export interface ClinicalPhrase {
  /** The words as matched (abbreviations expanded): the retrieval query. */
  text: string;
  span: EvidenceSpan;
  sentenceIndex: number;
  section: SectionName;
  context: ContextStatus;
  /** The sentence's stems, for completing a retrieved header to a billable code. */
  sentenceStems: ReadonlySet<string>;
  /** The words around the phrase (CandidateMention.around). */
  around: string;
}

/** The kind of match of a retrieved candidate's mention; the learned layer counts it apart from dictionary matches. */
export const RETRIEVED_KIND = 'search';

/** Headings under which an inpatient record lists the stay's diagnoses (see context.ts stayDiagnoses). */
const STAY_DIAGNOSES: ReadonlySet<SectionName> = new Set(['diagnoses', 'discharge_diagnoses', 'principal_diagnosis']);

export const NO_CONTEXT: ContextStatus = { negated: false, uncertain: false, historical: false, family: false, hypothetical: false };

/**
 * A phrase's leading words that are an assertion cue ("not hypoxic at rest", "possible pneumonia") modify the
 * finding; inside the phrase, ConText would read them as part of the mention (context.ts `covers`) and the
 * finding would pass as affirmed. Trimmed, the cue scopes over the rest as it does over a dictionary match.
 * A trailing cue modifies what follows the phrase ("stool studies not obtained"): it is no finding's word either.
 */
function withoutEdgeCues(text: string, tokens: readonly Token[], runs: number[][]): number[][] {
  const cues = findTriggers(text).filter((t) => t.kind !== 'PSEUDO' && t.kind !== 'TERMINATE');
  if (cues.length === 0) return runs;
  const inCue = (i: number) => cues.some((c) => tokens[i]!.start >= c.start && tokens[i]!.end <= c.end);
  return runs.map((run) => {
    let first = 0;
    while (first < run.length && inCue(run[first]!)) first++;
    let last = run.length;
    while (last > first && inCue(run[last - 1]!)) last--;
    return run.slice(first, last);
  }).filter((run) => run.length > 0);
}

/**
 * An abbreviation the dictionary read whole ("NSTEMI" → "non-ST elevation myocardial infarction" → I21.4) lends
 * none of its words to another reading: "NSTEMI (presumed plaque rupture)" is no myocardial rupture (I23.3). The
 * test: a mention that takes one word of a 3+ word expansion, not its head (last) word, or takes the expansion
 * without its leading "non", plus words outside it, where another mention covers the whole expansion. "T2DM with CKD" keeps "type 2 diabetes … chronic kidney
 * disease": it takes three words of the expansion.
 */
function wordBorrowing(replacements: readonly Replacement[], tokens: readonly Token[], matched: readonly (readonly number[])[]): (mention: readonly number[]) => boolean {
  const spans = replacements
    .map((r) => tokens.flatMap((t, i) => (t.start >= r.expandedStart && t.end <= r.expandedEnd ? [i] : [])))
    .filter((ids) => ids.length >= 3)
    .filter((ids) => matched.some((m) => ids.every((i) => m.includes(i))));
  if (spans.length === 0) return () => false;
  return (mention) =>
    spans.some((ids) => {
      const inside = mention.filter((i) => ids.includes(i));
      if (inside.length === 0 || inside.length === ids.length || mention.length === inside.length) return false;
      // One word that is not the head, or the expansion without its leading "non": "NSTEMI" read as "ST elevation
      // myocardial infarction" (I21.3) with an "ST" from elsewhere in the sentence has dropped its negation.
      return (inside.length === 1 && inside[0] !== ids.at(-1)) || (tokens[ids[0]!]!.stem === 'non' && !inside.includes(ids[0]!));
    });
}

/**
 * An acronym the term writes in capitals ("AIDS") is not the lower-case word of the same letters: "hearing aids",
 * "an OTC sleep aid" are no B20. A matched token whose term word is an all-capital acronym must be written in capitals.
 */
function readsAcronymFromWord(text: string, tokens: readonly Token[], matched: readonly number[], entry: DictionaryEntry): boolean {
  let stemsOfAcronyms = acronymCache.get(entry);
  if (!stemsOfAcronyms) acronymCache.set(entry, (stemsOfAcronyms = new Set((entry.term.text.match(/\b[A-Z]{3,}\b/g) ?? []).map((a) => stemWord(a.toLowerCase())))));
  if (stemsOfAcronyms.size === 0) return false;
  return matched.some((i) => {
    const t = tokens[i]!;
    const written = text.slice(t.start, t.end);
    return stemsOfAcronyms.has(t.stem) && written !== written.toUpperCase();
  });
}

/**
 * "SCC in situ of skin" is the Neoplasm Table's "ca in situ" column (D04.-), not its malignant one through the
 * morphology's words (C44.92 past "in situ"): a malignant-column reading with "in situ" inside it or right after it
 * is not read. The in-situ column's own reading of the same words stays.
 */
function readsInSituAsMalignant(m: Mention, tokens: readonly Token[]): boolean {
  if (m.entry.term.kind !== 'neoplasm' || !/^malignant/.test(m.entry.term.path?.at(-1) ?? '')) return false;
  const first = m.tokens[0]!;
  const last = m.tokens[m.tokens.length - 1]!;
  for (let t = first + 1; t <= Math.min(tokens.length - 1, last + 1); t++) if (tokens[t]!.stem === SITU && !m.tokens.includes(t)) return true;
  return false;
}
const SITU = stemWord('situ');

/** A word between a mention's first and last token is a morphology the Index codes itself (Dictionary.ownMorphology). */
function namesOwnMorphology(tokens: readonly Token[], matched: readonly number[], dictionary: Dictionary): boolean {
  for (let i = matched[0]!; i <= matched[matched.length - 1]!; i++) if (dictionary.ownMorphology.has(tokens[i]!.stem)) return true;
  return false;
}

/** Finds every code the note's words point to, with evidence spans into the original text. */
export function generateCandidates(
  text: string,
  kb: Knowledge,
  /** `mined`: the learned model's phrases; `setting`: the encounter's (an inpatient record's diagnosis lists, context.ts stayDiagnoses). */
  { mined, setting, sex }: { mined?: ReadonlyMap<string, readonly string[]>; setting?: Setting; sex?: string } = {},
): { candidates: Candidate[]; sentences: AnalysedSentence[]; phrases: ClinicalPhrase[] } {
  const sentences = splitSentences(text, courseAsStatement(splitSections(text)));
  const byCode = new Map<string, Candidate>();
  const phrases: ClinicalPhrase[] = [];
  const vocabulary = phraseVocabulary(kb);
  for (const s of sentences) {
    const expanded = expandAbbreviations(s.text);
    const tokens = tokenize(expanded.text);
    if (tokens.length === 0) continue;
    const sentenceStems = completionStems(s.text, tokens);
    const clauseStems = clauseStemsOf(expanded.text, tokens, sentenceStems);
    const links = causalLinks(expanded.text, tokens);
    const dictionaryMentions = findMentions(tokens, kb.dictionary, listBoundaries(expanded.text, tokens), links, INDEX_SYNONYMS, drugCauseWords(expanded.text, tokens, links, kb));
    const borrowing = wordBorrowing(expanded.map.replacements, tokens, dictionaryMentions.map((m) => m.tokens));
    // A reading through a word the note denies is no reading, and contains none: "Panic disorder without agoraphobia"
    // is F41.0, not a part of F40.00's title words.
    const readable = dictionaryMentions.filter((m) => !deniesMatchedWord(expanded.text, tokens, m.tokens, m.entry) && !skipsSiblingType(m, dictionaryMentions, expanded.text, tokens));
    const mentions = [...(readable.length < dictionaryMentions.length ? markSubsumed(readable) : dictionaryMentions), ...(mined ? findMinedMentions(tokens, mined) : [])];
    // Leftover = not in a dictionary match; mined phrases do not count, so the same phrases are retrieved
    // whichever learned model is loaded (retrieval results are computed before scoring, see run.ts).
    const covered = new Set(dictionaryMentions.flatMap((m) => m.tokens));
    const runs = withoutEdgeCues(expanded.text, tokens, uncoveredPhrases(expanded.text, tokens, covered, vocabulary));
    const spanOf = (run: readonly number[]) => toOriginal(expanded.map, tokens[run[0]!]!.start, tokens[run[run.length - 1]!]!.end);
    const spans = mentions.map((m) => spanOf(m.tokens));
    const runSpans = runs.map(spanOf);
    // An ED or urgent-care impression lists what this visit treated: "Anaphylaxis due to peanut ingestion - resolved
    // with treatment" was present (an office note's "resolved" is a past condition).
    const stayDiagnoses = (setting === 'inpatient' && STAY_DIAGNOSES.has(s.section)) || (setting === 'outpatient' && DIAGNOSTIC_SECTIONS.has(s.section));
    const allContexts = applyContext(s.text, [...spans, ...runSpans], { section: s.section, stayDiagnoses });
    const contexts = allContexts.slice(0, spans.length);
    runs.forEach((run, i) => {
      const span = runSpans[i]!;
      const ctx = allContexts[spans.length + i];
      phrases.push({
        text: expanded.text.slice(tokens[run[0]!]!.start, tokens[run[run.length - 1]!]!.end),
        span: { start: s.start + span.start, end: s.start + span.end, quote: text.slice(s.start + span.start, s.start + span.end) },
        sentenceIndex: s.index,
        section: s.section,
        context: ctx ? contextOf(ctx) : NO_CONTEXT,
        sentenceStems,
        around: wordsAround(expanded.text, tokens[run[0]!]!.start, tokens[run[run.length - 1]!]!.end),
      });
    });
    mentions.forEach((m, i) => {
      // "Laceration of forearm without foreign body" is not the Index's "Laceration, forearm, with foreign body": the
      // "with" condition's first or last word (its head: "body", "angina" of "angina pectoris") is denied. A word inside
      // it denied elsewhere is not ("BPH with LUTS …, no urinary retention" is still N40.1 *…with lower urinary tract symptoms*).
      if (withStemsOf(m.entry).some((w) => sentenceStems.has(`${WITHOUT_MARK}${w[0]}`) || sentenceStems.has(`${WITHOUT_MARK}${w[w.length - 1]}`))) return;
      if (borrowing(m.tokens)) return;
      if (readsAcronymFromWord(expanded.text, tokens, m.tokens, m.entry)) return;
      if (m.entry.unless?.some((w) => sentenceStems.has(w))) return;
      // The secondary column is read from "metastasis" whatever the morphology ("metastasis of melanoma in the small intestine" is C78.4).
      if (m.entry.term.kind === 'neoplasm' && m.entry.term.path?.at(-1) !== 'malignant secondary' && namesOwnMorphology(tokens, m.tokens, kb.dictionary)) return;
      if (readsInSituAsMalignant(m, tokens)) return;
      const completion = completeCode(kb, m.entry.term.code, withSex(ownSide(clauseStems(m.tokens), tokens.slice(m.tokens[0]!, m.tokens[m.tokens.length - 1]! + 1).map((t) => t.stem)), sex), { siblings: DIAGNOSTIC_SECTIONS.has(s.section) });
      if (!completion) return;
      const span = spans[i]!;
      const ctx = contexts[i];
      const mention: CandidateMention = {
        span: { start: s.start + span.start, end: s.start + span.end, quote: text.slice(s.start + span.start, s.start + span.end) },
        sentenceIndex: s.index,
        section: s.section,
        context: ctx ? contextOf(ctx) : NO_CONTEXT,
        termText: m.entry.term.text,
        termKind: m.entry.term.kind,
        termCode: m.entry.term.code,
        size: m.entry.size,
        gaps: m.gaps,
        optionalHits: m.optionalHits,
        subsumed: m.subsumed ?? false,
        around: wordsAround(expanded.text, tokens[m.tokens[0]!]!.start, tokens[m.tokens[m.tokens.length - 1]!]!.end),
      };
      addMention(byCode, completion, mention);
    });
  }
  dropAncestors(byCode, kb);
  return { candidates: [...byCode.values()], sentences, phrases };
}

/**
 * Candidates from the codes retrieved for the leftover phrases, merged into the dictionary's: a code both
 * found keeps one candidate with both mentions. The mention's size is the retrieved text's match quality
 * (stemCoverageScore) in quarters, 1–4; its kind carries the rank (search, search2), which the learned
 * layer counts apart.
 */
export function withRetrieved(candidates: readonly Candidate[], phrases: readonly ClinicalPhrase[], retrieved: RetrievedHits, kb: Knowledge): Candidate[] {
  const byCode = new Map(candidates.map((c) => [c.code, { ...c, mentions: [...c.mentions], rules: [...c.rules] }]));
  for (const p of phrases) {
    for (const hit of retrieved.get(p.text) ?? []) {
      const completion = completeCode(kb, hit.code, p.sentenceStems, { siblings: DIAGNOSTIC_SECTIONS.has(p.section) });
      if (!completion) continue;
      addMention(byCode, completion, {
        span: p.span,
        sentenceIndex: p.sentenceIndex,
        section: p.section,
        context: p.context,
        termText: hit.text,
        termKind: hit.rank === 1 ? RETRIEVED_KIND : `${RETRIEVED_KIND}${hit.rank}`,
        termCode: hit.code,
        size: Math.max(1, Math.round(hit.lexical * 4)),
        gaps: 0,
        optionalHits: 0,
        subsumed: false,
        around: p.around,
      });
    }
  }
  return [...byCode.values()];
}

function addMention(byCode: Map<string, Candidate>, completion: NonNullable<ReturnType<typeof completeCode>>, mention: CandidateMention): void {
  const existing = byCode.get(completion.code);
  if (existing) {
    existing.mentions.push(mention);
    for (const r of completion.rules) if (!existing.rules.some((x) => x.rule === r.rule)) existing.rules.push(r);
  } else byCode.set(completion.code, { code: completion.code, kind: completion.kind, mentions: [mention], rules: [...completion.rules] });
}

const withStemsCache = new WeakMap<DictionaryEntry, string[][]>();
/** Per dictionary entry, once: its capital acronyms' stems (readsAcronymFromWord) and the words it denies (deniesMatchedWord). */
const acronymCache = new WeakMap<DictionaryEntry, ReadonlySet<string>>();
const deniedCache = new WeakMap<DictionaryEntry, ReadonlySet<string> | null>();

/**
 * Stems of the Index levels that a "with" introduces (["Laceration", "forearm", "with foreign body"] → [foreign,
 * bodi]), one list per "with", computed once per dictionary entry.
 */
function withStemsOf(entry: DictionaryEntry): string[][] {
  let out = withStemsCache.get(entry);
  if (!out) withStemsCache.set(entry, (out = entry.term.path ? withStems(entry.term.path) : withPhrases(entry.term.text).map((w) => [...w])));
  return out;
}


function withStems(path: readonly string[] | null | undefined): string[][] {
  if (!path) return [];
  const out: string[][] = [];
  path.forEach((level, i) => {
    if (/^with$/i.test(level.trim())) out.push(stems(path[i + 1] ?? ''));
    else if (/^with\s/i.test(level.trim())) out.push(stems(level.trim().slice(5)));
  });
  return out.filter((w) => w.length > 0);
}

/**
 * "without" right before a word: "without psychotic features". Only "without": with "no"/"non" as well
 * ("no LOC", "non-displaced") CodiEsp dev lost 0.001 F1 (its coders code some negated findings).
 */
const DENIAL_BEFORE = /\b(?:without|w\/o)\s+$/i;
const DENIAL_IN_TERM = /\b(?:without|no|non)\b/i;

/**
 * A word the note denies cannot make a match: "severe without psychotic features" is not the Index's
 * "Episode, psychotic" (F23), unless the term itself denies that word ("without complications", "non-ST
 * elevation"): "Panic disorder without agoraphobia" is no F40.01 *Agoraphobia with panic disorder* through the
 * title of F40.00 *Agoraphobia without panic disorder*, which denies the panic disorder, not the agoraphobia.
 */
function deniesMatchedWord(text: string, tokens: readonly { start: number; stem: string }[], matched: readonly number[], entry: DictionaryEntry): boolean {
  const termDenies = termDeniedStems(entry);
  return matched.some((i) => DENIAL_BEFORE.test(text.slice(Math.max(0, tokens[i]!.start - 12), tokens[i]!.start)) && !(termDenies?.has(tokens[i]!.stem) ?? false));
}

/**
 * A reading that skips a type numeral another reading of the same category takes to name its own code: "Bipolar II
 * disorder, current episode depressed, moderate" read as F31.32 past "II" — the note names the type, F31.81 (the
 * Index's "Disorder, bipolar, II"), and F31.3- is bipolar I's. Only a numeral or type letter skipped (I–IV, 1–9, A–D):
 * other skipped words are a term's nonessential detail.
 */
function skipsSiblingType(m: Mention, all: readonly Mention[], text: string, tokens: readonly Token[]): boolean {
  if (m.gaps === 0) return false;
  const own = new Set(m.tokens);
  const first = m.tokens[0]!;
  const last = m.tokens[m.tokens.length - 1]!;
  // A term that says "NOS" skips no word another reading of its category takes: "Acute saddle pulmonary embolism" is
  // not "Acute pulmonary embolism NOS" (I26.99) past "saddle", which "Embolism, pulmonary, saddle" (I26.92) reads.
  const nos = /\bNOS\b/.test(m.entry.term.text);
  const skipped = new Set<number>();
  for (let t = first + 1; t < last; t++) if (!own.has(t) && (nos || TYPE_DESIGNATOR.test(tokenText(text, tokens[t])))) skipped.add(t);
  if (skipped.size === 0) return false;
  const category = m.entry.term.code.slice(0, 3);
  return all.some((o) => o.entry.term.code !== m.entry.term.code && o.entry.term.code.slice(0, 3) === category && o.tokens.some((t) => skipped.has(t)) && o.tokens.every((t) => own.has(t) || skipped.has(t)));
}
const TYPE_DESIGNATOR = /^(?:I{1,3}|IV|[1-9]|[A-D])$/;
const tokenText = (text: string, t: Token | undefined) => (t ? text.slice(t.start, t.end) : '');

/** The words a term denies ("Agoraphobia without panic disorder" → panic, disorder); null for a term that denies none. */
function termDeniedStems(entry: DictionaryEntry): ReadonlySet<string> | null {
  let out = deniedCache.get(entry);
  if (out === undefined) {
    const text = entry.term.text;
    out = DENIAL_IN_TERM.test(text) ? new Set([...text.matchAll(/\b(?:without|no|non)[\s-]+(.+?)(?=\s+with\b|,|$)/gi)].flatMap((m) => stems(m[1]!))) : null;
    deniedCache.set(entry, out);
  }
  return out;
}

/** Both sides in words ("both knees", "bilaterally", "B/L"); a side letter ("L ear") is a token's (tokens.ts). */
const BOTH = /\bboth (?:eyes|ears|legs|arms|forearms|knees|hips|feet|heels|ankles|hands|wrists|elbows|shoulders|thumbs|thighs|lungs|kidneys|ovaries|sides|breasts)\b|\bbilat(?:erally)?\b|\bB\/L\b/i;
const DUE_TO = /\bdue to\b/i;
const LOC_DURATION = /\b(?:LOC|loss of consciousness)\b[^.;]{0,30}?\b(\d+)\s*(sec\w*|s\b|min\w*)/i;
const SHORT_LOC_WORDS = ['30', 'minutes', 'less'].map(stemWord);
/**
 * Joints of the foot a note names instead of the foot: "gout of the right first MTP joint", "podagra of the great toe"
 * completes a header's "…, ankle and foot" leaf (M10.07-, M1A.07-). Completion only: the dictionary's "foot" levels are
 * not read from a toe (a toe fracture has codes of its own).
 */
const FOOT_PARTS: ReadonlySet<string> = new Set(['toe', 'hallux', 'metatarsophalangeal', 'podagra'].map(stemWord));
const FOOT = stemWord('foot');
const INTACT = /\b(?:TM|TMs|tympanic membranes?|ear ?drums?|perineum|skin|membranes)\s+(?:(?:is|are|was|were|remains?|remained)\s+)?intact\b/i;
const INTACT_DENIES = ['rupture', 'perforation', 'laceration', 'tear'].map(stemWord);
const ACUTE_ON_CHRONIC = /\bacute(?:ly)?[\s-]+on[\s-]+chronic\b|\bacute(?:ly)?\s+(?:exacerbation|decompensation|worsening)\s+of\s+(?:\w+\s+){0,3}chronic\b|\bdecompensated\s+chronic\b|\bAoC\b/i;
const HEALING_STATE = /\b(?:routine|delayed) healing\b|\bnon-?union\b|\bmal-?union\b/i;
const SUBSEQUENT = stemWord('subsequent');
/**
 * "without foreign body", "without nail damage", "not yet in remission": the words a "without" denies, marked
 * "without:<stem>" (C92.00 *…, not having achieved remission*, not C92.01 *…, in remission*). A hyphenated word is
 * one word: "not an acute-on-chronic presentation" denies acute, on, chronic (I50.33).
 */
const WITHOUT = /\b(?:without|w\/o|no|not(?: yet)?)\s+((?:[a-z]+(?:-[a-z]+)*\s+){0,2}[a-z]+(?:-[a-z]+)*)/gi;
/**
 * "non-inflamed", "non-bleeding": the prefix denies its word, as "not inflamed" would (L82.1, not L82.0 *Inflamed
 * seborrheic keratosis*). Words of four letters or more: "non-ST elevation" is a name (NSTEMI), not "no ST".
 */
const NON = /\bnon-([a-z]{4,})/gi;
const DENIED_ABBREVIATION = /\b(?:no|without|w\/o|denies)\s+([A-Z]{2,6})(?=\s*(?:[,.;)]|$|(?:complaints?|currently|today|now)\b))/g;

/**
 * The sentence's stems as completion reads them (see specificity.ts completeCode): Index synonyms, a site's noun
 * and adjective (dictionary.ts SITE_FORMS), "bilateral"
 * for both sides written out (tokens already read "L forearm" as left), and "without:<stem>" for what the sentence denies.
 */
export function completionStems(sentence: string, tokens: readonly { stem: string }[]): Set<string> {
  const out = new Set(tokens.flatMap((t) => [t.stem, ...(INDEX_SYNONYMS.get(t.stem) ?? []), ...(SITE_FORMS.get(t.stem) ?? [])]));
  if (BOTH.test(sentence)) out.add('bilateral');
  if (tokens.some((t) => FOOT_PARTS.has(t.stem))) out.add(FOOT);
  if (DUE_TO.test(sentence)) out.add(DUE_TO_MARK);
  if (ACUTE_ON_CHRONIC.test(sentence)) out.add(ACUTE_ON_CHRONIC_MARK);
  // "loss of consciousness, about 2 minutes": the duration the intracranial-injury titles band ("…of 30 minutes or
  // less", S06.0X1A) written as a number.
  const loc = LOC_DURATION.exec(sentence);
  if (loc && (/^s/i.test(loc[2]!) || Number(loc[1]) <= 30)) for (const w of SHORT_LOC_WORDS) out.add(w);
  // "TM intact", "perineum intact", "skin intact", "membranes intact": nothing there is ruptured, perforated or torn
  // (H66.002, not H66.012 *…with spontaneous rupture of ear drum*; no O70.0 laceration).
  if (INTACT.test(sentence)) for (const w of INTACT_DENIES) out.add(`${WITHOUT_MARK}${w}`);
  // "Routine healing", "delayed healing", "nonunion", "malunion" are said of a fracture after its active treatment: the
  // titles' "subsequent encounter for fracture with routine healing" (OCG I.C.19.a, 7th character D, G, K, P).
  if (HEALING_STATE.test(sentence)) out.add(SUBSEQUENT);
  // The denied words as written, and an abbreviation's head word read out: "no prior DKA admission" denies
  // ketoacidosis too; "no CKD" denies the disease's name, not "kidney" (E11.29 *…other diabetic kidney complication*).
  for (const m of sentence.matchAll(WITHOUT)) for (const w of [...tokenize(m[1]!).map((t) => t.stem), ...expansionHeads(m[1]!)]) out.add(`${WITHOUT_MARK}${w}`);
  for (const m of sentence.matchAll(NON)) for (const w of tokenize(m[1]!)) out.add(`${WITHOUT_MARK}${w.stem}`);
  // An abbreviation denied on its own ("stable on tamsulosin, no LUTS complaints."): its expansion's words are denied too (N40.0,
  // not N40.1 *…with lower urinary tract symptoms*). Not one that qualifies a further word ("no CKD stage assigned").
  for (const m of sentence.matchAll(DENIED_ABBREVIATION)) for (const w of tokenize(expandAbbreviations(m[1]!).text)) out.add(`${WITHOUT_MARK}${w.stem}`);
  return out;
}

/**
 * The completion words of the clause a mention is in, where semicolons list several diagnoses in one sentence:
 * "severe sepsis with AKI; cellulitis of the left lower leg; chronic lymphedema of both legs" completes the cellulitis
 * with "left" (L03.116), not with the lymphedema's "both". A sentence without semicolons is one clause.
 */
function clauseStemsOf(text: string, tokens: readonly Token[], sentenceStems: Set<string>): (mentionTokens: readonly number[]) => Set<string> {
  const semicolons = [...text.matchAll(/;/g)].map((m) => m.index);
  if (semicolons.length === 0) return () => sentenceStems;
  const cache = new Map<number, Set<string>>();
  return (mentionTokens) => {
    const first = tokens[mentionTokens[0]!]!;
    const last = tokens[mentionTokens[mentionTokens.length - 1]!]!;
    const start = semicolons.filter((i) => i < first.start).at(-1) ?? -1;
    const end = semicolons.find((i) => i >= last.end) ?? text.length;
    // A mention across a semicolon reads the whole sentence.
    if (semicolons.some((i) => i > first.start && i < last.end)) return sentenceStems;
    let stems = cache.get(start);
    if (!stems) {
      const clause = text.slice(start + 1, end);
      cache.set(start, (stems = completionStems(clause, tokens.filter((t) => t.start > start && t.end <= end))));
    }
    return stems;
  };
}

/**
 * The side written within the reading's words wins over the other side said elsewhere in its sentence: "Adenocarcinoma of left
 * lower lobe lung with bone metastases (T10, right ilium)" is C34.32, the right being the metastasis's.
 */
function ownSide(stems: Set<string>, readWords: readonly string[]): Set<string> {
  const left = readWords.includes(LEFT);
  const right = readWords.includes(RIGHT);
  if (left === right || !stems.has(left ? RIGHT : LEFT)) return stems;
  const out = new Set(stems);
  out.delete(left ? RIGHT : LEFT);
  return out;
}
/**
 * The patient's recorded sex completes a title that names it: "Malignant neoplasm of upper-outer quadrant of left
 * breast" for a woman is C50.412 (*…left female breast*), as a coder reads it from the encounter.
 */
function withSex(stems: Set<string>, sex: string | undefined): Set<string> {
  const word = sex === 'female' ? FEMALE : sex === 'male' ? MALE : null;
  if (!word || stems.has(word)) return stems;
  // Once per sentence (or clause) stems, not once per mention: every mention of a sentence shares its set.
  let sexed = sexedStems.get(stems);
  if (!sexed) sexedStems.set(stems, (sexed = new Set([...stems, word])));
  return sexed;
}
const sexedStems = new WeakMap<Set<string>, Set<string>>();
const FEMALE = stemWord('female');
const MALE = stemWord('male');
const LEFT = stemWord('left');
const RIGHT = stemWord('right');

/** The last word of each abbreviation's expansion in a text: "prior DKA admission" → ketoacidosis. */
function expansionHeads(text: string): string[] {
  const written = new Set(tokenize(text).map((t) => t.stem));
  const read = tokenize(expandAbbreviations(text).text).map((t) => t.stem);
  return read.filter((w, i) => !written.has(w) && (i === read.length - 1 || written.has(read[i + 1]!)));
}

const AROUND_WORDS = 2;

/**
 * Up to two words (stopwords included: "no", "of" are cues) before and after [start, end) of a sentence,
 * lower-cased: "Screening: fall risk low." around "fall" → "screening|risk low".
 */
export function wordsAround(sentence: string, start: number, end: number): string {
  return `${lowerWords(sentence.slice(0, start)).slice(-AROUND_WORDS).join(' ')}|${lowerWords(sentence.slice(end)).slice(0, AROUND_WORDS).join(' ')}`;
}
const lowerWords = (t: string): string[] => t.toLowerCase().match(/[a-z0-9]+/g) ?? [];

export const contextOf = (c: ContextStatus): ContextStatus => ({ negated: c.negated, uncertain: c.uncertain, historical: c.historical, family: c.family, hypothetical: c.hypothetical });


const vocabularies = new WeakMap<Knowledge, PhraseVocabulary>();
function phraseVocabulary(kb: Knowledge): PhraseVocabulary {
  let v = vocabularies.get(kb);
  if (!v) {
    const index = termIndexOf(kb);
    v = {
      known: (stem) => documentFrequency(index, stem) > 0,
      // A word too common in code texts ("left", "acute", "disorder") cannot select retrieval candidates either.
      specific: (stem) => stem.length >= 4 && documentFrequency(index, stem) > 0 && documentFrequency(index, stem) <= MAX_POSTING,
    };
    vocabularies.set(kb, v);
  }
  return v;
}

/**
 * A code whose descendant is also a candidate from an overlapping span is the less specific reading of the
 * same words (E11.9 from "diabetes" beside E11.65 from "diabetes with hyperglycemia"): keep the specific one.
 */
function dropAncestors(byCode: Map<string, Candidate>, kb: Knowledge): void {
  const overlaps = (a: Candidate, b: Candidate) =>
    a.mentions.some((m) => b.mentions.some((n) => m.span.start < n.span.end && n.span.start < m.span.end));
  for (const [code, cand] of byCode) {
    const category = code.slice(0, 3);
    for (const [other, oc] of byCode) {
      if (other === code || other.slice(0, 3) !== category) continue;
      if (isLessSpecific(kb, cand, oc) && overlaps(cand, oc) && cand.mentions.every((m) => oc.mentions.some((n) => n.span.start <= m.span.start && n.span.end >= m.span.end))) {
        byCode.delete(code);
        break;
      }
    }
  }
}

/**
 * True when `a` is an ancestor of `b`, or a code of the same category read from fewer of the same words:
 * E11.9 from "diabetes" inside "diabetes with hyperglycemia" (E11.65); I50.31 (acute) and I50.32 (chronic)
 * inside "acute on chronic diastolic heart failure" (I50.33) — one code per condition, the most specific
 * documented (OCG I.B.2). The callers check that `a`'s words lie inside `b`'s span.
 */
function isLessSpecific(kb: Knowledge, a: Candidate, b: Candidate): boolean {
  for (let p = kb.codes.get(b.code)?.parent; p; p = kb.codes.get(p)?.parent) if (p === a.code) return true;
  const size = (c: Candidate) => Math.max(...c.mentions.map((m) => m.size));
  return size(a) < size(b);
}

/** The Index's words for a drug as a cause: "Hypothyroidism, due to, medicament NEC" (E03.2), "Neutropenia, drug-induced" (D70.2). */
const DRUG_CAUSE_WORDS = ['drug', 'induced', 'medicament'];
/**
 * A note's "chemotherapy" (or "antineoplastic") is the Index's "cytoreductive cancer chemotherapy": "chemotherapy-induced neutropenia" is
 * "Neutropenia, drug-induced, due to cytoreductive cancer chemotherapy" (D70.1), not the other drug-induced D70.2.
 */
const CHEMOTHERAPY_CAUSE_WORDS = [...DRUG_CAUSE_WORDS, 'cytoreductive', 'cancer'];
const causeWords = (word: string) => (CANCER_CHEMOTHERAPY.test(word) ? CHEMOTHERAPY_CAUSE_WORDS : DRUG_CAUSE_WORDS);
/**
 * Table of Drugs rows that are also the body's or the world's substances: "anemia due to blood loss", "due to
 * blood incompatibility", "alcohol-induced" (the Index's own subterm) name no drug-induced condition.
 */
const NOT_A_DRUG_CAUSE = /^(?:blood|plasma|serum|water|oxygen|air|food|sugar|glucose|salt|alcohol|ethanol|tobacco|nicotine|smoke)$/i;

/**
 * A drug the provider ties a condition to ("hypothyroidism due to lithium", "lisinopril-induced angioedema")
 * also reads as the Index's "drug-induced" / "due to drugs" / "due to medicament" subterm of that condition
 * (OCG I.C.19.e.5.a: the nature of the adverse effect is coded, then its T code). Which words name a drug is
 * the Table of Drugs' (drugClass). Returns token index → those words, for this sentence only.
 */
function drugCauseWords(text: string, tokens: readonly Token[], links: readonly CausalLink[], kb: Knowledge): Map<number, ExtraWords> {
  const out = new Map<number, ExtraWords>();
  const wordAt = (i: number) => (i < tokens.length ? text.slice(tokens[i]!.start, tokens[i]!.end) : '');
  const isDrug = (i: number) => {
    const word = wordAt(i);
    return word !== '' && !NOT_A_DRUG_CAUSE.test(word) && drugClass(kb, word) !== null;
  };
  // The condition is in the drug's own clause: "Gastric ulcer - NSAID-induced (adverse effect of ibuprofen)" does
  // not make "adverse effect" the NSAID's condition. Before the drug a comma does not end it: the Index's own
  // inverted order ("Osteoporosis, glucocorticoid-induced"); after it, it does ("lithium, adverse effect").
  const before = (t: Token) => {
    const cut = Math.max(...[';', '(', ')', ' - '].map((p) => text.lastIndexOf(p, t.start)));
    return tokens.find((x) => x.start > cut)?.position ?? t.position;
  };
  const after = (t: Token) => {
    const ends = [',', ';', '(', ')', ' - '].map((p) => text.indexOf(p, t.end)).filter((x) => x >= 0);
    const cut = ends.length ? Math.min(...ends) : text.length;
    return tokens.findLast((x) => x.end <= cut)?.position ?? t.position;
  };
  for (const link of links) {
    const i = tokens.findIndex((t) => t.position === link.position);
    // The cause's first word or the one after it ("due to lithium", "due to antineoplastic chemotherapy").
    for (const j of [i, i + 1]) if (i >= 0 && isDrug(j)) out.set(j, { words: causeWords(wordAt(j)), condition: [before(tokens[j]!), tokens[j]!.position] });
  }
  for (const [i, t] of tokens.entries()) if (/^-induced\b/i.test(text.slice(t.end, t.end + 9)) && isDrug(i)) out.set(i, { words: causeWords(wordAt(i)), condition: [before(t), after(t)] });
  return out;
}
