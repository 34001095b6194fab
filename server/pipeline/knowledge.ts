// What the engine knows about one ICD-10-CM release, in memory: the hierarchy, the instructional notes
// and the term dictionary. Loaded once per release from the database (db/queries/knowledge.ts) or built from
// plain arrays in tests (buildKnowledge), so every pipeline stage stays a pure function of its inputs.
import { drugKey } from '../codes/drug-name.ts';
import { stems } from '../index/lexical-score.ts';
import { buildDictionary, type Dictionary, type DictionaryTerm } from './dictionary.ts';

export interface CodeInfo {
  code: string;
  billable: boolean;
  title: string;
  parent: string | null;
}

export interface CodeNote {
  kind: string;
  text: string;
  char?: string | null;
}

export interface Knowledge {
  version: string;
  codes: Map<string, CodeInfo>;
  children: Map<string, string[]>;
  /** Notes as written on each code (inherit them with notesFor). */
  notes: Map<string, CodeNote[]>;
  dictionary: Dictionary;
  /**
   * Table of Drugs and Chemicals: drug name (lower case) → the class code of its adverse-effect column
   * without the 6th character ("metformin" → "T38.3X"), for long-term drug therapy Z codes.
   */
  drugClasses: Map<string, string>;
}

/** `terms` may be given as the dictionary already built from them (the loader builds it page by page). */
export function buildKnowledge(
  version: string,
  codeList: CodeInfo[],
  noteList: (CodeNote & { code: string })[],
  terms: readonly DictionaryTerm[] | Dictionary,
  drugs: readonly { name: string; code: string }[] = [],
): Knowledge {
  const codeMap = new Map(codeList.map((c) => [c.code, c]));
  const children = new Map<string, string[]>();
  for (const c of codeList) {
    if (!c.parent) continue;
    const list = children.get(c.parent);
    if (list) list.push(c.code);
    else children.set(c.parent, [c.code]);
  }
  const notes = new Map<string, CodeNote[]>();
  for (const n of noteList) {
    const list = notes.get(n.code);
    const note = { kind: n.kind, text: n.text, char: n.char ?? null };
    if (list) list.push(note);
    else notes.set(n.code, [note]);
  }
  const drugClasses = new Map<string, string>();
  for (const d of drugs) {
    // "Antineoplastic NEC" is how the Table names the class a note calls "antineoplastic chemotherapy"; not so its
    // rows for any drug at all ("Drug NEC", "Medicament NEC"): "drug permanently discontinued" names no class.
    const key = drugKey(d.name);
    const name = key.endsWith(' nec') && !GENERIC_DRUG_WORDS.has(key.slice(0, -4)) ? key.slice(0, -4) : key;
    if (name && !drugClasses.has(name)) drugClasses.set(name, d.code.slice(0, -1));
  }
  // The Table names some classes in the plural ("Glucocorticoids", "Thiazides"), notes in the singular
  // ("glucocorticoid-induced"): the singular reads the same row, unless the Table has a row of its own. Words of
  // six letters or more only ("his" is no plural of a Table row).
  for (const [name, cls] of [...drugClasses]) {
    if (name.length > 6 && name.endsWith('s') && !drugClasses.has(name.slice(0, -1))) drugClasses.set(name.slice(0, -1), cls);
  }
  return { version, codes: codeMap, children, notes, dictionary: isDictionary(terms) ? terms : buildDictionary(terms), drugClasses };
}

/** Table of Drugs "… NEC" rows that name no class, only drugs in general or a form. */
const GENERIC_DRUG_WORDS = new Set(['drug', 'medicament', 'biological substance', 'tonic', 'enzyme', 'vaccine', 'ointment', 'lotions', 'liniments', 'electrolytes', 'trace element', 'diagnostic agent', 'antidote']);

const isDictionary = (x: readonly DictionaryTerm[] | Dictionary): x is Dictionary => !Array.isArray(x);

