// Abbreviation expansion with an offset map, so that spans found in the expanded text can be reported
// as spans of the original note ("T2DM", not "type 2 diabetes mellitus").
//
// Dictionary: ./data/abbreviations.json, reviewed by hand. Senses marked source "stetson" are the
// >= 95% sense in Stetson et al. (AMIA 2002, Columbia sign-out notes) as published in the Medical
// Abbreviation and Acronym Meta-Inventory (github.com/lisavirginia/clinical-abbreviations @ c2530a65,
// sources/6-stetson; CC BY 4.0; Grossman Liu L. et al., Sci Data 8:149, 2021). Senses marked
// "curated" are standard clinical usage written here. Ambiguous abbreviations (RA, MS, PT, IV, ...)
// are left out on purpose: an unexpanded abbreviation costs recall, a wrong expansion invents a diagnosis.

import { readFileSync } from 'node:fs';
import { z } from 'zod';

const AbbreviationEntrySchema = z.strictObject({
  abbr: z
    .string()
    // "C. diff": a genus initial and its species, joined by ". " or "." or " ".
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9/&]*[A-Za-z0-9])?$|^[A-Z]\.? ?[a-z]{3,}$/, 'letters and digits, optionally joined by "/" or "&"; or a genus initial and species ("C. diff")'),
  expansion: z.string().regex(/^\S(?:.*\S)?$/, 'non-empty, no surrounding whitespace'),
  /** Also match any other casing ("htn", "Htn"); without it only the exact form matches. */
  anyCase: z.boolean().default(false),
  source: z.enum(['stetson', 'curated']),
  /** Skip the expansion when the next token (a word or one punctuation mark) is one of these. */
  unlessFollowedBy: z.array(z.string().regex(/^[^A-Z\s]+$/, 'lowercase, no spaces')).optional(),
});

const AbbreviationFileSchema = z
  .strictObject({ $comment: z.string(), entries: z.array(AbbreviationEntrySchema).min(1) })
  .superRefine((file, ctx) => {
    const byFolded = new Map<string, z.infer<typeof AbbreviationEntrySchema>[]>();
    for (const entry of file.entries) {
      const key = entry.abbr.toLowerCase();
      byFolded.set(key, [...(byFolded.get(key) ?? []), entry]);
    }
    for (const group of byFolded.values()) {
      const exactForms = new Set(group.map((e) => e.abbr));
      if (group.length > 1 && (exactForms.size < group.length || group.some((e) => e.anyCase))) {
        ctx.addIssue({
          code: 'custom',
          message: `abbreviation defined more than once: ${group.map((e) => e.abbr).join(', ')}`,
          path: ['entries'],
        });
      }
    }
  });

export type AbbreviationEntry = z.infer<typeof AbbreviationEntrySchema>;

export interface AbbreviationDictionary {
  readonly entries: readonly AbbreviationEntry[];
  readonly exact: ReadonlyMap<string, AbbreviationEntry>;
  readonly folded: ReadonlyMap<string, AbbreviationEntry>;
  /** Length of the longest abbreviation, which bounds the prefixes tried per token. */
  readonly maxLength: number;
}

