import { parse } from 'csv-parse/sync';
import { CodeSetParseError, type CodeRecord } from './types.ts';

/** CPT codes: five digits, or four digits + F (Category II) / T (Category III) / U (PLA). */
const CPT_CODE = /^\d{4}[0-9FTU]$/;

/**
 * Parses a licensed CPT file with a header row naming columns `code` and `descriptor` (others ignored).
 * medcode ships no CPT content (AMA copyright); this is the import path for a customer's licensed file.
 */
export function parseCptCsv(content: string, file: string): CodeRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(content, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, bom: true, trim: true });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new CodeSetParseError(file, e.lines ?? null, e.message);
  }
  if (rows.length === 0) throw new CodeSetParseError(file, null, 'no rows found: expected a header "code,descriptor" and at least one row');
  for (const col of ['code', 'descriptor']) {
    if (!(col in rows[0]!)) throw new CodeSetParseError(file, 1, `missing column "${col}" (the header must name code and descriptor)`);
  }
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const lineNo = i + 2;
    const code = (row['code'] ?? '').toUpperCase();
    const descriptor = row['descriptor'] ?? '';
    if (!CPT_CODE.test(code)) throw new CodeSetParseError(file, lineNo, `"${code}" is not a CPT code (5 digits, or 4 digits + F/T/U)`);
    if (!descriptor) throw new CodeSetParseError(file, lineNo, `code ${code} has an empty descriptor`);
    if (seen.has(code)) throw new CodeSetParseError(file, lineNo, `code ${code} appears twice`);
    seen.add(code);
    return { code, billable: true, shortDesc: descriptor, longDesc: descriptor, order: i + 1, parent: null, category: null };
  });
}
