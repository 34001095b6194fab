import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { AUDIT_VERDICTS } from '../../eval/agreement.ts';
import { toCsvRows } from '../../eval/formats.ts';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { CODE_SYSTEMS } from '../codes/types.ts';
import { CodeSystemSchema } from '../codes/code-system-aliases.ts';
import { DatasetStoreError } from '../db/queries/datasets.ts';
import { auditSubject, completeSecondCoding, getSecondCoding, listSecondCodings, notesByIds, sampleSecondCoding, storeAudit, type Period } from '../db/queries/qa.ts';
import { findBillableCode } from '../db/queries/reviews.ts';
import { notes } from '../db/schema/index.ts';
import { createQaService, type QaOverview } from '../evaluation/qa-service.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errors, IdParams, json, ok } from './review-schemas.ts';

const QA = allow('qa_lead', 'admin');
const Day = z.iso.date();
const PeriodQuery = z.object({
  from: Day.optional().describe('First day (UTC), inclusive'),
  to: Day.optional().describe('Last day (UTC), inclusive'),
});
const periodOf = (q: { from?: string | undefined; to?: string | undefined }): Period => {
  const from = q.from ? new Date(`${q.from}T00:00:00Z`) : undefined;
  const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined;
  if (from && to && from >= to) throw new ApiError(400, 'bad_period', '"from" must be on or before "to"');
  return { from, to };
};
const CodeRef = z.object({ system: CodeSystemSchema, code: z.string().trim().min(1).max(12) });

const TABLES = ['trends', 'chapters', 'bands', 'systems', 'reasons', 'queries', 'agreement', 'audits'] as const;
type Table = (typeof TABLES)[number];

const dashboard = createRoute({
  method: 'get',
  path: '/api/qa/dashboard',
  summary: 'QA dashboard: weekly trends, engine precision/recall by chapter, band and system, suggestion use, rejection reasons, query statistics, coder agreement, audit accuracy',
  description: 'Computed from the newest record of every note finalized in the period; every table row has a `drill` key for GET /api/qa/drill.',
  middleware: QA,
  request: { query: PeriodQuery.extend({ fresh: z.enum(['true', 'false']).optional().describe('true: wait until every change so far is included (otherwise a recent change may be answered with `stale: true` and folded in moments later)') }) },
  responses: { 200: ok('Dashboard', z.record(z.string(), z.unknown())), 400: errors('Bad period'), 401: errors('No session'), 403: errors('Not QA') },
});

const drill = createRoute({
  method: 'get',
  path: '/api/qa/drill',
  summary: 'The notes behind a dashboard number (drill key from the dashboard, e.g. "chapter:4", "reason:negated", "week:2026-W48", "all")',
  middleware: QA,
  request: { query: PeriodQuery.extend({ key: z.string().min(1).max(100) }) },
  responses: {
    200: ok(
      'Notes, each with its codes as TP (suggested and final), FP (suggested only) and FN (final only); for a chapter, band or system row only the codes of that row',
      z.object({
        key: z.string(),
        notes: z.array(
          z.object({
            id: z.string(),
            externalId: z.string().nullable(),
            status: z.string(),
            setting: z.string(),
            updatedAt: z.string(),
            codes: z.array(z.object({ system: z.enum(CODE_SYSTEMS), code: z.string(), kind: z.enum(['tp', 'fp', 'fn']) })),
          }),
        ),
      }),
    ),
    404: errors('Unknown drill key'),
  },
});

const table = createRoute({
  method: 'get',
  path: '/api/qa/tables/{table}',
  summary: 'A dashboard table as CSV',
  middleware: QA,
  request: { params: z.object({ table: z.enum(TABLES).openapi({ param: { name: 'table', in: 'path' } }) }), query: PeriodQuery },
  responses: { 200: { description: 'text/csv' }, 400: errors('Unknown table') },
});

const sample = createRoute({
  method: 'post',
  path: '/api/qa/second-coding/sample',
  summary: 'Sample coded notes per coder (seeded, reproducible) and assign each to another coder for blind second coding',
  middleware: allow('qa_lead'),
  request: { body: json(z.object({ sample: z.string().trim().min(1).max(120), perCoder: z.number().int().min(1).max(500).default(30), from: Day.optional(), to: Day.optional(), seed: z.number().int().default(1) })) },
  responses: { 201: ok('Assigned', z.object({ assigned: z.number().int() })), 409: errors('Fewer than two coders') },
});

