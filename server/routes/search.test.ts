import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loginAs, withSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { fullDatabase } from '../db/full-database.ts';
import { codes, codeSetVersions } from '../db/schema/index.ts';

interface Hit {
  code: string;
  system: string;
  description: string;
  billable: boolean;
  matchedKind: string;
  matchedText: string;
  score: number;
}

describe('GET /api/search over the loaded FY2026 release', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  const search = async (params: Record<string, string>): Promise<Hit[]> => {
    const res = await app.request(`/api/search?${new URLSearchParams(params)}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { hits: Hit[] }).hits;
  };
  const codesOf = (hits: Hit[]) => hits.map((h) => h.code);

  beforeAll(async () => {
    let embedder;
    ({ database, embedder } = await fullDatabase());
    app = createApp({ db: database.db, embedder, suggester: null, config: loadConfig({}), databaseKind: database.kind });
    app = withSession(app, (await loginAs(app, database.db, 'coder')).headers);
    // An imported CPT release (none is shipped: the codes are licensed), as `codes import-cpt` would write it.
    const [cpt] = await database.db.insert(codeSetVersions).values({ system: 'CPT', version: '2026', effectiveFrom: '2026-01-01', effectiveTo: null, checksum: 'test', sources: [] }).returning();
    await database.db.insert(codes).values({ versionId: cpt!.id, system: 'CPT', code: '99213', billable: true, shortDesc: 'Office visit est', longDesc: 'Office or other outpatient visit, established patient, low MDM', ord: 1, parent: null, category: null });
  }, 300_000);
  afterAll(async () => database?.close());

  it('finds a typed code with or without the dot, in any case', async () => {
    for (const q of ['Z79.84', 'z7984', 'Z7984', 'z79.84']) expect(codesOf(await search({ q, k: '3' }))[0], q).toBe('Z79.84');
    expect((await search({ q: 'I50.23', k: '1' }))[0]).toMatchObject({ code: 'I50.23', system: 'ICD10CM', billable: true, matchedKind: 'code' });
    expect((await search({ q: 'g0008', k: '1' }))[0]).toMatchObject({ code: 'G0008', system: 'HCPCS' });
    expect((await search({ q: '0dtj4zz', k: '1' }))[0]).toMatchObject({ code: '0DTJ4ZZ', system: 'ICD10PCS' });
    expect((await search({ q: '99213', k: '1' }))[0]).toMatchObject({ code: '99213', system: 'CPT', billable: true });
  });

  it('lists a prefix and then its children in tabular order, billable ones marked', async () => {
    const s72 = await search({ q: 'S72.0', k: '5' });
    expect(s72.map((h) => [h.code, h.billable])).toEqual([
      ['S72.0', false],
      ['S72.00', false],
      ['S72.001', false],
      ['S72.001A', true],
      ['S72.001B', true],
    ]);
    expect(codesOf(await search({ q: 'E11.', k: '4' }))).toEqual(['E11', 'E11.0', 'E11.00', 'E11.01']);
    // Billable only (the edit and add dialogs): the headers drop out, the order stays.
    expect(codesOf(await search({ q: 's720', k: '2', billable: 'true' }))).toEqual(['S72.001A', 'S72.001B']);
  });

  it('expands abbreviations with the engine\'s module: "chf exacerbation" → heart failure, "CKD 3a" → N18.31', async () => {
    const chf = await search({ q: 'chf exacerbation', k: '5', systems: 'ICD10CM' });
    expect(codesOf(chf).some((c) => c.startsWith('I50.')), JSON.stringify(codesOf(chf))).toBe(true);
    expect(codesOf(await search({ q: 'CKD 3a', k: '1' }))).toEqual(['N18.31']);
    expect(codesOf(await search({ q: 'afib', k: '5' })).every((c) => c.startsWith('I48'))).toBe(true);
    expect(codesOf(await search({ q: 'COPD', k: '5' }))[0]).toMatch(/^J44/);
  });

  it('walks Index paths: "fracture femur neck left" reaches S72.0-', async () => {
    const hits = await search({ q: 'fracture femur neck left', k: '5', systems: 'ICD-10-CM' });
    expect(hits[0]!.code).toMatch(/^S72\.0/);
  });

  it('follows the Index\'s "see also": "abscess of left finger" reaches L02.51- by "Abscess, finger — see also Abscess, hand"', async () => {
    const hits = await search({ q: 'abscess of left finger', k: '10', systems: 'ICD10CM' });
    const followed = hits.find((h) => h.matchedKind === 'see_also' && h.code.startsWith('L02.51'));
    expect(followed, JSON.stringify(hits.map((h) => [h.code, h.matchedKind]))).toBeDefined();
    expect(followed!.matchedText).toMatch(/^Abscess, finger — see also Abscess, hand: /);
    // The entry's own code first, then the category its "see also" names (M01: the joint manifestation).
    const chylous = await search({ q: 'chylous arthritis', k: '10', systems: 'ICD10CM' });
    expect(chylous[0]!.code).toBe('B74.9');
    expect(chylous.some((h) => h.code.startsWith('M01') && h.matchedText === 'Arthritis, arthritic, chylous — see also category M01')).toBe(true);
  });

  it('offers a drug\'s long-term-use code and its Table of Drugs row: metformin → Z79.84, T38.3X-', async () => {
    const hits = await search({ q: 'metformin', k: '10' });
    expect(hits[0]).toMatchObject({ code: 'Z79.84', matchedKind: 'long_term_use' });
    expect(hits.filter((h) => h.matchedKind === 'drug').map((h) => h.code)).toEqual(expect.arrayContaining(['T38.3X1', 'T38.3X5', 'T38.3X6']));
    expect(hits.find((h) => h.code === 'T38.3X5')!.matchedText).toBe('Metformin, adverse effect');
  });

  it('puts an exact title first and billable codes before headers that match as well', async () => {
    expect(codesOf(await search({ q: 'essential hypertension', k: '1' }))).toEqual(['I10']);
    const hits = await search({ q: 'systolic heart failure', k: '10', systems: 'ICD10CM' });
    expect(codesOf(hits).indexOf('I50.20')).toBeLessThan(codesOf(hits).indexOf('I50.2'));
    for (let i = 1; i < hits.length; i++) {
      // Never a header above a billable code that matched at least as well.
      if (!hits[i - 1]!.billable && hits[i]!.billable) expect(hits[i - 1]!.score).toBeGreaterThan(hits[i]!.score);
    }
  });

  it('fills in from the vector index only when nothing lexical matches', async () => {
    expect((await search({ q: 'hypertension', k: '5' })).every((h) => (h as Hit & { vectorRank: number | null }).vectorRank === null)).toBe(true);
    // "boozing" is no word of any code text; the embedding model knows it.
    const fallback = (await search({ q: 'boozing', k: '3' })) as (Hit & { vectorRank: number | null })[];
    expect(fallback.length).toBeGreaterThan(0);
    expect(fallback.every((h) => h.vectorRank !== null)).toBe(true);
  });

  it('answers 400 for a bad date, or a date and a version together', async () => {
    expect((await app.request('/api/search?q=I10&date=2026-13-01')).status).toBe(400);
    expect((await app.request('/api/search?q=I10&date=2026-01-01&version=FY2026')).status).toBe(400);
  });

  // Last: it loads a newer release, which then is the newest.
  it('searches the release in force on the date of service', async () => {
    const [next] = await database.db
      .insert(codeSetVersions)
      .values({ system: 'ICD10CM', version: 'FY2027', effectiveFrom: '2026-10-01', effectiveTo: '2027-09-30', checksum: 'test', sources: [] })
      .returning();
    await database.db.insert(codes).values({ versionId: next!.id, system: 'ICD10CM', code: 'Z79.86', billable: true, shortDesc: 'x', longDesc: 'Long term (current) use of a drug new in FY2027', ord: 1, parent: null, category: 'Z79' });
    expect(codesOf(await search({ q: 'Z79.86', date: '2026-11-02', systems: 'ICD10CM' }))).toEqual(['Z79.86']);
    expect(codesOf(await search({ q: 'Z79.86', version: 'FY2027', systems: 'ICD10CM' }))).toEqual(['Z79.86']);
    expect(codesOf(await search({ q: 'Z79.86', systems: 'ICD10CM' }))).toEqual(['Z79.86']); // no date: the newest
    const fy2026 = await search({ q: 'Z79.8', date: '2026-03-01', systems: 'ICD10CM', k: '20' });
    expect(codesOf(fy2026)).toContain('Z79.84');
    expect(codesOf(fy2026)).not.toContain('Z79.86');
  });
});
