import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { NOTE_STATUSES, ROLES } from '../db/schema/index.ts';
import { insertNotes, listNotes, NoteInReviewError, requeueNote, type NoteSummary, type SuggestionRow } from '../db/queries/notes.ts';
import { getNoteView } from '../db/queries/reviews.ts';
import type { SessionUser } from '../db/queries/users.ts';
import type { Db } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { checkNoteSizes, NoteTooLargeError, serviceDateProblem } from '../notes/draft.ts';
import { loadedReleases } from '../db/queries/code-sets.ts';
import { NoteRequestSchema } from '../notes/request.ts';
import { EncounterSchema, SuggestionSchema } from '../pipeline/types.ts';
import type { AppDeps } from './deps.ts';
import { ReviewStateSchema, reviewJson } from './review-schemas.ts';
import { errors, IdParams } from './schemas.ts';

/**
 * Request bodies may be this many times MAX_NOTE_BYTES: room for one maximal note in base64 (4/3) with
 * its FHIR wrapping, or a Bundle of several smaller ones. Each note is then checked against MAX_NOTE_BYTES.
 */
const BODY_LIMIT_FACTOR = 8;

const StatusSchema = z.enum(NOTE_STATUSES);

const CreatedSchema = z
  .object({
    notes: z.array(z.object({ id: z.string(), status: StatusSchema, externalId: z.string().nullable(), warnings: z.array(z.string()) })),
  })
  .openapi('NotesCreated');

