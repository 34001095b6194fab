// A frozen version of the "decisions" set read as labelled notes for the learner (pipeline/learn.ts): the
// codes each note was finalized with are its gold, so an accepted suggestion counts as right for its mention
// and code, a rejected one as wrong, an edited one as wrong for the old code and right for the new, and a
// code the coder added with selected text as a phrase → code association the learner may mine.
import type { SuggestionOutcome } from '../../eval/decision-record.ts';
import type { Encounter } from '../pipeline/types.ts';
import type { GoldCode } from '../db/schema/index.ts';

/** Below these a model would be learned from a handful of coders' days: refused (see MIN_* use in registry.ts). */
export const MIN_DECISION_NOTES = 20;
export const MIN_DECISIONS = 50;

export interface DecisionRecordInput {
  recordKey: string;
  text: string;
  encounter: Encounter;
  gold: readonly GoldCode[];
  outcomes: readonly SuggestionOutcome[];
}

export interface DecisionNote {
  id: string;
  text: string;
  encounter: Encounter;
  /** ICD-10-CM codes the note was finalized with. */
  gold: string[];
  /** ICD-10-PCS codes, for sets that code procedures. */
  procedures: string[];
  /** Codes the coder added or edited to, with the text they selected as evidence. */
  selected: { code: string; text: string }[];
}

/**
 * What the decisions teach, counted: "accepted", "edited", "added", "undecided" and "rejected:<reason>"
 * ("integral", "more_specific", "negated", …): the reason is kept so a site sees what its coders correct.
 */
export type DecisionCounts = Record<string, number>;

/** The labelled notes of a decisions version, and the counts of the outcomes behind them. */
export function decisionNotes(records: readonly DecisionRecordInput[]): { notes: DecisionNote[]; counts: DecisionCounts; decisions: number } {
  const counts: DecisionCounts = {};
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  let decisions = 0;
  const notes = records.map((r): DecisionNote => {
    const corrected = new Set<string>();
    for (const o of r.outcomes) {
      bump(o.outcome === 'rejected' ? `rejected:${o.reason ?? 'other'}` : o.outcome);
      if (o.outcome !== 'undecided') decisions++;
      if (o.outcome === 'added') corrected.add(o.code);
      if (o.outcome === 'edited' && o.editedTo) corrected.add(o.editedTo.code);
    }
    const diagnoses = r.gold.filter((g) => g.system === 'ICD10CM');
    return {
      id: r.recordKey,
      text: r.text,
      encounter: r.encounter,
      gold: diagnoses.map((g) => g.code),
      procedures: r.gold.filter((g) => g.system === 'ICD10PCS').map((g) => g.code),
      // The evidence of an added or edited code is the coder's own selection (server/db/queries/datasets.ts).
      selected: diagnoses.filter((g) => corrected.has(g.code)).flatMap((g) => (g.evidence ?? []).map((e) => ({ code: g.code, text: e.quote }))),
    };
  });
  return { notes, counts, decisions };
}
