import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { compareRuns } from '../../eval/compare.ts';
import { DatasetError, parseJsonl } from '../../eval/datasets.ts';
import { parseFhirBundle, toCsv, toFhirBundle, toJsonl, type DatasetDocument } from '../../eval/formats.ts';
import { computeMetrics } from '../../eval/metrics.ts';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { findVersion, freezeVersion, importDataset, listDatasets, versionRecords } from '../db/queries/datasets.ts';
import { createRun, getRun, listRuns, runPredictions, type RunSummary } from '../db/queries/eval-runs.ts';
import { DATASET_KINDS, RUN_STATUSES } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { llmConfigFrom } from '../llm/client.ts';
import type { AppDeps } from './deps.ts';
import { errors, IdParams, json, ok } from './review-schemas.ts';

const QA = allow('qa_lead', 'admin');
/** Imports arrive as one JSON body: a JSONL text or a FHIR Bundle. */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
const Name = z.string().trim().min(1).max(120).regex(/^[^@/]+$/, 'no "@" or "/" (they address versions)');

const VersionSchema = z.object({ id: z.string(), datasetId: z.string(), name: z.string(), records: z.number().int(), createdBy: z.string().nullable(), createdAt: z.string() }).openapi('DatasetVersion');
const DatasetSchema = z
  .object({ id: z.string(), name: z.string(), kind: z.enum(DATASET_KINDS), description: z.string(), records: z.number().int(), createdAt: z.string(), versions: z.array(VersionSchema) })
  .openapi('Dataset');
const RunSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    status: z.enum(RUN_STATUSES),
    dataset: z.string(),
    datasetVersion: z.string(),
    datasetVersionId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    config: z.record(z.string(), z.unknown()).describe('RunConfig: engine, llmModel, embedder, datasetVersion, concurrency, observed versions'),
    metrics: z.record(z.string(), z.unknown()).nullable().describe('RunMetrics: "all" and one entry per code system, eval/metrics.ts EvalMetrics without perDoc/perCode'),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('EvalRun');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const versionJson = (v: { id: string; datasetId: string; name: string; records: number; createdBy: string | null; createdAt: Date }) => ({ ...v, createdAt: v.createdAt.toISOString() });
const runJson = (r: RunSummary) => ({
  id: r.id,
  label: r.label,
  status: r.status,
  dataset: r.dataset,
  datasetVersion: r.datasetVersion,
  datasetVersionId: r.datasetVersionId,
  done: r.done,
  total: r.total,
  config: r.config as unknown as Record<string, unknown>,
  metrics: r.metrics as Record<string, unknown> | null,
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
});

const list = createRoute({
  method: 'get',
  path: '/api/datasets',
  summary: 'Evaluation datasets with their frozen versions (QA lead, admin)',
  middleware: QA,
  responses: { 200: ok('Datasets', z.object({ datasets: z.array(DatasetSchema) })), 401: errors('No session'), 403: errors('Not QA') },
});

const freeze = createRoute({
  method: 'post',
  path: '/api/datasets/{name}/versions',
  summary: 'Freeze the current records of a dataset as a named, immutable version (e.g. "2026-12 decisions")',
  middleware: allow('qa_lead'),
  request: { params: z.object({ name: Name.openapi({ param: { name: 'name', in: 'path' } }) }), body: json(z.object({ name: Name })) },
  responses: { 201: ok('Frozen', z.object({ version: VersionSchema })), 400: errors('Bad name'), 403: errors('Not a QA lead'), 404: errors('No such dataset'), 409: errors('Version name taken, or nothing to freeze') },
});

const importRoute = createRoute({
  method: 'post',
  path: '/api/datasets/import',
  summary: 'Import a gold-coded dataset: JSONL text ({id, text, encounter, gold:[{system, code}]} per line) or a FHIR R4 Bundle as exported here',
  description: 'Stored as a new dataset and frozen as its first version. A bad line or resource is a 400 naming it; nothing is stored then.',
  middleware: [allow('qa_lead'), bodyLimit({ maxSize: MAX_IMPORT_BYTES, onError: () => { throw new ApiError(413, 'body_too_large', `Imports are limited to ${MAX_IMPORT_BYTES} bytes`); } })] as const,
  request: {
    body: json(
      z.object({
        name: Name,
        description: z.string().max(2000).optional(),
        versionName: Name.optional(),
        format: z.enum(['jsonl', 'fhir']),
        content: z.string().min(1).describe('The JSONL text, or the FHIR Bundle as JSON text'),
      }),
    ),
  },
  responses: { 201: ok('Imported', z.object({ dataset: z.object({ id: z.string(), name: z.string() }), version: VersionSchema })), 400: errors('Bad content'), 403: errors('Not a QA lead'), 409: errors('Dataset name taken'), 413: errors('Too large') },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/dataset-versions/{id}/export',
  summary: 'Download a frozen version as JSONL, CSV (one row per gold code) or a FHIR R4 Bundle (Condition / Procedure with the evidence as an extension)',
  middleware: QA,
  request: { params: IdParams, query: z.object({ format: z.enum(['jsonl', 'csv', 'fhir']).default('jsonl') }) },
  responses: { 200: { description: 'The file' }, 404: errors('No such version') },
});

