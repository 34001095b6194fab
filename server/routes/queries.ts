import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { answerQuery, closeQuery, getQuery, listQueries, sendQuery, withdrawQuery } from '../db/queries/reviews.ts';
import { notes, QUERY_KINDS, QUERY_STATUSES, ROLES } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { QUERY_TEMPLATES } from '../review/query-templates.ts';
import { draftQuery, QueryDraftError } from '../review/query-draft.ts';
import { checkQuery, QUERY_PURPOSES } from '../review/query-rules.ts';
import type { AppDeps } from './deps.ts';
import { errors, IdParams, json, ok, queryJson, QuerySchema, VersionSchema } from './review-schemas.ts';

const common = { 400: errors('Invalid body'), 401: errors('No session'), 403: errors('Role or user not allowed'), 404: errors('No such note or query'), 409: errors('Stale version or wrong status') };

const Draft = z.object({
  purpose: z.enum(QUERY_PURPOSES),
  kind: z.enum(QUERY_KINDS),
  question: z.string().trim().min(1).max(2000),
  options: z.array(z.string().trim().max(300)).max(10).default([]).describe('Clinical options of a multiple-choice query; "Other (please specify)" and "Clinically undetermined" are added'),
});
const CheckSchema = z.object({ errors: z.array(z.string()), warnings: z.array(z.string()), options: z.array(z.string()) }).openapi('QueryCheck');

const send = createRoute({
  method: 'post',
  path: '/api/notes/{id}/queries',
  summary: 'Send a physician query (note → query_pending). Refused (400 noncompliant_query) when it mentions reimbursement/payment/DRG/revenue; leading wording comes back as warnings.',
  middleware: allow('coder'),
  request: {
    params: IdParams,
    body: json(
      Draft.extend({
        version: VersionSchema,
        toUserId: z.uuid(),
        suggestionId: z.uuid().optional(),
        indicators: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(1) })).min(1, 'a query cites at least one clinical indicator').max(20),
      }),
    ),
  },
  responses: { 201: ok('Sent', z.object({ version: z.number().int(), query: QuerySchema, warnings: z.array(z.string()) })), ...common },
});

const check = createRoute({
  method: 'post',
  path: '/api/queries/check',
  summary: 'Check a query draft as the composer types: errors (would be refused), warnings (leading wording), final options',
  middleware: allow('coder', 'qa_lead', 'admin'),
  request: { body: json(Draft) },
  responses: { 200: ok('The check', CheckSchema), 400: errors('Invalid body') },
});

const templates = createRoute({
  method: 'get',
  path: '/api/query-templates',
  summary: 'Compliant query templates ([…] marks what to fill in)',
  middleware: allow('coder', 'qa_lead', 'admin'),
  responses: {
    200: ok(
      'Templates',
      z.object({ llmDrafts: z.boolean().describe('POST /api/notes/{id}/query-draft is available'), templates: z.array(z.object({ id: z.string(), title: z.string(), purpose: z.enum(QUERY_PURPOSES), kind: z.enum(QUERY_KINDS), question: z.string(), options: z.array(z.string()) })) }),
    ),
  },
});

