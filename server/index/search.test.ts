import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { fullDatabase } from '../db/full-database.ts';
import { DRIVERS } from '../db/testing.ts';
import type { Embedder } from './embedder.ts';
import { searchCodes, SearchInputError } from './search.ts';

describe.each(DRIVERS)('hybrid code search on the full code sets (%s)', (driver) => {
  let database: Database;
  let embedder: Embedder;
  beforeAll(async () => {
    ({ database, embedder } = await fullDatabase(driver));
  });
  afterAll(async () => database?.close());

  const search = (q: string, opts = {}) => searchCodes(database.db, embedder, q, opts);

  it('finds E11.65 first for "type 2 diabetes with hyperglycemia"', async () => {
    const [first] = await search('type 2 diabetes with hyperglycemia', { systems: ['ICD10CM'] });
    expect(first).toMatchObject({ code: 'E11.65', system: 'ICD10CM', billable: true });
    expect(first!.lexicalRank).not.toBeNull();
    expect(first!.vectorRank).not.toBeNull();
  });

  it('finds S72.92XA first, among S72.92- codes, for "fracture of left femur"', async () => {
    const hits = await search('fracture of left femur', { systems: ['ICD10CM'], k: 10 });
    expect(hits[0]!.code).toBe('S72.92XA');
    expect(hits[1]!.code).toBe('S72.92'); // its header, for a coder who wants to pick the 7th character
    expect(hits.slice(0, 5).every((h) => h.code.startsWith('S72.'))).toBe(true);
  });

  it('finds I10 first for "essential hypertension"', async () => {
    const [first] = await search('essential hypertension', { systems: ['ICD10CM'] });
    expect(first!.code).toBe('I10');
    expect(first!.description).toBe('Essential (primary) hypertension');
  });

  it('finds N20.0 first for "kidney stone" through the Index synonym, matched by words and by meaning', async () => {
    const [first] = await search('kidney stone', { systems: ['ICD10CM'] });
    expect(first).toMatchObject({ code: 'N20.0', lexicalRank: 1, vectorRank: 1 });
  });

  it('says which text matched and of what kind', async () => {
    const hits = await search('Acetaminophen adverse effect', { systems: ['ICD10CM'], k: 5 });
    const hit = hits.find((h) => h.code === 'T39.1X5A' || h.code === 'T39.1X5');
    expect(hit).toBeDefined();
    expect(hit!.matchedText.toLowerCase()).toContain('acetaminophen');
  });

  it('filters by code system and billable status', async () => {
    const hcpcs = await search('wheelchair', { systems: ['HCPCS'], k: 20 });
    expect(hcpcs.length).toBeGreaterThan(0);
    expect(hcpcs.every((h) => h.system === 'HCPCS')).toBe(true);
    const billable = await search('diabetes mellitus', { systems: ['ICD10CM'], billableOnly: true, k: 50 });
    expect(billable.every((h) => h.billable)).toBe(true);
    const all = await search('diabetes mellitus', { systems: ['ICD10CM'], k: 50 });
    expect(all.some((h) => !h.billable)).toBe(true);
  });

  it('returns nothing for a version that is not loaded', async () => {
    expect(await search('hypertension', { version: 'FY1999' })).toEqual([]);
  });

  it('rejects an empty or over-long query, and a bad k', async () => {
    await expect(search('   ')).rejects.toThrowError(SearchInputError);
    await expect(search('x'.repeat(501))).rejects.toThrowError(/501 characters; the limit is 500/);
    await expect(search('hypertension', { k: 0 })).rejects.toThrowError(/k must be/);
  });
});
