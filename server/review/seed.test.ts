import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, AccountInputError } from '../auth/accounts.ts';
import { verifyPassword } from '../auth/password.ts';
import { queryRows, type Database } from '../db/client.ts';
import { findUserForLogin } from '../db/queries/users.ts';
import { freshDatabase } from '../db/testing.ts';
import { DEMO_NOTES, formatSeedSheet, seedDemo } from './seed.ts';

describe('first-start seed and users add', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('seeds one user per role and the demo notes (queued) only while there are no users', async () => {
    const seed = await seedDemo(database.db, { password: 'demo-password-1' });
    expect(seed!.users.map((u) => u.role).sort()).toEqual(['admin', 'coder', 'physician', 'qa_lead']);
    expect(seed!.notes).toBe(DEMO_NOTES.length);
    const notes = await queryRows<{ status: string }>(database.db, sql`select status from notes`);
    expect(notes.map((n) => n.status)).toEqual(DEMO_NOTES.map(() => 'queued'));
    expect(await verifyPassword('demo-password-1', (await findUserForLogin(database.db, 'coder'))!.passwordHash)).toBe(true);
    expect(formatSeedSheet(seed!, true)).not.toContain('demo-password-1');
    expect(await seedDemo(database.db)).toBeUndefined();
    expect((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from notes`))[0]!.n).toBe(DEMO_NOTES.length);
  });

  it('generates a different password per demo user when none is configured, shown in the sheet', async () => {
    const other = await freshDatabase('pglite');
    try {
      const seed = await seedDemo(other.db);
      expect(new Set(seed!.users.map((u) => u.password)).size).toBe(4);
      expect(formatSeedSheet(seed!, false)).toContain(seed!.users[0]!.password);
    } finally {
      await other.close();
    }
  });

  it('adds a user with a given or generated password, and refuses a bad role, a short password and a taken name', async () => {
    const given = await addUser(database.db, { username: 'J.Doe', role: 'coder', password: 'a long enough password' });
    expect(given.user).toMatchObject({ username: 'j.doe', displayName: 'j.doe', role: 'coder' });
    expect(given.generatedPassword).toBeUndefined();
    const generated = await addUser(database.db, { username: 'dr-who', role: 'physician', displayName: 'Dr. Who' });
    expect(await verifyPassword(generated.generatedPassword!, (await findUserForLogin(database.db, 'dr-who'))!.passwordHash)).toBe(true);
    await expect(addUser(database.db, { username: 'x1', role: 'superuser' })).rejects.toThrow(AccountInputError);
    await expect(addUser(database.db, { username: 'x2', role: 'coder', password: 'short' })).rejects.toThrow(/12 characters/);
    await expect(addUser(database.db, { username: 'j.doe', role: 'coder' })).rejects.toThrow(/taken/);
    const audit = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where action = 'user.create'`);
    expect(audit[0]!.n).toBe(6);
  });
});
