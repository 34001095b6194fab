import { CodeSetParseError, formatIcd10cm, type CodeRecord } from './types.ts';

/**
 * Parses a CMS ICD-10-CM / ICD-10-PCS order file (fixed width, see icd10OrderFiles.pdf):
 * cols 1-5 order number, 7-13 code, 15 billable/valid flag, 17-76 short description, 78- long.
 * Example line: `00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae   Cholera due to …`
 */
export function parseOrderFile(content: string, file: string, system: 'ICD10CM' | 'ICD10PCS'): CodeRecord[] {
  const lines = content.split(/\r?\n/);
  const out: CodeRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    if (line.length < 17) throw new CodeSetParseError(file, lineNo, `line is ${line.length} characters; an order-file line has at least 17`);
    const order = Number(line.slice(0, 5));
    const raw = line.slice(6, 13).trim();
    const flag = line[14];
    if (!Number.isInteger(order) || order <= 0) throw new CodeSetParseError(file, lineNo, `order number "${line.slice(0, 5)}" is not a positive integer`);
    if (!/^[A-Z0-9]{3,7}$/.test(raw)) throw new CodeSetParseError(file, lineNo, `code "${raw}" is not 3-7 letters or digits`);
    if (flag !== '0' && flag !== '1') throw new CodeSetParseError(file, lineNo, `billable flag "${flag ?? ''}" is not 0 or 1`);
    const shortDesc = line.slice(16, 76).trim();
    const longDesc = line.slice(77).trim() || shortDesc;
    if (!shortDesc) throw new CodeSetParseError(file, lineNo, `code ${raw} has no description`);
    out.push({
      code: system === 'ICD10CM' ? formatIcd10cm(raw) : raw,
      billable: flag === '1',
      shortDesc,
      longDesc,
      order,
      parent: null,
      category: raw.slice(0, 3),
    });
  }
  if (out.length === 0) throw new CodeSetParseError(file, null, 'no codes found (empty file?)');
  assignParents(out);
  return out;
}

/** Parent = the longest proper prefix (≥ 3 characters) that is itself an entry of the file. */
export function assignParents(records: CodeRecord[]): void {
  const undotted = (c: string) => c.replace('.', '');
  const present = new Set(records.map((r) => undotted(r.code)));
  const display = new Map(records.map((r) => [undotted(r.code), r.code]));
  for (const r of records) {
    const c = undotted(r.code);
    for (let len = c.length - 1; len >= 3; len--) {
      const p = c.slice(0, len);
      if (present.has(p)) {
        r.parent = display.get(p)!;
        break;
      }
    }
  }
}
