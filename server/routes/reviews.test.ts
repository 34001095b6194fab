import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loginAs, type TestSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { claimNextNote, insertNotes, storeSuggestions } from '../db/queries/notes.ts';
import { freshDatabase, insertTinyIcd10cm } from '../db/testing.ts';
import { secondCodings } from '../db/schema/index.ts';
import { fakeSuggester } from '../notes/testing.ts';
import { suggestionAt } from '../pipeline/fixtures/suggestion.ts';
import type { Encounter, Suggestion } from '../pipeline/types.ts';

type App = ReturnType<typeof createApp>;
interface NoteJson {
  id: string;
  sequence: string[];
  status: string;
  version: number;
  text: string;
  suggestions: { id: string; code: string }[];
  decisions: { id: string; suggestionId: string | null; action: string; code: string | null; reason: string | null; evidence: { start: number; end: number; quote: string }[] | null; rank: number | null }[];
  claim: { username: string; expiresAt: string } | null;
  queries: { id: string; status: string; answer: { option: string | null; text: string | null } | null }[];
  finalCodes: { code: string; sequence: number; principal: boolean }[];
}
interface ErrorJson {
  error: { code: string; message: string; current?: NoteJson; details?: unknown };
}

const OUTPATIENT: Encounter = { setting: 'outpatient', dateOfService: '2025-11-04' };
const INPATIENT: Encounter = { setting: 'inpatient', dateOfService: '2025-11-04' };

const DM_NOTE =
  'Assessment: type 2 diabetes mellitus with hyperglycemia, HbA1c 9.8%. Essential hypertension, not at goal. No evidence of pneumonia. Family history of breast cancer.';

