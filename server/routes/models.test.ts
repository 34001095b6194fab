import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loginAs, type TestSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { listAudit } from '../db/queries/audit.ts';
import { freezeVersion } from '../db/queries/datasets.ts';
import { activeModel, saveLearnedModel } from '../db/queries/learned.ts';
import { datasetRecords, datasets, DECISIONS_DATASET } from '../db/schema/index.ts';
import { freshDatabase } from '../db/testing.ts';
import type { LearnedModel } from '../pipeline/learned.ts';
import { ENGINE_VERSION } from '../pipeline/run.ts';

const model = (id: string): LearnedModel => ({ id, params: { threshold: 0.3 }, phrase: new Map(), code: new Map([['I10', { tp: 3, fp: 1 }]]), mined: new Map() });

describe('model registry API', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let qa: TestSession;
  let admin: TestSession;
  let coder: TestSession;
  const call = (s: TestSession, method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { ...s.headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const auditCount = async () => (await listAudit(database.db, { entity: 'learned_model', limit: 100 })).length;

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind });
    qa = await loginAs(app, database.db, 'qa_lead');
    admin = await loginAs(app, database.db, 'admin');
    coder = await loginAs(app, database.db, 'coder');
    await saveLearnedModel(database.db, model('shipped-1'), { dataset: 'codiesp-train', engineVersion: ENGINE_VERSION, notes: 500, status: 'active', source: 'shipped' });
    await saveLearnedModel(database.db, model('site-a'), { dataset: 'decisions@2026-03', engineVersion: ENGINE_VERSION, notes: 300 });
    await saveLearnedModel(database.db, model('site-old'), { dataset: 'decisions@2025-10', engineVersion: 'offline-0', notes: 200 });
  });
  afterAll(async () => database?.close());

  it('lists the models with the active one, for QA leads and admins only', async () => {
    const res = await call(admin, 'GET', '/api/models');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { active: string; models: { id: string; status: string; source: string }[] };
    expect(body.active).toBe('shipped-1');
    expect(body.models.map((m) => [m.id, m.status, m.source]).sort()).toEqual([
      ['shipped-1', 'active', 'shipped'],
      ['site-a', 'candidate', 'site'],
      ['site-old', 'candidate', 'site'],
    ]);
    expect((await call(coder, 'GET', '/api/models')).status).toBe(403);
    expect(((await (await app.request('/health')).json()) as { learnedModel: unknown }).learnedModel).toEqual({ active: 'shipped-1', notices: [] });
  });

  it('refuses a coder, a model another engine learned and an unknown model, writing nothing', async () => {
    expect((await call(coder, 'POST', '/api/models/site-a/promote')).status).toBe(403);
    expect((await call(coder, 'POST', '/api/models/rollback')).status).toBe(403);
    const old = await call(qa, 'POST', '/api/models/site-old/promote');
    expect(old.status).toBe(409);
    expect(await errorOf(old)).toMatchObject({ code: 'incompatible_model', message: expect.stringContaining('learned by engine offline-0') });
    expect((await call(qa, 'POST', '/api/models/nope/promote')).status).toBe(404);
    expect((await call(qa, 'POST', '/api/models/bad%20id/promote')).status).toBe(400);
    expect(await errorOf(await call(qa, 'POST', '/api/models/rollback'))).toMatchObject({ code: 'nothing_to_roll_back' });
    expect((await activeModel(database.db))!.id).toBe('shipped-1');
    expect(await auditCount()).toBe(0);
  });

  it('promotes and rolls back, audited with who and what was active before', async () => {
    const promoted = await call(qa, 'POST', '/api/models/site-a/promote');
    expect(promoted.status).toBe(200);
    expect(((await promoted.json()) as { model: { status: string } }).model.status).toBe('active');
    expect((await call(qa, 'POST', '/api/models/site-a/promote')).status).toBe(409);
    const back = await call(admin, 'POST', '/api/models/rollback');
    expect(((await back.json()) as { model: { id: string } }).model.id).toBe('shipped-1');
    const audit = await listAudit(database.db, { entity: 'learned_model', limit: 10 });
    expect(audit.map((a) => [a.action, a.entityId, a.userId, a.before, a.after])).toEqual([
      ['model.promote', 'site-a', qa.user.id, { active: 'shipped-1' }, { active: 'site-a' }],
      ['model.rollback', 'shipped-1', admin.user.id, { active: 'site-a' }, { active: 'shipped-1' }],
    ]);
  });

  it('refuses to learn from an unknown version, a version of another set, or too few decisions (nothing stored)', async () => {
    expect((await call(qa, 'POST', '/api/models/learn', { version: '2099-01' })).status).toBe(404);
    const [set] = await database.db.select().from(datasets).where(eq(datasets.name, DECISIONS_DATASET));
    await database.db.insert(datasetRecords).values({
      datasetId: set!.id,
      recordKey: 'n1',
      revision: 1,
      text: 'Essential hypertension.',
      encounter: { setting: 'outpatient', dateOfService: '2026-03-02' },
      gold: [{ system: 'ICD10CM', code: 'I10', evidence: [] }],
      outcomes: [{ suggestionId: 's1', system: 'ICD10CM', code: 'I10', confidence: 0.9, outcome: 'accepted' }],
      finalizedAt: new Date(),
    });
    await freezeVersion(database.db, { dataset: DECISIONS_DATASET, name: 'day-1', actorId: null });
    expect((await call(coder, 'POST', '/api/models/learn', { version: 'day-1' })).status).toBe(403);
    const few = await call(qa, 'POST', '/api/models/learn', { version: 'decisions@day-1' });
    expect(few.status).toBe(422);
    expect((await errorOf(few)).message).toBe(
      'too few decisions to learn from: decisions@day-1 holds 1 finalized notes and 1 decided suggestions; at least 20 notes and 50 decisions are needed',
    );
    expect(((await (await call(qa, 'GET', '/api/models')).json()) as { models: unknown[] }).models).toHaveLength(3);
  });
});