const draft = createRoute({
  method: 'post',
  path: '/api/notes/{id}/query-draft',
  summary: 'Draft a compliant query with the LLM (when one is configured): indicators quoted from the note, a question, options. Always a draft: the coder edits it, and it is checked again on send.',
  description: 'Quotes that are not in the note are dropped (counted in droppedIndicators); leading or financial wording comes back in warnings/errors. 503 without an LLM; 502 when the LLM fails (the composer keeps working by hand).',
  middleware: allow('coder'),
  request: { params: IdParams, body: json(z.object({ purpose: z.enum(QUERY_PURPOSES), focus: z.object({ start: z.number().int().min(0), end: z.number().int().min(1) }).optional() })) },
  responses: {
    200: ok(
      'Draft',
      z.object({
        kind: z.enum(QUERY_KINDS),
        question: z.string(),
        options: z.array(z.string()),
        indicators: z.array(z.object({ start: z.number().int(), end: z.number().int(), quote: z.string() })),
        warnings: z.array(z.string()),
        errors: z.array(z.string()),
        droppedIndicators: z.number().int(),
        prompt: z.object({ name: z.string(), version: z.string(), hash: z.string() }),
        model: z.string(),
      }),
    ),
    ...common,
    502: errors('The LLM failed'),
    503: errors('No LLM configured'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/queries',
  summary: 'Queries, newest first. A physician sees only those addressed to them (their inbox); for others `mine=true` means sent by me.',
  middleware: allow(...ROLES),
  request: { query: z.object({ mine: z.enum(['true', 'false']).optional(), status: z.enum(QUERY_STATUSES).optional(), noteId: z.uuid().optional() }) },
  responses: { 200: ok('Queries', z.object({ queries: z.array(QuerySchema) })), 400: errors('Invalid query'), 401: errors('No session') },
});

const get = createRoute({
  method: 'get',
  path: '/api/queries/{id}',
  summary: 'One query (a physician: only one addressed to them)',
  middleware: allow(...ROLES),
  request: { params: IdParams },
  responses: { 200: ok('The query', z.object({ query: QuerySchema })), 404: errors('No such query') },
});

const answer = createRoute({
  method: 'post',
  path: '/api/queries/{id}/answer',
  summary: 'Answer a query (the addressed physician): an offered option (text with "Other (please specify)"), or text when open-ended. The note returns to the coder.',
  middleware: allow('physician'),
  request: { params: IdParams, body: json(z.object({ option: z.string().max(300).optional(), text: z.string().max(4000).optional() })) },
  responses: { 200: ok('Answered', z.object({ version: z.number().int().describe('The note version after the answer'), query: QuerySchema })), ...common },
});

const withdraw = createRoute({
  method: 'post',
  path: '/api/queries/{id}/withdraw',
  summary: 'Withdraw an unanswered query (the coder who sent it)',
  middleware: allow('coder'),
  request: { params: IdParams, body: json(z.object({ version: VersionSchema })) },
  responses: { 200: ok('Withdrawn', z.object({ version: z.number().int(), query: QuerySchema })), ...common },
});

const close = createRoute({
  method: 'post',
  path: '/api/queries/{id}/close',
  summary: 'Close an answered query (the coder who sent it, or a QA lead)',
  middleware: allow('coder', 'qa_lead'),
  request: { params: IdParams, body: json(z.object({ version: VersionSchema })) },
  responses: { 200: ok('Closed', z.object({ version: z.number().int(), query: QuerySchema })), ...common },
});

export function queryRoutes(deps: AppDeps) {
  const now = () => deps.now?.() ?? new Date();
  return new OpenAPIHono<AuthEnv>()
    .openapi(send, async (c) => {
      const { version, toUserId, ...input } = c.req.valid('json');
      const r = await sendQuery(deps.db, { noteId: c.req.valid('param').id, version, actor: c.get('auth').user, now: now(), input: { ...input, toUser: toUserId } });
      return c.json({ version: r.version, query: queryJson((await getQuery(deps.db, r.query.id)) ?? r.query), warnings: r.warnings }, 201);
    })
    .openapi(check, async (c) => c.json(checkQuery(c.req.valid('json')), 200))
    .openapi(templates, async (c) => c.json({ llmDrafts: !!deps.llm, templates: [...QUERY_TEMPLATES] }, 200))
    .openapi(draft, async (c) => {
      if (!deps.llm) throw new ApiError(503, 'llm_unavailable', 'No LLM is configured on this server: write the query by hand');
      const body = c.req.valid('json');
      const [note] = await deps.db.select({ text: notes.text }).from(notes).where(eq(notes.id, c.req.valid('param').id));
      if (!note) throw new ApiError(404, 'not_found', 'No such note');
      if (body.focus && (body.focus.end > note.text.length || body.focus.start >= body.focus.end)) throw new ApiError(400, 'bad_span', 'focus is outside the note');
      try {
        return c.json(await draftQuery(deps.llm, { text: note.text, purpose: body.purpose, focus: body.focus ?? null }), 200);
      } catch (err) {
        if (err instanceof QueryDraftError) throw new ApiError(502, `llm_${err.reason}`, err.message);
        throw err;
      }
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const { user } = c.get('auth');
      const mine = user.role === 'physician' ? { toUser: user.id } : q.mine === 'true' ? { fromUser: user.id } : {};
      const rows = await listQueries(deps.db, { ...mine, ...(q.status ? { status: q.status } : {}), ...(q.noteId ? { noteId: q.noteId } : {}) });
      return c.json({ queries: rows.map(queryJson) }, 200);
    })
    .openapi(get, async (c) => {
      const { user } = c.get('auth');
      const query = await getQuery(deps.db, c.req.valid('param').id);
      if (!query || (user.role === 'physician' && query.toUser !== user.id)) throw new ApiError(404, 'not_found', 'No such query');
      return c.json({ query: queryJson(query) }, 200);
    })
    .openapi(answer, async (c) => {
      const r = await answerQuery(deps.db, { queryId: c.req.valid('param').id, actor: c.get('auth').user, now: now(), answer: c.req.valid('json') });
      return c.json({ version: r.version, query: queryJson((await getQuery(deps.db, r.query.id)) ?? r.query) }, 200);
    })
    .openapi(withdraw, async (c) => {
      const r = await withdrawQuery(deps.db, { queryId: c.req.valid('param').id, version: c.req.valid('json').version, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, query: queryJson((await getQuery(deps.db, r.query.id)) ?? r.query) }, 200);
    })
    .openapi(close, async (c) => {
      const r = await closeQuery(deps.db, { queryId: c.req.valid('param').id, version: c.req.valid('json').version, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, query: queryJson((await getQuery(deps.db, r.query.id)) ?? r.query) }, 200);
    });
}