describe('review workflow API', () => {
  let database: Database;
  let app: App;
  let clock = Date.parse('2025-11-05T09:00:00Z');
  let coder: TestSession;
  let coder2: TestSession;
  let physician: TestSession;
  let physician2: TestSession;
  let qa: TestSession;
  let admin: TestSession;

  const count = async (table: string) => Number((await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
  const call = (s: TestSession | null, method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { ...(s?.headers ?? {}), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const ok = async <T = Record<string, unknown>>(res: Response | Promise<Response>, status = 200): Promise<T> => {
    const r = await res;
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const view = (s: TestSession, id: string) => ok<NoteJson>(call(s, 'GET', `/api/notes/${id}`));

  /** A note the engine has suggested on (as the worker would store it). */
  async function suggestedNote(text: string, sugs: Suggestion[], encounter = OUTPATIENT): Promise<string> {
    await insertNotes(database.db, [{ text, encounter, externalId: null, format: 'json' }]);
    const claimed = await claimNextNote(database.db, { workerId: 'test', leaseMs: 60_000 });
    await storeSuggestions(database.db, { id: claimed!.id, version: claimed!.version, workerId: 'test', engineVersion: 'test-1', suggestions: sugs, warnings: [] });
    return claimed!.id;
  }
  async function claimed(s: TestSession, id: string): Promise<NoteJson> {
    const n = await view(s, id);
    await ok(call(s, 'POST', `/api/notes/${id}/claim`, { version: n.version }));
    return view(s, id);
  }
  const dmNote = () =>
    suggestedNote(DM_NOTE, [
      suggestionAt(DM_NOTE, 'type 2 diabetes mellitus with hyperglycemia', 'E11.65', 'Type 2 diabetes mellitus with hyperglycemia'),
      suggestionAt(DM_NOTE, 'Essential hypertension', 'I10', 'Essential (primary) hypertension'),
      suggestionAt(DM_NOTE, 'pneumonia', 'J18.9', 'Pneumonia, unspecified organism'),
      suggestionAt(DM_NOTE, 'diabetes mellitus', 'E11.6', 'Type 2 diabetes mellitus with other specified complications', { kind: 'needs_specificity' }),
    ]);

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind, now: () => new Date(clock) });
    // A tiny ICD-10-CM release: enough to validate edited and added codes.
    await insertTinyIcd10cm(database.db, [
      ['E11', 'Type 2 diabetes mellitus', false],
      ['E11.6', 'Type 2 diabetes mellitus with other specified complications', false],
      ['E11.65', 'Type 2 diabetes mellitus with hyperglycemia'],
      ['E11.9', 'Type 2 diabetes mellitus without complications'],
      ['I10', 'Essential (primary) hypertension'],
      ['J18.9', 'Pneumonia, unspecified organism'],
      ['Z80.3', 'Family history of malignant neoplasm of breast'],
      ['S72.002A', 'Fracture of unspecified part of neck of left femur, initial encounter for closed fracture'],
      ['W19.XXXA', 'Unspecified fall, initial encounter'],
    ]);
    coder = await loginAs(app, database.db, 'coder', { displayName: 'Casey Coder' });
    coder2 = await loginAs(app, database.db, 'coder');
    physician = await loginAs(app, database.db, 'physician', { displayName: 'Dr. Raman' });
    physician2 = await loginAs(app, database.db, 'physician');
    qa = await loginAs(app, database.db, 'qa_lead');
    admin = await loginAs(app, database.db, 'admin');
  });
  afterAll(async () => database?.close());

  describe('claims', () => {
    it('one coder at a time; a claim idle for 30 minutes may be taken over; an admin can release any', async () => {
      const id = await dmNote();
      const n = await claimed(coder, id);
      expect(n).toMatchObject({ status: 'in_review', claim: { username: coder.user.username } });
      const taken = await call(coder2, 'POST', `/api/notes/${id}/claim`, { version: n.version });
      expect(taken.status).toBe(409);
      expect(((await taken.json()) as ErrorJson).error.code).toBe('claimed');
      // The other coder may not decide on it either.
      const sneaky = await call(coder2, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'accept', suggestionId: n.suggestions[0]!.id });
      expect(sneaky.status).toBe(409);

      clock += 31 * 60_000;
      expect((await view(coder2, id)).claim).toBeNull();
      const over = await ok<{ version: number }>(call(coder2, 'POST', `/api/notes/${id}/claim`, { version: n.version }));
      expect((await view(coder2, id)).claim?.username).toBe(coder2.user.username);

      const notHolder = await call(coder, 'POST', `/api/notes/${id}/release`, { version: over.version });
      expect(notHolder.status).toBe(403);
      await ok(call(admin, 'POST', `/api/notes/${id}/release`, { version: over.version }));
      expect((await view(coder, id)).claim).toBeNull();
      expect(await count(`audit_log where entity_id = '${id}' and action in ('note.claim', 'note.release')`)).toBe(3);
    });

    it('refuses an engine re-run once the note is in review (it would replace the suggestions decided on)', async () => {
      const id = await dmNote();
      await claimed(coder, id);
      const withEngine = createApp({ db: database.db, embedder: null, suggester: fakeSuggester(), config: loadConfig({}), databaseKind: database.kind, now: () => new Date(clock) });
      const res = await withEngine.request(`/api/notes/${id}/suggest`, { method: 'POST', headers: { ...coder.headers, 'content-type': 'application/json' } });
      expect(res.status).toBe(409);
      expect((await view(coder, id)).status).toBe('in_review');
    });

    it('physicians and admins cannot claim (403)', async () => {
      const id = await dmNote();
      const n = await view(coder, id);
      expect((await call(physician, 'POST', `/api/notes/${id}/claim`, { version: n.version })).status).toBe(403);
      expect((await call(admin, 'POST', `/api/notes/${id}/claim`, { version: n.version })).status).toBe(403);
      expect((await view(coder, id)).status).toBe('suggested');
    });
  });

  describe('decisions', () => {
    let id: string;
    let note: NoteJson;
    const sug = (code: string) => note.suggestions.find((s) => s.code === code)!.id;
    const decide = async (body: Record<string, unknown>, status = 200) => {
      const r = await ok<{ version: number; decision: NoteJson['decisions'][number] }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, ...body }), status);
      note = await view(coder, id);
      return r;
    };
    beforeAll(async () => {
      id = await dmNote();
      note = await claimed(coder, id);
    });

    it('accepts a suggestion', async () => {
      const r = await decide({ action: 'accept', suggestionId: sug('E11.65') });
      expect(r.decision).toMatchObject({ action: 'accept', code: 'E11.65', suggestionId: sug('E11.65') });
      expect(r.version).toBe(note.version);
    });

    it('rejects a suggestion with a reason; "other" needs text', async () => {
      const other = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'reject', suggestionId: sug('J18.9'), reason: 'other' });
      expect(other.status).toBe(400);
      const bad = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'reject', suggestionId: sug('J18.9'), reason: 'because' });
      expect(bad.status).toBe(400);
      const r = await decide({ action: 'reject', suggestionId: sug('J18.9'), reason: 'negated' });
      expect(r.decision).toMatchObject({ action: 'reject', reason: 'negated', code: null });
    });

    it('edits a suggestion to another billable code of the release; refuses a header, an unknown code, and accepting a header', async () => {
      for (const [code, error] of [
        ['E11', 'not_billable'],
        ['E11.99', 'unknown_code'],
      ] as const) {
        const res = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'edit', suggestionId: sug('E11.6'), code });
        expect(res.status, code).toBe(400);
        expect(((await res.json()) as ErrorJson).error.code).toBe(error);
      }
      const header = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'accept', suggestionId: sug('E11.6') });
      expect(header.status).toBe(400);
      const r = await decide({ action: 'edit', suggestionId: sug('E11.6'), code: 'e119' });
      expect(r.decision).toMatchObject({ action: 'edit', code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' });
    });

    it('re-deciding a suggestion replaces its decision, with both in the audit trail', async () => {
      await decide({ action: 'reject', suggestionId: sug('I10'), reason: 'not_documented' });
      const r = await decide({ action: 'accept', suggestionId: sug('I10') });
      expect(note.decisions.filter((d) => d.suggestionId === sug('I10'))).toHaveLength(1);
      const [row] = await queryRows<{ before: { action: string }; after: { action: string } }>(database.db, sql`select before, after from audit_log where entity_id = ${r.decision.id} order by id desc limit 1`);
      expect(row).toMatchObject({ before: { action: 'reject' }, after: { action: 'accept' } });
    });

    it('adds a missed code with its span, quoting the stored text; refuses a span outside the note and a duplicate', async () => {
      const start = DM_NOTE.indexOf('Family history of breast cancer');
      const end = start + 'Family history of breast cancer'.length;
      const outside = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'add', system: 'ICD10CM', code: 'Z80.3', evidence: [{ start, end: DM_NOTE.length + 5 }] });
      expect(outside.status).toBe(400);
      expect(((await outside.json()) as ErrorJson).error.code).toBe('bad_span');
      // The code system as a clinical system may write it: stored as ICD10CM.
      const r = await decide({ action: 'add', system: 'ICD-10-CM', code: 'Z80.3', evidence: [{ start, end, quote: 'ignored: the server quotes' }] });
      expect(r.decision).toMatchObject({ action: 'add', suggestionId: null, system: 'ICD10CM', code: 'Z80.3', evidence: [{ start, end, quote: 'Family history of breast cancer' }] });
      const dup = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'add', system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10', evidence: [{ start, end }] });
      expect(dup.status).toBe(400);
      expect(((await dup.json()) as ErrorJson).error.code).toBe('duplicate_code');
    });

    it('answers 409 "stale" with the current note for a write based on an old version, and writes nothing', async () => {
      const decisions = await count(`decisions where note_id = '${id}'`);
      const audit = await count('audit_log');
      const res = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version - 1, action: 'reject', suggestionId: sug('E11.65'), reason: 'integral' });
      expect(res.status).toBe(409);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code).toBe('stale');
      expect(body.error.current).toMatchObject({ id, version: note.version, status: 'in_review' });
      expect(body.error.current!.decisions.find((d) => d.suggestionId === sug('E11.65'))?.action).toBe('accept');
      expect(await count(`decisions where note_id = '${id}'`)).toBe(decisions);
      expect(await count('audit_log')).toBe(audit);
      for (const [path, b] of [
        ['claim', {}],
        ['finalize', {}],
        ['sequence', { order: [] }],
      ] as const) {
        const r = await call(coder, path === 'sequence' ? 'PUT' : 'POST', `/api/notes/${id}/${path}`, { version: 1, ...b });
        expect(r.status, path).toBe(409);
        expect(((await r.json()) as ErrorJson).error.code, path).toBe('stale');
      }
    });

    it('two decisions sent at once on the same version: one is stored, the other answers 409 "stale" and writes nothing', async () => {
      const audit = await count('audit_log');
      const earlier = (await view(coder, id)).decisions;
      const [a, b] = await Promise.all([
        call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'reject', suggestionId: sug('I10'), reason: 'integral' }),
        call(coder, 'POST', `/api/notes/${id}/decisions`, { version: note.version, action: 'reject', suggestionId: sug('J18.9'), reason: 'not_documented' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const lost = a.status === 409 ? 'I10' : 'J18.9';
      expect(((await (a.status === 409 ? a : b).json()) as ErrorJson).error.code).toBe('stale');
      const after = await view(coder, id);
      expect(after.version).toBe(note.version + 1);
      expect(await count('audit_log')).toBe(audit + 1);
      const decisionOf = (rows: NoteJson['decisions'], code: string) => rows.find((d) => d.suggestionId === sug(code));
      expect(decisionOf(after.decisions, lost)).toEqual(decisionOf(earlier, lost));
      expect(decisionOf(after.decisions, lost === 'I10' ? 'J18.9' : 'I10')).toMatchObject({ action: 'reject' });
      note = after;
    });

    it('refuses decisions from a physician, an admin, and anyone without the claim, writing nothing', async () => {
      const decisions = await count(`decisions where note_id = '${id}'`);
      const audit = await count('audit_log');
      const body = { version: note.version, action: 'reject', suggestionId: sug('E11.65'), reason: 'integral' };
      expect((await call(physician, 'POST', `/api/notes/${id}/decisions`, body)).status).toBe(403);
      expect((await call(admin, 'POST', `/api/notes/${id}/decisions`, body)).status).toBe(403);
      expect((await call(null, 'POST', `/api/notes/${id}/decisions`, body)).status).toBe(401);
      const unclaimed = await call(qa, 'POST', `/api/notes/${id}/decisions`, body);
      expect(unclaimed.status).toBe(409);
      expect(((await unclaimed.json()) as ErrorJson).error.code).toBe('claimed');
      expect(await count(`decisions where note_id = '${id}'`)).toBe(decisions);
      expect(await count('audit_log')).toBe(audit);
      expect((await view(coder, id)).version).toBe(note.version);
    });
  });

  describe('finalize and reopen', () => {
    it('needs every suggestion decided, then stores the final codes in sequence and marks the note coded', async () => {
      const text = 'Assessment: essential hypertension. Type 2 diabetes mellitus with hyperglycemia.';
      const id = await suggestedNote(text, [suggestionAt(text, 'essential hypertension', 'I10', 'Essential (primary) hypertension'), suggestionAt(text, 'Type 2 diabetes mellitus with hyperglycemia', 'E11.65', 'Type 2 diabetes mellitus with hyperglycemia')]);
      let n = await claimed(coder, id);
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'accept', suggestionId: n.suggestions.find((s) => s.code === 'I10')!.id }));
      n = await view(coder, id);
      const early = await call(coder, 'POST', `/api/notes/${id}/finalize`, { version: n.version });
      expect(early.status).toBe(409);
      expect(((await early.json()) as ErrorJson).error.code).toBe('undecided');
      expect(await count(`final_codes where note_id = '${id}'`)).toBe(0);
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'accept', suggestionId: n.suggestions.find((s) => s.code === 'E11.65')!.id }));
      n = await view(coder, id);
      const e11 = n.decisions.find((d) => d.code === 'E11.65')!.id;
      const i10 = n.decisions.find((d) => d.code === 'I10')!.id;
      const seq = await ok<{ version: number }>(call(coder, 'PUT', `/api/notes/${id}/sequence`, { version: n.version, order: [e11, i10] }));
      const fin = await ok<{ status: string; finalCodes: { code: string; sequence: number; principal: boolean }[] }>(call(coder, 'POST', `/api/notes/${id}/finalize`, { version: seq.version }));
      expect(fin.status).toBe('coded');
      expect(fin.finalCodes.map((f) => [f.code, f.sequence, f.principal])).toEqual([
        ['E11.65', 1, false],
        ['I10', 2, false],
      ]);
      n = await view(coder, id);
      expect(n).toMatchObject({ status: 'coded', claim: null });
      expect(n.finalCodes.map((f) => f.code)).toEqual(['E11.65', 'I10']);
      // Coded: no more decisions.
      const after = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'reject', suggestionId: n.suggestions[0]!.id, reason: 'integral' });
      expect(after.status).toBe(409);

      // Only a QA lead reopens; the finalization stays on record as superseded.
      for (const s of [coder, physician, admin]) expect((await call(s, 'POST', `/api/notes/${id}/reopen`, { version: n.version, reason: 'x' })).status).toBe(403);
      expect((await view(coder, id)).status).toBe('coded');
      await ok(call(qa, 'POST', `/api/notes/${id}/reopen`, { version: n.version, reason: 'E11.65 needs a query on control' }));
      n = await view(coder, id);
      expect(n).toMatchObject({ status: 'in_review', finalCodes: [] });
      expect(await count(`final_codes where note_id = '${id}' and superseded_at is not null`)).toBe(2);
      const actions = await queryRows<{ action: string; user_id: string }>(database.db, sql`select action, user_id from audit_log where entity = 'note' and entity_id = ${id} order by id`);
      expect(actions.map((a) => a.action)).toEqual(['note.claim', 'note.sequence', 'note.finalize', 'note.reopen']);
      expect(actions.at(-1)!.user_id).toBe(qa.user.id);
    });

    it('needs the principal diagnosis marked on an inpatient note', async () => {
      const text = 'Closed fracture of the left femoral neck after a fall at home.';
      const id = await suggestedNote(text, [suggestionAt(text, 'Closed fracture of the left femoral neck', 'S72.002A', 'Fracture of neck of left femur, initial')], INPATIENT);
      let n = await claimed(coder, id);
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'accept', suggestionId: n.suggestions[0]!.id }));
      n = await view(coder, id);
      const fall = text.indexOf('a fall');
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'add', system: 'ICD10CM', code: 'W19.XXXA', evidence: [{ start: fall, end: fall + 6 }] }));
      n = await view(coder, id);
      const res = await call(coder, 'POST', `/api/notes/${id}/finalize`, { version: n.version });
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorJson).error.code).toBe('principal_required');
      const s72 = n.decisions.find((d) => d.code === 'S72.002A')!.id;
      const seq = await ok<{ version: number }>(call(coder, 'PUT', `/api/notes/${id}/sequence`, { version: n.version, order: [s72] }));
      const fin = await ok<{ finalCodes: { code: string; principal: boolean }[] }>(call(coder, 'POST', `/api/notes/${id}/finalize`, { version: seq.version }));
      expect(fin.finalCodes).toMatchObject([
        { code: 'S72.002A', principal: true },
        { code: 'W19.XXXA', principal: false },
      ]);
    });

    it("sequences diagnoses in the engine's order, not the order of acceptance", async () => {
      const text = 'Assessment: essential hypertension. Type 2 diabetes mellitus with hyperglycemia.';
      // The engine reports E11.65 first (rank 1), I10 second; the coder accepts I10 first.
      const id = await suggestedNote(text, [suggestionAt(text, 'Type 2 diabetes mellitus with hyperglycemia', 'E11.65', 'Type 2 diabetes mellitus with hyperglycemia'), suggestionAt(text, 'essential hypertension', 'I10', 'Essential (primary) hypertension')]);
      let n = await claimed(coder, id);
      for (const code of ['I10', 'E11.65']) {
        await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'accept', suggestionId: n.suggestions.find((s) => s.code === code)!.id }));
        n = await view(coder, id);
      }
      const code = (decisionId: string) => n.decisions.find((d) => d.id === decisionId)!.code;
      expect(n.sequence.map(code)).toEqual(['E11.65', 'I10']);
      const fin = await ok<{ finalCodes: { code: string; sequence: number }[] }>(call(coder, 'POST', `/api/notes/${id}/finalize`, { version: n.version }));
      expect(fin.finalCodes.map((f) => [f.code, f.sequence])).toEqual([
        ['E11.65', 1],
        ['I10', 2],
      ]);
    });

    it('finalizing with no codes needs a reason (400 "reason_required", nothing written); the reason is audited', async () => {
      const text = 'Assessment: no evidence of pneumonia.';
      const id = await suggestedNote(text, [suggestionAt(text, 'pneumonia', 'J18.9', 'Pneumonia, unspecified organism')]);
      let n = await claimed(coder, id);
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'reject', suggestionId: n.suggestions[0]!.id, reason: 'negated' }));
      n = await view(coder, id);
      for (const body of [{ version: n.version }, { version: n.version, noCodesReason: '   ' }]) {
        const res = await call(coder, 'POST', `/api/notes/${id}/finalize`, body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as ErrorJson).error.code).toBe('reason_required');
      }
      expect(await view(coder, id)).toMatchObject({ status: 'in_review', version: n.version });
      const fin = await ok<{ status: string; finalCodes: unknown[] }>(call(coder, 'POST', `/api/notes/${id}/finalize`, { version: n.version, noCodesReason: 'Screening visit, nothing to report' }));
      expect(fin).toMatchObject({ status: 'coded', finalCodes: [] });
      const [audit] = await queryRows<{ after: { noCodesReason?: string } }>(database.db, sql`select after from audit_log where action = 'note.finalize' and entity_id = ${id}`);
      expect(audit!.after.noCodesReason).toBe('Screening visit, nothing to report');
    });

    it('refuses a reject reason that is no longer offered; stored ones stay readable', async () => {
      const text = 'Hypertension, history of.';
      const id = await suggestedNote(text, [suggestionAt(text, 'Hypertension', 'I10', 'Essential (primary) hypertension')]);
      const n = await claimed(coder, id);
      const old = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'reject', suggestionId: n.suggestions[0]!.id, reason: 'historical' });
      expect(old.status).toBe(400);
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'reject', suggestionId: n.suggestions[0]!.id, reason: 'history_only' }));
      // A decision stored by the first release with its reason, read back through the API.
      await database.db.execute(sql`update decisions set reason = 'historical' where note_id = ${id}`);
      expect((await view(coder, id)).decisions[0]).toMatchObject({ action: 'reject', reason: 'historical' });
    });
  });

  describe('physician queries', () => {
    let id: string;
    let note: NoteJson;
    const indicator = () => {
      const start = DM_NOTE.indexOf('HbA1c 9.8%');
      return { start, end: start + 'HbA1c 9.8%'.length };
    };
    const draft = (over: Record<string, unknown> = {}) => ({
      version: note.version,
      toUserId: physician.user.id,
      purpose: 'specificity',
      kind: 'multiple_choice',
      question: 'Based on the clinical indicators, can the diabetes be further specified?',
      indicators: [indicator()],
      options: ['Type 2 diabetes mellitus with hyperglycemia', 'Type 2 diabetes mellitus without complication'],
      ...over,
    });
    beforeAll(async () => {
      id = await dmNote();
      note = await claimed(coder, id);
    });

    it('refuses a query that mentions reimbursement, payment, the DRG or revenue, and a yes/no query for a new diagnosis — writing nothing', async () => {
      const queries = await count('queries');
      const audit = await count('audit_log');
      for (const question of [
        'Can the diabetes be specified? This affects reimbursement.',
        'Specifying the diabetes changes the DRG: can it be clarified?',
        'For payment purposes, can the diabetes be specified?',
        'Clarify the diabetes to improve revenue.',
      ]) {
        const res = await call(coder, 'POST', `/api/notes/${id}/queries`, draft({ question }));
        expect(res.status, question).toBe(400);
        expect(((await res.json()) as ErrorJson).error.code).toBe('noncompliant_query');
      }
      const yesNo = await call(coder, 'POST', `/api/notes/${id}/queries`, draft({ kind: 'yes_no', purpose: 'clarify_diagnosis', options: [] }));
      expect(yesNo.status).toBe(400);
      expect(await count('queries')).toBe(queries);
      expect(await count('audit_log')).toBe(audit);
      expect((await view(coder, id)).status).toBe('in_review');
    });

    it('only a coder sends, only to an active physician, citing spans of the note', async () => {
      expect((await call(qa, 'POST', `/api/notes/${id}/queries`, draft())).status).toBe(403);
      expect((await call(physician, 'POST', `/api/notes/${id}/queries`, draft())).status).toBe(403);
      expect((await call(coder, 'POST', `/api/notes/${id}/queries`, draft({ toUserId: coder2.user.id }))).status).toBe(400);
      expect((await call(coder, 'POST', `/api/notes/${id}/queries`, draft({ indicators: [] }))).status).toBe(400);
      expect((await call(coder, 'POST', `/api/notes/${id}/queries`, draft({ indicators: [{ start: 0, end: 99_999 }] }))).status).toBe(400);
      expect(await count(`queries where note_id = '${id}'`)).toBe(0);
    });

    it('physicians see no note until a query is addressed to them', async () => {
      expect((await call(physician, 'GET', `/api/notes/${id}`)).status).toBe(404);
      const list = await ok<{ notes: unknown[] }>(call(physician, 'GET', '/api/notes'));
      expect(list.notes).toEqual([]);
    });

    it('sends a multiple-choice query with the standard options, warns on leading wording, and sets the note query_pending', async () => {
      const res = await ok<{ version: number; query: { id: string; options: string[]; indicators: { quote: string }[]; status: string }; warnings: string[] }>(
        call(coder, 'POST', `/api/notes/${id}/queries`, draft({ question: 'Would you agree the diabetes is uncontrolled? Please document the type.' })),
        201,
      );
      expect(res.query.options).toEqual(['Type 2 diabetes mellitus with hyperglycemia', 'Type 2 diabetes mellitus without complication', 'Other (please specify)', 'Clinically undetermined']);
      expect(res.query.indicators[0]!.quote).toBe('HbA1c 9.8%');
      expect(res.warnings.join(' ')).toMatch(/would you agree/);
      expect(res.warnings.join(' ')).toMatch(/please document/);
      note = await view(coder, id);
      expect(note.status).toBe('query_pending');
      const fin = await call(coder, 'POST', `/api/notes/${id}/finalize`, { version: note.version });
      expect(fin.status).toBe(409);
      expect(((await fin.json()) as ErrorJson).error.code).toBe('query_open');
    });

    it("lists a physician's inbox with only their queries, and lets only them see the note", async () => {
      const mine = await ok<{ queries: { id: string; to: { id: string } }[] }>(call(physician, 'GET', '/api/queries?mine=true&status=sent'));
      expect(mine.queries).toHaveLength(1);
      expect(mine.queries[0]!.to.id).toBe(physician.user.id);
      expect((await ok<{ queries: unknown[] }>(call(physician2, 'GET', '/api/queries'))).queries).toEqual([]);
      expect((await call(physician2, 'GET', `/api/queries/${mine.queries[0]!.id}`)).status).toBe(404);
      expect((await call(physician2, 'GET', `/api/notes/${id}`)).status).toBe(404);
      const seen = await view(physician, id);
      expect(seen.queries).toHaveLength(1);
      expect((await ok<{ notes: { id: string }[] }>(call(physician, 'GET', '/api/notes'))).notes.map((n) => n.id)).toEqual([id]);
    });

    it('only the addressed physician answers, with an offered option; the note returns to the coder', async () => {
      const [q] = note.queries;
      const audit = await count('audit_log');
      // Another physician learns nothing: the same 404 and body for reading and answering as for no query at all.
      const read = await call(physician2, 'GET', `/api/queries/${q!.id}`);
      const answerOther = await call(physician2, 'POST', `/api/queries/${q!.id}/answer`, { option: 'Clinically undetermined' });
      const answerNone = await call(physician2, 'POST', '/api/queries/00000000-0000-4000-8000-000000000000/answer', { option: 'Clinically undetermined' });
      expect([read.status, answerOther.status, answerNone.status]).toEqual([404, 404, 404]);
      const [readBody, answerBody, noneBody] = await Promise.all([read.json(), answerOther.json(), answerNone.json()]);
      expect(answerBody).toEqual(readBody);
      expect(answerBody).toEqual(noneBody);
      expect((await call(coder, 'POST', `/api/queries/${q!.id}/answer`, { option: 'Clinically undetermined' })).status).toBe(403);
      expect((await call(physician, 'POST', `/api/queries/${q!.id}/answer`, { option: 'Type 1 diabetes' })).status).toBe(400);
      expect((await call(physician, 'POST', `/api/queries/${q!.id}/answer`, { option: 'Other (please specify)' })).status).toBe(400);
      expect(await count('audit_log')).toBe(audit);
      const answered = await ok<{ query: { status: string; answer: unknown } }>(call(physician, 'POST', `/api/queries/${q!.id}/answer`, { option: 'Type 2 diabetes mellitus with hyperglycemia' }));
      expect(answered.query).toMatchObject({ status: 'answered', answer: { option: 'Type 2 diabetes mellitus with hyperglycemia', text: null } });
      expect((await call(physician, 'POST', `/api/queries/${q!.id}/answer`, { option: 'Clinically undetermined' })).status).toBe(409);
      note = await view(coder, id);
      expect(note.status).toBe('in_review');
      expect(note.queries[0]).toMatchObject({ status: 'answered', answer: { option: 'Type 2 diabetes mellitus with hyperglycemia' } });
      // The queue counts the answer until the coder acts on it (closes the query); "needs my action" lists it with the note it is about.
      const answeredIn = async () => (await ok<{ notes: { id: string; answeredQueries: number }[] }>(call(coder, 'GET', '/api/notes?limit=200'))).notes.find((n) => n.id === id)!.answeredQueries;
      expect(await answeredIn()).toBe(1);
      const mine = await ok<{ queries: { id: string; note: { encounter: { dateOfService: string } } | null }[] }>(call(coder, 'GET', '/api/queries?mine=true&status=answered'));
      expect(mine.queries.find((x) => x.id === q!.id)!.note).toMatchObject({ encounter: { dateOfService: OUTPATIENT.dateOfService } });
      const closed = await ok<{ version: number; query: { status: string } }>(call(coder, 'POST', `/api/queries/${q!.id}/close`, { version: note.version }));
      expect(closed.query.status).toBe('closed');
      expect(await answeredIn()).toBe(0);
      note = await view(coder, id);
    });

    it('the sender withdraws an open-ended query; a yes/no query for present-on-admission is allowed', async () => {
      const sent = await ok<{ version: number; query: { id: string; options: string[] } }>(
        call(coder, 'POST', `/api/notes/${id}/queries`, draft({ kind: 'yes_no', purpose: 'present_on_admission', question: 'Was the hyperglycemia present at the time of admission?', options: [] })),
        201,
      );
      expect(sent.query.options).toEqual(['Yes', 'No', 'Other (please specify)', 'Clinically undetermined']);
      expect((await call(coder2, 'POST', `/api/queries/${sent.query.id}/withdraw`, { version: sent.version })).status).toBe(403);
      const w = await ok<{ version: number; query: { status: string } }>(call(coder, 'POST', `/api/queries/${sent.query.id}/withdraw`, { version: sent.version }));
      expect(w.query.status).toBe('withdrawn');
      note = await view(coder, id);
      expect(note.status).toBe('in_review');
      const open = await ok<{ query: { id: string; options: string[] } }>(
        call(coder, 'POST', `/api/notes/${id}/queries`, draft({ kind: 'open_ended', purpose: 'clarify_diagnosis', question: 'Can the condition being treated with insulin be clarified?', options: [] })),
        201,
      );
      expect(open.query.options).toEqual([]);
      expect((await call(physician, 'POST', `/api/queries/${open.query.id}/answer`, { option: 'Yes' })).status).toBe(400);
      await ok(call(physician, 'POST', `/api/queries/${open.query.id}/answer`, { text: 'Steroid-induced hyperglycemia on top of type 2 diabetes.' }));
      const actions = await queryRows<{ action: string }>(database.db, sql`select action from audit_log where entity = 'query' order by id`);
      expect(actions.map((a) => a.action)).toEqual(['query.send', 'query.answer', 'query.close', 'query.send', 'query.withdraw', 'query.send', 'query.answer']);
    });

    it('checks a draft without sending it, and serves compliant templates', async () => {
      const check = await ok<{ errors: string[]; warnings: string[]; options: string[] }>(
        call(coder, 'POST', '/api/queries/check', { purpose: 'specificity', kind: 'multiple_choice', question: 'Consider documenting sepsis for a higher DRG.', options: ['Sepsis', 'SIRS'] }),
      );
      expect(check.errors.join(' ')).toMatch(/DRG/);
      expect(check.warnings.join(' ')).toMatch(/consider documenting/);
      const templates = await ok<{ templates: { id: string }[] }>(call(coder, 'GET', '/api/query-templates'));
      expect(templates.templates.length).toBeGreaterThan(4);
      expect((await call(physician, 'GET', '/api/query-templates')).status).toBe(403);
    });
  });

  describe('blind double coding', () => {
    it("a second coder cannot open the note's first coding (queue, GET, a stale write) until they submit theirs", async () => {
      const text = 'Assessment: essential hypertension.';
      const id = await suggestedNote(text, [suggestionAt(text, 'essential hypertension', 'I10', 'Essential (primary) hypertension')]);
      let n = await claimed(coder, id);
      await ok(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: n.version, action: 'accept', suggestionId: n.suggestions[0]!.id }));
      n = await view(coder, id);
      await ok(call(coder, 'POST', `/api/notes/${id}/finalize`, { version: n.version }));
      // The QA sample assigned the note to coder2 (as POST /api/qa/second-coding/sample stores it).
      const [assignment] = await database.db
        .insert(secondCodings)
        .values({ noteId: id, firstCoderId: coder.user.id, coderId: coder2.user.id, sample: 'blind-test', firstCodes: [{ system: 'ICD10CM', code: 'I10' }] })
        .returning();

      const get = await call(coder2, 'GET', `/api/notes/${id}`);
      expect(get.status).toBe(403);
      const body = await get.text();
      expect(JSON.parse(body).error.code).toBe('blind_second_coding');
      expect(body).not.toContain('I10');
      const queue = await ok<{ notes: { id: string }[] }>(call(coder2, 'GET', '/api/notes?limit=200'));
      expect(queue.notes.map((x) => x.id)).not.toContain(id);
      // A write with an old version answers 409 "stale" with the current note to everyone else: not to the blind coder.
      const stale = await call(coder2, 'POST', `/api/notes/${id}/claim`, { version: 1 });
      expect(stale.status).toBe(409);
      expect(await stale.text()).not.toContain('I10');
      // The first coder and QA still see it.
      expect((await view(coder, id)).finalCodes.map((f) => f.code)).toEqual(['I10']);
      expect((await ok<{ notes: { id: string }[] }>(call(coder, 'GET', '/api/notes?limit=200'))).notes.map((x) => x.id)).toContain(id);

      await ok(call(coder2, 'POST', `/api/second-codings/${assignment!.id}`, { codes: [{ system: 'ICD10CM', code: 'I10' }] }));
      expect((await view(coder2, id)).finalCodes.map((f) => f.code)).toEqual(['I10']);
      expect((await ok<{ notes: { id: string }[] }>(call(coder2, 'GET', '/api/notes?limit=200'))).notes.map((x) => x.id)).toContain(id);
    });
  });

  describe('audit trail', () => {
    it('is readable by QA leads and admins only', async () => {
      expect((await call(coder, 'GET', '/api/audit')).status).toBe(403);
      expect((await call(physician, 'GET', '/api/audit')).status).toBe(403);
      const entries = await ok<{ entries: { action: string }[] }>(call(qa, 'GET', '/api/audit?entity=note&limit=5'));
      expect(entries.entries.length).toBe(5);
    });

    it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
      const before = await count('audit_log');
      expect(before).toBeGreaterThan(0);
      await expect(database.db.execute(sql`update audit_log set action = 'tampered'`)).rejects.toThrow();
      await expect(database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
      await expect(database.db.execute(sql`truncate audit_log`)).rejects.toThrow();
      expect(await count('audit_log')).toBe(before);
      expect(await count(`audit_log where action = 'tampered'`)).toBe(0);
    });
  });
});
