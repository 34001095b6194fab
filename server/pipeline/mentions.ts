// Dictionary matching over one sentence: an entry matches when every slot has an alternative whose words
// all occur in the sentence within a window, in any order ("urinary tract infection" meets the Index path
// "Infection, urinary (tract)"). A match that another match contains is kept but marked as subsumed.
import type { Dictionary, DictionaryEntry } from './dictionary.ts';
import { stems } from '../index/lexical-score.ts';
import { INDEX_SYNONYMS } from './synonyms.ts';
import type { CausalLink, Token } from './tokens.ts';

export interface Mention {
  entry: DictionaryEntry;
  /** Indexes into the sentence's token array, ascending. */
  tokens: number[];
  /** Word distance between the first and last matched word, minus the number of matched words. */
  gaps: number;
  /** How many of the entry's optional (nonessential) words were also present. */
  optionalHits: number;
  /**
   * Its words are a strict subset of another mention's ("pain" inside "abdominal pain"). Kept, because
   * notes often state the general finding elsewhere in the same words, but learned apart (see phraseKey).
   */
  subsumed?: boolean;
}

/** Longest allowed distance, in words, between the first and last word of a match. */
const MAX_WINDOW = 12;

/** Stems a token also stands for, for a condition written in the given word positions ("X due to <drug>": X's clause). */
export interface ExtraWords {
  words: readonly string[];
  /** First and last word position (Token.position) the condition's main term may be at. */
  condition: readonly [number, number];
}
const NO_EXTRA: ReadonlyMap<number, ExtraWords> = new Map();

/** Finds dictionary entries in a sentence's tokens. Example: "type 2 diabetes with hyperglycemia" → E11.65 (and E11.9, subsumed). */
export function findMentions(
  tokens: readonly Token[],
  dict: Dictionary,
  boundaries: readonly number[] = [],
  links: readonly CausalLink[] = [],
  synonyms: ReadonlyMap<string, readonly string[]> = INDEX_SYNONYMS,
  /** Words a token also stands for in this sentence only (token index → stems; candidates.ts drugCauseWords). */
  extra: ReadonlyMap<number, ExtraWords> = NO_EXTRA,
): Mention[] {
  const where = new Map<string, number[]>();
  const at = (stem: string, i: number) => {
    const list = where.get(stem);
    if (!list) where.set(stem, [i]);
    else if (list.at(-1) !== i) list.push(i);
  };
  tokens.forEach((t, i) => {
    at(t.stem, i);
    // "bleeding" also stands for the Index's "hemorrhage" ("Bleeding — see also Hemorrhage").
    for (const s of synonyms.get(t.stem) ?? []) at(s, i);
    for (const s of extra.get(i)?.words ?? []) at(s, i);
  });
  // Entries filed under the sentence's words are ~5,000 a note and only 1 in 100 has all its slots: the
  // slot test runs on word ids against a per-sentence stamp, as does "already tried" (no string hashing,
  // no allocation; profiled).
  const slots = slotCodeOf(dict);
  if (slots.generation === 0xffffffff) (slots.generation = 0), slots.present.fill(0), slots.visited.fill(0);
  const stamp = ++slots.generation;
  for (const stem of where.keys()) {
    const id = slots.ids.get(stem);
    if (id !== undefined) slots.present[id] = stamp;
  }
  const found: Mention[] = [];
  for (const stem of where.keys()) {
    for (const id of dict.byAnchor.get(stem) ?? []) {
      if (slots.visited[id] === stamp) continue;
      slots.visited[id] = stamp;
      if (!allSlotsPresent(slots, id, stamp)) continue;
      const m = matchEntry(dict.entries[id]!, tokens, where);
      // A reading through a drug's extra words keeps to the drug's clause (misusesExtra), which spans the Index's
      // own inverted order across a list comma ("Osteoporosis, glucocorticoid-induced").
      const throughExtra = m !== null && extra.size > 0 && m.tokens.some((i) => extra.has(i) && lendsExtra(m, tokens, i, extra.get(i)!));
      if (m && ((!throughExtra && crossesBoundary(m, tokens, boundaries)) || crossesLink(m, tokens, links) || (throughExtra && misusesExtra(m, tokens, extra)))) continue;
      if (m && readsPrimaryAsSecondary(m, tokens)) continue;
      if (m) found.push(m);
    }
  }
  return markSubsumed(extra.size > 0 ? withoutShadowedExtras(found, tokens, extra) : found);
}

