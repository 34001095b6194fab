// From an Index or title hit to the code a coder would report: a billable code as is; a header (or an
// Index code ending in "-") completed to the billable descendant the sentence supports — laterality,
// 7th character — or, when the sentence does not say, to its "unspecified" default (OCG I.B.18).
import { FREE_EXTRAS, stems, stemWord } from '../index/lexical-score.ts';
import type { RuleNote } from './types.ts';
import { nearestExistingPrefix, titleStems, type Knowledge } from './knowledge.ts';
import { LIMB_SITES, type Limb } from '../codes/limb-sites.ts';

/** Marks a stem the sentence denies ("without foreign body" → "without:foreign"); see candidates.ts completionStems. */
export const WITHOUT_MARK = 'without:';
/** Marks a sentence that links by "due to" (a stopword pair, so no stem says it); see documentedSibling. */
export const DUE_TO_MARK = 'link:due to';
/**
 * Marks a sentence that says "acute on chronic" as a phrase ("acute-on-chronic", "acute exacerbation of chronic …",
 * "decompensated chronic …"): a title's "Acute on chronic" is not met by an "acute" and a "chronic" said of two
 * conditions ("Acute diastolic heart failure due to … chronic kidney disease" is I50.31, not I50.33).
 */
export const ACUTE_ON_CHRONIC_MARK = 'phrase:acute on chronic';
const CHRONIC = stemWord('chronic');
const SECONDARY = stemWord('secondary');

export interface Completion {
  code: string;
  kind: 'final' | 'needs_specificity';
  rules: RuleNote[];
  /** Completed from a header to a code the sentence's words support (not to the header's default). */
  documented?: boolean;
}

const MAX_DESCENDANTS = 400;

/** Words in a 7th-character title tail that the sentence must support for a non-default encounter. */
const ENCOUNTER_WORDS = /\b(subsequent|sequela|delayed|nonunion|malunion|routine healing)\b/i;

/**
 * Completes `code` against the words of its sentence. Example: "S72.9" + "fracture of the left femur"
 * → S72.92XA (left documented; 7th character A, initial encounter, flagged as assumed). `siblings`: an
 * unspecified billable code may give way to a sibling the sentence documents (documentedSibling).
 */
export function completeCode(kb: Knowledge, code: string, sentenceStems: ReadonlySet<string>, { siblings = false } = {}): Completion | null {
  const sided = sidedSibling(kb, code, sentenceStems);
  if (sided) return completeCode(kb, sided, sentenceStems, { siblings });
  const info = kb.codes.get(code);
  if (info?.billable) return (siblings && documentedSibling(kb, code, sentenceStems)) || { code, kind: 'final', rules: [] };
  const root = info ? code : nearestExistingPrefix(kb, code);
  if (!root) return null;
  const leaves = billableDescendantsOf(kb, root);
  if (leaves.length === 0) return null;
  // The result depends only on which of the words its titles use the sentence has (plain or denied): memoised
  // on that, as most sentences complete the same headers with none or few of them (profiled: a tenth of the engine).
  const { completions } = cacheOf(kb);
  const key = completionKey(code, wordsReadOf(kb, root, leaves), sentenceStems);
  // The memo holds the completion before the sibling step below, which a remembered answer takes too (returning
  // it early made a note's code depend on which notes the process had coded before).
  let out = completions.get(key);
  if (out === undefined) {
    out = completeFromLeaves(kb, code, root, leaves, sentenceStems);
    if (completions.size >= MAX_MEMO) completions.clear();
    completions.set(key, out);
  }
  // A header completed to its unspecified default ("Osteoarthritis, knee, primary" M17.1- → M17.10 for "both
  // knees") may have a documented sibling higher up (M17.0 *Bilateral primary osteoarthritis of knee*).
  const sibling = siblings && out?.kind === 'final' && !out.documented ? documentedSibling(kb, out.code, sentenceStems) : null;
  if (sibling) return { ...sibling, rules: [...sibling.rules, ...out!.rules.filter((r) => r.rule === 'seventh_char_assumed' && !sibling.rules.some((x) => x.rule === r.rule))] };
  return out && { ...out, rules: [...out.rules] };
}

const MAX_MEMO = 200_000;
const BILATERAL = 'bilateral';

/** "Affecting … side" says nothing its side words do not ("Hemiplegia … affecting right dominant side"): the sentence's "right" and "dominant" decide. */
const SIDE_PHRASE: ReadonlySet<string> = new Set(['affecting', 'side']);

