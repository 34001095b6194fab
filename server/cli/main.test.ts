import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs the real CLI (`npm run medcode -- …` without npm's banner) against a throw-away data directory. */
function medcode(dataDir: string, ...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, MEDCODE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('medcode CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports a licensed CPT file and reports it in codes stats', () => {
    const data = path.join(dir, 'cpt');
    const file = path.join(dir, 'cpt.csv');
    fs.writeFileSync(file, 'code,descriptor\n99213,Office or other outpatient visit for an established patient\n44970,"Laparoscopy, surgical, appendectomy"\n0001U,Red blood cell antigen typing\n');
    const imported = medcode(data, 'codes', 'import-cpt', file, '--version', '2026');
    expect(imported.stderr).not.toMatch(/error/);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('CPT 2026: loaded, 3 codes');
    const stats = medcode(data, 'codes', 'stats', '--json');
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout)).toEqual([
      { system: 'CPT', version: '2026', effectiveFrom: '2026-01-01', effectiveTo: null, total: 3, billable: 3, indexRows: 3, embedded: 0 },
    ]);
  });

  it('stops on a malformed CPT file with file, line and problem, and keeps what was stored', () => {
    const data = path.join(dir, 'cpt');
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'code,descriptor\n99213,Office visit\n9921X,Not a code\n');
    const res = medcode(data, 'codes', 'import-cpt', file, '--version', '2026');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`${file}:3: "9921X" is not a CPT code`);
    const stats = JSON.parse(medcode(data, 'codes', 'stats', '--json').stdout) as { total: number }[];
    expect(stats[0]!.total).toBe(3);
  });

  it('imports a JSONL dataset, lists it, exports it as FHIR and imports that back; a bad line exits 2 naming it and stores nothing', () => {
    const data = path.join(dir, 'datasets');
    const file = path.join(dir, 'gold.jsonl');
    const enc = { setting: 'outpatient', dateOfService: '2026-01-10' };
    fs.writeFileSync(file, [{ id: 'n1', text: 'Essential hypertension.', encounter: enc, gold: [{ system: 'ICD10CM', code: 'i10' }] }].map((d) => JSON.stringify(d)).join('\n') + '\n');
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, fs.readFileSync(file, 'utf8') + '{"id": "n2", "text": 1}\n');
    const refused = medcode(data, 'datasets', 'import', '--name', 'bad', '--jsonl', bad);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${bad}:2`);
    expect(medcode(data, 'datasets', 'import', '--name', 'gold', '--jsonl', file).stdout).toContain('imported 1 documents as "gold@v1"');
    const out = path.join(dir, 'gold.fhir.json');
    expect(medcode(data, 'datasets', 'export', 'gold@v1', '--format', 'fhir', '--out', out).status).toBe(0);
    expect(medcode(data, 'datasets', 'import', '--name', 'gold-again', '--fhir', out).stdout).toContain('imported 1 documents');
    const list = medcode(data, 'datasets', 'list').stdout;
    expect(list).toContain('gold (imported): 1 records');
    expect(list).toContain('gold-again (imported): 1 records');
    expect(list).not.toContain('bad');
  }, 300_000);

  it('learns from decisions only from a named frozen version; models list and rollback say what there is (exit 2 when refused)', () => {
    const data = path.join(dir, 'models');
    const unnamed = medcode(data, 'learn', '--from', 'decisions');
    expect(unnamed.status).toBe(2);
    expect(unnamed.stderr).toContain('--from decisions@VERSION');
    const missing = medcode(data, 'learn', '--from', 'decisions@2026-03');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('No dataset version "decisions@2026-03"');
    const rollback = medcode(data, 'models', 'rollback');
    expect(rollback.status).toBe(2);
    expect(rollback.stderr).toContain('no model was active before the current one');
    const list = medcode(data, 'models', 'list', '--json');
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ active: null, models: [], notices: [] });
  }, 300_000);

  it('refuses to open the embedded database while another process holds it', async () => {
    const data = path.join(dir, 'busy');
    const holder = await openDatabase({ dataDir: data });
    try {
      const res = medcode(data, 'codes', 'stats');
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(/in use by another medcode process/);
    } finally {
      await holder.close();
    }
    expect(medcode(data, 'codes', 'stats', '--json').status).toBe(0);
  });

  it('rejects an empty search query with a clear message', () => {
    const res = medcode(path.join(dir, 'cpt'), 'search', '  ');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('error: query is empty');
  });

  it('refuses a worker concurrency outside 1–64 before opening the database', () => {
    const data = path.join(dir, 'never-opened');
    const res = medcode(data, 'worker', '--concurrency', '0');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('error: --concurrency "0" is not an integer from 1 to 64');
    expect(fs.existsSync(data)).toBe(false);
  });
});
