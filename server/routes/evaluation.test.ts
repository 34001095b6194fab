import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFhirBundle } from '../../eval/formats.ts';
import { parseJsonl } from '../../eval/datasets.ts';
import { createApp } from '../app.ts';
import { loginAs, type TestSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { claimNextNote, insertNotes, storeSuggestions } from '../db/queries/notes.ts';
import { freshDatabase, insertTinyIcd10cm } from '../db/testing.ts';
import { createQaService } from '../evaluation/qa-service.ts';
import { startRunWorker, type RunWorker } from '../evaluation/run-worker.ts';
import { fakeSuggester } from '../notes/testing.ts';
import { suggestionAt } from '../pipeline/fixtures/suggestion.ts';
import type { Encounter, Suggestion } from '../pipeline/types.ts';

type App = ReturnType<typeof createApp>;
const ENCOUNTER: Encounter = { setting: 'outpatient', dateOfService: '2025-11-04' };

const NOTE = 'Assessment: type 2 diabetes mellitus with hyperglycemia. Essential hypertension. No pneumonia. Fall at home.';

describe('evaluation loop API', () => {
  let database: Database;
  let app: App;
  let runWorker: RunWorker;
  const suggester = fakeSuggester({ engineVersion: 'engine-A' });
  let clock = Date.parse('2025-11-05T09:00:00Z');
  let coder: TestSession;
  let coder2: TestSession;
  let qa: TestSession;

  const call = (s: TestSession | null, method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { ...(s?.headers ?? {}), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const ok = async <T = Record<string, any>>(res: Response | Promise<Response>, status = 200): Promise<T> => {
    const r = await res;
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const fails = async (res: Response | Promise<Response>, status: number, code?: string) => {
    const r = await res;
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(r.status, JSON.stringify(body)).toBe(status);
    if (code) expect(body.error.code).toBe(code);
    return body.error;
  };

  /** A note with the engine's four suggestions, claimed by `who`: accept E11.65, reject J18.9 (negated), edit I10 → I11.9, add W19.XXXA; finalized. */
  async function codedNote(who: TestSession): Promise<string> {
    await insertNotes(database.db, [{ text: NOTE, encounter: ENCOUNTER, externalId: null, format: 'json' }]);
    const claimed = await claimNextNote(database.db, { workerId: 'test', leaseMs: 60_000 });
    const sugs = [suggestionAt(NOTE, 'type 2 diabetes mellitus with hyperglycemia', 'E11.65', undefined, { confidence: 0.95 }), suggestionAt(NOTE, 'Essential hypertension', 'I10', undefined, { confidence: 0.8 }), suggestionAt(NOTE, 'pneumonia', 'J18.9', undefined, { confidence: 0.4 })];
    await storeSuggestions(database.db, { id: claimed!.id, version: claimed!.version, workerId: 'test', engineVersion: 'test-1', suggestions: sugs, warnings: [] });
    const id = claimed!.id;
    let n = await ok<{ version: number; suggestions: { id: string; code: string }[] }>(call(who, 'GET', `/api/notes/${id}`));
    let version = (await ok<{ version: number }>(call(who, 'POST', `/api/notes/${id}/claim`, { version: n.version }))).version;
    n = await ok(call(who, 'GET', `/api/notes/${id}`));
    const sid = (code: string) => n.suggestions.find((s) => s.code === code)!.id;
    const decide = async (body: object) => (version = (await ok<{ version: number }>(call(who, 'POST', `/api/notes/${id}/decisions`, { version, ...body }))).version);
    await decide({ action: 'accept', suggestionId: sid('E11.65') });
    await decide({ action: 'reject', suggestionId: sid('J18.9'), reason: 'negated' });
    await decide({ action: 'edit', suggestionId: sid('I10'), code: 'I11.9' });
    const fall = NOTE.indexOf('Fall at home');
    await decide({ action: 'add', system: 'ICD10CM', code: 'W19.XXXA', evidence: [{ start: fall, end: fall + 12 }] });
    await ok(call(who, 'POST', `/api/notes/${id}/finalize`, { version }));
    return id;
  }

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    runWorker = startRunWorker(database.db, suggester, { now: () => new Date(clock) });
    app = createApp({ db: database.db, embedder: null, suggester, runWorker, config: loadConfig({}), databaseKind: database.kind, now: () => new Date(clock) });
    await insertTinyIcd10cm(database.db, [
      ['E11', 'Type 2 diabetes mellitus', false],
      ['E11.65', 'Type 2 diabetes mellitus with hyperglycemia'],
      ['E11.9', 'Type 2 diabetes mellitus without complications'],
      ['I10', 'Essential (primary) hypertension'],
      ['I11.9', 'Hypertensive heart disease without heart failure'],
      ['J18.9', 'Pneumonia, unspecified organism'],
      ['W19.XXXA', 'Unspecified fall, initial encounter'],
    ]);
    coder = await loginAs(app, database.db, 'coder', { displayName: 'Casey Coder' });
    coder2 = await loginAs(app, database.db, 'coder', { displayName: 'Robin Second' });
    qa = await loginAs(app, database.db, 'qa_lead');
  });
  afterAll(async () => {
    await runWorker?.stop();
    await database?.close();
  });

  it('finalizing a note adds a decisions record with every suggestion outcome; re-finalizing adds a revision; records refuse UPDATE', async () => {
    const id = await codedNote(coder);
    const rows = await queryRows<{ revision: number; gold: { code: string; principal: boolean; evidence: { quote: string }[] }[]; outcomes: { code: string; outcome: string; reason?: string; editedTo?: { code: string } }[]; versions: { engine: string }[] }>(
      database.db,
      sql`select revision, gold, outcomes, versions from dataset_records where record_key = ${id} order by revision`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.gold.map((g) => g.code).sort()).toEqual(['E11.65', 'I11.9', 'W19.XXXA']);
    expect(rows[0]!.gold.find((g) => g.code === 'W19.XXXA')!.evidence[0]!.quote).toBe('Fall at home');
    const outcome = Object.fromEntries(rows[0]!.outcomes.map((o) => [o.code, o]));
    expect(outcome['E11.65']!.outcome).toBe('accepted');
    expect(outcome['J18.9']).toMatchObject({ outcome: 'rejected', reason: 'negated' });
    expect(outcome['I10']).toMatchObject({ outcome: 'edited', editedTo: { code: 'I11.9' } });
    expect(outcome['W19.XXXA']!.outcome).toBe('added');
    expect(rows[0]!.versions).toEqual([{ engine: 'test-1', prompt: null, model: null, embedder: null }]);

    // A QA lead reopens, the coder finalizes again: a second revision, the first kept.
    const n = await ok<{ version: number }>(call(qa, 'GET', `/api/notes/${id}`));
    const reopened = await ok<{ version: number }>(call(qa, 'POST', `/api/notes/${id}/reopen`, { version: n.version, reason: 'audit' }));
    const claimed = await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/claim`, { version: reopened.version }));
    await ok(call(coder, 'POST', `/api/notes/${id}/finalize`, { version: claimed.version }));
    const revisions = await queryRows<{ revision: number }>(database.db, sql`select revision from dataset_records where record_key = ${id} order by revision`);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    await expect(database.db.execute(sql`update dataset_records set gold = '[]'::jsonb where record_key = ${id}`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from dataset_records where record_key = ${id}`)).rejects.toThrow();
  });

  it('a QA lead freezes a named version; names are unique; versions are immutable; only QA may', async () => {
    await codedNote(coder);
    await fails(call(coder, 'POST', '/api/datasets/decisions/versions', { name: 'v-coder' }), 403);
    await fails(call(null, 'GET', '/api/datasets'), 401);
    const { version } = await ok<{ version: { id: string; records: number; name: string } }>(call(qa, 'POST', '/api/datasets/decisions/versions', { name: '2025-11 decisions' }), 201);
    expect(version.records).toBe(2);
    await fails(call(qa, 'POST', '/api/datasets/decisions/versions', { name: '2025-11 decisions' }), 409, 'version_exists');
    await fails(call(qa, 'POST', '/api/datasets/nope/versions', { name: 'x' }), 404);
    // Later finalizations do not change the frozen version.
    await codedNote(coder);
    const { datasets } = await ok<{ datasets: { name: string; records: number; versions: { name: string; records: number }[] }[] }>(call(qa, 'GET', '/api/datasets'));
    const decisions = datasets.find((d) => d.name === 'decisions')!;
    expect(decisions.records).toBe(3);
    expect(decisions.versions).toEqual([expect.objectContaining({ name: '2025-11 decisions', records: 2 })]);
    await expect(database.db.execute(sql`delete from dataset_version_records`)).rejects.toThrow();
    await expect(database.db.execute(sql`update dataset_versions set records = 99`)).rejects.toThrow();
  });

  it('imports JSONL (a bad line is a 400 naming it, nothing stored) and exports JSONL, CSV and FHIR that read back the same', async () => {
    const docs = [
      { id: 'a1', text: 'Essential hypertension.', encounter: ENCOUNTER, gold: [{ system: 'ICD10CM', code: 'I10' }] },
      { id: 'a2', text: 'No hypertension; diabetes, "type 2", with hyperglycemia', encounter: ENCOUNTER, gold: [{ system: 'ICD10CM', code: 'E11.65' }] },
    ];
    const content = docs.map((d) => JSON.stringify(d)).join('\n');
    const bad = await fails(call(qa, 'POST', '/api/datasets/import', { name: 'broken', format: 'jsonl', content: `${content}\n{"id": "a3"` }), 400, 'bad_content');
    expect(bad.message).toContain(':3');
    await fails(call(coder, 'POST', '/api/datasets/import', { name: 'x', format: 'jsonl', content }), 403);
    const { datasets: before } = await ok<{ datasets: { name: string }[] }>(call(qa, 'GET', '/api/datasets'));
    expect(before.map((d) => d.name)).not.toContain('broken');

    const imported = await ok<{ version: { id: string; records: number } }>(call(qa, 'POST', '/api/datasets/import', { name: 'sample', format: 'jsonl', content }), 201);
    expect(imported.version.records).toBe(2);
    await fails(call(qa, 'POST', '/api/datasets/import', { name: 'sample', format: 'jsonl', content }), 409, 'dataset_exists');

    const jsonl = await app.request(`/api/dataset-versions/${imported.version.id}/export?format=jsonl`, { headers: qa.headers });
    expect(jsonl.headers.get('content-disposition')).toContain('sample-v1.jsonl');
    expect(parseJsonl(await jsonl.text(), 'export').map((d) => [d.id, d.text, d.gold.map((g) => g.code)])).toEqual(docs.map((d) => [d.id, d.text, d.gold.map((g) => g.code)]));
    const fhir = await (await app.request(`/api/dataset-versions/${imported.version.id}/export?format=fhir`, { headers: qa.headers })).json();
    expect(parseFhirBundle(fhir).map((d) => [d.id, d.text, d.gold.map((g) => g.code)])).toEqual(docs.map((d) => [d.id, d.text, d.gold.map((g) => g.code)]));
    const csv = await (await app.request(`/api/dataset-versions/${imported.version.id}/export?format=csv`, { headers: qa.headers })).text();
    expect(csv.split('\r\n')[0]).toBe('id,system,code,description,evidence_start,evidence_end,evidence_quote');
    expect(csv).toContain('a2,ICD10CM,E11.65');

    // The FHIR export imports back as a dataset of its own.
    const again = await ok<{ version: { records: number } }>(call(qa, 'POST', '/api/datasets/import', { name: 'sample-from-fhir', format: 'fhir', content: JSON.stringify(fhir) }), 201);
    expect(again.version.records).toBe(2);
  });

  it('runs the pipeline on a version in the background, stores config and per-note predictions, and compares two runs', async () => {
    const { datasets } = await ok<{ datasets: { name: string; versions: { id: string }[] }[] }>(call(qa, 'GET', '/api/datasets'));
    const versionId = datasets.find((d) => d.name === 'sample')!.versions[0]!.id;
    const first = await ok<{ run: { id: string; status: string; total: number } }>(call(qa, 'POST', '/api/runs', { datasetVersionId: versionId, label: 'baseline' }), 202);
    expect(first.run.total).toBe(2);
    await runWorker.idle();
    const done = await ok<{ run: { status: string; done: number; config: { engine: string; datasetVersion: { name: string } }; metrics: { all: { code: { micro: { tp: number; fp: number; fn: number } } } } } }>(
      call(qa, 'GET', `/api/runs/${first.run.id}`),
    );
    // The fake engine suggests I10 wherever "hypertension" appears: right on a1, wrong on a2 (negated), and misses E11.65.
    expect(done.run).toMatchObject({ status: 'done', done: 2, config: { engine: 'engine-A', datasetVersion: { name: 'v1' } } });
    expect(done.run.metrics.all.code.micro).toMatchObject({ tp: 1, fp: 1, fn: 1 });

    suggester.engineVersion = 'engine-B';
    const second = await ok<{ run: { id: string } }>(call(qa, 'POST', '/api/runs', { dataset: 'sample@v1', label: 'candidate' }), 202);
    await runWorker.idle();
    const cmp = await ok<{ code: { f1: { delta: number } }; documents: unknown[]; unchanged: number }>(call(qa, 'GET', `/api/runs/compare?a=${first.run.id}&b=${second.run.id}`));
    expect(cmp.code.f1.delta).toBe(0);
    expect(cmp.unchanged).toBe(2);
    const { runs } = await ok<{ runs: { id: string; config: { engine: string } }[] }>(call(qa, 'GET', '/api/runs'));
    expect(runs.map((r) => r.config.engine)).toEqual(['engine-B', 'engine-A']);
    await fails(call(qa, 'POST', '/api/runs', { dataset: 'sample@nope' }), 404);
  });

  it('the dashboard counts finalized notes, suggestion use and rejection reasons, drills down to the notes, and exports CSV', async () => {
    await fails(call(coder, 'GET', '/api/qa/dashboard'), 403);
    const d = await ok<any>(call(qa, 'GET', '/api/qa/dashboard?fresh=true'));
    expect(d.notes).toBe(3);
    // Per note: 3 suggestions, 3 final codes of which 1 accepted unchanged, 1 edited, 1 added.
    expect(d.decisions).toMatchObject({ suggestions: 9, finalCodes: 9 });
    expect(d.decisions.acceptanceRate).toBeCloseTo(1 / 3);
    expect(d.decisions.addedMissedRate).toBeCloseTo(1 / 3);
    // The Accepted / Edited / Added cards share one denominator and add up to it; Rejected has its own (decided suggestions).
    expect(d.decisions.finalSources).toEqual({ accepted: 3, edited: 3, added: 3, other: 0 });
    expect(d.decisions).toMatchObject({ rejected: 3, decided: 9 });
    expect(d.decisions.rejectionReasons[0]).toMatchObject({ reason: 'negated', count: 3 });
    expect(d.trends).toEqual([expect.objectContaining({ week: '2025-W45', notes: 3 })]);
    expect(d.overall).toMatchObject({ tp: 3, fp: 6, fn: 6 });
    const chapter = d.byChapter.find((r: { key: string }) => r.key === '4');
    expect(chapter).toMatchObject({ tp: 3, notes: 3, drill: 'chapter:4' });
    const drill = await ok<{ notes: { id: string; status: string; codes: { code: string; kind: string }[] }[] }>(call(qa, 'GET', `/api/qa/drill?key=${encodeURIComponent('reason:negated')}`));
    expect(drill.notes).toHaveLength(3);
    expect(drill.notes.every((n) => n.status === 'coded')).toBe(true);
    // Each note lists its codes as TP / FP / FN: E11.65 accepted; I10 (edited to I11.9) and J18.9 (rejected) suggested only; I11.9 and W19.XXXA final only.
    const byKind = (codes: { code: string; kind: string }[]) => codes.map((c) => `${c.kind.toUpperCase()} ${c.code}`).sort();
    for (const n of drill.notes) expect(byKind(n.codes)).toEqual(['FN I11.9', 'FN W19.XXXA', 'FP I10', 'FP J18.9', 'TP E11.65']);
    // A chapter row lists only that chapter's codes (chapter 4: E11.65).
    const ch4 = await ok<{ notes: { codes: { code: string; kind: string }[] }[] }>(call(qa, 'GET', '/api/qa/drill?key=chapter:4'));
    expect(ch4.notes.map((n) => byKind(n.codes))).toEqual([['TP E11.65'], ['TP E11.65'], ['TP E11.65']]);
    await fails(call(qa, 'GET', '/api/qa/drill?key=chapter:99'), 404);
    const empty = await ok<any>(call(qa, 'GET', '/api/qa/dashboard?fresh=true&from=2026-01-01&to=2026-01-31'));
    expect(empty.notes).toBe(0);
    expect(empty.decisions.acceptanceRate).toBeNull();
    await fails(call(qa, 'GET', '/api/qa/dashboard?from=2026-02-01&to=2026-01-01'), 400, 'bad_period');
    const csv = await app.request('/api/qa/tables/reasons', { headers: qa.headers });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n').slice(0, 2)).toEqual(['reason,count,share', 'negated,3,1.0000']);
  });

  it('blind second coding: a sample is assigned to another coder, who codes without seeing the first codes; agreement and kappa follow', async () => {
    clock += 60_000;
    const { assigned } = await ok<{ assigned: number }>(call(qa, 'POST', '/api/qa/second-coding/sample', { sample: 'nov', perCoder: 2, seed: 7 }), 201);
    expect(assigned).toBe(2);
    const mine = await ok<{ assignments: { id: string; noteId: string; status: string }[] }>(call(coder2, 'GET', '/api/second-codings'));
    expect(mine.assignments).toHaveLength(2);
    expect((await ok<{ assignments: unknown[] }>(call(coder, 'GET', '/api/second-codings'))).assignments).toHaveLength(0);
    const first = await ok<{ text: string; codes: unknown }>(call(coder2, 'GET', `/api/second-codings/${mine.assignments[0]!.id}`));
    expect(first.text).toBe(NOTE);
    expect(JSON.stringify(first)).not.toContain('I11.9');
    await fails(call(coder, 'GET', `/api/second-codings/${mine.assignments[0]!.id}`), 404);
    await fails(call(coder2, 'POST', `/api/second-codings/${mine.assignments[0]!.id}`, { codes: [{ system: 'ICD10CM', code: 'E11' }] }), 400, 'not_billable');
    // Agrees on E11.65 and W19.XXXA, codes I10 instead of I11.9 on both notes.
    for (const a of mine.assignments) {
      await ok(call(coder2, 'POST', `/api/second-codings/${a.id}`, { codes: ['E11.65', 'I10', 'W19.XXXA'].map((code) => ({ system: 'ICD10CM', code })) }));
    }
    await fails(call(coder2, 'POST', `/api/second-codings/${mine.assignments[0]!.id}`, { codes: [] }), 409, 'already_done');
    const d = await ok<any>(call(qa, 'GET', '/api/qa/dashboard?fresh=true'));
    // Per note: both 2, first only 1 (I11.9), second only 1 (I10); universe = 4 codes → neither 0.
    expect(d.agreement.overall).toMatchObject({ notes: 2, both: 4, firstOnly: 2, secondOnly: 2, neither: 0 });
    expect(d.agreement.overall.positiveAgreement).toBeCloseTo(8 / 12);
    expect(d.agreement.byCoder).toEqual([expect.objectContaining({ coderId: coder.user.id, pairs: 2 })]);
  });

  it('audit worksheet: every final code judged, missing codes added; accuracy per coder and for the engine', async () => {
    const id = await codedNote(coder);
    await fails(call(qa, 'POST', `/api/qa/audits/${id}`, { items: [{ system: 'ICD10CM', code: 'E11.65', verdict: 'correct' }] }), 400, 'incomplete');
    const subject = await ok<{ finals: { code: string }[] }>(call(qa, 'GET', `/api/qa/audits/${id}`));
    expect(subject.finals.map((f) => f.code).sort()).toEqual(['E11.65', 'I11.9', 'W19.XXXA']);
    await ok(
      call(qa, 'POST', `/api/qa/audits/${id}`, {
        items: [
          { system: 'ICD10CM', code: 'E11.65', verdict: 'correct' },
          { system: 'ICD10CM', code: 'I11.9', verdict: 'incorrect', reason: 'no heart disease documented' },
          { system: 'ICD10CM', code: 'W19.XXXA', verdict: 'correct' },
          { system: 'ICD10CM', code: 'I10', verdict: 'missing' },
        ],
      }),
      201,
    );
    const d = await ok<any>(call(qa, 'GET', '/api/qa/dashboard?fresh=true'));
    // Coder: 2 correct, 1 incorrect, 1 missing → 0.5. Engine (E11.65, I10, J18.9) against truth {E11.65, W19.XXXA, I10}: 2 correct, 1 incorrect, 1 missing → 0.5.
    expect(d.audits.coders).toEqual([expect.objectContaining({ coderId: coder.user.id, correct: 2, incorrect: 1, missing: 1, accuracy: 0.5, meetsBenchmark: false })]);
    expect(d.audits.engine).toMatchObject({ correct: 2, incorrect: 1, missing: 1, accuracy: 0.5 });
    expect(d.audits.benchmark).toBe(0.95);
  });

  it('serves the previous dashboard marked stale while a rebuild folds in a change, then the new one', async () => {
    const service = createQaService(database.db, { freshWithinMs: 0, stampTtlMs: 0 });
    const before = await service.overview({});
    expect(before.stale).toBe(false);
    await codedNote(coder);
    const stale = await service.overview({});
    expect(stale).toMatchObject({ stale: true, notes: before.notes });
    const fresh = await service.overview({}, true);
    expect(fresh).toMatchObject({ stale: false, notes: before.notes + 1 });
  });
});