/** The stems completeCode reads from a sentence for a header: every word of its billable codes' titles. */
function wordsReadOf(kb: Knowledge, root: string, leaves: readonly string[]): ReadonlySet<string> {
  const { wordsRead } = cacheOf(kb);
  let words = wordsRead.get(root);
  if (!words) {
    const set = new Set<string>(titleStems(kb, root));
    for (const leaf of leaves) {
      for (const w of titleStems(kb, leaf)) set.add(w);
      const f = titleFacts(kb, leaf);
      for (const w of [...f.defaults, ...f.without, ...f.with, ...(f.limb ? Object.values(LIMB_SITE_STEMS).flat(2) : [])]) set.add(w);
      // The phrase mark decides an "Acute on chronic" title: part of the memo's key where a leaf has one.
      if (/\bacute on chronic\b/i.test(kb.codes.get(leaf)?.title ?? '')) set.add(ACUTE_ON_CHRONIC_MARK);
      // "Bilateral" counts against a one-sided title (completeFromLeaves' bothSides): part of the key where a leaf is
      // one-sided, or "left hydrocele, bilateral" completed M85.8 to M85.80 for every later "left" of the process.
      if (f.oneSide) set.add(BILATERAL);
    }
    wordsRead.set(root, (words = set));
  }
  return words;
}

/** The code and the sentence's stems (plain or "without:") among the words read, in a fixed order. */
function completionKey(code: string, read: ReadonlySet<string>, sentenceStems: ReadonlySet<string>): string {
  const hits: string[] = [];
  for (const s of sentenceStems) if (read.has(s.startsWith(WITHOUT_MARK) ? s.slice(WITHOUT_MARK.length) : s)) hits.push(s);
  return hits.length === 0 ? code : `${code}\u0000${hits.sort().join('\u0000')}`;
}

