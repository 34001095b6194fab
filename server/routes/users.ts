import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { PasswordSchema, UsernameSchema } from '../auth/accounts.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { countOtherActiveAdmins, createUser, DuplicateUsernameError, findUser, listUsers, updateUser, type PublicUser } from '../db/queries/users.ts';
import { ROLES } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errors, IdParams } from './schemas.ts';


const UserSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES), active: z.boolean(), createdAt: z.string() })
  .openapi('User');

const list = createRoute({
  method: 'get',
  path: '/api/users',
  summary: 'All users (admin)',
  middleware: allow('admin'),
  request: { query: z.object({ role: z.enum(ROLES).optional() }) },
  responses: { 200: { description: 'Users by username', content: { 'application/json': { schema: z.object({ users: z.array(UserSchema) }) } } }, 401: errors('No session'), 403: errors('Not an admin') },
});

const create = createRoute({
  method: 'post',
  path: '/api/users',
  summary: 'Create a user (admin); without a password one is generated and returned once',
  middleware: allow('admin'),
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ username: UsernameSchema, displayName: z.string().trim().min(1).max(200).optional(), role: z.enum(ROLES), password: PasswordSchema.optional() }) } },
    },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: z.object({ user: UserSchema, generatedPassword: z.string().optional() }) } } },
    400: errors('Invalid body'),
    403: errors('Not an admin'),
    409: errors('Username taken'),
  },
});

const patch = createRoute({
  method: 'patch',
  path: '/api/users/{id}',
  summary: 'Change a user (admin): display name, role, active, password (or generatePassword: one is generated and returned once). Role/password changes and deactivation end their sessions.',
  middleware: allow('admin'),
  request: {
    params: IdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ displayName: z.string().trim().min(1).max(200), role: z.enum(ROLES), active: z.boolean(), password: PasswordSchema, generatePassword: z.literal(true) })
            .partial()
            .refine((p) => Object.keys(p).length > 0, 'nothing to change')
            .refine((p) => !(p.password && p.generatePassword), { message: 'give a password or generatePassword, not both', path: ['generatePassword'] }),
        },
      },
    },
  },
  responses: {
    200: { description: 'The changed user (and the generated password, shown once)', content: { 'application/json': { schema: z.object({ user: UserSchema, generatedPassword: z.string().optional() }) } } },
    400: errors('Invalid body'),
    403: errors('Not an admin'),
    404: errors('No such user'),
    409: errors('Would leave no active admin'),
  },
});

const physicians = createRoute({
  method: 'get',
  path: '/api/physicians',
  summary: 'Active physicians: the people a query can be addressed to',
  middleware: allow('coder', 'qa_lead', 'admin'),
  responses: {
    200: { description: 'Physicians', content: { 'application/json': { schema: z.object({ physicians: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })) }) } } },
    403: errors('Physicians do not address queries'),
  },
});

export function userRoutes(deps: AppDeps) {
  return new OpenAPIHono<AuthEnv>()
    .openapi(list, async (c) => {
      const { role } = c.req.valid('query');
      return c.json({ users: (await listUsers(deps.db, role ? { role } : {})).map(userJson) }, 200);
    })
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const generated = body.password ? undefined : generatePassword();
      try {
        const user = await createUser(
          deps.db,
          { username: body.username, displayName: body.displayName ?? body.username, role: body.role, passwordHash: await hashPassword(body.password ?? generated!) },
          c.get('auth').user.id,
        );
        return c.json({ user: userJson(user), ...(generated ? { generatedPassword: generated } : {}) }, 201);
      } catch (err) {
        if (err instanceof DuplicateUsernameError) throw new ApiError(409, 'username_taken', err.message);
        throw err;
      }
    })
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const current = await findUser(deps.db, id);
      if (!current) throw new ApiError(404, 'not_found', 'No such user');
      const losesAdmin = current.role === 'admin' && current.active && ((body.role !== undefined && body.role !== 'admin') || body.active === false);
      if (losesAdmin && (await countOtherActiveAdmins(deps.db, id)) === 0) throw new ApiError(409, 'last_admin', 'This is the last active admin');
      const { password, generatePassword: generate, ...rest } = body;
      const generated = generate ? generatePassword() : undefined;
      const newPassword = password ?? generated;
      const user = await updateUser(deps.db, id, { ...rest, ...(newPassword ? { passwordHash: await hashPassword(newPassword) } : {}) }, c.get('auth').user.id);
      if (!user) throw new ApiError(404, 'not_found', 'No such user');
      deps.sessions?.evictUser(id);
      return c.json({ user: userJson(user), ...(generated ? { generatedPassword: generated } : {}) }, 200);
    })
    .openapi(physicians, async (c) => {
      const rows = await listUsers(deps.db, { role: 'physician' });
      return c.json({ physicians: rows.filter((u) => u.active).map(({ id, username, displayName }) => ({ id, username, displayName })) }, 200);
    });
}

function userJson(u: PublicUser) {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, active: u.active, createdAt: u.createdAt.toISOString() };
}