const Assignment = z.object({ id: z.string(), noteId: z.string(), sample: z.string(), status: z.enum(['assigned', 'done']), createdAt: z.string(), completedAt: z.string().nullable() });
const assignments = createRoute({
  method: 'get',
  path: '/api/second-codings',
  summary: "Second-coding assignments: a coder's own; all for QA",
  middleware: allow('coder', 'qa_lead', 'admin'),
  request: { query: z.object({ status: z.enum(['assigned', 'done']).optional() }) },
  responses: { 200: ok('Assignments', z.object({ assignments: z.array(Assignment) })) },
});

const assignment = createRoute({
  method: 'get',
  path: '/api/second-codings/{id}',
  summary: 'One assignment with the note text: blind, without the first coder\'s codes',
  middleware: allow('coder', 'qa_lead'),
  request: { params: IdParams },
  responses: { 200: ok('Assignment', z.object({ assignment: Assignment, text: z.string(), encounter: z.record(z.string(), z.unknown()), codes: z.array(CodeRef).nullable() })), 404: errors('Not yours or unknown') },
});

const submit = createRoute({
  method: 'post',
  path: '/api/second-codings/{id}',
  summary: 'Submit the second coding (billable codes of the release in force)',
  middleware: allow('coder'),
  request: { params: IdParams, body: json(z.object({ codes: z.array(CodeRef).max(200) })) },
  responses: { 200: ok('Submitted', z.object({ assignment: Assignment })), 400: errors('Unknown or non-billable code'), 404: errors('Not yours'), 409: errors('Already submitted') },
});

const subject = createRoute({
  method: 'get',
  path: '/api/qa/audits/{id}',
  summary: 'What an audit worksheet judges for a coded note: its final codes (and the engine suggestions, judged implicitly)',
  middleware: allow('qa_lead'),
  request: { params: IdParams },
  responses: { 200: ok('Subject', z.object({ finals: z.array(z.object({ system: z.enum(CODE_SYSTEMS), code: z.string(), description: z.string() })), coderId: z.string().nullable() })), 404: errors('No such note'), 409: errors('Not coded') },
});

const audit = createRoute({
  method: 'post',
  path: '/api/qa/audits/{id}',
  summary: 'Store an audit worksheet: every final code correct / incorrect, plus codes the coder missed (each with an optional reason)',
  middleware: allow('qa_lead'),
  request: { params: IdParams, body: json(z.object({ items: z.array(CodeRef.extend({ verdict: z.enum(AUDIT_VERDICTS), reason: z.string().trim().max(500).nullable().default(null) })).max(300) })) },
  responses: { 201: ok('Stored', z.object({ id: z.string() })), 400: errors('Incomplete or inconsistent worksheet'), 409: errors('Not coded') },
});

const pct = (x: number | null | undefined) => (x == null ? '' : x.toFixed(4));

/** Rows of one dashboard table for CSV: the same numbers as the JSON, flattened. */
function tableRows(o: QaOverview, t: Table): Record<string, string | number | boolean>[] {
  const prf = (r: QaOverview['byChapter'][number]) => ({ key: r.key, label: r.label, precision: pct(r.precision), recall: pct(r.recall), f1: pct(r.f1), tp: r.tp, fp: r.fp, fn: r.fn, notes: r.notes });
  switch (t) {
    case 'trends':
      return o.trends.map((w) => ({ week: w.week, week_start: w.weekStart, notes: w.notes, precision: pct(w.precision), recall: pct(w.recall), f1: pct(w.f1), acceptance_rate: pct(w.acceptanceRate) }));
    case 'chapters':
      return o.byChapter.map(prf);
    case 'bands':
      return o.byBand.map(prf);
    case 'systems':
      return o.bySystem.map(prf);
    case 'reasons':
      return o.decisions.rejectionReasons.map((r) => ({ reason: r.reason, count: r.count, share: pct(r.share) }));
    case 'queries':
      return [{ ...o.queries, queryRate: pct(o.queries.queryRate), medianResponseHours: pct(o.queries.medianResponseHours), answeredWithin72h: pct(o.queries.answeredWithin72h) }];
    case 'agreement':
      return Object.entries({ overall: o.agreement.overall, ...o.agreement.bySystem }).map(([scope, a]) => ({
        scope,
        notes: a!.notes,
        both: a!.both,
        first_only: a!.firstOnly,
        second_only: a!.secondOnly,
        neither: a!.neither,
        positive_agreement: pct(a!.positiveAgreement),
        kappa: pct(a!.kappa),
      }));
    case 'audits':
      return [...o.audits.coders.map((c) => ({ who: o.coders[c.coderId!] ?? c.coderId!, ...c })), { who: 'engine', ...o.audits.engine }].map(({ coderId: _id, accuracy, ...r }) => ({ ...r, accuracy: pct(accuracy) }));
  }
}

