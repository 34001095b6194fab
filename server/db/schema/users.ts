import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../columns.ts';

export const ROLES = ['coder', 'physician', 'qa_lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in. Never deleted (the audit log points at them): deactivated instead. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** `scrypt$N$r$p$salt$hash` (server/auth/password.ts); never returned or logged. */
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [check('users_role_check', sql`${t.role} in ('coder', 'physician', 'qa_lead', 'admin')`)],
);

/**
 * A server-side session. `id` is the sha256 of the cookie's random token, so a leaked table does not
 * hand out live sessions. Expired by `expires_at` (absolute) or by `last_seen` + idle timeout.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    lastSeen: timestamp('last_seen', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
