// Scoring across code-set vintages. The engine predicts FY2026 codes; gold sets may be older (CodiEsp
// uses CIE-10-ES 2018, whose diagnosis codes match ICD-10-CM of about FY2017). A FY2026 code that
// replaced a gold-era code (R51 → R51.9 in FY2020, M54.5 → M54.50 in FY2021) should count as that code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { CodeSetParseError, formatIcd10cm } from '../server/codes/types.ts';

/** The NCHS ICD-10-CM conversion table shipped with medcode (cumulative FY2016–FY2026). */
export const DEFAULT_CONVERSION_TABLE = fileURLToPath(new URL('../data/codesets/icd10cm-conversion-fy2026.csv.gz', import.meta.url));

/** One "previous code" of a conversion row: a code, a range ("H44.20-H44.23", "T15-T19") or a prefix ("I63.-"). */
export type PreviousCode = { kind: 'code'; code: string } | { kind: 'range'; first: string; last: string } | { kind: 'prefix'; prefix: string };

export interface ConversionRow {
  /** Dotted FY2026 code ("R51.9"). */
  code: string;
  /** Year of the `effective` column ("2020" or "2020-04-01" → 2020). */
  effectiveYear: number;
  previous: PreviousCode[];
}

/** Conversion rows keyed by current (dotted) code. */
export type ConversionTable = ReadonlyMap<string, ConversionRow>;

export interface VintageOptions {
  /** Use only rows effective after this table year (e.g. 2016 for CodiEsp); default: every row. */
  effectiveAfter?: number;
}

// Second character may be a letter since FY2025 (QA0.0101).
const CODE = /^[A-Z][0-9A-Z][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/**
 * Parses the conversion CSV (`current_code,effective,previous_codes`). Previous codes are joined by
 * ",", ";", "&" or "and", may be ranges or prefixes, or read "None"; phrases such as "Codes in
 * Categories T15-T19" become ranges. Anything else fails loudly with the line.
 */
export function parseConversionTable(csv: string, file: string): ConversionTable {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new CodeSetParseError(file, e.lines ?? null, e.message);
  }
  const table = new Map<string, ConversionRow>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const code = formatIcd10cm(row['current_code'] ?? '');
    if (!CODE.test(code)) throw new CodeSetParseError(file, line, `current_code "${row['current_code']}" is not an ICD-10-CM code`);
    const effectiveYear = Number((row['effective'] ?? '').slice(0, 4));
    if (!Number.isInteger(effectiveYear) || effectiveYear < 2000) throw new CodeSetParseError(file, line, `effective "${row['effective']}" is not a year or date`);
    const previous: PreviousCode[] = [];
    for (const token of (row['previous_codes'] ?? '').split(/\s*[,;&]\s*|\s+and\s+/i)) {
      const parsed = parsePrevious(token);
      if (parsed === undefined) throw new CodeSetParseError(file, line, `previous code "${token}" is not a code, range or prefix`);
      if (parsed) previous.push(parsed);
    }
    // The table repeats some rows verbatim (O44.20…O44.33); a repeat adds its previous codes.
    const existing = table.get(code);
    if (existing) existing.previous.push(...previous.filter((p) => !existing.previous.some((e) => JSON.stringify(e) === JSON.stringify(p))));
    else table.set(code, { code, effectiveYear, previous });
  });
  return table;
}

const loaded = new Map<string, ConversionTable>();

/** Reads (gzip or plain) and parses a conversion table once per path. */
export function loadConversionTable(file: string = DEFAULT_CONVERSION_TABLE): ConversionTable {
  let table = loaded.get(file);
  if (!table) {
    const raw = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    table = parseConversionTable(text, file);
    loaded.set(file, table);
  }
  return table;
}

/**
 * The gold-vintage form of a predicted ICD-10-CM code: the code itself when gold holds it (or when no
 * older form is in gold), else the first gold code among its previous codes, followed transitively
 * (A → B → C). `toGoldVintage("R51.9", {"R51"})` → "R51". Both inputs are dotted display codes.
 * One prediction maps to one gold code even where a row lists several (E11.11 ← E11.69 and R40.20).
 */
export function toGoldVintage(code: string, gold: ReadonlySet<string>, table: ConversionTable, options: VintageOptions = {}): string {
  if (gold.has(code)) return code;
  const truncated = withoutSeventhCharacter(code, gold);
  if (truncated) return truncated;
  const seen = new Set([code]);
  const queue = [code];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    const row = table.get(current);
    if (!row || (options.effectiveAfter !== undefined && row.effectiveYear <= options.effectiveAfter)) continue;
    for (const prev of row.previous) {
      if (prev.kind === 'code') {
        if (gold.has(prev.code)) return prev.code;
        if (!seen.has(prev.code)) {
          seen.add(prev.code);
          queue.push(prev.code);
        }
      } else {
        const hit = [...gold].sort().find((g) => matches(prev, g));
        if (hit) return hit;
      }
    }
  }
  return code;
}

/**
 * The gold form of a predicted ICD-10-PCS code where gold holds a truncated prefix of it (about half
 * of CodiEsp's P codes are prefixes such as "BW20"): the longest gold prefix, else the code itself.
 */
export function toGoldPcsPrefix(code: string, gold: ReadonlySet<string>): string {
  if (gold.has(code)) return code;
  let best: string | undefined;
  for (const g of gold) {
    if (g.length < code.length && code.startsWith(g) && (!best || g.length > best.length)) best = g;
  }
  return best ?? code;
}

/** null for "None"/empty, undefined when unreadable. */
function parsePrevious(raw: string): PreviousCode | null | undefined {
  const token = raw
    .trim()
    .replace(/^(codes? (in|from) categories|a code from)\s+/i, '')
    .toUpperCase();
  if (token === '' || token === 'NONE') return null;
  const range = /^([A-Z0-9.]+)-([A-Z0-9.]+)$/.exec(token);
  if (range && CODE.test(range[1]!) && CODE.test(range[2]!)) return { kind: 'range', first: range[1]!, last: range[2]! };
  const prefix = /^([A-Z][0-9A-Z][0-9A-Z](\.[0-9A-Z]{0,3})?)\.?-$/.exec(token);
  if (prefix) return { kind: 'prefix', prefix: prefix[1]!.replace(/\.$/, '') };
  if (CODE.test(token)) return { kind: 'code', code: token };
  return undefined;
}

/** Range ends are inclusive of their descendants: "T15-T19" holds "T19.9XXA". */
function matches(prev: PreviousCode, code: string): boolean {
  if (prev.kind === 'code') return prev.code === code;
  if (prev.kind === 'prefix') return code.startsWith(prev.prefix);
  return code >= prev.first && (code <= prev.last || code.startsWith(prev.last));
}

/**
 * CodiEsp gold writes injury and external-cause codes without their 7th character ("T14.8", "W19.XXX"),
 * a CIE-10-ES 2018 convention: a predicted "T14.8XXA" or "W19.XXXA" is that gold code.
 */
function withoutSeventhCharacter(code: string, gold: ReadonlySet<string>): string | undefined {
  const raw = code.replace('.', '');
  if (raw.length !== 7) return undefined;
  const six = raw.slice(0, 6);
  for (let s = six; s.length >= 3; s = s.slice(0, -1)) {
    const dotted = s.length > 3 ? `${s.slice(0, 3)}.${s.slice(3)}` : s;
    if (gold.has(dotted)) return dotted;
    if (!s.endsWith('X')) break; // only placeholder X's may be dropped beyond the 7th character
  }
  return undefined;
}
