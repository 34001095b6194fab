import { parse } from 'csv-parse/sync';
import { CodeSetParseError, formatIcd10cm, type TermRecord } from './types.ts';

/** An Alphabetic Index instruction "see …" / "see also …" on a path; the target is index text, not a code. */
export interface CrossRef {
  /** Path of the entry that carries the instruction (parts without nonessential modifiers). */
  path: string[];
  /** 'see_condition' is the bare "see condition" (look the condition up as a main term). */
  kind: 'see' | 'see_also' | 'see_condition';
  /** Target as printed, spaces normalised: "Pain, abdominal", "condition", "Neoplasm, malignant, by site". */
  target: string;
}

export interface IndexCsvContent {
  /** One row per index entry that ends in a code (kind 'index'). */
  terms: TermRecord[];
  crossRefs: CrossRef[];
  /** Data rows read (header excluded). */
  rows: number;
}

/** Columns of wbdill/Python-sandbox01 `ICD10CM_2025_Index.csv` (SOURCES.md icd10cm/fy2025-april-1-index-derived). */
const HEADER = ['RowID', 'Letter', 'Level', 'Term', 'See', 'SeeAlso', 'NonEssModif', 'Code'] as const;

/**
 * Parses the Alphabetic Index flattened to CSV. Nesting comes from `Level` (0 = main term) and row order,
 * so "Diabetes, diabetic" (0, E11.9) → "type 2" (1) → "with" (2) → "hyperglycemia" (3, E11.65) becomes
 * `{ code: 'E11.65', text: 'Diabetes, diabetic, type 2, with hyperglycemia' }`.
 */
export function parseIndexCsv(content: string, file: string): IndexCsvContent {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, csv-parse returns { record, info } per row; its typings still say string[][].
    records = parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new CodeSetParseError(file, e.lines ?? null, e.message);
  }
  const header = records[0];
  if (!header) throw new CodeSetParseError(file, null, 'no header found (empty file?)');
  if (header.record.map((h) => h.trim()).join(',') !== HEADER.join(',')) {
    throw new CodeSetParseError(file, header.info.lines, `header is "${header.record.join(',')}"; expected "${HEADER.join(',')}"`);
  }

  const terms: TermRecord[] = [];
  const crossRefs: CrossRef[] = [];
  // parts[i] / mods[i]: the current entry at level i; truncated whenever a shallower row arrives.
  const parts: string[] = [];
  const mods: string[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!;
    const line = info.lines;
    if (record.length !== HEADER.length) {
      throw new CodeSetParseError(file, line, `row has ${record.length} columns; expected ${HEADER.length}`);
    }
    const [, , levelRaw, termRaw, seeRaw, seeAlsoRaw, nemodRaw, codeRaw] = record.map((v) => v.trim()) as [
      string, string, string, string, string, string, string, string,
    ];
    const level = Number(levelRaw);
    if (!/^\d+$/.test(levelRaw)) throw new CodeSetParseError(file, line, `level "${levelRaw}" is not a non-negative integer`);
    if (level > parts.length) {
      const after = parts.length === 0 ? 'no main term' : `level ${parts.length - 1}`;
      throw new CodeSetParseError(file, line, `level ${level} follows ${after}; a level may go at most one deeper`);
    }
    const { part, modifiers } = splitTitle(termRaw, nemodRaw);
    if (!part) throw new CodeSetParseError(file, line, 'row has neither a term nor a modifier');
    parts.length = level;
    mods.length = level;
    parts.push(part);
    mods.push(modifiers);

    const path = [...parts];
    if (seeRaw) crossRefs.push({ path, kind: /^condition$/i.test(seeRaw) ? 'see_condition' : 'see', target: squash(seeRaw) });
    if (seeAlsoRaw) crossRefs.push({ path, kind: 'see_also', target: squash(seeAlsoRaw) });
    if (!codeRaw) continue;
    const code = readIndexCode(codeRaw);
    if (!code) throw new CodeSetParseError(file, line, `code "${codeRaw}" is not an ICD-10-CM code`);
    terms.push({ code: code.code, kind: 'index', text: joinIndexPath(path), path, modifiers: [...mods], ...(code.incomplete ? { incomplete: true } : {}) });
  }
  return { terms, crossRefs, rows: records.length - 1 };
}

// "S72.9-", "C56.-" (category whose 4th character comes from the Tabular), "E11.65", "I10"; undotted accepted.
const INDEX_CODE = /^[A-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?(?:\.?-)?$/;

/** Index/table code → display form; "-" (more characters required in the Tabular) becomes `incomplete`. */
export function readIndexCode(raw: string): { code: string; incomplete: boolean } | null {
  const c = raw.trim().toUpperCase();
  if (!INDEX_CODE.test(c)) return null;
  const incomplete = c.endsWith('-');
  return { code: formatIcd10cm(c.replace(/\.?-$/, '')), incomplete };
}

// Linking words that the Index prints as a level of their own ("with", then "hyperglycemia" below it);
// joined to the next part with a space so the text reads "with hyperglycemia" (types.ts TermRecord.text).
const CONNECTORS = new Set([
  'with', 'without', 'due to', 'in', 'following', 'complicating', 'associated with', 'resulting in', 'involving',
  'causing', 'by', 'of', 'from', 'during', 'and', 'on', 'for', 'to', 'at', 'after',
]);

/** ["Diabetes, diabetic", "type 2", "with", "hyperglycemia"] → "Diabetes, diabetic, type 2, with hyperglycemia". */
export function joinIndexPath(path: readonly string[]): string {
  let text = '';
  path.forEach((part, i) => {
    const prev = path[i - 1];
    text += i === 0 ? part : prev !== undefined && CONNECTORS.has(prev.toLowerCase()) ? ` ${part}` : `, ${part}`;
  });
  return text;
}

/**
 * The CSV keeps the title text before the first <nemod> in `Term` and puts the rest of the title in
 * `NonEssModif`, so essential words can sit there too ("Alder" + "(-Reilly) anomaly or syndrome
 * (leukocyte granulation)"). Parenthesised groups (balanced, possibly nested) are the modifiers; text
 * outside them is appended to the term, with no space where it was glued to a ")" ("Amnes" + "(t)ic").
 */
function splitTitle(term: string, nemod: string): { part: string; modifiers: string } {
  const groups: string[] = [];
  let essential = term;
  let depth = 0;
  let group = '';
  let space = false; // whitespace seen outside a group since the last essential character
  for (const ch of nemod) {
    if (ch === '(') {
      depth++;
      group += ch;
    } else if (ch === ')') {
      if (depth === 0) continue; // stray ")" in the source ("(Hantavirus) (cardio)-pulmonary syndrome)")
      depth--;
      group += ch;
      if (depth === 0) {
        groups.push(group);
        group = '';
        space = false; // only whitespace after the last group separates it from the text that follows
      }
    } else if (depth > 0) {
      group += ch;
    } else if (/\s/.test(ch)) {
      space = true;
    } else {
      if (space && essential && ch !== ',') essential += ' ';
      essential += ch;
      space = false;
    }
  }
  if (group) groups.push(group); // unbalanced "(" at the end: keep it as a modifier
  let part = squash(essential).replace(/-{2,}/g, '-');
  let modifiers = squash(groups.join(' '));
  // A few rows carry only a modifier ("with" → "(gastro)"): the source lost the title text after it,
  // so the modifier's words are all that is left of the entry and become the part itself.
  if (!part && modifiers) {
    part = squash(modifiers.replace(/[()]/g, ' '));
    modifiers = '';
  }
  return { part, modifiers };
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
