import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { codeSetStats, versionFor } from '../db/queries/code-sets.ts';
import { DRIVERS, freshDatabase } from '../db/testing.ts';
import { loadCodeSets } from './load.ts';
import type { Release } from './releases.ts';
import { CodeSetParseError } from './types.ts';

/** One order-file line: order 1-5, code 7-13, flag 15, short description 17-76, long from 78. */
const line = (order: number, code: string, billable: boolean, desc: string) =>
  `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${billable ? 1 : 0} ${desc.padEnd(60).slice(0, 60)} ${desc}`;

const GOOD = [
  line(1, '0DT', false, 'Resection of Gastrointestinal System'),
  line(2, '0DTJ4ZZ', true, 'Resection of Appendix, Percutaneous Endoscopic Approach'),
  line(3, '0DTJ0ZZ', true, 'Resection of Appendix, Open Approach'),
].join('\n');

describe.each(DRIVERS)('code-set loading (%s)', (driver) => {
  let database: Database;
  let dir: string;
  const release = (version: string, file: string, effectiveFrom = '2025-10-01', effectiveTo: string | null = '2026-09-30'): Release => ({
    system: 'ICD10PCS',
    version,
    effectiveFrom,
    effectiveTo,
    files: { order: file },
  });

  beforeAll(async () => {
    database = await freshDatabase(driver);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-load-'));
    fs.writeFileSync(path.join(dir, 'good.txt'), GOOD);
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads a release with codes, billable flags and title rows, and skips it when unchanged', async () => {
    const [first] = await loadCodeSets(database.db, dir, [release('FY2026', 'good.txt')]);
    expect(first).toMatchObject({ status: 'loaded', stats: { codes: 3, billable: 2 } });
    const [again] = await loadCodeSets(database.db, dir, [release('FY2026', 'good.txt')]);
    expect(again!.status).toBe('unchanged');
    const stats = await codeSetStats(database.db);
    expect(stats).toEqual([
      { system: 'ICD10PCS', version: 'FY2026', effectiveFrom: '2025-10-01', effectiveTo: '2026-09-30', total: 3, billable: 2, indexRows: 3, embedded: 0 },
    ]);
  });

  it('keeps the stored version when a changed file is malformed, and names file, line and problem', async () => {
    fs.writeFileSync(path.join(dir, 'bad.txt'), `${GOOD}\n00004 0DTJ7Z? 1 Broken`);
    const attempt = loadCodeSets(database.db, dir, [release('FY2026', 'bad.txt')]);
    await expect(attempt).rejects.toThrowError(CodeSetParseError);
    await expect(loadCodeSets(database.db, dir, [release('FY2026', 'bad.txt')])).rejects.toThrowError(/bad\.txt:4: code "0DTJ7Z\?"/);
    const [stats] = await codeSetStats(database.db);
    expect(stats).toMatchObject({ total: 3, billable: 2 });
  });

  it('rolls back a load that fails while writing: the previous version stays intact', async () => {
    // Parses fine, but the same code twice violates the primary key half-way through the transaction.
    fs.writeFileSync(path.join(dir, 'dup.txt'), `${GOOD}\n${line(4, '0DTJ0ZZ', true, 'Resection of Appendix, Open Approach, again')}`);
    await expect(loadCodeSets(database.db, dir, [release('FY2026', 'dup.txt')])).rejects.toThrow();
    const [stats] = await codeSetStats(database.db);
    expect(stats).toMatchObject({ system: 'ICD10PCS', version: 'FY2026', total: 3, billable: 2, indexRows: 3 });
  });

  it('picks the version in force on the date of service', async () => {
    fs.writeFileSync(path.join(dir, 'next.txt'), `${GOOD}\n${line(4, '0DTJ8ZZ', true, 'Resection of Appendix, Via Natural or Artificial Opening Endoscopic')}`);
    await loadCodeSets(database.db, dir, [release('FY2027', 'next.txt', '2026-10-01', '2027-09-30')]);
    expect((await versionFor(database.db, 'ICD10PCS', '2026-03-15'))?.version).toBe('FY2026');
    expect((await versionFor(database.db, 'ICD10PCS', '2026-10-01'))?.version).toBe('FY2027');
    expect(await versionFor(database.db, 'ICD10PCS', '2020-01-01')).toBeUndefined();
    const later = await versionFor(database.db, 'ICD10PCS', '2028-01-01');
    expect(later).toMatchObject({ version: 'FY2027', stale: true });
  });
});
