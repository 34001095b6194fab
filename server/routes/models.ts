import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { modelRow, type LearnedModelRow } from '../db/queries/learned.ts';
import { MODEL_SOURCES, MODEL_STATUSES } from '../db/schema/index.ts';
import { evaluateModel } from '../models/evaluate-model.ts';
import { learnFromDecisions } from '../models/learn-candidate.ts';
import { modelRegistry, promoteModel, rollbackModel } from '../models/registry.ts';
import type { AppDeps } from './deps.ts';
import { errors, json, ok } from './schemas.ts';

const QA = allow('qa_lead', 'admin');
const ModelId = z.string().trim().min(1).max(120).regex(/^[A-Za-z0-9._+-]+$/, 'letters, digits and . _ + -');
const IdParam = z.object({ id: ModelId.openapi({ param: { name: 'id', in: 'path' } }) });
const Scores = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });
const ModelSchema = z
  .object({
    id: z.string(),
    status: z.enum(MODEL_STATUSES),
    source: z.enum(MODEL_SOURCES),
    dataset: z.string().describe('What it learned from, e.g. "decisions@2026-12"'),
    engineVersion: z.string(),
    notes: z.number().int(),
    params: z.record(z.string(), z.number()),
    training: z
      .object({ dataset: z.string(), version: z.string().nullable(), records: z.number().int(), decisions: z.record(z.string(), z.number()).optional(), also: z.array(z.string()).optional() })
      .nullable(),
    metrics: z
      .object({
        train: Scores,
        evaluation: z.object({ version: z.string(), model: Scores, active: Scores.extend({ id: z.string() }), modelRun: z.string(), activeRun: z.string() }).optional(),
      })
      .nullable(),
    notice: z.string().nullable(),
    createdAt: z.string(),
    promotedAt: z.string().nullable(),
  })
  .openapi('LearnedModel');

const modelJson = (m: LearnedModelRow) => ({
  id: m.id,
  status: m.status,
  source: m.source,
  dataset: m.dataset,
  engineVersion: m.engineVersion,
  notes: m.notes,
  params: m.params,
  training: m.training,
  metrics: m.metrics,
  notice: m.notice,
  createdAt: m.createdAt.toISOString(),
  promotedAt: m.promotedAt?.toISOString() ?? null,
});

const list = createRoute({
  method: 'get',
  path: '/api/models',
  summary: 'Learned models: the active one, candidates and retired ones, with training data, engine version and metrics',
  middleware: QA,
  responses: { 200: ok('Models', z.object({ active: z.string().nullable(), models: z.array(ModelSchema) })), 401: errors('No session'), 403: errors('Not QA') },
});

const learn = createRoute({
  method: 'post',
  path: '/api/models/learn',
  summary: "Learn a candidate model from a frozen version of the coders' decisions (it is not used until promoted)",
  middleware: QA,
  request: { body: json(z.object({ version: z.string().trim().min(1).max(250).describe('A version of the decisions set: "2026-12" or "decisions@2026-12"'), id: ModelId.optional() })) },
  responses: { 201: ok('Learned', z.object({ model: ModelSchema })), 403: errors('Not QA'), 404: errors('No such version'), 409: errors('Model id taken'), 422: errors('Too few decisions') },
});

const evaluate = createRoute({
  method: 'post',
  path: '/api/models/{id}/evaluate',
  summary: 'Measure a candidate beside the active model on a later frozen version; both are stored as evaluation runs (compare them with GET /api/runs/compare)',
  middleware: QA,
  request: { params: IdParam, body: json(z.object({ version: z.string().trim().min(1).max(250) })) },
  responses: { 200: ok('Evaluated', z.object({ model: ModelSchema })), 404: errors('No such model or version'), 409: errors('Not a later version, or no active model') },
});

const promote = createRoute({
  method: 'post',
  path: '/api/models/{id}/promote',
  summary: 'Put a candidate in force for new notes (audited; workers pick it up without a restart)',
  middleware: QA,
  request: { params: IdParam },
  responses: { 200: ok('Promoted', z.object({ model: ModelSchema })), 404: errors('No such model'), 409: errors('Already active, or learned by another engine version') },
});

const rollback = createRoute({
  method: 'post',
  path: '/api/models/rollback',
  summary: 'Put back the model that was active before the current one (audited)',
  middleware: QA,
  responses: { 200: ok('Rolled back', z.object({ model: ModelSchema })), 409: errors('Nothing to roll back to, or it was learned by another engine version') },
});

export function modelRoutes(deps: AppDeps) {
  const embedder = deps.embedder;
  return new OpenAPIHono<AuthEnv>()
    .openapi(list, async (c) => {
      const view = await modelRegistry(deps.db);
      return c.json({ active: view.active?.id ?? null, models: view.models.map(modelJson) }, 200);
    })
    .openapi(learn, async (c) => {
      const body = c.req.valid('json');
      const learned = await learnFromDecisions(deps.db, { version: body.version, id: body.id, embedder, externalCauses: deps.config.EXTERNAL_CAUSE_CODES, actorId: c.get('auth').user.id });
      return c.json({ model: modelJson((await modelRow(deps.db, learned.id))!) }, 201);
    })
    .openapi(evaluate, async (c) => {
      const { id } = c.req.valid('param');
      await evaluateModel(deps.db, { id, version: c.req.valid('json').version, embedder, externalCauses: deps.config.EXTERNAL_CAUSE_CODES, actorId: c.get('auth').user.id });
      return c.json({ model: modelJson((await modelRow(deps.db, id))!) }, 200);
    })
    .openapi(promote, async (c) => c.json({ model: modelJson(await promoteModel(deps.db, { id: c.req.valid('param').id, actorId: c.get('auth').user.id })) }, 200))
    .openapi(rollback, async (c) => c.json({ model: modelJson(await rollbackModel(deps.db, { actorId: c.get('auth').user.id })) }, 200));
}
