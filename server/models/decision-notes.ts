// A frozen version of the "decisions" set read as labelled notes for the learner (pipeline/learn.ts): the
// codes each note was finalized with are its gold, so an accepted suggestion counts as right for its mention
// and code, a rejected one as wrong, an edited one as wrong for the old code and right for the new, and a
// code the coder added with selected text as a phrase → code association the learner may mine.
import type { SuggestionOutcome } from '../../eval/decision-record.ts';
import type { RejectReason } from '../db/schema/review.ts';
import type { Rejection } from '../pipeline/learn.ts';
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
  /** Rejected diagnoses and what each reason teaches (rejectionOf). */
  rejected: Rejection[];
}

/** A code's title read as history or status ("Personal history of …", "Old myocardial infarction"): rules.ts HISTORY_CODE. */
const HISTORY_TITLE = /\b(history|old|sequela|status|personal)\b/i;
const CODE_IN_TEXT = /\b[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?\b/g;

/**
 * What a rejection reason teaches the learner (pipeline/learn.ts Rejection), from what the record carries:
 * - negated, uncertain_outpatient: the mention's wording denies or doubts it (OCG IV.H) → a negative for that
 *   wording only; the code stays learnable where the same phrase is affirmed.
 * - history_only (legacy historical): the condition no longer exists (OCG I.C.21.c.4) → a negative for that
 *   wording, and a history/status code the coder added is grounded on the mention's words.
 * - integral: a sign routinely part of a diagnosis (OCG I.B.5) → a negative only beside that diagnosis: the
 *   final codes the reason text names, else every other final diagnosis of the note.
 * - more_specific (legacy wrong_specificity): a negative for the unspecified code; a code the coder added or
 *   edited to in the same category (OCG I.B.2: the most specific code documented) is grounded on its words.
 * - not_documented, other, wrong_code_set, duplicate: a plain negative.
 */
export function rejectionOf(code: string, reason: RejectReason | null | undefined, reasonText: string | null | undefined, record: { gold: readonly GoldCode[]; corrected: ReadonlySet<string> }): Rejection {
  const finals = record.gold.filter((g) => g.system === 'ICD10CM' && g.code !== code);
  const added = finals.filter((g) => record.corrected.has(g.code));
  switch (reason) {
    case 'negated':
    case 'uncertain_outpatient':
      return { code, scope: 'context' };
    case 'history_only':
    case 'historical':
      return { code, scope: 'context', replacedBy: added.filter((g) => HISTORY_TITLE.test(g.description ?? '')).map((g) => g.code) };
    case 'integral': {
      const named = new Set((reasonText ?? '').toUpperCase().match(CODE_IN_TEXT) ?? []);
      const covering = finals.filter((g) => named.has(g.code));
      return { code, scope: 'covered', coveredBy: (covering.length ? covering : finals).map((g) => g.code) };
    }
    case 'more_specific':
    case 'wrong_specificity':
      return { code, scope: 'plain', replacedBy: added.filter((g) => g.code.slice(0, 3) === code.slice(0, 3)).map((g) => g.code) };
    default:
      return { code, scope: 'plain' };
  }
}

/**
 * What the decisions teach, counted: "accepted", "edited", "added", "undecided" and "rejected:<reason>"
 * ("integral", "more_specific", "negated", …): the reason is kept so a site sees what its coders correct.
 * CPT and HCPCS line outcomes are counted apart as "skipped:<system>" (see LEARNED_SYSTEMS).
 */
export type DecisionCounts = Record<string, number>;

/**
 * The code systems the learner learns from: ICD-10-CM diagnoses and ICD-10-PCS procedures, whose candidates
 * the learned counts score. CPT and HCPCS lines are skipped: the E/M level comes from the MDM table, HCPCS and
 * CPT lines from their code tables and the claim checks (pipeline/professional/), none of which reads a
 * learned confidence, and a line's units or modifiers are claim facts, not phrase → code evidence. Their
 * outcomes are counted ("skipped:CPT") so a site sees them, and they do not count toward MIN_DECISIONS.
 */
export const LEARNED_SYSTEMS: ReadonlySet<string> = new Set(['ICD10CM', 'ICD10PCS']);

/** The labelled notes of a decisions version, and the counts of the outcomes behind them. */
export function decisionNotes(records: readonly DecisionRecordInput[]): { notes: DecisionNote[]; counts: DecisionCounts; decisions: number } {
  const counts: DecisionCounts = {};
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  let decisions = 0;
  const notes = records.map((r): DecisionNote => {
    const corrected = new Set<string>();
    for (const o of r.outcomes) {
      if (!LEARNED_SYSTEMS.has(o.system)) {
        bump(`skipped:${o.system}`);
        continue;
      }
      bump(o.outcome === 'rejected' ? `rejected:${o.reason ?? 'other'}` : o.outcome);
      if (o.outcome !== 'undecided') decisions++;
      if (o.outcome === 'added') corrected.add(o.code);
      if (o.outcome === 'edited' && o.editedTo) corrected.add(o.editedTo.code);
    }
    const diagnoses = r.gold.filter((g) => g.system === 'ICD10CM');
    const rejected = r.outcomes
      .filter((o) => o.outcome === 'rejected' && o.system === 'ICD10CM')
      .map((o) => rejectionOf(o.code, o.reason, o.reasonText, { gold: r.gold, corrected }));
    return {
      id: r.recordKey,
      text: r.text,
      encounter: r.encounter,
      gold: diagnoses.map((g) => g.code),
      procedures: r.gold.filter((g) => g.system === 'ICD10PCS').map((g) => g.code),
      // The evidence of an added or edited code is the coder's own selection (server/db/queries/datasets.ts).
      selected: diagnoses.filter((g) => corrected.has(g.code)).flatMap((g) => (g.evidence ?? []).map((e) => ({ code: g.code, text: e.quote }))),
      rejected,
    };
  });
  return { notes, counts, decisions };
}
