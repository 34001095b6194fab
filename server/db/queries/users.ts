import { createHash, randomBytes } from 'node:crypto';
import { and, asc, count, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { sessions, users, type Role } from '../schema/index.ts';
import { appendAudit } from './audit.ts';

export type UserRow = typeof users.$inferSelect;
/** A user as anything outside this file sees one: never the password hash. */
export type PublicUser = Omit<UserRow, 'passwordHash'>;

const publicColumns = { id: users.id, username: users.username, displayName: users.displayName, role: users.role, active: users.active, createdAt: users.createdAt };

export class DuplicateUsernameError extends Error {
  constructor(readonly username: string) {
    super(`The username "${username}" is taken`);
  }
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row?.n ?? 0);
}

export async function listUsers(db: Db, params: { role?: Role } = {}): Promise<PublicUser[]> {
  return db.select(publicColumns).from(users).where(params.role ? eq(users.role, params.role) : undefined).orderBy(asc(users.username));
}

export async function findUser(db: Db, id: string): Promise<PublicUser | undefined> {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
  return row;
}

/** The row with its hash, for a login only. */
export async function findUserForLogin(db: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

/** Creates a user (audited as done by `actorId`, null for the CLI or the first-start seed). */
export async function createUser(
  db: Db,
  params: { username: string; displayName: string; role: Role; passwordHash: string },
  actorId: string | null,
): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(users).values(params).onConflictDoNothing({ target: users.username }).returning(publicColumns);
    if (!row) throw new DuplicateUsernameError(params.username);
    await appendAudit(tx, { userId: actorId, action: 'user.create', entity: 'user', entityId: row.id, after: auditUser(row) });
    return row;
  });
}

/**
 * Changes a user; deactivating one or changing its password or role ends its sessions. Undefined when
 * there is no such user.
 */
export async function updateUser(
  db: Db,
  id: string,
  patch: { displayName?: string; role?: Role; active?: boolean; passwordHash?: string },
  actorId: string | null,
): Promise<PublicUser | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select(publicColumns).from(users).where(eq(users.id, id)).for('update');
    if (!before) return undefined;
    const [after] = await tx.update(users).set(patch).where(eq(users.id, id)).returning(publicColumns);
    if (patch.active === false || patch.passwordHash !== undefined || (patch.role !== undefined && patch.role !== before.role)) {
      await tx.delete(sessions).where(eq(sessions.userId, id));
    }
    await appendAudit(tx, {
      userId: actorId,
      action: 'user.update',
      entity: 'user',
      entityId: id,
      before: auditUser(before),
      after: { ...auditUser(after!), ...(patch.passwordHash !== undefined ? { passwordChanged: true } : {}) },
    });
    return after;
  });
}

function auditUser(u: PublicUser) {
  return { username: u.username, displayName: u.displayName, role: u.role, active: u.active };
}

// ---- sessions ----

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export interface SessionUser {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: Pick<PublicUser, 'id' | 'username' | 'displayName' | 'role'>;
}

/** The session's id: the hash of its cookie token (the token itself is never stored). */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');
const hashToken = sessionIdOf;

/** Starts a session; returns the token for the cookie (only its hash is stored) and the CSRF token. */
export async function createSession(db: Db, userId: string, policy: SessionPolicy, now = new Date()): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  // Housekeeping: sessions past either limit are dead anyway.
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeen, new Date(now.getTime() - policy.idleMs))));
  await db.insert(sessions).values({ id: hashToken(token), userId, csrfToken, expiresAt, createdAt: now, lastSeen: now });
  return { token, csrfToken, expiresAt };
}

/**
 * The live session of a cookie token, with its (active) user and its last_seen; undefined when unknown,
 * expired (absolute or idle) or the user is deactivated. Refreshes last_seen at most once a minute.
 */
export async function findSession(db: Db, token: string, policy: SessionPolicy, now = new Date()): Promise<(SessionUser & { lastSeen: Date }) | undefined> {
  const id = hashToken(token);
  const [row] = await db
    .select({ s: sessions, user: publicColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row || !row.user.active) return undefined;
  if (row.s.expiresAt <= now || row.s.lastSeen.getTime() + policy.idleMs <= now.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return undefined;
  }
  let lastSeen = row.s.lastSeen;
  if (now.getTime() - lastSeen.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeen: now }).where(eq(sessions.id, id));
    lastSeen = now;
  }
  const { id: userId, username, displayName, role } = row.user;
  return { sessionId: id, csrfToken: row.s.csrfToken, expiresAt: row.s.expiresAt, lastSeen, user: { id: userId, username, displayName, role } };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Active physicians (the addressees a coder may query). */
export async function isActivePhysician(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.role, 'physician'), eq(users.active, true)));
  return row !== undefined;
}

/** Active admins other than `exceptId`: an admin may not remove the last one. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), eq(users.active, true), sql`${users.id} <> ${exceptId}`));
  return Number(row?.n ?? 0);
}
