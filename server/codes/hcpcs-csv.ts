import { parse } from 'csv-parse/sync';
import { CodeSetParseError, type CodeRecord } from './types.ts';

const REQUIRED = ['HCPC', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION', 'TERM DT'] as const;

/**
 * Parses the CMS alpha-numeric HCPCS Level II file (CSV of the ANWEB sheet). Keeps codes (RECID 3,
 * "A1234") and modifiers (RECID 7, two characters) that are active on `activeOn` (no termination
 * date, or one on/after it). Modifiers get category "modifier" and are not billable on their own.
 */
export function parseHcpcsCsv(content: string, file: string, activeOn: string): { records: CodeRecord[]; terminated: number } {
  let rows: Record<string, string>[];
  try {
    rows = parse(content, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new CodeSetParseError(file, e.lines ?? null, e.message);
  }
  if (rows.length === 0) throw new CodeSetParseError(file, null, 'no rows found (empty file?)');
  const missing = REQUIRED.filter((c) => !(c in rows[0]!));
  if (missing.length) throw new CodeSetParseError(file, 1, `missing column(s) ${missing.join(', ')}`);
  const cutoff = activeOn.replaceAll('-', '');
  const records: CodeRecord[] = [];
  let terminated = 0;
  rows.forEach((row, i) => {
    const lineNo = i + 2;
    const code = row['HCPC']!.trim();
    const recid = row['RECID']!.trim();
    const isModifier = recid === '7';
    if (recid !== '3' && !isModifier) return; // other record types carry no code of their own
    if (isModifier ? !/^[A-Z0-9]{2}$/.test(code) : !/^[A-Z]\d{4}$/.test(code)) {
      throw new CodeSetParseError(file, lineNo, `"${code}" is not a HCPCS ${isModifier ? 'modifier' : 'code'}`);
    }
    const term = row['TERM DT']!.trim();
    if (term && term < cutoff) {
      terminated++;
      return;
    }
    const longDesc = row['LONG DESCRIPTION']!.trim();
    const shortDesc = row['SHORT DESCRIPTION']!.trim() || longDesc;
    if (!longDesc) throw new CodeSetParseError(file, lineNo, `code ${code} has no description`);
    records.push({
      code,
      billable: !isModifier,
      shortDesc,
      longDesc,
      order: records.length + 1,
      parent: null,
      category: isModifier ? 'modifier' : code[0]!,
    });
  });
  return { records, terminated };
}
