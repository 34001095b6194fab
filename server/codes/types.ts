// Shared shapes of parsed code-set content. Parsers (pure) produce these; loaders write them.

export const CODE_SYSTEMS = ['ICD10CM', 'ICD10PCS', 'HCPCS', 'CPT'] as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[number];

/** One entry of a code set: a billable code or a non-billable header. */
export interface CodeRecord {
  /** Display form: ICD-10-CM with a dot after the category ("E11.65"); PCS/HCPCS/CPT as issued. */
  code: string;
  billable: boolean;
  shortDesc: string;
  longDesc: string;
  /** Position in the official order file (1-based); keeps tabular order for browsing. */
  order: number;
  /** Nearest existing ancestor code ("E11.6" for "E11.65"), null at the category. */
  parent: string | null;
  /** 3-character category ("E11"), null where the system has none. */
  category: string | null;
}

/** Tabular instructional notes, keyed by code (ICD-10-CM tabular XML element names, snake_case). */
export const NOTE_KINDS = [
  'inclusion', // <inclusionTerm>
  'includes', // <includes>
  'excludes1', // <excludes1>
  'excludes2', // <excludes2>
  'code_first', // <codeFirst>
  'use_additional', // <useAdditionalCode>
  'code_also', // <codeAlso>
  'seventh_char', // <sevenChrDef> extension: "A: initial encounter for closed fracture"
  'seventh_char_note', // <sevenChrNote>
  'note', // <notes>
] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface NoteRecord {
  /** Dotted code (or category/header) the note is written on. Notes inherit down the hierarchy. */
  code: string;
  kind: NoteKind;
  text: string;
  /** For seventh_char: the character ("A"); otherwise undefined. */
  char?: string;
}

/** Kinds of searchable text rows in the code-description index. */
export const TERM_KINDS = [
  'title', // long description
  'short_title', // short description (when different)
  'inclusion', // tabular inclusion term
  'index', // Alphabetic Index path ending in a code
  'drug', // Table of Drugs and Chemicals row + column
  'neoplasm', // Neoplasm Table row + column
  'eindex', // External Cause Index path
  // Alphabetic Index cross-references the code search follows: text is the target ("Hemorrhage"), path the
  // entry that carries it ("Bleeding"), code empty (a target names Index text, not a code).
  'see', // "see" whose target needs a further subterm (the others are resolved to 'index' rows at load)
  'see_also', // "see also"
] as const;
/** The kinds without a code of their own (see TERM_KINDS): not embedded, not matched. */
export const CROSS_REF_KINDS: readonly TermKind[] = ['see', 'see_also'];
export type TermKind = (typeof TERM_KINDS)[number];

/** One searchable synonym of a code. */
export interface TermRecord {
  /** Code as given by the source, normalised to display form, trailing "-" removed ("S72.9-" → "S72.9"). */
  code: string;
  kind: TermKind;
  /** Readable text: index paths joined with ", " ("Diabetes, type 2, with hyperglycemia"). */
  text: string;
  /** Index path parts without nonessential modifiers, main term first. */
  path?: string[];
  /** Nonessential modifiers per path level ("(mellitus) (sugar)"), same length as path, "" where none. */
  modifiers?: string[];
  /** True when the source code ended with "-" (more characters required). */
  incomplete?: boolean;
}

/** A parse failure that names the file, the line (1-based, when known) and the problem. */
export class CodeSetParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line != null ? `:${line}` : ''}: ${problem}`);
    this.name = 'CodeSetParseError';
  }
}

/** "E1165" → "E11.65"; "E11" → "E11"; already dotted or lower case input is accepted. */
export function formatIcd10cm(raw: string): string {
  const c = raw.trim().toUpperCase().replace('.', '');
  return c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

/** A code as typed → its stored display form: ICD-10-CM dotted ("e1165" → "E11.65"), others upper case. */
export function normalizeCode(system: CodeSystem, raw: string): string {
  return system === 'ICD10CM' ? formatIcd10cm(raw) : raw.trim().toUpperCase();
}