const NoteSummarySchema = z
  .object({
    id: z.string(),
    externalId: z.string().nullable(),
    format: z.enum(['json', 'fhir']),
    status: StatusSchema,
    failureReason: z.string().nullable(),
    encounter: EncounterSchema,
    engineVersion: z.string().nullable(),
    warnings: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('NoteSummary');

const StoredSuggestionSchema = SuggestionSchema.extend({
  id: z.string(),
  /** The engine's reporting order: 1 = principal / first-listed diagnosis. */
  rank: z.number().int(),
  createdAt: z.string(),
}).openapi('StoredSuggestion');
export const NoteSchema = NoteSummarySchema.extend({ text: z.string(), suggestions: z.array(StoredSuggestionSchema) })
  .extend(ReviewStateSchema.shape)
  .openapi('Note');

const create = createRoute({
  method: 'post',
  path: '/api/notes',
  summary: 'Store notes (a JSON note, a FHIR DocumentReference or a Bundle of them) and queue them for coding (coder, admin)',
  middleware: allow('coder', 'admin'),
  description:
    'Every note is stored with status "queued" before any processing; a background worker codes it (queued → processing → suggested | failed). ' +
    'FHIR: the first text/plain attachment with inline base64 data; dateOfService from context.period.start, else date; setting from the ' +
    'encounter-setting extension, else a contained Encounter\'s class, else "outpatient" (with a warning).',
  request: { body: { required: true, content: { 'application/json': { schema: NoteRequestSchema } } } },
  responses: {
    201: { description: 'The stored notes, in request order', content: { 'application/json': { schema: CreatedSchema } } },
    400: errors('Invalid body; the message names the field. Code "date_of_service_after_releases": a date of service after the newest loaded ICD-10-CM release ends (the message names the loaded releases); nothing is stored'),
    401: errors('No session'),
    403: errors('Not a coder or admin'),
    413: errors('A note is over MAX_NOTE_BYTES, or the body is over the request limit'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/notes',
  summary:
    'List notes (without their text): the review queue. A physician sees only notes with a query addressed to them; a coder does not see the notes they are second-coding blind until they submit.',
  middleware: allow(...ROLES),
  request: {
    query: z.object({
      status: StatusSchema.optional(),
      externalId: z.string().trim().min(1).max(200).optional().describe('Prefix of the external id'),
      sort: z.enum(['newest', 'oldest']).default('newest'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: 'A page of notes and the total matching',
      content: {
        'application/json': {
          schema: z.object({
            notes: z.array(
              NoteSummarySchema.extend({
                suggestionCount: z.number().int(),
                claimedBy: z.string().nullable(),
                answeredQueries: z.number().int().describe('Physician queries answered and not yet closed by the coder'),
              }),
            ),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
        },
      },
    },
    400: errors('Invalid query'),
  },
});

const get = createRoute({
  method: 'get',
  path: '/api/notes/{id}',
  summary: 'A note with its text, its current suggestions, the decisions, the claim, its queries and its final codes',
  middleware: allow(...ROLES),
  request: { params: IdParams },
  responses: {
    200: { description: 'The note', content: { 'application/json': { schema: NoteSchema } } },
    400: errors('Invalid id'),
    401: errors('No session'),
    403: errors('code "blind_second_coding": the viewer is second-coding this note and has not submitted; its first coding stays hidden until then'),
    404: errors('No such note (or, for a physician, none addressed to them)'),
  },
});

const suggest = createRoute({
  method: 'post',
  path: '/api/notes/{id}/suggest',
  summary: 'Re-run the engine on a note (asynchronous; coder, admin)',
  middleware: allow('coder', 'admin'),
  description:
    'Re-queues the note and returns 202 at once; poll GET /api/notes/{id}. The new suggestions replace the previous ones when the run ' +
    'succeeds. A run already in flight for the note is superseded (its result is dropped).',
  request: { params: IdParams },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: z.object({ id: z.string(), status: StatusSchema, version: z.number().int() }) } } },
    400: errors('Invalid id'),
    403: errors('Not a coder or admin'),
    404: errors('No such note'),
    409: errors('The note is in review or coded'),
    503: errors('No coding engine is configured'),
  },
});

export function noteRoutes(deps: AppDeps) {
  const maxBody = deps.config.MAX_NOTE_BYTES * BODY_LIMIT_FACTOR;
  const app = new OpenAPIHono<AuthEnv>();
  app.use(
    '/api/notes',
    bodyLimit({
      maxSize: maxBody,
      onError: () => {
        throw new ApiError(413, 'body_too_large', `The request body is over ${maxBody} bytes; send fewer documents per request`);
      },
    }),
  );
  return app
    .openapi(create, async (c) => {
      const drafts = c.req.valid('json');
      try {
        checkNoteSizes(drafts, deps.config.MAX_NOTE_BYTES);
      } catch (err) {
        if (err instanceof NoteTooLargeError) throw new ApiError(413, 'note_too_large', err.message, { path: err.field, bytes: err.bytes, limit: err.limit });
        throw err;
      }
      const dateProblem = serviceDateProblem(drafts, await loadedReleases(deps.db, 'ICD10CM'));
      if (dateProblem) throw new ApiError(400, 'date_of_service_after_releases', dateProblem);
      const rows = await insertNotes(
        deps.db,
        drafts.map((d) => ({ text: d.text, encounter: d.encounter, externalId: d.externalId, format: d.format })),
      );
      deps.wakeWorker?.();
      return c.json({ notes: rows.map((r, i) => ({ ...r, warnings: drafts[i]!.warnings })) }, 201);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const { user } = c.get('auth');
      const page = await listNotes(deps.db, {
        limit: q.limit,
        offset: q.offset,
        sort: q.sort,
        ...(q.status ? { status: q.status } : {}),
        ...(q.externalId ? { externalId: q.externalId } : {}),
        ...(user.role === 'physician' ? { addressedTo: user.id } : {}),
        ...(user.role === 'coder' ? { blindFor: user.id } : {}),
      });
      return c.json(
        { notes: page.notes.map((n) => ({ ...summaryJson(n), suggestionCount: n.suggestionCount, claimedBy: n.claimedBy, answeredQueries: n.answeredQueries })), total: page.total, limit: q.limit, offset: q.offset },
        200,
      );
    })
    .openapi(get, async (c) => {
      const view = await readNoteView(deps.db, c.req.valid('param').id, c.get('auth'), deps.now?.() ?? new Date());
      if (view === 'blind') {
        throw new ApiError(403, 'blind_second_coding', 'You are second-coding this note blind: its first coding opens once you submit yours (QA → Second coding)');
      }
      if (!view) throw new ApiError(404, 'not_found', 'No such note');
      return c.json(view, 200);
    })
    .openapi(suggest, async (c) => {
      if (!deps.suggester) throw new ApiError(503, 'engine_unavailable', 'No coding engine is configured on this server');
      let note: Awaited<ReturnType<typeof requeueNote>>;
      try {
        note = await requeueNote(deps.db, c.req.valid('param').id);
      } catch (err) {
        if (err instanceof NoteInReviewError) throw new ApiError(409, 'in_review', err.message);
        throw err;
      }
      if (!note) throw new ApiError(404, 'not_found', 'No such note');
      deps.wakeWorker?.();
      return c.json(note, 202);
    });
}

/**
 * The note as GET /api/notes/{id} returns it (also the `current` of a 409 stale answer); undefined when
 * there is no such note or the viewer may not see it (a physician sees only notes queried to them, and only those queries;
 * a coder second-coding the note blind sees nothing of it until they submit).
 */
export async function noteView(db: Db, id: string, viewer: SessionUser | undefined, now: Date) {
  // Also reached from a 409 "stale" answer: a blind second coder must not get the first coding that way either.
  const view = await readNoteView(db, id, viewer, now);
  return view === 'blind' ? undefined : view;
}

/** noteView, telling a blind second coder ("blind") from a note that is not there for the viewer (undefined). */
async function readNoteView(db: Db, id: string, viewer: SessionUser | undefined, now: Date) {
  if (!viewer) return undefined;
  const physician = viewer.user.role === 'physician' ? viewer.user.id : undefined;
  const view = await getNoteView(db, id, { now, viewerId: viewer.user.id, ...(physician ? { queriesTo: physician } : {}) });
  if (!view || view === 'blind') return view;
  return { ...summaryJson(view.note), text: view.note.text, suggestions: view.note.suggestions.map(suggestionJson), ...reviewJson(view.review) };
}

function summaryJson(n: NoteSummary) {
  return {
    id: n.id,
    externalId: n.externalId,
    format: n.format,
    status: n.status,
    failureReason: n.failureReason,
    encounter: n.encounter,
    engineVersion: n.engineVersion,
    warnings: n.warnings,
    version: n.version,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

function suggestionJson({ noteId: _noteId, createdAt, ...s }: SuggestionRow) {
  return { ...s, createdAt: createdAt.toISOString() };
}
