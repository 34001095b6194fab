import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loginAs, type TestSession } from '../auth/testing.ts';
import type { CodeRow, ReleaseContent } from '../codes/read-release.ts';
import type { NoteRecord } from '../codes/types.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { replaceRelease } from '../db/queries/code-sets.ts';
import { ROLES } from '../db/schema/index.ts';
import { freshDatabase } from '../db/testing.ts';

type App = ReturnType<typeof createApp>;
interface Ref {
  code: string;
  description: string;
  billable: boolean;
}
interface Detail extends Ref {
  system: string;
  version: string;
  stale: boolean;
  parent: Ref | null;
  ancestors: Ref[];
  siblings: Ref[];
  children: Ref[];
  siblingCount: number;
  childCount: number;
  notes: { kind: string; text: string; char: string | null; from: string }[];
}

// A slice of ICD-10-CM FY2026 in order-file order, with notes as the 2021 tabular XML writes them.
const CODES: [code: string, billable: boolean, desc: string, parent: string | null, block: string][] = [
  ['E10', false, 'Type 1 diabetes mellitus', null, 'E08-E13'],
  ['E11', false, 'Type 2 diabetes mellitus', null, 'E08-E13'],
  ['E11.6', false, 'Type 2 diabetes mellitus with other specified complications', 'E11', 'E08-E13'],
  ['E11.64', false, 'Type 2 diabetes mellitus with hypoglycemia', 'E11.6', 'E08-E13'],
  ['E11.641', true, 'Type 2 diabetes mellitus with hypoglycemia with coma', 'E11.64', 'E08-E13'],
  ['E11.649', true, 'Type 2 diabetes mellitus with hypoglycemia without coma', 'E11.64', 'E08-E13'],
  ['E11.65', true, 'Type 2 diabetes mellitus with hyperglycemia', 'E11.6', 'E08-E13'],
  ['E11.69', true, 'Type 2 diabetes mellitus with other specified complication', 'E11.6', 'E08-E13'],
  ['E11.9', true, 'Type 2 diabetes mellitus without complications', 'E11', 'E08-E13'],
  ['E13', false, 'Other specified diabetes mellitus', null, 'E08-E13'],
  ['I10', true, 'Essential (primary) hypertension', null, 'I10-I1A'],
  ['S72', false, 'Fracture of femur', null, 'S70-S79'],
  ['S72.0', false, 'Fracture of head and neck of femur', 'S72', 'S70-S79'],
  ['S72.00', false, 'Fracture of unspecified part of neck of femur', 'S72.0', 'S70-S79'],
  ['S72.001', false, 'Fracture of unspecified part of neck of right femur', 'S72.00', 'S70-S79'],
  ['S72.001A', true, 'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture', 'S72.001', 'S70-S79'],
];
const NOTES: NoteRecord[] = [
  { code: 'E11', kind: 'includes', text: 'diabetes (mellitus) due to insulin secretory defect' },
  { code: 'E11', kind: 'excludes1', text: 'diabetes mellitus due to underlying condition (E08.-)' },
  { code: 'E11', kind: 'use_additional', text: 'Use additional code to identify control using: insulin (Z79.4)' },
  { code: 'E11.65', kind: 'inclusion', text: 'Type 2 diabetes mellitus with hyperglycemia' },
  { code: 'E11.6', kind: 'use_additional', text: 'Use additional code to identify complication' },
  { code: 'S72', kind: 'excludes2', text: 'fracture of foot (S92.-)' },
  { code: 'S72', kind: 'seventh_char', text: 'initial encounter for closed fracture', char: 'A' },
  { code: 'S72', kind: 'seventh_char', text: 'subsequent encounter for closed fracture with routine healing', char: 'D' },
  { code: 'S72.0', kind: 'excludes1', text: 'fracture of femur, pertrochanteric (S72.1-)' },
];

function content(rows: typeof CODES): ReleaseContent {
  const codes: CodeRow[] = rows.map(([code, billable, desc, parent, block], i) => ({
    code,
    billable,
    shortDesc: desc.slice(0, 60),
    longDesc: desc,
    order: i + 1,
    parent,
    category: code.slice(0, 3),
    block,
    chapter: null,
  }));
  return { codes, notes: NOTES.map((n) => ({ ...n, source: 'test' })), terms: [], stats: {} };
}