const runs = createRoute({
  method: 'get',
  path: '/api/runs',
  summary: 'Evaluation runs, newest first, with progress and metrics',
  middleware: QA,
  responses: { 200: ok('Runs', z.object({ runs: z.array(RunSchema) })), 401: errors('No session'), 403: errors('Not QA') },
});

const startRun = createRoute({
  method: 'post',
  path: '/api/runs',
  summary: 'Apply the current pipeline configuration to a dataset version (runs in the background; poll GET /api/runs/{id})',
  middleware: allow('qa_lead'),
  request: { body: json(z.object({ datasetVersionId: z.uuid().optional(), dataset: z.string().trim().min(1).max(250).optional().describe('"name@version" or "name" (its newest version)'), label: z.string().trim().max(200).default('') }).refine((b) => b.datasetVersionId || b.dataset, 'give datasetVersionId or dataset')) },
  responses: { 202: ok('Queued', z.object({ run: RunSchema })), 400: errors('Bad body'), 404: errors('No such version'), 503: errors('No engine') },
});

const getRunRoute = createRoute({
  method: 'get',
  path: '/api/runs/{id}',
  summary: 'One run: status, progress, configuration, metrics',
  middleware: QA,
  request: { params: IdParams },
  responses: { 200: ok('Run', z.object({ run: RunSchema })), 404: errors('No such run') },
});

const Change = z.object({ system: z.string(), code: z.string() });
const compare = createRoute({
  method: 'get',
  path: '/api/runs/compare',
  summary: 'Compare two finished runs on the same dataset: metric deltas (b − a) and the documents whose codes changed',
  middleware: QA,
  request: { query: z.object({ a: z.uuid(), b: z.uuid() }) },
  responses: {
    200: ok(
      'Comparison',
      z.object({
        a: RunSchema,
        b: RunSchema,
        code: z.record(z.string(), z.object({ a: z.number(), b: z.number(), delta: z.number() })),
        category: z.record(z.string(), z.object({ a: z.number(), b: z.number(), delta: z.number() })),
        documents: z.array(
          z.object({ id: z.string(), noteId: z.string().nullable(), gained: z.array(Change), lost: z.array(Change), newFalsePositives: z.array(Change), removedFalsePositives: z.array(Change), changes: z.number().int() }),
        ),
        unchanged: z.number().int(),
        onlyInA: z.array(z.string()),
        onlyInB: z.array(z.string()),
      }),
    ),
    404: errors('No such run'),
    409: errors('A run is not finished'),
  },
});

function parseImport(format: 'jsonl' | 'fhir', content: string, name: string): DatasetDocument[] {
  try {
    if (format === 'jsonl') return parseJsonl(content, name);
    let bundle: unknown;
    try {
      bundle = JSON.parse(content);
    } catch (err) {
      throw new ApiError(400, 'bad_content', `content is not JSON: ${(err as Error).message}`);
    }
    return parseFhirBundle(bundle, name);
  } catch (err) {
    if (err instanceof DatasetError) throw new ApiError(400, 'bad_content', err.message);
    throw err;
  }
}

