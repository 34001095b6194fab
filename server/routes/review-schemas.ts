import { z } from '@hono/zod-openapi';
import { CODE_SYSTEMS } from '../codes/types.ts';
import { DECISION_ACTIONS, QUERY_KINDS, QUERY_STATUSES, REJECT_REASONS } from '../db/schema/index.ts';
import type { DecisionRow, FinalCodeRow, QueryWithNames, ReviewState } from '../db/queries/reviews.ts';
import { EncounterSchema, EvidenceSpanSchema } from '../pipeline/types.ts';
import { LineEditSchema, readLineEdit } from '../review/claim-line.ts';
import { QUERY_PURPOSES } from '../review/query-rules.ts';
export { errors, IdParams, json, ok } from './schemas.ts';

// Response shapes of review data, shared by the notes, reviews and queries routes (and so by the typed web client).

export const VersionSchema = z.number().int().min(1).describe('The note version this write was based on (stale → 409 with the current note)');

export const ClaimSchema = z
  .object({ userId: z.string(), username: z.string(), displayName: z.string(), claimedAt: z.string(), lastActivity: z.string(), expiresAt: z.string() })
  .openapi('Claim');

export const DecisionSchema = z
  .object({
    id: z.string(),
    suggestionId: z.string().nullable(),
    action: z.enum(DECISION_ACTIONS),
    reason: z.enum(REJECT_REASONS).nullable(),
    reasonText: z.string().nullable(),
    system: z.enum(CODE_SYSTEMS).nullable(),
    code: z.string().nullable(),
    description: z.string().nullable(),
    evidence: z.array(EvidenceSpanSchema).nullable(),
    rank: z.number().int().nullable().describe('Diagnosis sequence; 1 = principal (inpatient) / first-listed'),
    line: LineEditSchema.nullable().describe("An accepted CPT/HCPCS line's units, modifiers and diagnosis pointers as the coder set them (null: the engine's line stands)"),
    decidedBy: z.string(),
    decidedByName: z.string().optional(),
    decidedAt: z.string(),
  })
  .openapi('Decision');

export const FinalCodeSchema = z
  .object({ system: z.enum(CODE_SYSTEMS), code: z.string(), description: z.string(), sequence: z.number().int(), principal: z.boolean(), decisionId: z.string().nullable(), finalizedBy: z.string(), finalizedAt: z.string() })
  .openapi('FinalCode');

export const QuerySchema = z
  .object({
    id: z.string(),
    noteId: z.string(),
    suggestionId: z.string().nullable(),
    from: z.object({ id: z.string(), displayName: z.string() }),
    to: z.object({ id: z.string(), displayName: z.string() }),
    purpose: z.enum(QUERY_PURPOSES),
    kind: z.enum(QUERY_KINDS),
    indicators: z.array(EvidenceSpanSchema),
    question: z.string(),
    options: z.array(z.string()),
    status: z.enum(QUERY_STATUSES),
    answer: z.object({ option: z.string().nullable(), text: z.string().nullable() }).nullable(),
    sentAt: z.string(),
    answeredAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    note: z.object({ externalId: z.string().nullable(), encounter: EncounterSchema }).nullable().describe('The queried note: external id, date of service, setting, patient age and sex'),
  })
  .openapi('PhysicianQuery');

export const ReviewStateSchema = z.object({
  claim: ClaimSchema.nullable(),
  decisions: z.array(DecisionSchema),
  sequence: z.array(z.string()).describe("Ids of the kept diagnosis decisions in sequence: the coder's order, then the engine's (suggestions.rank); the first is principal / first-listed"),
  queries: z.array(QuerySchema),
  finalCodes: z.array(FinalCodeSchema),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function decisionJson(d: DecisionRow & { decidedByName?: string }) {
  const line = readLineEdit(d);
  return {
    id: d.id,
    suggestionId: d.suggestionId,
    action: d.action,
    reason: d.reason,
    reasonText: d.reasonText,
    system: d.system,
    code: d.code,
    description: d.description,
    evidence: d.evidence,
    rank: d.rank,
    line,
    decidedBy: d.decidedBy,
    ...(d.decidedByName !== undefined ? { decidedByName: d.decidedByName } : {}),
    decidedAt: d.decidedAt.toISOString(),
  };
}

export function finalCodeJson(f: FinalCodeRow) {
  return { system: f.system, code: f.code, description: f.description, sequence: f.sequence, principal: f.principal, decisionId: f.decisionId, finalizedBy: f.finalizedBy, finalizedAt: f.finalizedAt.toISOString() };
}

export function queryJson(q: QueryWithNames | (Omit<QueryWithNames, 'fromName' | 'toName' | 'note'> & { fromName?: string; toName?: string; note?: QueryWithNames['note'] })) {
  return {
    id: q.id,
    noteId: q.noteId,
    suggestionId: q.suggestionId,
    from: { id: q.fromUser, displayName: q.fromName ?? '' },
    to: { id: q.toUser, displayName: q.toName ?? '' },
    purpose: q.purpose as (typeof QUERY_PURPOSES)[number],
    kind: q.kind,
    indicators: q.indicators,
    question: q.question,
    options: q.options,
    status: q.status,
    answer: q.answer,
    sentAt: q.sentAt.toISOString(),
    answeredAt: iso(q.answeredAt),
    closedAt: iso(q.closedAt),
    withdrawnAt: iso(q.withdrawnAt),
    note: q.note ?? null,
  };
}

export function reviewJson(r: ReviewState) {
  return {
    claim: r.claim
      ? { ...r.claim, claimedAt: r.claim.claimedAt.toISOString(), lastActivity: r.claim.lastActivity.toISOString(), expiresAt: r.claim.expiresAt.toISOString() }
      : null,
    decisions: r.decisions.map(decisionJson),
    sequence: r.sequence,
    queries: r.queries.map(queryJson),
    finalCodes: r.finalCodes.map(finalCodeJson),
  };
}
