import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { allow, type AuthEnv } from '../auth/middleware.ts';
import { CODE_SYSTEMS } from '../codes/types.ts';
import { CodeSystemSchema } from '../codes/code-system-aliases.ts';
import { claimNote, decide, finalizeNote, releaseClaim, reopenNote, sequenceDiagnoses } from '../db/queries/reviews.ts';
import { NOTE_STATUSES, REJECT_REASON_CHOICES } from '../db/schema/index.ts';
import { LineEditSchema } from '../review/claim-line.ts';
import type { AppDeps } from './deps.ts';
import { decisionJson, DecisionSchema, errors, finalCodeJson, FinalCodeSchema, IdParams, json, ok, VersionSchema } from './review-schemas.ts';

const WriteResult = z.object({ version: z.number().int(), status: z.enum(NOTE_STATUSES) });
const writeErrors = {
  400: errors('Invalid body (unknown or non-billable code, span outside the note, a note finalized with no codes and no reason, …)'),
  401: errors('No session'),
  403: errors('Role not allowed (or CSRF token missing)'),
  404: errors('No such note or suggestion'),
  409: errors('code "stale": the note changed (error.current is the note as it is now); "claimed", "claim_required", "wrong_status", "undecided", "query_open", "principal_required"'),
};

const Span = z.object({ start: z.number().int().min(0), end: z.number().int().min(1) });
const Code = z.string().trim().min(1).max(12);
const DecisionBody = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('accept'), version: VersionSchema, suggestionId: z.uuid(), line: LineEditSchema.optional().describe("CPT/HCPCS lines: the units, modifiers and diagnosis pointers (ICD-10-CM codes kept on the note, up to 4, in order) billed, when they differ from the engine's") }),
    z.object({ action: z.literal('reject'), version: VersionSchema, suggestionId: z.uuid(), reason: z.enum(REJECT_REASON_CHOICES), reasonText: z.string().trim().max(1000).optional() }),
    z.object({ action: z.literal('edit'), version: VersionSchema, suggestionId: z.uuid(), code: Code, system: CodeSystemSchema.optional() }),
    z.object({ action: z.literal('add'), version: VersionSchema, system: CodeSystemSchema, code: Code, evidence: z.array(Span).min(1).max(20) }),
  ])
  .refine((d) => d.action !== 'reject' || d.reason !== 'other' || (d.reasonText ?? '') !== '', { message: 'reason "other" needs reasonText', path: ['reasonText'] })
  .openapi('DecisionRequest');

const claim = createRoute({
  method: 'post',
  path: '/api/notes/{id}/claim',
  summary: 'Claim a note for review (suggested → in_review); refused while another user holds a live claim (30 min idle expiry)',
  middleware: allow('coder', 'qa_lead'),
  request: { params: IdParams, body: json(z.object({ version: VersionSchema })) },
  responses: { 200: ok('Claimed', WriteResult), ...writeErrors },
});

const release = createRoute({
  method: 'post',
  path: '/api/notes/{id}/release',
  summary: "Release a claim: the holder's own, or anyone's for an admin",
  middleware: allow('coder', 'qa_lead', 'admin'),
  request: { params: IdParams, body: json(z.object({ version: VersionSchema })) },
  responses: { 200: ok('Released', WriteResult), ...writeErrors },
});

const decision = createRoute({
  method: 'post',
  path: '/api/notes/{id}/decisions',
  summary: 'Decide a suggestion (accept / reject with reason / edit to another billable code) or add a missed code with its evidence span',
  description: 'Deciding a suggestion again replaces the earlier decision. Needs the claim. Quotes are taken from the stored note text.',
  middleware: allow('coder', 'qa_lead'),
  request: { params: IdParams, body: json(DecisionBody) },
  responses: { 200: ok('Decided', z.object({ version: z.number().int(), decision: DecisionSchema })), ...writeErrors },
});

const sequence = createRoute({
  method: 'put',
  path: '/api/notes/{id}/sequence',
  summary: 'Order the diagnosis codes: decision ids, the first is the principal (inpatient) or first-listed diagnosis',
  middleware: allow('coder', 'qa_lead'),
  request: { params: IdParams, body: json(z.object({ version: VersionSchema, order: z.array(z.uuid()).max(200) })) },
  responses: { 200: ok('Sequenced', z.object({ version: z.number().int(), decisions: z.array(DecisionSchema) })), ...writeErrors },
});

const finalize = createRoute({
  method: 'post',
  path: '/api/notes/{id}/finalize',
  summary: 'Finalize: every suggestion decided, no open query, inpatient principal diagnosis marked → coded, final code set stored',
  description: 'A note with no codes kept needs noCodesReason (400 "reason_required" without it); the reason is audited.',
  middleware: allow('coder', 'qa_lead'),
  request: {
    params: IdParams,
    body: json(z.object({ version: VersionSchema, noCodesReason: z.string().trim().max(1000).optional().describe('Why the note is coded with no codes (required then)') })),
  },
  responses: { 200: ok('Coded', WriteResult.extend({ finalCodes: z.array(FinalCodeSchema) })), ...writeErrors },
});

const reopen = createRoute({
  method: 'post',
  path: '/api/notes/{id}/reopen',
  summary: 'Reopen a coded note (QA lead; coded → in_review, the final codes are kept as superseded, the reason is audited)',
  middleware: allow('qa_lead'),
  request: { params: IdParams, body: json(z.object({ version: VersionSchema, reason: z.string().trim().min(1).max(1000) })) },
  responses: { 200: ok('Reopened', WriteResult), ...writeErrors },
});

export function reviewRoutes(deps: AppDeps) {
  const now = () => deps.now?.() ?? new Date();
  return new OpenAPIHono<AuthEnv>()
    .openapi(claim, async (c) => {
      const r = await claimNote(deps.db, { noteId: c.req.valid('param').id, version: c.req.valid('json').version, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, status: r.status }, 200);
    })
    .openapi(release, async (c) => {
      const r = await releaseClaim(deps.db, { noteId: c.req.valid('param').id, version: c.req.valid('json').version, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, status: r.status }, 200);
    })
    .openapi(decision, async (c) => {
      const { version, ...input } = c.req.valid('json');
      const r = await decide(deps.db, { noteId: c.req.valid('param').id, version, actor: c.get('auth').user, now: now(), input });
      return c.json({ version: r.version, decision: decisionJson(r.decision) }, 200);
    })
    .openapi(sequence, async (c) => {
      const body = c.req.valid('json');
      const r = await sequenceDiagnoses(deps.db, { noteId: c.req.valid('param').id, version: body.version, order: body.order, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, decisions: r.decisions.map(decisionJson) }, 200);
    })
    .openapi(finalize, async (c) => {
      const body = c.req.valid('json');
      const r = await finalizeNote(deps.db, { noteId: c.req.valid('param').id, version: body.version, noCodesReason: body.noCodesReason, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, status: 'coded' as const, finalCodes: r.finalCodes.map(finalCodeJson) }, 200);
    })
    .openapi(reopen, async (c) => {
      const body = c.req.valid('json');
      const r = await reopenNote(deps.db, { noteId: c.req.valid('param').id, version: body.version, reason: body.reason, actor: c.get('auth').user, now: now() });
      return c.json({ version: r.version, status: 'in_review' as const }, 200);
    });
}
