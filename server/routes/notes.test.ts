import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loginAs, withSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { notes } from '../db/schema/index.ts';
import { freshDatabase, insertTinyIcd10cm } from '../db/testing.ts';
import { SETTING_EXTENSION_URL } from '../notes/fhir.ts';
import type { Suggester } from '../notes/suggester.ts';
import { fakeSuggester } from '../notes/testing.ts';
import { startNoteWorker, type NoteWorker } from '../notes/worker.ts';

const MAX_NOTE_BYTES = 2_000;
const config = loadConfig({ MAX_NOTE_BYTES: String(MAX_NOTE_BYTES) });
const encounter = { setting: 'outpatient', dateOfService: '2025-03-14' } as const;

type App = ReturnType<typeof createApp>;
interface NoteJson {
  id: string;
  status: string;
  text: string;
  failureReason: string | null;
  encounter: { setting: string; dateOfService: string; patient?: { age?: number; sex?: string } };
  externalId: string | null;
  engineVersion: string | null;
  warnings: string[];
  version: number;
  suggestions: { id: string; code: string; evidence: { start: number; end: number; quote: string }[]; versions: { engine: string } }[];
}
interface ErrorJson {
  error: { code: string; message: string; details?: { path: string }[] };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const docRef = (text: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'DocumentReference',
  status: 'current',
  content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: b64(text) } }],
  context: { period: { start: '2025-02-01T09:30:00-05:00' } },
  ...extra,
});

function post(app: App, path: string, body?: unknown, contentType = 'application/json') {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function createNotes(app: App, body: unknown): Promise<{ id: string; status: string; externalId: string | null; warnings: string[] }[]> {
  const res = await post(app, '/api/notes', body);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { notes: { id: string; status: string; externalId: string | null; warnings: string[] }[] }).notes;
}