function completeFromLeaves(kb: Knowledge, code: string, root: string, leaves: readonly string[], sentenceStems: ReadonlySet<string>): Completion | null {
  const base = new Set(titleStems(kb, root));
  // Words of the default readings ("…, unspecified eye", "…without complications", "…, uncomplicated")
  // that the sentence does not contain claim nothing in any sibling: "left eye" vs "unspecified eye"
  // differ by "left" only.
  const defaults = new Set<string>();
  for (const leaf of leaves) for (const w of titleFacts(kb, leaf).defaults) if (!sentenceStems.has(w)) defaults.add(w);
  let best: { code: string; supported: number; unsupported: number; rank: number } | null = null;
  const limb = limbStated(sentenceStems);
  const bothSides = sentenceStems.has(BILATERAL);
  // The default is judged on what a code adds to its header's title: "Migraine without aura, not intractable,
  // with status migrainosus" is no default for its "without" (the header's), "…, without status migrainosus" is.
  const rootTitle = (kb.codes.get(root)?.title ?? '').toLowerCase();
  for (const leaf of leaves) {
    const facts = titleFacts(kb, leaf);
    // The noun of its own "unspecified" piece ("…, unspecified eye") says what is unspecified, not that it is said: "both
    // eyes" is the bilateral sibling (E11.3293), not "unspecified eye" met by its word "eye".
    const extra = new Set(titleStems(kb, leaf).filter((w) => !base.has(w) && !FREE_EXTRAS.has(w) && !SIDE_PHRASE.has(w) && !defaults.has(w) && !facts.sideNouns.includes(w)));
    // "without hemorrhage" when the sentence says hemorrhage (and not "without hemorrhage"): a claim against the note.
    const denied = new Set(facts.without.filter((w) => sentenceStems.has(w) && !sentenceStems.has(`${WITHOUT_MARK}${w}`)));
    // "with foreign body" when the sentence says "without foreign body": also against the note.
    // (The "with" phrase runs to the comma; a "without" inside it is the title's own denial, not a claim: "…with mild
    // nonproliferative diabetic retinopathy without macular edema, left eye" against "without macular edema".)
    const contradicted = facts.with.filter((w) => !facts.without.includes(w) && sentenceStems.has(`${WITHOUT_MARK}${w}`)).length;
    // A word the title claims but the sentence denies ("no acute exacerbation") supports nothing: chronic, not
    // acute on chronic. The title's own "without" words are met by the denial ("without necrosis or infection").
    // A title that denies the word itself ("Non-active secondary progressive multiple sclerosis") is met by the denial.
    const deniedBySentence = (w: string) => sentenceStems.has(`${WITHOUT_MARK}${w}`) && !facts.without.includes(w) && !facts.nonWords.includes(w);
    // "Upper limb" is met by the site the sentence names in that limb (limbWords).
    const limbWords = facts.limb && limb === facts.limb ? LIMB_WORDS[facts.limb] : NO_WORDS;
    // A leading "Other" (below) is the classification's word, never met by the note's ("ferrous sulfate every other day"
    // is no D50.8 *Other iron deficiency anemias*).
    const unmetAcuity = (w: string) => w === CHRONIC && /\bacute on chronic\b/i.test(kb.codes.get(leaf)?.title ?? '') && !sentenceStems.has(ACUTE_ON_CHRONIC_MARK);
    let supported = 0;
    // "…, right ankle and foot" (M10.071) is one site of two words: the note's foot (or ankle) meets both.
    const met = (w: string) => sentenceStems.has(w) || limbWords.has(w) || facts.joinedSites.some(([a, b]) => (w === a && sentenceStems.has(b)) || (w === b && sentenceStems.has(a)));
    for (const w of extra) if (met(w) && !denied.has(w) && !deniedBySentence(w) && !(facts.leadingOther && w === 'other') && !unmetAcuity(w)) supported++;
    supported -= contradicted;
    // "Bilateral carpal tunnel syndrome, right moderate, left mild", "Primary osteoarthritis of both knees — right knee
    // injection today": the condition is bilateral, a one-sided title claims against the note (G56.03, M17.0).
    if (bothSides && facts.oneSide) supported--;
    // "Other" leading a title is the classification's residual word, never the note's: a title the sentence
    // supports otherwise ("Other immediate postpartum hemorrhage", O72.1, for "immediate postpartum hemorrhage") is
    // not held back by it. Alone it still counts against ("Other acute pancreatitis" is no default for "acute
    // pancreatitis"), and inside a title it is a claim ("with other oral complications").
    const residual = supported > 0 && extra.has('other') && facts.leadingOther ? 1 : 0;
    const unsupported = extra.size - supported - residual;
    const leafTitle = kb.codes.get(leaf)?.title ?? '';
    const rank = rootTitle && leafTitle.toLowerCase().startsWith(rootTitle) ? defaultRank(leafTitle.slice(rootTitle.length)) : facts.rank;
    const better =
      !best ||
      supported - unsupported > best.supported - best.unsupported ||
      (supported - unsupported === best.supported - best.unsupported && rank > best.rank);
    if (better) best = { code: leaf, supported, unsupported, rank };
  }
  if (!best) return null;
  const rules: RuleNote[] = [];
  if (best.unsupported > 0) {
    return {
      code: root,
      kind: 'needs_specificity',
      rules: [{ rule: 'needs_specificity', detail: `${root} is a header; the text does not say which of its ${leaves.length} codes applies` }],
    };
  }
  rules.push({ rule: 'completed_to_billable', detail: `${code} → ${best.code}: ${best.supported ? 'detail documented in the sentence' : 'unspecified default (nothing more documented)'}` });
  const seventh = seventhCharacterRule(kb, best.code);
  if (seventh) rules.push(seventh);
  return { code: best.code, kind: 'final', rules, documented: best.supported > 0 };
}

/** Body parts a title joins into one site with "and" ("ankle and foot", "hand and wrist"), as stems. */
const JOINT_SITE_PARTS = new Set(['ankle', 'foot', 'hand', 'wrist', 'finger', 'toe', 'elbow', 'forearm', 'shoulder', 'arm', 'knee', 'leg', 'hip', 'thigh', 'head', 'neck'].map(stemWord));

/**
 * A title that is its header's "unspecified" reading ("Streptococcal sepsis, unspecified", "Leiomyoma of uterus,
 * unspecified"). Narrower than guidelines/specificity.ts UNSPECIFIED: "…without complications" is a documented
 * reading here, not one a sibling should replace.
 */
export const UNSPECIFIED_TITLE = /(?<!\b(?:or|with) )\bunspecified\b|\bNOS\b/i;

