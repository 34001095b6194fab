// The term dictionary: Alphabetic Index paths, tabular inclusion terms and code titles compiled into
// word-set patterns, indexed by their rarest word so that matching a sentence looks only at the entries
// that could match it (not every code per sentence).
import { FREE_EXTRAS, stems } from '../index/lexical-score.ts';

export interface DictionaryTerm {
  code: string;
  /** 'index' | 'inclusion' | 'title' (see TERM_KINDS). */
  kind: string;
  text: string;
  path?: string[] | null;
  modifiers?: string[] | null;
  incomplete?: boolean;
}

/** One level of a term: any alternative's words must all be present ("Diabetes, diabetic" → [[diabete], [diabetic]]). */
export interface Slot {
  alternatives: string[][];
}

export interface DictionaryEntry {
  id: number;
  term: DictionaryTerm;
  slots: Slot[];
  /** Nonessential-modifier words: optional, but a sign of a good match when present. */
  optional: string[];
  /** Number of required words in the shortest satisfying reading: how specific the entry is. */
  size: number;
}

export interface Dictionary {
  entries: DictionaryEntry[];
  /** stem → ids of entries that require it in their anchor slot. */
  byAnchor: Map<string, number[]>;
}

/**
 * Words that never make a match: the default words of titles (unspecified, NOS, NEC, initial encounter)
 * and "personal" from the Index's "History, personal (of)" — notes say "history of MI", not "personal".
 */
const FREE = new Set([...FREE_EXTRAS, 'personal']);

/**
 * One Index level as slots. Comma-separated forms of one word are alternatives ("Diabetes, diabetic",
 * "femur, femoral": see sameWordFamily); other comma pieces are further required words ("Fracture,
 * pathological"), except the default qualifier "traumatic" (a fracture is traumatic unless stated).
 */
function slotsOf(part: string): Slot[] {
  const pieces = part.split(',').map((p) => stems(p.replace(/\([^)]*\)/g, ' ')).filter((w) => !FREE.has(w) && !DEFAULT_QUALIFIERS.has(w)));
  const slots: Slot[] = [];
  let current: string[][] = [];
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const head = current[0];
    if (head && sameWordFamily(head, piece)) current.push(piece);
    else {
      if (current.length) slots.push({ alternatives: current });
      current = [piece];
    }
  }
  if (current.length) slots.push({ alternatives: current });
  return slots;
}

const DEFAULT_QUALIFIERS = new Set(['traumatic']);

/** "femur"/"femoral", "infection"/"infective": a shared stem of at least 3 letters and 60% of the shorter word. */
function sameWordFamily(a: string[], b: string[]): boolean {
  if (a.length !== 1 || b.length !== 1) return false;
  const [x, y] = [a[0]!, b[0]!];
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n >= 3 && n >= 0.6 * Math.min(x.length, y.length);
}

/** Compiles one term; null when it has no required word (e.g. a path of only "NEC"). */
export function compileTerm(term: DictionaryTerm, id: number): DictionaryEntry | null {
  const parts = term.kind === 'index' && term.path?.length ? term.path : [term.text];
  const slots: Slot[] = [];
  for (const part of parts) {
    // Titles and inclusion terms are one level whose commas are not alternatives: every word is required.
    if (term.kind === 'index') slots.push(...slotsOf(part));
    else {
      const slot = wholeSlot(part);
      if (slot) slots.push(slot);
    }
  }
  if (slots.length === 0) return null;
  const optional = [...new Set((term.modifiers ?? []).flatMap((m) => stems(m)).concat(parenthesized(term.text)))];
  const size = slots.reduce((n, s) => n + Math.min(...s.alternatives.map((a) => a.length)), 0);
  return { id, term, slots, optional, size };
}

function wholeSlot(text: string): Slot | null {
  const words = stems(text.replace(/\([^)]*\)/g, ' ')).filter((s) => !FREE.has(s));
  return words.length ? { alternatives: [[...new Set(words)]] } : null;
}

function parenthesized(text: string): string[] {
  return (text.match(/\(([^)]*)\)/g) ?? []).flatMap((m) => stems(m));
}

/**
 * Notes say "HIV", titles say "Human immunodeficiency virus [HIV] disease": when a bracketed acronym
 * follows words whose initials spell it, the acronym alone is an alias of those words.
 * "Human immunodeficiency virus [HIV] disease" → "HIV disease".
 */
export function acronymAlias(text: string): string | null {
  const m = text.match(/^(.*?)([A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){1,6})\s*[([]([A-Z][A-Z0-9]{1,6})[)\]](.*)$/);
  if (!m) return null;
  const [, before, words, acronym, after] = m as unknown as [string, string, string, string, string];
  const list = words.split(/\s+/);
  const letters = acronym.replace(/[0-9]/g, '');
  const tail = list.slice(-letters.length);
  if (tail.length !== letters.length || tail.map((w) => w[0]!.toUpperCase()).join('') !== letters) return null;
  const kept = list.slice(0, list.length - letters.length).join(' ');
  return `${before}${kept ? `${kept} ` : ''}${acronym}${after}`.replace(/\s+/g, ' ').trim();
}

/** Builds the dictionary; each entry is filed under the rarest word of its most selective slot. */
export function buildDictionary(terms: readonly DictionaryTerm[]): Dictionary {
  const entries: DictionaryEntry[] = [];
  const add = (t: DictionaryTerm) => {
    const e = compileTerm(t, entries.length);
    if (e) entries.push(e);
  };
  for (const t of terms) {
    add(t);
    const alias = t.kind === 'index' ? null : acronymAlias(t.text);
    if (alias) add({ ...t, text: alias });
  }
  const df = new Map<string, number>();
  for (const e of entries) for (const s of e.slots) for (const a of s.alternatives) for (const w of a) df.set(w, (df.get(w) ?? 0) + 1);
  const rarest = (alt: string[]) => alt.reduce((best, w) => ((df.get(w) ?? 0) < (df.get(best) ?? 0) ? w : best), alt[0]!);
  const byAnchor = new Map<string, number[]>();
  for (const e of entries) {
    // The anchor slot: the one whose alternatives' rarest words are rarest overall (fewest entries to check).
    let anchorSlot = e.slots[0]!;
    let anchorCost = Infinity;
    for (const s of e.slots) {
      const cost = s.alternatives.reduce((n, a) => n + (df.get(rarest(a)) ?? 0), 0);
      if (cost < anchorCost) {
        anchorCost = cost;
        anchorSlot = s;
      }
    }
    for (const anchor of new Set(anchorSlot.alternatives.map(rarest))) {
      const list = byAnchor.get(anchor);
      if (list) list.push(e.id);
      else byAnchor.set(anchor, [e.id]);
    }
  }
  return { entries, byAnchor };
}