async function getNote(app: App, id: string): Promise<NoteJson> {
  const res = await app.request(`/api/notes/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as NoteJson;
}

/** Polls GET /api/notes/:id until `done` holds (the worker runs in the background). */
async function waitFor(app: App, id: string, done: (n: NoteJson) => boolean, timeoutMs = 10_000): Promise<NoteJson> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const note = await getNote(app, id);
    if (done(note)) return note;
    if (Date.now() > until) throw new Error(`note ${id} still ${note.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function noteCount(database: Database): Promise<number> {
  return (await database.db.select({ id: notes.id }).from(notes)).length;
}

describe('notes API without a worker: storage and validation', () => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: fakeSuggester(), config, databaseKind: database.kind });
    app = withSession(app, (await loginAs(app, database.db, 'coder')).headers);
  });
  afterAll(async () => database?.close());

  it('stores a JSON note as queued, text and encounter intact, before any processing', async () => {
    const text = 'Assessment: essential hypertension. Plan: lisinopril.\n';
    const [created] = await createNotes(app, { text, encounter: { ...encounter, patient: { age: 61, sex: 'female' } }, externalId: 'ehr-1' });
    expect(created).toMatchObject({ status: 'queued', externalId: 'ehr-1', warnings: [] });
    const note = await getNote(app, created!.id);
    expect(note).toMatchObject({ status: 'queued', text, externalId: 'ehr-1', version: 1, suggestions: [], failureReason: null });
    expect(note.encounter).toEqual({ ...encounter, patient: { age: 61, sex: 'female' } });
  });

  it('takes patient sex as HL7 M/F/O/U or FHIR codes in any case, stores the FHIR code, and names both in a 400', async () => {
    for (const [sent, stored] of [['M', 'male'], ['f', 'female'], ['O', 'other'], ['U', 'unknown'], ['Female', 'female']] as const) {
      const [created] = await createNotes(app, { text: 'Essential hypertension.', encounter: { ...encounter, patient: { age: 50, sex: sent } } });
      expect((await getNote(app, created!.id)).encounter.patient, sent).toEqual({ age: 50, sex: stored });
    }
    const bad = await post(app, '/api/notes', { text: 'x', encounter: { ...encounter, patient: { sex: 'X' } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorJson).error.message).toMatch(/encounter\.patient\.sex: .*male.*M, F, O or U/);
  });

  it('lists notes newest first without their text, filtered by status and paged', async () => {
    await createNotes(app, { text: 'second note', encounter });
    const res = await app.request('/api/notes?status=queued&limit=1&offset=0');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { notes: Record<string, unknown>[]; total: number; limit: number };
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.notes).toHaveLength(1);
    expect(page.notes[0]).not.toHaveProperty('text');
    expect(page.notes[0]).toMatchObject({ status: 'queued', suggestionCount: 0 });
    const none = (await (await app.request('/api/notes?status=failed')).json()) as { notes: unknown[]; total: number };
    expect(none).toMatchObject({ notes: [], total: 0 });
    expect((await app.request('/api/notes?status=done')).status).toBe(400);
    expect((await app.request('/api/notes?limit=0')).status).toBe(400);
  });

  it('answers 400 naming the field, and writes nothing, for each kind of bad body', async () => {
    const before = await noteCount(database);
    const cases: [unknown, string][] = [
      [{ text: 'x', encounter: { ...encounter, setting: 'emergency' } }, 'encounter.setting'],
      [{ text: 'x', encounter: { ...encounter, dateOfService: '14/03/2025' } }, 'encounter.dateOfService'],
      [{ text: '  \n ', encounter }, 'text'],
      [{ encounter }, 'text'],
      [{ text: 'x', encounter, externalId: '' }, 'externalId'],
      [{ text: 'x', encounter: { ...encounter, payer: 'M'.repeat(101) } }, 'encounter.payer'],
      [{ text: 'x', encounter: { ...encounter, payer: '   ' } }, 'encounter.payer'],
      [{ resourceType: 'Patient', text: 'x' }, 'resourceType'],
      [docRef('x', { content: [{ attachment: { contentType: 'text/plain', data: 'not base64!' } }] }), 'content.0.attachment.data'],
      [docRef('x', { content: [{ attachment: { contentType: 'application/pdf', data: b64('%PDF') } }] }), 'content'],
      [docRef('x', { context: { period: { start: '2025-02' } } }), 'context.period.start'],
      [docRef('x', { extension: [{ url: SETTING_EXTENSION_URL, valueCode: 'ward' }] }), 'extension.0.valueCode'],
      [{ resourceType: 'Bundle', entry: [{ resource: docRef('ok') }, { resource: { resourceType: 'Patient' } }] }, 'entry.1.resource.resourceType'],
      [{ resourceType: 'Bundle', entry: [] }, 'entry'],
    ];
    for (const [body, field] of cases) {
      const res = await post(app, '/api/notes', body);
      expect(res.status, field).toBe(400);
      const err = (await res.json()) as ErrorJson;
      expect(err.error.code, field).toBe('invalid_request');
      expect(err.error.details!.map((d) => d.path), field).toContain(field);
      expect(err.error.message, field).toContain(field);
    }
    expect(await noteCount(database)).toBe(before);
  });

  it('refuses a date of service after the newest loaded release with a 400 naming the loaded releases, and writes nothing', async () => {
    await insertTinyIcd10cm(database.db, [['I10', 'Essential (primary) hypertension']]);
    const before = await noteCount(database);
    const late = await post(app, '/api/notes', { text: 'Essential hypertension.', encounter: { ...encounter, dateOfService: '2099-01-01' } });
    expect(late.status).toBe(400);
    const err = (await late.json()) as ErrorJson;
    expect(err.error.code).toBe('date_of_service_after_releases');
    expect(err.error.message).toContain('2099-01-01');
    expect(err.error.message).toContain('2026 (2025-10-01 – 2026-09-30)');
    // One late note in a Bundle refuses the whole request.
    const bundle = { resourceType: 'Bundle', entry: [{ resource: docRef('ok') }, { resource: docRef('late', { context: { period: { start: '2026-10-01' } } }) }] };
    const mixed = await post(app, '/api/notes', bundle);
    expect(mixed.status).toBe(400);
    expect(((await mixed.json()) as ErrorJson).error.message).toContain('(note 2 of 2)');
    expect(await noteCount(database)).toBe(before);
    // The release's last day is still coded with it.
    await createNotes(app, { text: 'Essential hypertension.', encounter: { ...encounter, dateOfService: '2026-09-30' } });
  });

  it('answers 400 with JSON for malformed JSON, and 415 for a body that is not JSON', async () => {
    const malformed = await post(app, '/api/notes', '{"text": "unterminated');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorJson).error.code).toBe('bad_request');
    const plain = await post(app, '/api/notes', 'hypertension', 'text/plain');
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as ErrorJson).error.code).toBe('bad_request');
  });

  it('answers 413 for a note over MAX_NOTE_BYTES counted in UTF-8 bytes, not characters, and writes nothing', async () => {
    const before = await noteCount(database);
    const text = 'é'.repeat(MAX_NOTE_BYTES / 2 + 1); // 1,001 characters, 2,002 bytes
    const res = await post(app, '/api/notes', { text, encounter });
    expect(res.status).toBe(413);
    const err = (await res.json()) as ErrorJson & { error: { details: { path: string; bytes: number } } };
    expect(err.error).toMatchObject({ code: 'note_too_large', details: { path: 'text', bytes: 2_002, limit: MAX_NOTE_BYTES } });
    const fhir = await post(app, '/api/notes', { resourceType: 'Bundle', entry: [{ resource: docRef('fine') }, { resource: docRef(text) }] });
    expect(fhir.status).toBe(413);
    expect(((await fhir.json()) as ErrorJson).error.message).toContain('entry.1.resource.content.0.attachment.data');
    expect(await noteCount(database)).toBe(before);
  });

  it('answers 413 with JSON for a body over the request limit', async () => {
    const res = await post(app, '/api/notes', { text: 'x'.repeat(MAX_NOTE_BYTES * 9), encounter });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorJson).error.code).toBe('body_too_large');
  });

  it('reads a FHIR DocumentReference: decoded text, date of service from context.period.start, defaulted setting with a warning', async () => {
    const text = 'HPI: 70 y/o with hypertension — “well controlled”.\r\nNo chest pain.';
    const [created] = await createNotes(app, docRef(text, { id: 'doc-17', date: '2025-02-03T10:00:00Z' }));
    expect(created!.externalId).toBe('doc-17');
    expect(created!.warnings.join(' ')).toMatch(/outpatient/);
    const note = await getNote(app, created!.id);
    expect(note).toMatchObject({ text, encounter: { setting: 'outpatient', dateOfService: '2025-02-01' } });
  });

  it('takes the FHIR setting from the extension, else from a contained Encounter class, and accepts application/fhir+json', async () => {
    const viaExtension = await createNotes(app, docRef('a', { extension: [{ url: SETTING_EXTENSION_URL, valueCode: 'professional' }] }));
    expect((await getNote(app, viaExtension[0]!.id)).encounter.setting).toBe('professional');
    const res = await post(
      app,
      '/api/notes',
      docRef('b', { contained: [{ resourceType: 'Encounter', id: 'enc', class: { code: 'IMP' } }], context: { encounter: [{ reference: '#enc' }], period: { start: '2025-01-05' } } }),
      'application/fhir+json',
    );
    expect(res.status).toBe(201);
    const [created] = ((await res.json()) as { notes: { id: string; warnings: string[] }[] }).notes;
    expect(created!.warnings).toEqual([]);
    expect((await getNote(app, created!.id)).encounter).toEqual({ setting: 'inpatient', dateOfService: '2025-01-05' });
  });

  it('creates one note per DocumentReference of a Bundle, in order', async () => {
    const created = await createNotes(app, {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: docRef('first: diabetes', { id: 'd1' }) }, { resource: docRef('second: asthma', { id: 'd2', date: '2025-04-01' }) }],
    });
    expect(created.map((n) => n.externalId)).toEqual(['d1', 'd2']);
    expect((await getNote(app, created[0]!.id)).text).toBe('first: diabetes');
    expect((await getNote(app, created[1]!.id)).text).toBe('second: asthma');
  });

  it('answers 404 for an unknown note, 400 for an id that is not a uuid, and 503 for a re-run without an engine', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await app.request(`/api/notes/${missing}`)).status).toBe(404);
    expect((await post(app, `/api/notes/${missing}/suggest`)).status).toBe(404);
    const bad = await app.request('/api/notes/42');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorJson).error.details!.map((d) => d.path)).toContain('id');
    const [created] = await createNotes(app, { text: 'x', encounter });
    const noEngine = withSession(createApp({ db: database.db, embedder: null, suggester: null, config, databaseKind: database.kind }), (await loginAs(app, database.db, 'coder')).headers);
    expect((await post(noEngine, `/api/notes/${created!.id}/suggest`)).status).toBe(503);
  });

  it('publishes the notes routes in the OpenAPI document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/notes', '/api/notes/{id}', '/api/notes/{id}/suggest']));
  });
});

