import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.ts';
import { codes, codeSetVersions, codeTerms } from '../schema/index.ts';
import { DRIVERS, freshDatabase } from '../testing.ts';
import { loadKnowledge } from './knowledge.ts';

// The engine keeps the first of equal readings, so the order rows come back in is part of its output. An
// UPDATE (the index build writes every term row) moves a row to the end of the table's physical order; the
// loaded knowledge must not follow it.
describe.each(DRIVERS)('loadKnowledge reads a release in a fixed order (%s)', (driver) => {
  let database: Database;
  let versionId: number;
  const snapshot = async () => {
    const kb = await loadKnowledge(database.db, versionId, 'FY-test');
    return { codes: [...kb.codes.keys()], terms: kb.dictionary.entries.map((e) => `${e.term.code} ${e.term.text}`), children: kb.children.get('I50') };
  };

  beforeAll(async () => {
    database = await freshDatabase(driver);
    const [v] = await database.db.insert(codeSetVersions).values({ system: 'ICD10CM', version: 'FY-test', effectiveFrom: '2025-10-01', checksum: 'x', sources: [] }).returning({ id: codeSetVersions.id });
    versionId = v!.id;
    const rows = [
      ['I50', false, 'Heart failure', null],
      ['I50.2', false, 'Systolic (congestive) heart failure', 'I50'],
      ['I50.22', true, 'Chronic systolic (congestive) heart failure', 'I50.2'],
      ['I50.9', true, 'Heart failure, unspecified', 'I50'],
    ] as const;
    await database.db.insert(codes).values(rows.map(([code, billable, title, parent], ord) => ({ versionId, system: 'ICD10CM', code, billable, shortDesc: title, longDesc: title, ord, parent, category: 'I50' })));
    const terms = [
      ['I50.9', 'Failure, heart', ['Failure', 'heart']],
      ['I50.9', 'Heart failure NOS', null],
      ['I50.22', 'Failure, heart, systolic, chronic', ['Failure', 'heart', 'systolic', 'chronic']],
    ] as const;
    await database.db.insert(codeTerms).values(terms.map(([code, text, path]) => ({ versionId, system: 'ICD10CM', code, kind: path ? 'index' : 'inclusion', source: 'test', text, textHash: text, path: path ? [...path] : null })));
  });
  afterAll(async () => {
    await database?.close();
  });

  it('the same knowledge after rows were rewritten in another order', async () => {
    const before = await snapshot();
    expect(before.terms[0]).toBe('I50.9 Failure, heart');
    // Rewrite the first rows of each table: in PostgreSQL their new versions go to the end of the heap.
    await database.db.execute(sql`update code_terms set source = 'rewritten' where text = 'Failure, heart'`);
    await database.db.execute(sql`update codes set short_desc = short_desc where code in ('I50', 'I50.2')`);
    const physical = await database.db.execute<{ text: string }>(sql`select text from code_terms`);
    const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: { text: string }[] }).rows);
    expect(rowsOf(physical).map((r: { text: string }) => r.text).at(-1)).toBe('Failure, heart'); // the heap order did move
    expect(await snapshot()).toEqual(before);
  });
});

// Term rows are read in pages (TERM_PAGE = 5,000): a release has 190k of them.
describe.each(DRIVERS)('loadKnowledge over many statements (%s)', (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase(driver);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads 12,001 terms once each, in id order, across pages', async () => {
    const [v] = await database.db.insert(codeSetVersions).values({ system: 'ICD10CM', version: 'FY-test', effectiveFrom: '2025-10-01', checksum: 'x', sources: [] }).returning({ id: codeSetVersions.id });
    const versionId = v!.id;
    await database.db.insert(codes).values({ versionId, system: 'ICD10CM', code: 'I50.9', billable: true, shortDesc: 'Heart failure, unspecified', longDesc: 'Heart failure, unspecified', ord: 0, parent: null, category: 'I50' });
    const texts = Array.from({ length: 12_001 }, (_, i) => `Heart failure type ${i}`);
    // In batches: one statement takes at most 65,535 parameters.
    for (let i = 0; i < texts.length; i += 2_000) {
      await database.db.insert(codeTerms).values(texts.slice(i, i + 2_000).map((text) => ({ versionId, system: 'ICD10CM', code: 'I50.9', kind: 'inclusion', source: 'test', text, textHash: text })));
    }
    const kb = await loadKnowledge(database.db, versionId, 'FY-test');
    expect(kb.dictionary.entries.map((e) => e.term.text)).toEqual(texts);
  });

  it('refuses a release that is gone rather than loading it empty (a reload replaced it under a new id)', async () => {
    await expect(loadKnowledge(database.db, 9_999, 'FY-gone')).rejects.toThrow('ICD-10-CM FY-gone was replaced while its knowledge was being loaded');
  });
});

// The Table of Drugs' adverse-effect column gives each drug name its class (drug-effects.ts, drug-therapy.ts).
describe('loadKnowledge drug classes', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a chemical with no adverse-effect column of its own is its salts ("Lithium" → T43.59); "X NEC" is X, except a row for any drug at all', async () => {
    const [v] = await database.db.insert(codeSetVersions).values({ system: 'ICD10CM', version: 'FY-drugs', effectiveFrom: '2025-10-01', checksum: 'x', sources: [] }).returning({ id: codeSetVersions.id });
    const versionId = v!.id;
    const rows = [
      ['T43.595', ['Lithium', 'salts', 'adverse effect']],
      ['T43.595', ['Lithium', 'gluconate', 'adverse effect']],
      ['T45.1X5', ['Antineoplastic NEC', 'adverse effect']],
      ['T50.905', ['Drug NEC', 'adverse effect']],
      ['T39.4X5', ['Gold', 'salts', 'adverse effect']],
      ['T39.015', ['Aspirin', 'adverse effect']],
      ['T39.095', ['Aspirin', 'salts', 'adverse effect']],
      ['T38.0X5', ['Glucocorticoids', 'adverse effect']],
    ] as const;
    await database.db.insert(codeTerms).values(rows.map(([code, path]) => ({ versionId, system: 'ICD10CM', code, kind: 'drug', source: 'test', text: path.join(', '), textHash: path.join(', '), path: [...path] })));
    const kb = await loadKnowledge(database.db, versionId, 'FY-drugs');
    expect(kb.drugClasses.get('lithium')).toBe('T43.59');
    expect(kb.drugClasses.get('gold')).toBe('T39.4X');
    expect(kb.drugClasses.get('antineoplastic')).toBe('T45.1X');
    expect(kb.drugClasses.has('drug')).toBe(false);
    // A main term's own row wins over its salts.
    expect(kb.drugClasses.get('aspirin')).toBe('T39.01');
    // The Table's plural reads a note's singular ("glucocorticoid-induced").
    expect(kb.drugClasses.get('glucocorticoid')).toBe('T38.0X');
  });
});
