// Migration 0011 (decisions.line): a database written before it keeps every coder's line edit, moved out of
// reason_text, and nothing else changes. Runs the real migrations on PGlite: 0000–0010 first, then 0011.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from './client.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The migrations folder as it was before `tag` (its SQL file and journal entry left out). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'medcode-migrations-'));
  dirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  rmSync(path.join(dir, `${tag}.sql`));
  const journalFile = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.tag !== tag) }));
  return dir;
}

describe('migration 0011_decision-line', () => {
  it('moves "claim-line:" accept rows into decisions.line, keeps reject reasons and malformed text as they were', async () => {
    const pg = await PGlite.create({ extensions: { vector } });
    const db = drizzle(pg);
    await migrate(db, { migrationsFolder: migrationsBefore('0011_decision-line') });
    const user = (await pg.query<{ id: string }>(`insert into users (username, display_name, role, password_hash) values ('c', 'C', 'coder', 'x') returning id`)).rows[0]!.id;
    const note = (await pg.query<{ id: string }>(`insert into notes (text, encounter, format) values ('Dexamethasone 10 mg IM.', '{"setting":"professional","dateOfService":"2025-11-04"}', 'json') returning id`)).rows[0]!.id;
    const suggestion = async (code: string) =>
      (await pg.query<{ id: string }>(
        `insert into suggestions (note_id, system, code, description, evidence, context, confidence, kind, rationale, source, versions)
         values ($1, 'HCPCS', $2, 'x', '[]', '{}', 0.7, 'final', '{}', 'offline', '{}') returning id`,
        [note, code],
      )).rows[0]!.id;
    const decide = async (code: string, action: string, reasonText: string, reason: string | null = null) =>
      pg.query(`insert into decisions (note_id, suggestion_id, action, reason, reason_text, decided_by) values ($1, $2, $3, $4, $5, $6)`, [note, await suggestion(code), action, reason, reasonText, user]);
    await decide('J1100', 'accept', 'claim-line:{"units":8,"modifiers":["JW"]}');
    await decide('J1885', 'accept', 'claim-line:{not json');
    await decide('96372', 'reject', 'claim-line: looks like a line but is a reason', 'other');

    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    const rows = (await pg.query<{ code: string; line: unknown; reason_text: string | null }>(`select s.code, d.line, d.reason_text from decisions d join suggestions s on s.id = d.suggestion_id order by s.code`)).rows;
    expect(rows).toEqual([
      { code: '96372', line: null, reason_text: 'claim-line: looks like a line but is a reason' },
      { code: 'J1100', line: { units: 8, modifiers: ['JW'] }, reason_text: null },
      { code: 'J1885', line: null, reason_text: 'claim-line:{not json' },
    ]);
    // Only an accept may carry a line.
    await expect(pg.query(`update decisions set line = '{"units":1,"modifiers":[]}' where action = 'reject'`)).rejects.toThrow(/decisions_line_check/);
    await pg.close();
  });
});