/** Validates a dictionary document; any unknown key, bad value or duplicate throws and names the path. */
export function parseAbbreviationDictionary(raw: unknown): AbbreviationDictionary {
  const parsed = AbbreviationFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid abbreviation dictionary: ${issues}`);
  }
  const entries = parsed.data.entries;
  return {
    entries,
    exact: new Map(entries.map((e) => [e.abbr, e])),
    folded: new Map(entries.filter((e) => e.anyCase).map((e) => [e.abbr.toLowerCase(), e])),
    maxLength: Math.max(...entries.map((e) => e.abbr.length)),
  };
}

/** The reviewed default dictionary, validated when this module loads. */
export const DEFAULT_ABBREVIATIONS: AbbreviationDictionary = parseAbbreviationDictionary(
  JSON.parse(readFileSync(new URL('./data/abbreviations.json', import.meta.url), 'utf8')),
);

/** One abbreviation replaced in the expanded text. */
export interface Replacement {
  originalStart: number;
  originalEnd: number;
  expandedStart: number;
  expandedEnd: number;
  abbreviation: string;
  expansion: string;
}

export interface OffsetMap {
  /** Sorted by position; text between replacements is identical in both strings. */
  readonly replacements: readonly Replacement[];
  readonly originalLength: number;
  readonly expandedLength: number;
}

// Where a candidate abbreviation may start: a letter or digit not preceded by one.
const TOKEN_START = /(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu;
const WORD_CHAR = /^[\p{L}\p{N}]/u;
const NEXT_TOKEN = /^[^\S\r\n]*([\p{L}\p{N}]+|\S)/u;

function lookup(dictionary: AbbreviationDictionary, form: string): AbbreviationEntry | undefined {
  return dictionary.exact.get(form) ?? dictionary.folded.get(form.toLowerCase());
}

/** Longest dictionary form starting at `start` that ends where a word ends ("HTN" in "HTN/HLD", not in "HTNx"). */
function matchAt(
  text: string,
  start: number,
  dictionary: AbbreviationDictionary,
): { entry: AbbreviationEntry; end: number } | undefined {
  const window = text.slice(start, start + dictionary.maxLength + 2);
  for (let length = Math.min(window.length, dictionary.maxLength); length > 0; length--) {
    if (WORD_CHAR.test(window.slice(length, length + 2))) continue;
    const entry = lookup(dictionary, window.slice(0, length));
    if (entry !== undefined) return { entry, end: start + length };
  }
  return undefined;
}

/**
 * Replaces whole-token abbreviations by their expansions and returns the offset map back to `text`.
 * Example: "Pt with T2DM and HTN" → "patient with type 2 diabetes mellitus and hypertension".
 */
export function expandAbbreviations(
  text: string,
  dictionary: AbbreviationDictionary = DEFAULT_ABBREVIATIONS,
): { text: string; map: OffsetMap } {
  const parts: string[] = [];
  const replacements: Replacement[] = [];
  let copiedUpTo = 0;
  let expandedLength = 0;

  TOKEN_START.lastIndex = 0;
  for (let match = TOKEN_START.exec(text); match !== null; match = TOKEN_START.exec(text)) {
    const start = match.index;
    const hit = matchAt(text, start, dictionary);
    if (hit === undefined) continue;
    const { end } = hit;
    TOKEN_START.lastIndex = end;

    const next = NEXT_TOKEN.exec(text.slice(end, end + 64))?.[1]?.toLowerCase();
    if (next !== undefined && hit.entry.unlessFollowedBy?.includes(next)) continue;

    parts.push(text.slice(copiedUpTo, start));
    expandedLength += start - copiedUpTo;
    parts.push(hit.entry.expansion);
    replacements.push({
      originalStart: start,
      originalEnd: end,
      expandedStart: expandedLength,
      expandedEnd: expandedLength + hit.entry.expansion.length,
      abbreviation: text.slice(start, end),
      expansion: hit.entry.expansion,
    });
    expandedLength += hit.entry.expansion.length;
    copiedUpTo = end;
  }
  parts.push(text.slice(copiedUpTo));
  expandedLength += text.length - copiedUpTo;

  return { text: parts.join(''), map: { replacements, originalLength: text.length, expandedLength } };
}

/** Index of the last replacement whose expandedStart satisfies `before`, or -1. */
function lastReplacement(replacements: readonly Replacement[], before: (expandedStart: number) => boolean): number {
  let lo = 0;
  let hi = replacements.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (before(replacements[mid]?.expandedStart ?? Number.POSITIVE_INFINITY)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Maps a span [start, end) of the expanded text back to the original text. A span that touches part of
 * an expansion widens to the whole abbreviation: "diabetes" inside "type 2 diabetes mellitus" → "T2DM".
 */
export function toOriginal(map: OffsetMap, start: number, end: number): { start: number; end: number } {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > map.expandedLength) {
    throw new RangeError(`span [${start}, ${end}) is outside the expanded text (length ${map.expandedLength})`);
  }
  const { replacements } = map;

  const startIndex = lastReplacement(replacements, (s) => s <= start);
  const startRep = replacements[startIndex];
  const originalStart =
    startRep === undefined
      ? start
      : start < startRep.expandedEnd
        ? startRep.originalStart
        : start - startRep.expandedEnd + startRep.originalEnd;
  if (end === start) return { start: originalStart, end: originalStart };

  const endIndex = lastReplacement(replacements, (s) => s < end);
  const endRep = replacements[endIndex];
  const originalEnd =
    endRep === undefined
      ? end
      : end <= endRep.expandedEnd
        ? endRep.originalEnd
        : end - endRep.expandedEnd + endRep.originalEnd;
  return { start: originalStart, end: originalEnd };
}
