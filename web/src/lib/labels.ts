import type { NoteStatus, QueryTemplate, RejectChoice, RejectReason, Role } from './api.ts';

// Display words for the API's enums. A Record over the API type fails to compile when the server adds a value.

export const STATUS_LABELS: Record<NoteStatus, string> = {
  queued: 'Queued',
  processing: 'Processing',
  suggested: 'Suggested',
  failed: 'Failed',
  in_review: 'In review',
  query_pending: 'Query pending',
  coded: 'Coded',
};

/** Every reason a stored decision may carry; the reject form offers REJECT_REASON_CHOICES. */
export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  integral: 'Integral to another diagnosis',
  more_specific: 'A more specific code applies',
  negated: 'Negated / ruled out',
  history_only: 'History only',
  uncertain_outpatient: 'Uncertain diagnosis (outpatient)',
  not_documented: 'Not documented',
  other: 'Other',
  // Reasons of the first release, no longer offered: older decisions still show them.
  historical: 'Historical',
  wrong_specificity: 'Wrong specificity',
  wrong_code_set: 'Wrong code set',
  duplicate: 'Duplicate',
};

/** What the reject form offers, in order (the server's REJECT_REASON_CHOICES; a legacy reason is refused there). */
export const REJECT_REASON_CHOICES: RejectChoice[] = ['integral', 'more_specific', 'negated', 'history_only', 'uncertain_outpatient', 'not_documented', 'other'];

export const ROLE_LABELS: Record<Role, string> = { coder: 'Coder', physician: 'Physician', qa_lead: 'QA lead', admin: 'Admin' };

/** "3 h", "2 d": how long ago. */
export function age(iso: string, now = Date.now()): string {
  const min = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (min < 60) return `${min} min`;
  if (min < 48 * 60) return `${Math.round(min / 60)} h`;
  return `${Math.round(min / 1440)} d`;
}

export type QueryPurpose = QueryTemplate['purpose'];
export type QueryKind = QueryTemplate['kind'];

export const PURPOSE_LABELS: Record<QueryPurpose, string> = {
  clarify_diagnosis: 'Clarify a diagnosis',
  specificity: 'Specificity',
  clinical_validity: 'Clinical validity',
  conflicting_documentation: 'Conflicting documentation',
  procedure: 'Procedure',
  confirm_documented_diagnosis: 'Confirm a documented diagnosis',
  present_on_admission: 'Present on admission',
  cause_and_effect: 'Cause and effect',
};

export const KIND_LABELS: Record<QueryKind, string> = { multiple_choice: 'Multiple choice', open_ended: 'Open-ended', yes_no: 'Yes / no' };

/** Tabular instructional note kinds (server/codes/types.ts NOTE_KINDS), in the order the dialog shows them. */
export const NOTE_KIND_LABELS: Record<string, string> = {
  includes: 'Includes',
  inclusion: 'Inclusion terms',
  excludes1: 'Excludes1 (never together)',
  excludes2: 'Excludes2 (not included here)',
  code_first: 'Code first',
  use_additional: 'Use additional code',
  code_also: 'Code also',
  seventh_char: '7th character',
  seventh_char_note: '7th character note',
  note: 'Note',
};