describe('notes API with the background worker', () => {
  let database: Database;
  let suggester: ReturnType<typeof fakeSuggester>;
  let worker: NoteWorker | undefined;
  let app: App;
  let session: Record<string, string> = {};
  const start = async (s: Suggester = suggester) => {
    worker = await startNoteWorker(database.db, s, { pollMs: 20, concurrency: 2 });
    app = withSession(createApp({ db: database.db, embedder: null, suggester: s, config, databaseKind: database.kind, wakeWorker: () => worker?.wake() }), session);
  };
  beforeAll(async () => {
    database = await freshDatabase('pglite');
    suggester = fakeSuggester();
    await start();
    session = (await loginAs(app, database.db, 'coder')).headers;
    app = withSession(app, session);
  });
  afterEach(async () => {
    await worker?.stop();
    suggester = fakeSuggester();
    await start();
  });
  afterAll(async () => {
    await worker?.stop();
    await database?.close();
  });

  it('codes an ingested note: queued → suggested, with the suggestion and its evidence span', async () => {
    const text = 'Assessment: essential hypertension, stable.';
    const [created] = await createNotes(app, { text, encounter });
    const note = await waitFor(app, created!.id, (n) => n.status === 'suggested');
    expect(note).toMatchObject({ text, engineVersion: 'test-1', warnings: [], failureReason: null });
    expect(note.suggestions).toHaveLength(1);
    const [s] = note.suggestions;
    expect(s!.code).toBe('I10');
    expect(s!.evidence).toEqual([{ start: 22, end: 34, quote: 'hypertension' }]);
    const listed = (await (await app.request('/api/notes?status=suggested')).json()) as { notes: { id: string; suggestionCount: number }[] };
    expect(listed.notes.find((n) => n.id === created!.id)?.suggestionCount).toBe(1);
  });

  it('marks the note failed with the reason when the engine throws, keeping its text', async () => {
    const text = 'FAIL: the engine cannot read this.';
    const [created] = await createNotes(app, { text, encounter });
    const note = await waitFor(app, created!.id, (n) => n.status === 'failed');
    expect(note.failureReason).toContain('engine exploded');
    expect(note.text).toBe(text);
    expect(note.suggestions).toEqual([]);
  });

  it('resumes a note a previous process left in processing', async () => {
    await worker!.stop();
    worker = undefined;
    const [created] = await createNotes(app, { text: 'hypertension', encounter });
    // As if the process died mid-run.
    await database.db.update(notes).set({ status: 'processing' }).where(eq(notes.id, created!.id));
    await start();
    const note = await waitFor(app, created!.id, (n) => n.status === 'suggested');
    expect(note.suggestions.map((s) => s.code)).toEqual(['I10']);
  });

  it('re-runs a note on demand, replacing its suggestions', async () => {
    const [created] = await createNotes(app, { text: 'Known hypertension.', encounter });
    const first = await waitFor(app, created!.id, (n) => n.status === 'suggested');
    expect(first.suggestions[0]!.versions.engine).toBe('test-1');

    suggester.engineVersion = 'test-2';
    const res = await post(app, `/api/notes/${created!.id}/suggest`);
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { id: string; status: string; version: number };
    expect(queued).toMatchObject({ id: created!.id, status: 'queued' });
    expect(queued.version).toBeGreaterThan(first.version);

    const second = await waitFor(app, created!.id, (n) => n.status === 'suggested' && n.version > queued.version);
    expect(second.engineVersion).toBe('test-2');
    expect(second.suggestions).toHaveLength(1);
    expect(second.suggestions[0]!.versions.engine).toBe('test-2');
    expect(second.suggestions[0]!.id).not.toBe(first.suggestions[0]!.id);
  });

  it('serves the same API over a real HTTP server', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // A browser on this server sends its own origin (the session's headers carry app.request's http://localhost).
      const headers = { ...session, origin: base };
      const res = await fetch(`${base}/api/notes`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(docRef('Chronic hypertension.')) });
      expect(res.status).toBe(201);
      const [created] = ((await res.json()) as { notes: { id: string }[] }).notes;
      let note: NoteJson;
      const until = Date.now() + 10_000;
      do {
        note = (await (await fetch(`${base}/api/notes/${created!.id}`, { headers: session })).json()) as NoteJson;
        if (note.status !== 'suggested') await new Promise((r) => setTimeout(r, 20));
      } while (note.status !== 'suggested' && Date.now() < until);
      expect(note.status).toBe('suggested');
      expect(note.suggestions.map((s) => s.code)).toEqual(['I10']);

      // Over the body limit by Content-Length: refused before the body is read.
      const big = await fetch(`${base}/api/notes`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(MAX_NOTE_BYTES * 9), encounter }) });
      expect(big.status).toBe(413);
      expect(((await big.json()) as ErrorJson).error.code).toBe('body_too_large');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
