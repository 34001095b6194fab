import { LRUCache } from 'lru-cache';
import type { SessionUser } from '../db/queries/users.ts';

/**
 * How long a session read from the database is trusted without reading it again. Revocation in this
 * process (logout, a user changed or deactivated here) evicts at once; another API process on the same
 * PostgreSQL (or the CLI) ends a session in the database only, which every process sees within this time.
 */
export const SESSION_CACHE_TTL_MS = 1_000;
/** findSession refreshes last_seen once a minute: an entry older than that goes back to the database. */
const LAST_SEEN_REFRESH_MS = 60_000;

interface Entry {
  session: SessionUser;
  /** The session's last_seen as read, for the idle-expiry check on a hit. */
  lastSeen: Date;
}

/**
 * Live sessions by cookie-token hash, kept SESSION_CACHE_TTL_MS (real time) so that a burst of requests
 * reads the session row once. A hit is checked against the same absolute and idle limits as the database.
 */
export class SessionCache {
  readonly #entries: LRUCache<string, Entry>;

  constructor(opts: { ttlMs?: number; max?: number } = {}) {
    this.#entries = new LRUCache<string, Entry>({ max: opts.max ?? 10_000, ttl: opts.ttlMs ?? SESSION_CACHE_TTL_MS });
  }

  /** The cached session, while it is inside its limits at `now` and last_seen needs no refresh. */
  get(sessionId: string, now: Date, idleMs: number): SessionUser | undefined {
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    const seen = entry.lastSeen.getTime();
    if (entry.session.expiresAt <= now || seen + idleMs <= now.getTime() || now.getTime() - seen > LAST_SEEN_REFRESH_MS) {
      this.#entries.delete(sessionId);
      return undefined;
    }
    return entry.session;
  }

  set(session: SessionUser, lastSeen: Date): void {
    this.#entries.set(session.sessionId, { session, lastSeen });
  }

  /** A session ended here (logout). */
  evictSession(sessionId: string): void {
    this.#entries.delete(sessionId);
  }

  /** A user changed here (deactivated, new role or password, renamed): their sessions are read again. */
  evictUser(userId: string): void {
    for (const [id, entry] of this.#entries.entries()) if (entry.session.user.id === userId) this.#entries.delete(id);
  }
}
