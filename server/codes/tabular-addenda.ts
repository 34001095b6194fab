import { CodeSetParseError, formatIcd10cm, type NoteKind, type NoteRecord } from './types.ts';

/**
 * The NCHS Tabular List addenda (one fiscal year's Add / Delete / Revise changes), as `pdftotext -layout` prints
 * the PDF: an action column ("No Change", "Add", "Delete", "Revise from", "Revise to"), then the tabular line
 * indented as in the book. A line with no action continues the one before (a wrapped title or note).
 *
 * Why it is read: the newest full tabular XML to be had offline is January 2021. The FY2026 addenda add the
 * inclusion terms and notes of that year, e.g. "Metabolic dysfunction-associated steatotic liver disease
 * (MASLD)" under K76.0 and "…steatohepatitis (MASH)" under K75.81; without them the new names read as nothing.
 * (The FY2022–FY2025 addenda were not available here, so changes of those years are still missing.)
 *
 * Written by hand: the addenda are a layout-printed PDF with no schema; the reading rules are the book's own
 * (a note's items sit under its keyword, indented further; a line under a code that is no note is an
 * inclusion term).
 */
export interface TabularAddenda {
  /** Notes the year adds (inclusion terms among them), on the code they are written under. */
  added: NoteRecord[];
  /** Notes the year deletes (a "Revise from" line is deleted, its "Revise to" added). */
  deleted: NoteRecord[];
}

const ACTION = /^(No Change|Add|Delete|Revise from|Revise to)(\s+)(\S.*)$/;
/** A code line: "E11.A Type 2 …"; FY2026 also opens categories with a letter second ("QA0 Neurodevelopmental …"). */
const CODE_LINE = /^([A-Z][0-9A-Z][0-9A-Z](?:\.[0-9A-Z]{1,4})?)\s+\S/;
/** A chapter or block heading ("Chapter 4", "Diabetes mellitus (E08-E13)", "Genetic disorders … (QA0)"): no
 * code is current under it. Read only where the line is no note's item ("malignant neoplasm (C00-C96)"). */
const HEADING = /^Chapter\s+\d+$|\((?:[A-Z][0-9][0-9A-Z]|[A-Z]{2}[0-9])(?:-[A-Z][0-9A-Z][0-9A-Z])?\)$/;
/** A note's item ends in the code it points to ("(F90.-)", "(C00-C96)"); an inclusion term does not. */
const CODE_REFERENCE = /\([A-Z][0-9][0-9A-Z][^()]*\)$/;
/** A note's keyword and the words the XML keeps as the note's first item (after the keyword). */
const NOTE_KEYWORDS: readonly [RegExp, NoteKind][] = [
  [/^Includes:\s*/i, 'includes'],
  [/^Excludes?1:\s*/i, 'excludes1'],
  [/^Excludes?2:\s*/i, 'excludes2'],
  [/^Code first\b\s*/i, 'code_first'],
  [/^Code also,?\s*/i, 'code_also'],
  [/^Use additional\b\s*/i, 'use_additional'],
  [/^Note:\s*/i, 'note'],
];

interface Entry {
  action: string;
  /** Column where the tabular text starts (its indentation in the book). */
  column: number;
  text: string;
}

/** `known`: the release's codes (headers included); the notes of a code not in it are skipped. */
export function parseTabularAddenda(text: string, file: string, known: ReadonlySet<string>): TabularAddenda {
  const entries = readEntries(text.replace(/\f/g, ''));
  if (entries.length === 0) throw new CodeSetParseError(file, null, 'no addenda lines (expected "No Change", "Add", "Delete" or "Revise" rows)');
  const out: TabularAddenda = { added: [], deleted: [] };
  let code: string | null = null;
  let note: { kind: NoteKind; column: number } | null = null;
  for (const e of entries) {
    const target = e.action === 'Add' || e.action === 'Revise to' ? out.added : e.action === 'Delete' || e.action === 'Revise from' ? out.deleted : null;
    const codeLine = CODE_LINE.exec(e.text);
    if (codeLine && known.has(formatIcd10cm(codeLine[1]!))) {
      code = formatIcd10cm(codeLine[1]!);
      note = null;
      continue;
    }
    const keyword = NOTE_KEYWORDS.find(([re]) => re.test(e.text));
    if (keyword) {
      note = { kind: keyword[1], column: e.column };
      const first = e.text.replace(keyword[0], '').trim();
      if (code && target && first) target.push({ code, kind: note.kind, text: first });
      continue;
    }
    // Indented under a note's keyword, or pointing to a code while a note is open (the PDF's layout sometimes
    // prints an item left of its keyword): one of the note's items.
    if (note && (e.column > note.column || CODE_REFERENCE.test(e.text))) {
      if (code && target) target.push({ code, kind: note.kind, text: e.text });
      continue;
    }
    note = null;
    // A heading, or a code the release lacks (a deleted one, or a misprint): what is written under it is skipped.
    if (HEADING.test(e.text) || codeLine) {
      code = null;
      continue;
    }
    if (!code) continue;
    // Otherwise a line under a code is one of its inclusion terms.
    if (target) target.push({ code, kind: 'inclusion', text: e.text });
  }
  return out;
}

function readEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw) => {
    const line = raw.trimEnd();
    if (line.trim() === '') return;
    const m = ACTION.exec(line);
    if (m) entries.push({ action: m[1]!, column: m[1]!.length + m[2]!.length, text: m[3]! });
    else if (/^\s|^\(/.test(line)) {
      // A wrapped line continues the entry before it ("… or\n   inhibitors").
      const last = entries.at(-1);
      if (last) last.text = `${last.text} ${line.trim()}`;
    }
  });
  return entries;
}

/** The tabular's notes with one year's addenda applied: deleted notes removed (matched by code, kind and text). */
export function applyTabularAddenda<N extends NoteRecord>(notes: N[], addenda: TabularAddenda, source: (n: NoteRecord) => N): N[] {
  const key = (n: NoteRecord) => `${n.code}|${n.kind}|${n.text.toLowerCase().replace(/\s+/g, ' ').replace(/\s*([,;:])/g, '$1').trim()}`;
  const deleted = new Set(addenda.deleted.map(key));
  const kept = notes.filter((n) => !deleted.has(key(n)));
  const present = new Set(kept.map(key));
  const added = addenda.added.filter((n) => !present.has(key(n))).map(source);
  return [...kept, ...added];
}