/**
 * The Index often reads a condition to its unspecified code when the sentence documents more than the path it
 * matched: "Group A streptococcal sepsis" meets "Sepsis, streptococcal" (A40.9), "intramural and subserosal
 * leiomyomas" meets "Leiomyoma, uterus" (D25.9). OCG I.B.18 keeps the unspecified code for a record that says no
 * more: the code's headers, from its parent up, are completed again against the sentence, and the first sibling
 * the sentence documents, itself no unspecified reading and with every word of its title the sentence's or the read
 * code's, is the code (A40.0, D25.1). Asked only of the diagnostic
 * statement's short sentences (candidates.ts): in a narrative's long sentences the words are the whole case's.
 */
function documentedSibling(kb: Knowledge, code: string, sentenceStems: ReadonlySet<string>): Completion | null {
  const info = kb.codes.get(code);
  // A secondary site's word names the primary as often as the metastasis ("metastatic breast carcinoma").
  // "Asymptomatic" is a default too: "Symptomatic varicose veins of both legs with pain" read by the Index's "Varix, leg,
  // bilateral (asymptomatic)" (I83.93) is I83.813 *…with pain*, which every word of the sentence documents.
  if (!info?.parent || !(UNSPECIFIED_TITLE.test(info.title) || ASYMPTOMATIC.test(info.title)) || /^C7[7-9]/.test(code)) return null;
  // The classification's "secondary to" is the note's "due to" (D50.0 *Iron deficiency anemia secondary to blood loss
  // (chronic)* for "iron deficiency anemia due to chronic blood loss"), as in the matcher's link words.
  if (sentenceStems.has(DUE_TO_MARK)) sentenceStems = new Set([...sentenceStems, SECONDARY]);
  for (let up: string | null = info.parent; up; up = kb.codes.get(up)?.parent ?? null) {
    const found = completeCode(kb, up, sentenceStems);
    if (found?.kind !== 'final' || !found.documented || found.code === code || UNSPECIFIED_TITLE.test(kb.codes.get(found.code)?.title ?? '')) continue;
    // Every word of the sibling's title is the sentence's or the read code's: completion counts a word of a
    // far sibling's default ("Primary osteoarthritis, unspecified shoulder") as no claim, which only holds near
    // the leaves (M19.90 is no M19.011 *…, right shoulder* for "primary osteoarthritis of the right knee").
    // A word counts by its first six letters too ("streptococcus" in the sibling, "streptococcal" in the note).
    const given = [...titleStems(kb, code), ...sentenceStems].filter((w) => !w.startsWith(WITHOUT_MARK));
    const said = (w: string) => given.some((g) => g === w || (w.length >= 6 && g.length >= 6 && g.slice(0, 6) === w.slice(0, 6)));
    // Either word of the title's "A or B" is the pair ("without organ or systems involvement" for "without organ
    // involvement", M05.79).
    const pairs = titleFacts(kb, found.code).orPairs;
    const saidOrPaired = (w: string) => said(w) || pairs.some(([a, b]) => (w === a && said(b)) || (w === b && said(a)));
    if (!titleStems(kb, found.code).every((w) => FREE_EXTRAS.has(w) || saidOrPaired(w))) continue;
    return { ...found, rules: [{ rule: 'documented_sibling', detail: `${code} → ${found.code}: the sentence documents what the unspecified code leaves out (OCG I.B.18)` }, ...found.rules.filter((r) => r.rule !== 'completed_to_billable')] };
  }
  return null;
}

const ASYMPTOMATIC = /^Asymptomatic\b/;

const SIDES = ['right', 'left', 'bilateral'] as const;

/**
 * The Index often gives the unspecified-side code ("Laceration, forearm" S51.819-); when the sentence names the
 * side ("L forearm", "right ear"), the sibling of that side is the code (OCG I.B.13 laterality). Only a
 * sibling whose title differs by the side word.
 */
function sidedSibling(kb: Knowledge, code: string, sentenceStems: ReadonlySet<string>): string | null {
  const title = kb.codes.get(code)?.title;
  if (!title || !/\bunspecified\b/i.test(title)) return null;
  const sides = SIDES.filter((w) => sentenceStems.has(w));
  if (sides.length !== 1) return null;
  const parent = kb.codes.get(code)?.parent;
  if (!parent) return null;
  const side = sides[0]!;
  // "…, unspecified eye" has a "…, right eye" and a "…, bilateral" sibling (H25.10, H25.11, H25.13).
  const wants = [stems(title.replace(/\bunspecified\b/i, side)).join(' '), stems(title.replace(/\bunspecified \w+/i, side)).join(' ')];
  return (kb.children.get(parent) ?? []).find((c) => c !== code && wants.includes(titleStems(kb, c).join(' '))) ?? null;
}

