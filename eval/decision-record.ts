// The record a finalized note becomes in the built-in "decisions" evaluation set: what the engine
// suggested, what the coder did with each suggestion, and the codes the note was finalized with. Scored
// with the shared metrics (eval/metrics.ts) via `scoredDocument`.
import { z } from 'zod';
import { CODE_SYSTEMS } from '../server/codes/types.ts';
import { REJECT_REASONS } from '../server/db/schema/review.ts';
import { EvidenceSpanSchema, SETTINGS } from '../server/pipeline/types.ts';
import { RecordLineSchema } from './datasets.ts';
import type { RankedCode, ScoredDocument } from './metrics.ts';

export const OUTCOMES = ['accepted', 'rejected', 'edited', 'added', 'undecided'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const CodeRefSchema = z.object({ system: z.enum(CODE_SYSTEMS), code: z.string().trim().min(1) });


export const SuggestionOutcomeSchema = z
  .object({
    /** null for a code the coder added (no suggestion behind it). */
    suggestionId: z.string().min(1).nullable(),
    system: z.enum(CODE_SYSTEMS),
    code: z.string().trim().min(1),
    /** The engine's confidence; null for an added code. */
    confidence: z.number().min(0).max(1).nullable(),
    outcome: z.enum(OUTCOMES),
    reason: z.enum(REJECT_REASONS).nullable().optional(),
    reasonText: z.string().nullable().optional(),
    /** The code an edited suggestion became. */
    editedTo: CodeRefSchema.nullable().optional(),
    /** Procedure lines: the line the engine suggested, and the line the coder kept (units/modifiers edited or not). */
    suggestedLine: RecordLineSchema.optional(),
    line: RecordLineSchema.optional(),
  })
  // Mirrors the `decisions_shape_check` constraint: an add has no suggestion, every other outcome has one.
  .refine((o) => (o.outcome === 'added') === (o.suggestionId === null), {
    message: 'suggestionId must be null exactly when outcome is "added"',
    path: ['suggestionId'],
  });
export type SuggestionOutcome = z.infer<typeof SuggestionOutcomeSchema>;

export const FinalCodeSchema = CodeRefSchema.extend({
  description: z.string().optional(),
  principal: z.boolean().optional(),
  evidence: z.array(EvidenceSpanSchema).optional(),
  /** Procedure lines only: units, modifiers and pointers as finalized. */
  line: RecordLineSchema.optional(),
});
export type FinalCode = z.infer<typeof FinalCodeSchema>;

export const DecisionRecordSchema = z.object({
  noteId: z.string().min(1),
  coderId: z.string().min(1).nullable(),
  finalizedAt: z.iso.datetime({ offset: true }),
  setting: z.enum(SETTINGS),
  /** The codes the note was finalized with: the reference the engine is scored against. */
  gold: z.array(FinalCodeSchema),
  outcomes: z.array(SuggestionOutcomeSchema),
  /** Distinct `Suggestion.versions` behind the note's suggestions. */
  versions: z.array(
    z.object({ engine: z.string().optional(), prompt: z.string().nullable().optional(), model: z.string().nullable().optional(), embedder: z.string().nullable().optional() }),
  ),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/**
 * The record as a metrics document: gold = the final codes; predicted = every engine suggestion (whatever
 * the coder did with it, undecided included), highest confidence first. Added codes are not predictions.
 * So `computeMetrics` precision = share of suggestions that ended up final, recall = share of final codes
 * the engine suggested. An edited suggestion counts as its original code (a miss unless that also stayed).
 */
export function scoredDocument(record: DecisionRecord): ScoredDocument {
  const predicted: RankedCode[] = [];
  for (const o of record.outcomes) {
    if (o.suggestionId !== null) predicted.push({ system: o.system, code: o.code, confidence: o.confidence ?? 0 });
  }
  // Array.prototype.sort is stable, so equal confidences keep the order the engine listed them in.
  predicted.sort((a, b) => b.confidence - a.confidence);
  return { id: record.noteId, gold: record.gold.map((g) => ({ system: g.system, code: g.code })), predicted };
}