/**
 * A reading through a drug's extra words gives way to one of the same main term that names the drug itself:
 * "nephropathy due to analgesic abuse" is "Nephropathy, analgesic" (N14.0), not "Nephropathy, drug-induced".
 */
function withoutShadowedExtras(found: Mention[], tokens: readonly Token[], extra: ReadonlyMap<number, ExtraWords>): Mention[] {
  const main = (m: Mention) => (m.entry.term.kind === 'index' ? (m.entry.term.path?.[0] ?? '') : '').toLowerCase();
  return found.filter((m) => {
    const drugTokens = m.tokens.filter((i) => extra.has(i) && !readsOwnWord(m, tokens, i));
    return !drugTokens.some((i) => found.some((o) => o !== m && main(o) !== '' && main(o) === main(m) && o.tokens.includes(i) && readsOwnWord(o, tokens, i)));
  });
}

/** A primary malignancy's morphology word right after the site: "breast carcinoma", "prostate cancer". */
const PRIMARY_MORPHOLOGY = new Set(['carcinoma', 'cancer', 'adenocarcinoma', 'malignancy', 'melanoma', 'sarcoma', 'tumor']);

/**
 * "Metastatic breast carcinoma" names the primary site (the breast) of a cancer that has spread, not a secondary
 * neoplasm of the breast (Index: "Metastasis, metastatic … from specified site — see Neoplasm, malignant, by site"):
 * a Neoplasm Table "secondary" reading whose "metastatic" comes before the site, with the morphology right after the
 * site, is not read. "Metastatic to bone", "liver metastases" and "metastatic disease of the liver" still are.
 */
function readsPrimaryAsSecondary(m: Mention, tokens: readonly Token[]): boolean {
  if (m.entry.term.kind !== 'neoplasm' || !/^C7[7-9]/.test(m.entry.term.code)) return false;
  const meta = m.tokens.find((i) => tokens[i]!.stem.startsWith('metasta'));
  if (meta === undefined) return false;
  const site = m.tokens.filter((i) => i > meta && !tokens[i]!.stem.startsWith('metasta') && !PRIMARY_MORPHOLOGY.has(tokens[i]!.stem));
  const last = site.length ? site[site.length - 1]! : undefined;
  return last !== undefined && tokens[last]!.position - tokens[meta]!.position <= 3 && PRIMARY_MORPHOLOGY.has(tokens[last + 1]?.stem ?? '') && tokens[last + 1]!.position === tokens[last]!.position + 1;
}

/**
 * Negation words as tokens (stopwords such as "of" are not tokens, so "no evidence of X" is still two words from X).
 * "Ectopic pregnancy excluded: intrauterine pregnancy confirmed" is no "Pregnancy, ectopic, with intrauterine pregnancy" (O00.91).
 */
const NEGATION_STEMS = new Set(['no', 'not', 'without', 'deny', 'excluded']);