/** OCG I.C.19.a: 7th character "A" (initial encounter) is for active treatment; it is assumed here, so flag it. */
function seventhCharacterRule(kb: Knowledge, code: string): RuleNote | null {
  const raw = code.replace('.', '');
  if (raw.length !== 7 || !/^[ST]/.test(raw)) return null;
  const title = kb.codes.get(code)?.title ?? '';
  if (raw.endsWith('A') && !ENCOUNTER_WORDS.test(title)) {
    return { rule: 'seventh_char_assumed', detail: '7th character A (initial encounter) assumed: confirm active treatment' };
  }
  return null;
}

/**
 * How much a title reads as its category's default, for ties: "…without complications" / "uncomplicated"
 * (2) before "…, unspecified eye" (1) before the rest (0). "with unspecified complications" claims
 * complications: not a default.
 */
function defaultRank(title: string): number {
  if (/\b(without|uncomplicated)\b/i.test(title)) return 2;
  return /unspecified/i.test(title) && !/\bwith unspecified\b/i.test(title) ? 1 : 0;
}

/**
 * A title's "without" phrase, to the end of its comma piece but not over "in remission", which is a state of its
 * own: "Type 2 diabetes mellitus without complications in remission" (E11.A) is supported by "T2DM in remission".
 */
// Nor over the site after "foreign body": "Laceration without foreign body of left eyelid" denies the foreign body, not
// the left eyelid ("laceration of left eyebrow" is S01.112A, not the first, right-sided sibling).
// The denial stops before a side ("…without intercondylar fracture of left humerus": "left" is the code's side, S42.412A).
const WITHOUT_SCOPE = /\bwithout\b(.*?)(?=\s+in remission\b|(?<=\bforeign body)\s+of\b|\s+of (?:left|right|unspecified|bilateral)\b|$)/i;

/**
 * Stems of a title's default pieces: a later comma piece that starts with "unspecified" ("…, unspecified
 * eye"), the words from "without" on ("…without hemorrhage"), and "uncomplicated".
 */
function defaultWords(title: string): string[] {
  const out: string[] = [];
  title.split(',').forEach((piece, i) => {
    if (i > 0 && /^\s*unspecified\b/i.test(piece)) out.push(...stems(piece));
    const without = piece.match(WITHOUT_SCOPE);
    if (without) out.push(...stems(without[0]));
    if (/\buncomplicated\b/i.test(piece)) out.push('uncomplicated');
  });
  return out;
}

function sideNouns(title: string): string[] {
  return title.split(',').slice(1).flatMap((piece) => {
    const noun = /^\s*unspecified (\w+)\s*$/i.exec(piece)?.[1];
    return noun ? stems(noun) : [];
  });
}

/** Stems after a "with" (not "without") in a title ("Laceration with foreign body of …" → foreign, bodi, …). */
function withWords(title: string): string[] {
  const m = title.match(/\bwith\b(?!out)(.*?)(?:,|\bof\b|$)/i);
  return m ? stems(m[1]!) : [];
}

/** Stems after "without" in a title ("…without hemorrhage" → hemorrhage). */
function withoutWords(title: string): string[] {
  return title.split(',').flatMap((piece) => {
    const m = piece.match(WITHOUT_SCOPE);
    return m ? stems(m[1]!) : [];
  });
}

/** What completion reads from a billable code's title (see defaultWords, withoutWords, withWords, defaultRank). */
interface TitleFacts {
  defaults: readonly string[];
  without: readonly string[];
  with: readonly string[];
  /** The noun of an "unspecified" side piece ("…, unspecified eye" → eye). */
  sideNouns: readonly string[];
  /** Words the title itself denies with "non-" ("Non-active …" → activ). */
  nonWords: readonly string[];
  /** The title opens with the classification's residual "Other". */
  leadingOther: boolean;
  /** The limb the title names as a whole ("Cellulitis of right upper limb" → upper). */
  limb?: Limb;
  /** The title names one side only ("…, right upper limb"), not both and not "bilateral". */
  oneSide: boolean;
  /** The stems of each "A or B" of the title ("organ or systems involvement" → organ, system). */
  orPairs: readonly (readonly [string, string])[];
  /** The stems of each site the title joins with "and" ("…, right ankle and foot" → ankle, foot). */
  joinedSites: readonly (readonly [string, string])[];
  rank: number;
}

