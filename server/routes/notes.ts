import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { NOTE_STATUSES } from '../db/schema/index.ts';
import { getNote, insertNotes, listNotes, requeueNote, type NoteSummary, type SuggestionRow } from '../db/queries/notes.ts';
import { ApiError } from '../errors.ts';
import { checkNoteSizes, NoteTooLargeError } from '../notes/draft.ts';
import { NoteRequestSchema } from '../notes/request.ts';
import { EncounterSchema, SuggestionSchema } from '../pipeline/types.ts';
import type { AppDeps } from './deps.ts';
import { ErrorSchema } from './schemas.ts';

/**
 * Request bodies may be this many times MAX_NOTE_BYTES: room for one maximal note in base64 (4/3) with
 * its FHIR wrapping, or a Bundle of several smaller ones. Each note is then checked against MAX_NOTE_BYTES.
 */
const BODY_LIMIT_FACTOR = 8;

const errors = (d: string) => ({ description: d, content: { 'application/json': { schema: ErrorSchema } } });
const IdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
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

const StoredSuggestionSchema = SuggestionSchema.extend({ id: z.string(), createdAt: z.string() }).openapi('StoredSuggestion');
const NoteSchema = NoteSummarySchema.extend({ text: z.string(), suggestions: z.array(StoredSuggestionSchema) }).openapi('Note');

const create = createRoute({
  method: 'post',
  path: '/api/notes',
  summary: 'Store notes (a JSON note, a FHIR DocumentReference or a Bundle of them) and queue them for coding',
  description:
    'Every note is stored with status "queued" before any processing; a background worker codes it (queued → processing → suggested | failed). ' +
    'FHIR: the first text/plain attachment with inline base64 data; dateOfService from context.period.start, else date; setting from the ' +
    'encounter-setting extension, else a contained Encounter\'s class, else "outpatient" (with a warning).',
  request: { body: { required: true, content: { 'application/json': { schema: NoteRequestSchema } } } },
  responses: {
    201: { description: 'The stored notes, in request order', content: { 'application/json': { schema: CreatedSchema } } },
    400: errors('Invalid body; the message names the field'),
    413: errors('A note is over MAX_NOTE_BYTES, or the body is over the request limit'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/notes',
  summary: 'List notes, newest first (without their text)',
  request: {
    query: z.object({
      status: StatusSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: 'A page of notes and the total matching',
      content: {
        'application/json': {
          schema: z.object({ notes: z.array(NoteSummarySchema.extend({ suggestionCount: z.number().int() })), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
        },
      },
    },
    400: errors('Invalid query'),
  },
});

const get = createRoute({
  method: 'get',
  path: '/api/notes/{id}',
  summary: 'A note with its text and its current suggestions',
  request: { params: IdParams },
  responses: {
    200: { description: 'The note', content: { 'application/json': { schema: NoteSchema } } },
    400: errors('Invalid id'),
    404: errors('No such note'),
  },
});

const suggest = createRoute({
  method: 'post',
  path: '/api/notes/{id}/suggest',
  summary: 'Re-run the engine on a note (asynchronous)',
  description:
    'Re-queues the note and returns 202 at once; poll GET /api/notes/{id}. The new suggestions replace the previous ones when the run ' +
    'succeeds. A run already in flight for the note is superseded (its result is dropped).',
  request: { params: IdParams },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: z.object({ id: z.string(), status: StatusSchema, version: z.number().int() }) } } },
    400: errors('Invalid id'),
    404: errors('No such note'),
    503: errors('No coding engine is configured'),
  },
});

export function noteRoutes(deps: AppDeps) {
  const maxBody = deps.config.MAX_NOTE_BYTES * BODY_LIMIT_FACTOR;
  const app = new OpenAPIHono();
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
      const rows = await insertNotes(
        deps.db,
        drafts.map((d) => ({ text: d.text, encounter: d.encounter, externalId: d.externalId, format: d.format })),
      );
      deps.wakeWorker?.();
      return c.json({ notes: rows.map((r, i) => ({ ...r, warnings: drafts[i]!.warnings })) }, 201);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const page = await listNotes(deps.db, { limit: q.limit, offset: q.offset, ...(q.status ? { status: q.status } : {}) });
      return c.json({ notes: page.notes.map((n) => ({ ...summaryJson(n), suggestionCount: n.suggestionCount })), total: page.total, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const note = await getNote(deps.db, c.req.valid('param').id);
      if (!note) throw new ApiError(404, 'not_found', 'No such note');
      return c.json({ ...summaryJson(note), text: note.text, suggestions: note.suggestions.map(suggestionJson) }, 200);
    })
    .openapi(suggest, async (c) => {
      if (!deps.suggester) throw new ApiError(503, 'engine_unavailable', 'No coding engine is configured on this server');
      const note = await requeueNote(deps.db, c.req.valid('param').id);
      if (!note) throw new ApiError(404, 'not_found', 'No such note');
      deps.wakeWorker?.();
      return c.json(note, 202);
    });
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
