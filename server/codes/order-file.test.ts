import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOrderFile } from './order-file.ts';
import { readCodeSetFile } from './read-files.ts';
import { CodeSetParseError } from './types.ts';

const dir = path.resolve(import.meta.dirname, '../../data/codesets');

describe('parseOrderFile', () => {
  it('reads every ICD-10-CM FY2026 entry with billable flags and hierarchy', () => {
    const file = path.join(dir, 'icd10cm-order-fy2026.txt.gz');
    const codes = parseOrderFile(readCodeSetFile(file), file, 'ICD10CM');
    expect(codes).toHaveLength(98_186);
    expect(codes.filter((c) => c.billable)).toHaveLength(74_719);
    const e1165 = codes.find((c) => c.code === 'E11.65');
    expect(e1165).toMatchObject({ billable: true, parent: 'E11.6', category: 'E11' });
    expect(e1165?.longDesc).toBe('Type 2 diabetes mellitus with hyperglycemia');
    expect(codes.find((c) => c.code === 'E11')).toMatchObject({ billable: false, parent: null });
  });

  it('reads every valid ICD-10-PCS FY2026 code', () => {
    const file = path.join(dir, 'icd10pcs-order-fy2026.txt.gz');
    const codes = parseOrderFile(readCodeSetFile(file), file, 'ICD10PCS');
    expect(codes.filter((c) => c.billable)).toHaveLength(79_115);
  });

  it('names file, line and problem for a malformed line', () => {
    const content = '00001 A00     0 Cholera                                                      Cholera\n00002 A000    X Bad flag';
    expect(() => parseOrderFile(content, 'bad.txt', 'ICD10CM')).toThrowError(CodeSetParseError);
    expect(() => parseOrderFile(content, 'bad.txt', 'ICD10CM')).toThrowError(/bad\.txt:2: billable flag "X"/);
  });

  it('rejects an empty file', () => {
    expect(() => parseOrderFile('\n\n', 'empty.txt', 'ICD10CM')).toThrowError(/no codes found/);
  });
});