export function qaRoutes(deps: AppDeps) {
  const qa = createQaService(deps.db);
  const now = () => deps.now?.() ?? new Date();
  const assignmentJson = (a: { id: string; noteId: string; sample: string; status: 'assigned' | 'done'; createdAt: Date; completedAt: Date | null }) => ({
    id: a.id,
    noteId: a.noteId,
    sample: a.sample,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    completedAt: a.completedAt?.toISOString() ?? null,
  });
  return new OpenAPIHono<AuthEnv>()
    .openapi(dashboard, async (c) => {
      const q = c.req.valid('query');
      return c.json((await qa.overview(periodOf(q), q.fresh === 'true')) as unknown as Record<string, unknown>, 200);
    })
    .openapi(drill, async (c) => {
      const q = c.req.valid('query');
      const entries = await qa.drill(periodOf(q), q.key);
      if (!entries) throw new ApiError(404, 'unknown_key', `No dashboard number "${q.key}" in this period`);
      const codes = new Map(entries.map((e) => [e.noteId, e.codes]));
      const rows = await notesByIds(deps.db, entries.map((e) => e.noteId));
      return c.json({ key: q.key, notes: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString(), codes: codes.get(r.id) ?? [] })) }, 200);
    })
    .openapi(table, async (c) => {
      const t = c.req.valid('param').table;
      const rows = tableRows(await qa.overview(periodOf(c.req.valid('query')), true), t);
      const header = Object.keys(rows[0] ?? {});
      const csv = toCsvRows([header, ...rows.map((r) => header.map((h) => String(r[h] ?? '')))]);
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="qa-${t}.csv"` });
    })
    .openapi(sample, async (c) => {
      const b = c.req.valid('json');
      const stored = await sampleSecondCoding(deps.db, { sample: b.sample, perCoder: b.perCoder, seed: b.seed, period: periodOf(b), actorId: c.get('auth').user.id });
      return c.json({ assigned: stored.length }, 201);
    })
    .openapi(assignments, async (c) => {
      const me = c.get('auth').user;
      const rows = await listSecondCodings(deps.db, { coderId: me.role === 'coder' ? me.id : undefined, status: c.req.valid('query').status });
      return c.json({ assignments: rows.map(assignmentJson) }, 200);
    })
    .openapi(assignment, async (c) => {
      const me = c.get('auth').user;
      const a = await getSecondCoding(deps.db, c.req.valid('param').id);
      if (me.role === 'coder' && a.coderId !== me.id) throw new DatasetStoreError('not_found', 'not_found', 'No such second-coding assignment for you');
      const [note] = await deps.db.select({ text: notes.text, encounter: notes.encounter }).from(notes).where(eq(notes.id, a.noteId));
      if (!note) throw new ApiError(404, 'not_found', 'The note is gone');
      return c.json({ assignment: assignmentJson(a), text: note.text, encounter: note.encounter as unknown as Record<string, unknown>, codes: a.codes }, 200);
    })
    .openapi(submit, async (c) => {
      const me = c.get('auth').user;
      const a = await getSecondCoding(deps.db, c.req.valid('param').id);
      if (a.coderId !== me.id) throw new DatasetStoreError('not_found', 'not_found', 'No such second-coding assignment for you');
      const [note] = await deps.db.select({ encounter: notes.encounter }).from(notes).where(eq(notes.id, a.noteId));
      const codes: { system: (typeof CODE_SYSTEMS)[number]; code: string }[] = [];
      for (const ref of c.req.valid('json').codes) {
        const found = await findBillableCode(deps.db, ref.system, ref.code, note!.encounter.dateOfService);
        if (!codes.some((x) => x.system === found.system && x.code === found.code)) codes.push({ system: found.system, code: found.code });
      }
      const done = await completeSecondCoding(deps.db, { id: a.id, actorId: me.id, codes, now: now() });
      return c.json({ assignment: assignmentJson(done) }, 200);
    })
    .openapi(subject, async (c) => {
      const s = await auditSubject(deps.db, c.req.valid('param').id);
      return c.json({ finals: s.finals.map(({ system, code, description }) => ({ system, code, description })), coderId: s.coderId }, 200);
    })
    .openapi(audit, async (c) => {
      const row = await storeAudit(deps.db, { noteId: c.req.valid('param').id, auditorId: c.get('auth').user.id, items: c.req.valid('json').items });
      return c.json({ id: row.id }, 201);
    });
}