function matchEntry(entry: DictionaryEntry, tokens: readonly Token[], where: Map<string, number[]>): Mention | null {
  const chosen: string[] = [];
  const parts: string[][] = [];
  for (const slot of entry.slots) {
    // The alternative with the most words that is fully present (the most specific reading).
    let best: string[] | null = null;
    for (const alt of slot.alternatives) if (alt.every((w) => where.has(w)) && (!best || alt.length > best.length)) best = alt;
    if (!best) return null;
    chosen.push(...best);
    parts.push(best);
  }
  const words = [...new Set(chosen)];
  // Place each word at the occurrence that keeps the match tight: start from the rarest-in-sentence word.
  const pivotWord = words.reduce((a, b) => (where.get(a)!.length <= where.get(b)!.length ? a : b));
  let bestIdx: number[] | null = null;
  let bestSpread = Infinity;
  for (const pivot of where.get(pivotWord)!) {
    const idx = words.map((w) => nearest(where.get(w)!, pivot, tokens));
    const positions = idx.map((i) => tokens[i]!.position);
    const spread = Math.max(...positions) - Math.min(...positions);
    if (spread < bestSpread) {
      bestSpread = spread;
      bestIdx = idx;
    }
  }
  if (!bestIdx || bestSpread > MAX_WINDOW) return null;
  // The words of one level belong together ("stage 2", "myocardial infarction"): at most one word between
  // them, so "type 2 diabetes … CKD stage" does not read as "stage 2".
  const at = new Map(words.map((w, i) => [w, tokens[bestIdx![i]!]!.position]));
  for (const part of parts) {
    if (part.length < 2) continue;
    const limit = part.length + (entry.linkWords ?? 0);
    const ps = part.map((w) => at.get(w)!);
    const lo = Math.min(...ps);
    const hi = Math.max(...ps);
    if (hi - lo <= limit) continue;
    // A level written around the other levels' words, with no word of its own apart: "Multiple subsegmental pulmonary
    // emboli without acute cor pulmonale" reads "Embolism, pulmonary, multiple subsegmental without acute cor
    // pulmonale" (I26.94). Not with a stray word: "rheumatoid arthritis, elevated factor" is no "rheumatoid factor".
    const inside = new Set(words.filter((w) => !part.includes(w)).map((w) => at.get(w)!).filter((q) => q > lo && q < hi)).size;
    if (inside > 0 && hi - lo + 1 - new Set(ps).size - inside <= (entry.linkWords ?? 0)) continue;
    const repeated = part.some((w) => parts.some((o) => o !== part && o.includes(w)));
    if (!repeated) return null;
    // A word the path repeats in another level ("Arthritis, rheumatoid, with, rheumatoid factor") was placed for that
    // level: the level's words may stand together at another of its occurrences ("rheumatoid arthritis with
    // rheumatoid factor").
    const together = where.get(part[0]!)!.some((first) => {
      const qs = part.map((w) => tokens[nearest(where.get(w)!, first, tokens)]!.position);
      return Math.max(...qs) - Math.min(...qs) <= limit;
    });
    if (!together) return null;
  }
  const sorted = [...new Set(bestIdx)].sort((a, b) => a - b);
  // "non-" before a word says the opposite of it: "non-ST elevation" is no ST elevation (I21.3), "non-displaced"
  // no displaced fracture, "non-smoker" no smoker. A term that has "non" itself ("non-Hodgkin") matches it.
  if (!words.includes('non') && sorted.some((i) => i > 0 && tokens[i - 1]!.stem === 'non' && tokens[i - 1]!.position === tokens[i]!.position - 1 && !sorted.includes(i - 1))) return null;
  // A word the note negates inside the match is not the term's: "acute kidney injury (no septic shock)" is no
  // "Shock, kidney" (N17.0). The negation must sit between two of the match's words.
  // Within a negation's usual scope (five words, as ConText's), with none of the match's words between them:
  // "Sepsis …, without septic shock or acute organ dysfunction" is no "Sepsis, with organ dysfunction" (R65.20).
  if (sorted.slice(1).some((i, n) => {
    for (let j = i - 1; j > sorted[n]!; j--) if (NEGATION_STEMS.has(tokens[j]!.stem) && tokens[i]!.position - tokens[j]!.position <= 5) return true;
    return false;
  })) return null;
  const first = tokens[sorted[0]!]!.position;
  const last = tokens[sorted[sorted.length - 1]!]!.position;
  const optionalHits = entry.optional.filter((w) => (where.get(w) ?? []).some((i) => tokens[i]!.position >= first - 3 && tokens[i]!.position <= last + 3)).length;
  return { entry, tokens: sorted, gaps: Math.max(0, last - first + 1 - sorted.length), optionalHits };
}

/**
 * The dictionary's slots as word ids in one flat array, per entry: slot count, then per slot its alternative
 * count, then per alternative its word count and word ids. Built once per dictionary.
 */