/** Notes that apply to a code: its own and its ancestors' (tabular notes inherit downwards, OCG I.A.12–13). */
export function notesFor(kb: Knowledge, code: string, kinds?: readonly string[]): (CodeNote & { on: string })[] {
  const out: (CodeNote & { on: string })[] = [];
  for (let c: string | null | undefined = code; c; c = kb.codes.get(c)?.parent ?? nearestExistingPrefix(kb, c, false)) {
    for (const n of kb.notes.get(c) ?? []) if (!kinds || kinds.includes(n.kind)) out.push({ ...n, on: c });
  }
  return out;
}

/**
 * The longest prefix of `code` (at least the 3-character category) that is in the release: for a code the
 * release lacks, e.g. an incomplete Index code. `includeSelf` lets the code itself count.
 */
export function nearestExistingPrefix(kb: Knowledge, code: string, includeSelf = true): string | null {
  const raw = code.replace('.', '');
  for (let len = includeSelf ? raw.length : raw.length - 1; len >= 3; len--) {
    const p = len > 3 ? `${raw.slice(0, 3)}.${raw.slice(3, len)}` : raw.slice(0, 3);
    if (kb.codes.has(p)) return p;
  }
  return null;
}

const withPhraseCache = new Map<string, readonly (readonly string[])[]>();

/**
 * The conditions a title or inclusion term joins with "with", as stems, one list per "with", each to its comma or
 * "without" ("…, with obstruction, without gangrene" → [obstruction]); parenthesised nonessential words aside ("with
 * (acute) exacerbation" → [exacerbation]); not "associated with", which joins no second condition. Cached by text: the
 * dictionary asks once per entry, the guideline stages once per code.
 */
export function withPhrases(text: string): readonly (readonly string[])[] {
  let out = withPhraseCache.get(text);
  if (!out) {
    out = [...text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').matchAll(/(?<!\bassociated\s)\bwith\s+(?!out\b)([^,]+?)(?=\s+without\b|,|$)/gi)].map((m) => stems(m[1]!)).filter((w) => w.length > 0);
    withPhraseCache.set(text, out);
  }
  return out;
}

const titleStemCache = new WeakMap<Knowledge, Map<string, readonly string[]>>();

/** A code's title as stems, computed once per release: completion compares many titles per mention. */
export function titleStems(kb: Knowledge, code: string): readonly string[] {
  let cache = titleStemCache.get(kb);
  if (!cache) titleStemCache.set(kb, (cache = new Map()));
  let words = cache.get(code);
  if (!words) cache.set(code, (words = stems(kb.codes.get(code)?.title ?? '')));
  return words;
}

interface IndexPaths {
  /** "presence, insulin pump" → Z96.41 */
  code: Map<string, string>;
  /** "fatty, liver nec" → the codes of the entries below it ("…, alcoholic" K70.0, "…, nonalcoholic" K76.0). */
  below: Map<string, Set<string>>;
}
const indexPathCache = new WeakMap<Knowledge, IndexPaths>();
function indexPaths(kb: Knowledge): IndexPaths {
  let paths = indexPathCache.get(kb);
  if (!paths) {
    paths = { code: new Map(), below: new Map() };
    for (const e of kb.dictionary.entries) {
      if (e.term.kind !== 'index' || !e.term.path) continue;
      const levels = e.term.path.map((p) => p.toLowerCase());
      paths.code.set(levels.join(', '), e.term.code);
      for (let i = 1; i < levels.length; i++) {
        const above = levels.slice(0, i).join(', ');
        const set = paths.below.get(above);
        if (set) set.add(e.term.code);
        else paths.below.set(above, new Set([e.term.code]));
      }
    }
    indexPathCache.set(kb, paths);
  }
  return paths;
}

/** The code at an Index path of the release ("presence, insulin pump" → Z96.41), or undefined. */
export const codeAtPath = (kb: Knowledge, path: readonly string[]): string | undefined => indexPaths(kb).code.get(path.join(', ').toLowerCase());

/** Whether `code` is read by an Index entry below the path written as `pathText` ("Fatty, liver NEC" → K70.0 at "…, alcoholic"). */
export const isSubtermCode = (kb: Knowledge, pathText: string, code: string): boolean => indexPaths(kb).below.get(pathText.toLowerCase())?.has(code) ?? false;
