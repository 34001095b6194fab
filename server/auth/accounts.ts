import { z } from 'zod';
import { createUser, DuplicateUsernameError, type PublicUser } from '../db/queries/users.ts';
import type { Db } from '../db/client.ts';
import { ROLES, type Role } from '../db/schema/index.ts';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from './password.ts';

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, '2–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit');
export const PasswordSchema = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);

export class AccountInputError extends Error {}

/**
 * Adds a user (the CLI's `users add`); without a password one is generated and returned to be shown once.
 * Example: addUser(db, { username: "jdoe", role: "coder" }) → { user, generatedPassword: "…" }.
 */
export async function addUser(
  db: Db,
  input: { username: string; role: string; displayName?: string | undefined; password?: string | undefined },
  actorId: string | null = null,
): Promise<{ user: PublicUser; generatedPassword?: string }> {
  const username = UsernameSchema.safeParse(input.username);
  if (!username.success) throw new AccountInputError(`--username: ${username.error.issues[0]!.message}`);
  if (!(ROLES as readonly string[]).includes(input.role)) throw new AccountInputError(`--role "${input.role}" is not one of ${ROLES.join(', ')}`);
  if (input.password !== undefined) {
    const p = PasswordSchema.safeParse(input.password);
    if (!p.success) throw new AccountInputError(`password: ${p.error.issues[0]!.message}`);
  }
  const generated = input.password === undefined ? generatePassword() : undefined;
  try {
    const user = await createUser(
      db,
      { username: username.data, displayName: input.displayName?.trim() || username.data, role: input.role as Role, passwordHash: await hashPassword(input.password ?? generated!) },
      actorId,
    );
    return { user, ...(generated ? { generatedPassword: generated } : {}) };
  } catch (err) {
    if (err instanceof DuplicateUsernameError) throw new AccountInputError(err.message);
    throw err;
  }
}