interface SlotCode {
  ids: Map<string, number>;
  code: Int32Array;
  offset: Int32Array;
  /** Per word id: the generation of the last sentence that has the word. */
  present: Uint32Array;
  /** Per entry: the generation of the last sentence that tried it. */
  visited: Uint32Array;
  generation: number;
}

const slotCodes = new WeakMap<Dictionary, SlotCode>();

function slotCodeOf(dict: Dictionary): SlotCode {
  let sc = slotCodes.get(dict);
  if (sc) return sc;
  // Sized first, then filled: a pushed number array of ~2.5M ids and its grown copies were ~60 MB of old-space
  // garbage on the first note, the largest part of the cold start's RSS peak (profiled).
  let size = 0;
  for (const e of dict.entries) {
    size++;
    for (const slot of e.slots) {
      size++;
      for (const alt of slot.alternatives) size += 1 + alt.length;
    }
  }
  const ids = new Map<string, number>();
  const code = new Int32Array(size);
  const offset = new Int32Array(dict.entries.length);
  let n = 0;
  for (const e of dict.entries) {
    offset[e.id] = n;
    code[n++] = e.slots.length;
    for (const slot of e.slots) {
      code[n++] = slot.alternatives.length;
      for (const alt of slot.alternatives) {
        code[n++] = alt.length;
        for (const w of alt) code[n++] = ids.get(w) ?? (ids.set(w, ids.size), ids.size - 1);
      }
    }
  }
  sc = { ids, code, offset, present: new Uint32Array(ids.size), visited: new Uint32Array(dict.entries.length), generation: 0 };
  slotCodes.set(dict, sc);
  return sc;
}

/** Every slot of the entry has an alternative whose words are all in the sentence (stamped `stamp`). */
function allSlotsPresent({ code, offset, present }: SlotCode, id: number, stamp: number): boolean {
  let i = offset[id]!;
  const slotCount = code[i++]!;
  for (let s = 0; s < slotCount; s++) {
    const altCount = code[i++]!;
    let found = false;
    for (let a = 0; a < altCount; a++) {
      const n = code[i++]!;
      let all = !found;
      for (let k = 0; k < n; k++) if (all && present[code[i + k]!] !== stamp) all = false;
      i += n;
      if (all) found = true;
    }
    if (!found) return false;
  }
  return true;
}

/**
 * "A due to B" reads as the Index's "A, B" ("anemia due to iron deficiency" is "Anemia, iron deficiency"),
 * never as "B, A": the cause's main term modified by the effect's words ("AKI secondary to septic shock" is
 * not "Shock, kidney"). So a match across a link is refused when all its main-term words come after it.
 */
function crossesLink(m: Mention, tokens: readonly Token[], links: readonly CausalLink[]): boolean {
  if (links.length === 0) return false;
  // The link's own word is a word of the effect's reading ("Esophageal varices secondary to cirrhosis": "Secondary
  // esophageal varices"), never of the cause's ("Erectile dysfunction secondary to diabetes" is no "Diabetes,
  // secondary" E13): a reading that uses it must have words before it.
  if (links.some((l) => m.tokens.some((i) => tokens[i]!.position === l.wordPosition) && !m.tokens.some((i) => tokens[i]!.position < l.wordPosition))) return true;
  if (!m.entry.term.path?.[0]) return false;
  const first = tokens[m.tokens[0]!]!.position;
  const last = tokens[m.tokens[m.tokens.length - 1]!]!.position;
  const text = m.entry.term.text.toLowerCase();
  const crossed = links.filter((l) => l.position > first && l.position <= last && !text.includes(l.word));
  if (crossed.length === 0) return false;
  const main = new Set(stems(m.entry.term.path[0]));
  const mainTokens = m.tokens.filter((i) => main.has(tokens[i]!.stem));
  return mainTokens.length > 0 && crossed.some((l) => mainTokens.every((i) => tokens[i]!.position >= l.position));
}

/**
 * A token's extra words (a drug tied to a condition, read as "drug-induced") fill only an Index subterm of the
 * condition's own main term, written on the condition's side of the drug ("Hypothyroidism due to lithium":
 * "Hypothyroidism, due to, medicament NEC"): not a title, not a main term of their own, and not a main term on
 * the drug's far side ("lithium (adverse effect…)" is no "Effect, adverse, drugs" T88.7).
 */