describe('GET /api/codes/{system}/{code}', () => {
  let database: Database;
  let app: App;
  let coder: TestSession;
  const get = (s: TestSession | null, path: string) => app.request(path, { headers: s?.headers ?? {} });
  const ok = async (path: string, s: TestSession = coder): Promise<Detail> => {
    const res = await get(s, path);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return JSON.parse(text) as Detail;
  };
  const failure = async (path: string, status: number) => {
    const res = await get(coder, path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    return ((await res.json()) as { error: { code: string; message: string } }).error;
  };

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    await replaceRelease(
      database.db,
      { system: 'ICD10CM', version: 'FY2026', effectiveFrom: '2025-10-01', effectiveTo: '2026-09-30', files: {} },
      content(CODES),
      { checksum: 'test', sources: [] },
    );
    await replaceRelease(
      database.db,
      { system: 'HCPCS', version: '2025-10', effectiveFrom: '2025-10-01', effectiveTo: null, files: {} },
      { codes: [{ code: 'J1815', billable: true, shortDesc: 'Insulin injection', longDesc: 'Injection, insulin, per 5 units', order: 1, parent: null, category: null, block: null, chapter: null }], notes: [], terms: [], stats: {} },
      { checksum: 'test', sources: [] },
    );
    app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({ LOG_LEVEL: 'silent' }), databaseKind: 'pglite' });
    coder = await loginAs(app, database.db, 'coder');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('needs a session (401 JSON)', async () => {
    const res = await get(null, '/api/codes/ICD10CM/E11.65?date=2025-11-04');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('E11.65: parent E11.6, its siblings, no children, own notes first then E11.6 and E11 notes labelled with their code', async () => {
    const d = await ok('/api/codes/ICD10CM/E11.65?date=2025-11-04');
    expect(d).toMatchObject({ system: 'ICD10CM', version: 'FY2026', stale: false, code: 'E11.65', description: 'Type 2 diabetes mellitus with hyperglycemia', billable: true });
    expect(d.parent).toEqual({ code: 'E11.6', description: 'Type 2 diabetes mellitus with other specified complications', billable: false });
    expect(d.ancestors.map((a) => a.code)).toEqual(['E11', 'E11.6']);
    expect(d.siblings.map((s) => [s.code, s.billable])).toEqual([
      ['E11.64', false],
      ['E11.69', true],
    ]);
    expect(d.children).toEqual([]);
    expect([d.siblingCount, d.childCount]).toEqual([2, 0]);
    expect(d.notes.map((n) => [n.from, n.kind])).toEqual([
      ['E11.65', 'inclusion'],
      ['E11.6', 'use_additional'],
      ['E11', 'includes'],
      ['E11', 'excludes1'],
      ['E11', 'use_additional'],
    ]);
    expect(d.notes[4]!.text).toBe('Use additional code to identify control using: insulin (Z79.4)');
  });

  it('a category: no parent, the other categories of its block as siblings, its children in tabular order', async () => {
    const d = await ok('/api/codes/ICD10CM/E11?date=2025-11-04');
    expect(d.parent).toBeNull();
    expect(d.billable).toBe(false);
    expect(d.siblings.map((s) => s.code)).toEqual(['E10', 'E13']);
    expect(d.children.map((c) => c.code)).toEqual(['E11.6', 'E11.9']);
    expect(d.notes.every((n) => n.from === 'E11')).toBe(true);
  });

  it('a 7th-character code inherits the 7th-character definitions and excludes from four levels up', async () => {
    const d = await ok('/api/codes/ICD10CM/S72.001A?date=2025-11-04');
    expect(d.parent?.code).toBe('S72.001');
    expect(d.notes).toEqual([
      { kind: 'excludes1', text: 'fracture of femur, pertrochanteric (S72.1-)', char: null, from: 'S72.0' },
      { kind: 'excludes2', text: 'fracture of foot (S92.-)', char: null, from: 'S72' },
      { kind: 'seventh_char', text: 'initial encounter for closed fracture', char: 'A', from: 'S72' },
      { kind: 'seventh_char', text: 'subsequent encounter for closed fracture with routine healing', char: 'D', from: 'S72' },
    ]);
  });

  it('takes the code as typed (lower case, no dot) and a release label instead of a date', async () => {
    expect((await ok('/api/codes/ICD10CM/e1165?version=FY2026')).code).toBe('E11.65');
  });

  it('every role may read it', async () => {
    for (const role of ROLES) {
      const s = await loginAs(app, database.db, role);
      expect((await ok('/api/codes/ICD10CM/I10?date=2025-11-04', s)).description).toBe('Essential (primary) hypertension');
    }
  });

  it('flags a date past the release end as stale; other systems without a hierarchy have no relatives', async () => {
    expect((await ok('/api/codes/ICD10CM/I10?date=2026-11-01')).stale).toBe(true);
    const h = await ok('/api/codes/HCPCS/j1815?date=2025-11-04');
    expect([h.code, h.parent, h.siblings, h.children, h.notes]).toEqual(['J1815', null, [], [], []]);
  });

  it('404 JSON for an unknown code, an unknown release, or a date before any release', async () => {
    expect(await failure('/api/codes/ICD10CM/E11.99?date=2025-11-04', 404)).toMatchObject({ code: 'unknown_code', message: 'E11.99 is not a ICD10CM code in release FY2026' });
    expect((await failure('/api/codes/ICD10CM/E11.65?version=FY1999', 404)).code).toBe('no_code_set');
    expect((await failure('/api/codes/ICD10CM/E11.65?date=2010-01-01', 404)).code).toBe('no_code_set');
    expect((await failure('/api/codes/CPT/99213?date=2025-11-04', 404)).code).toBe('no_code_set');
  });

  it('400 naming the bad parameter', async () => {
    expect((await failure('/api/codes/ICD9/250.00?date=2025-11-04', 400)).message).toContain('system');
    expect((await failure('/api/codes/ICD10CM/E11.65?date=2025-13-40', 400)).message).toContain('date');
    expect((await failure('/api/codes/ICD10CM/E11.65?date=yesterday', 400)).message).toContain('date');
    expect((await failure(`/api/codes/ICD10CM/${encodeURIComponent("E11' or 1=1")}?date=2025-11-04`, 400)).message).toContain('code');
    expect((await failure('/api/codes/ICD10CM/E11.65?date=2025-11-04&version=FY2026', 400)).message).toContain('not both');
  });
});