export function evaluationRoutes(deps: AppDeps) {
  return new OpenAPIHono<AuthEnv>()
    .openapi(list, async (c) => {
      const sets = await listDatasets(deps.db);
      return c.json({ datasets: sets.map((s) => ({ id: s.id, name: s.name, kind: s.kind, description: s.description, records: s.records, createdAt: s.createdAt.toISOString(), versions: s.versions.map(versionJson) })) }, 200);
    })
    .openapi(freeze, async (c) => {
      const version = await freezeVersion(deps.db, { dataset: c.req.valid('param').name, name: c.req.valid('json').name, actorId: c.get('auth').user.id });
      return c.json({ version: versionJson(version) }, 201);
    })
    .openapi(importRoute, async (c) => {
      const body = c.req.valid('json');
      const docs = parseImport(body.format, body.content, body.name);
      const r = await importDataset(deps.db, { name: body.name, description: body.description, versionName: body.versionName, docs, actorId: c.get('auth').user.id });
      return c.json({ dataset: { id: r.dataset.id, name: r.dataset.name }, version: versionJson(r.version) }, 201);
    })
    .openapi(exportRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { format } = c.req.valid('query');
      const version = await findVersion(deps.db, { id });
      const docs: DatasetDocument[] = (await versionRecords(deps.db, id)).map((r) => ({ id: r.recordKey, text: r.text, encounter: r.encounter, gold: r.gold }));
      const base = `${version.dataset}-${version.name}`.replace(/[^\w.-]+/g, '_');
      const [body, type, ext] =
        format === 'jsonl' ? [toJsonl(docs), 'application/x-ndjson', 'jsonl'] : format === 'csv' ? [toCsv(docs), 'text/csv', 'csv'] : [JSON.stringify(toFhirBundle(docs)), 'application/fhir+json', 'fhir.json'];
      return c.body(body, 200, { 'content-type': `${type}; charset=utf-8`, 'content-disposition': `attachment; filename="${base}.${ext}"` });
    })
    .openapi(runs, async (c) => c.json({ runs: (await listRuns(deps.db)).map(runJson) }, 200))
    .openapi(startRun, async (c) => {
      if (!deps.suggester) throw new ApiError(503, 'engine_unavailable', 'No coding engine is configured on this server');
      const body = c.req.valid('json');
      const version = await findVersion(deps.db, body.datasetVersionId ? { id: body.datasetVersionId } : { name: body.dataset! });
      const llm = llmConfigFrom(deps.config);
      const created = await createRun(deps.db, {
        versionId: version.id,
        label: body.label,
        config: { engine: deps.suggester.engineVersion, llmModel: llm?.model ?? null, embedder: deps.embedder?.modelId ?? null, concurrency: 1 },
        actorId: c.get('auth').user.id,
      });
      // Without a run worker here (API only), a `medcode worker` process picks the run up at its next poll.
      deps.runWorker?.wake();
      return c.json({ run: runJson(await getRun(deps.db, created.id)) }, 202);
    })
    .openapi(compare, async (c) => {
      const q = c.req.valid('query');
      const [a, b] = await Promise.all([getRun(deps.db, q.a), getRun(deps.db, q.b)]);
      if (a.status !== 'done' || b.status !== 'done') throw new ApiError(409, 'not_finished', 'Both runs must be finished to compare them');
      const load = async (run: RunSummary) => {
        // A model evaluation predicts only the notes the model did not learn from (models/evaluate-model.ts):
        // the records a run has no prediction for are outside it; a worker's finished run predicts them all.
        const rows = (await runPredictions(deps.db, run)).filter((r) => r.predicted !== null);
        const predictions = rows.map((r) => ({ id: r.recordKey, gold: r.gold, predicted: r.predicted ?? [] }));
        return { rows, comparable: { metrics: computeMetrics(predictions.map((p) => ({ ...p, predicted: p.predicted }))), predictions } };
      };
      const [la, lb] = await Promise.all([load(a), load(b)]);
      const cmp = compareRuns(la.comparable, lb.comparable);
      const noteOf = new Map([...la.rows, ...lb.rows].map((r) => [r.recordKey, r.noteId]));
      const refs = (xs: readonly { system: string; code: string }[]) => xs.map(({ system, code }) => ({ system, code }));
      return c.json(
        {
          a: runJson(a),
          b: runJson(b),
          code: { ...cmp.code },
          category: { ...cmp.category },
          documents: cmp.documents.map((d) => ({
            id: d.id,
            noteId: noteOf.get(d.id) ?? null,
            gained: refs(d.gained),
            lost: refs(d.lost),
            newFalsePositives: refs(d.newFalsePositives),
            removedFalsePositives: refs(d.removedFalsePositives),
            changes: d.changes,
          })),
          unchanged: cmp.unchanged,
          onlyInA: cmp.onlyInA,
          onlyInB: cmp.onlyInB,
        },
        200,
      );
    })
    .openapi(getRunRoute, async (c) => c.json({ run: runJson(await getRun(deps.db, c.req.valid('param').id)) }, 200));
}