function misusesExtra(m: Mention, tokens: readonly Token[], extra: ReadonlyMap<number, ExtraWords>): boolean {
  const path = m.entry.term.kind === 'index' ? m.entry.term.path : undefined;
  for (const i of m.tokens) {
    const e = extra.get(i);
    if (!e) continue;
    const main = path ? stems(path[0]!) : [];
    if (!lendsExtra(m, tokens, i, e)) continue;
    // The drug named as the main term does not also stand for its condition's words: "chemotherapy" read as
    // "Chemotherapy, cancer" (Z51.11) through the "cancer" that "chemotherapy-induced" lends its condition.
    if (!path || path.length < 2 || main.includes(tokens[i]!.stem)) return true;
    if (main.some((w) => e.words.includes(w))) return true;
    const mainTokens = m.tokens.filter((j) => j !== i && main.includes(tokens[j]!.stem));
    const [from, to] = e.condition;
    if (mainTokens.length === 0 || mainTokens.some((j) => tokens[j]!.position < from || tokens[j]!.position > to)) return true;
  }
  return false;
}

/** Whether the entry reads token i by its own word (not by words it stands for in this sentence only). */
const readsOwnWord = (m: Mention, tokens: readonly Token[], i: number) => m.entry.slots.some((s) => s.alternatives.some((a) => a.includes(tokens[i]!.stem)));

/**
 * Whether the match needs a word the drug's token lends it: the token does not read its own word, or the entry
 * has a word only the token's extra words give ("cancer" in "Chemotherapy, cancer" from "chemotherapy-induced").
 */
function lendsExtra(m: Mention, tokens: readonly Token[], i: number, e: ExtraWords): boolean {
  if (!readsOwnWord(m, tokens, i)) return true;
  return e.words.some((w) => !m.tokens.some((j) => tokens[j]!.stem === w) && m.entry.slots.some((s) => s.alternatives.some((a) => a.includes(w))));
}

function crossesBoundary(m: Mention, tokens: readonly Token[], boundaries: readonly number[]): boolean {
  const first = tokens[m.tokens[0]!]!.position;
  const last = tokens[m.tokens[m.tokens.length - 1]!]!.position;
  return boundaries.some((b) => b > first && b <= last);
}

function nearest(candidates: number[], pivot: number, tokens: readonly Token[]): number {
  const p = tokens[pivot]!.position;
  return candidates.reduce((a, b) => (Math.abs(tokens[a]!.position - p) <= Math.abs(tokens[b]!.position - p) ? a : b));
}

/** Marks each mention another one contains; a list that lost some of its mentions is marked afresh (candidates.ts). */
export function markSubsumed(mentions: readonly Mention[]): Mention[] {
  const sets = mentions.map((m) => new Set(m.tokens));
  return mentions.map((m, i) =>
    mentions.some((o, j) => j !== i && o.tokens.length > m.tokens.length && m.tokens.every((t) => sets[j]!.has(t))) ? { ...m, subsumed: true } : m.subsumed ? { ...m, subsumed: false } : m,
  );
}

/**
 * Mentions of learned phrases (see LearnedModel.mined): contiguous one- or two-word stems of the sentence
 * that labelled notes associated with a code the dictionary does not reach. Each becomes a one-slot entry.
 */
export function findMinedMentions(tokens: readonly Token[], mined: ReadonlyMap<string, readonly string[]>): Mention[] {
  const out: Mention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let n = 1; n <= 2 && i + n <= tokens.length; n++) {
      const idx = Array.from({ length: n }, (_, k) => i + k);
      if (n === 2 && tokens[i + 1]!.position - tokens[i]!.position > 1) continue;
      const phrase = idx.map((k) => tokens[k]!.stem).join(' ');
      for (const code of mined.get(phrase) ?? []) {
        out.push({
          entry: { id: -1, term: { code, kind: 'learned', text: phrase }, slots: [{ alternatives: [phrase.split(' ')] }], optional: [], size: n },
          tokens: idx,
          gaps: 0,
          optionalHits: 0,
        });
      }
    }
  }
  return out;
}