/**
 * Per release, the titles' facts and each header's billable codes, computed once: a note completes ~100
 * headers of up to 400 codes each, and re-reading every title was a tenth of the engine's time (profiled).
 */
const completionCache = new WeakMap<
  Knowledge,
  { facts: Map<string, TitleFacts>; leaves: Map<string, readonly string[]>; wordsRead: Map<string, ReadonlySet<string>>; completions: Map<string, Completion | null> }
>();

function cacheOf(kb: Knowledge) {
  let cache = completionCache.get(kb);
  if (!cache) completionCache.set(kb, (cache = { facts: new Map(), leaves: new Map(), wordsRead: new Map(), completions: new Map() }));
  return cache;
}

/**
 * A title that names a whole limb ("Cellulitis of right upper limb", "Cutaneous abscess of left lower limb") is what
 * the Index gives a site of that limb ("Cellulitis, hand / arm / wrist — see Cellulitis, upper limb"): the sentence's
 * "left forearm" supports its "upper limb" as "left upper limb" would.
 */
const limbOf = (title: string): { limb?: Limb } => {
  const m = /\b(upper|lower) limbs?\b/i.exec(title);
  return m ? { limb: m[1]!.toLowerCase() as Limb } : {};
};
const LIMB_SITE_STEMS: Readonly<Record<Limb, readonly (readonly string[])[]>> = {
  upper: LIMB_SITES.upper.map((s) => stems(s)),
  lower: LIMB_SITES.lower.map((s) => stems(s)),
};
const LIMB_WORDS: Readonly<Record<Limb, ReadonlySet<string>>> = { upper: new Set(stems('upper limb')), lower: new Set(stems('lower limb')) };
const NO_WORDS: ReadonlySet<string> = new Set();
/** A title of one side: "…, right upper limb", "…of left knee" (not "bilateral", not both). */
const ONE_SIDE = /^(?!.*\b(?:bilateral|both)\b)(?=.*\b(?:right|left)\b)(?!.*\bright\b.*\bleft\b)(?!.*\bleft\b.*\bright\b)/i;

/** The one limb the sentence names a site of; none when it names none or both ("left calf; right-hand dominant"). */
function limbStated(sentenceStems: ReadonlySet<string>): Limb | undefined {
  const named = (['upper', 'lower'] as const).filter((l) => LIMB_SITE_STEMS[l].some((words) => words.length > 0 && words.every((w) => sentenceStems.has(w))));
  return named.length === 1 ? named[0] : undefined;
}

/** The stems of each "A <joiner> B" of a title: ("organ or systems involvement", "or") → [organ, system]. */
const wordPairs = (title: string, joiner: 'or' | 'and') =>
  [...title.matchAll(new RegExp(`\\b(\\w+) ${joiner} (\\w+)\\b`, 'gi'))].map((m) => [stemWord(m[1]!.toLowerCase()), stemWord(m[2]!.toLowerCase())] as const);

function titleFacts(kb: Knowledge, code: string): TitleFacts {
  const { facts } = cacheOf(kb);
  let f = facts.get(code);
  if (!f) {
    const title = kb.codes.get(code)!.title;
    facts.set(code, (f = { defaults: defaultWords(title), without: withoutWords(title), with: withWords(title), sideNouns: sideNouns(title), nonWords: [...title.matchAll(/\bnon-?([a-z]+)/gi)].flatMap((m) => stems(m[1]!)), leadingOther: /^other\b/i.test(title), ...limbOf(title), oneSide: ONE_SIDE.test(title), orPairs: wordPairs(title, 'or'), joinedSites: wordPairs(title, 'and').filter(([a, b]) => JOINT_SITE_PARTS.has(a) && JOINT_SITE_PARTS.has(b)), rank: defaultRank(title) }));
  }
  return f;
}

function billableDescendantsOf(kb: Knowledge, code: string): readonly string[] {
  const { leaves } = cacheOf(kb);
  let list = leaves.get(code);
  if (!list) leaves.set(code, (list = billableDescendants(kb, code)));
  return list;
}

function billableDescendants(kb: Knowledge, code: string): string[] {
  const out: string[] = [];
  const queue = [code];
  while (queue.length && out.length < MAX_DESCENDANTS) {
    const c = queue.shift()!;
    for (const child of kb.children.get(c) ?? []) {
      if (kb.codes.get(child)?.billable) out.push(child);
      queue.push(child);
    }
  }
  return out;
}
