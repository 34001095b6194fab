// Physician query rules, after the AHIMA/ACDIS "Guidelines for Achieving a Compliant Query Practice" (2022 update):
// queries must be non-leading, supported by clinical indicators, never mention financial impact; multiple-choice
// queries include clinically reasonable options plus "other" and "clinically undetermined"; yes/no queries only
// where no new diagnosis is introduced.
import type { QueryKind } from '../db/schema/index.ts';

export const QUERY_PURPOSES = [
  'clarify_diagnosis',
  'specificity',
  'clinical_validity',
  'conflicting_documentation',
  'procedure',
  // The three uses the guidelines allow a yes/no format for:
  'confirm_documented_diagnosis',
  'present_on_admission',
  'cause_and_effect',
] as const;
export type QueryPurpose = (typeof QUERY_PURPOSES)[number];

/** AHIMA/ACDIS 2022: "yes/no queries may not be used when only clinical indicators of a condition are present". */
export const YES_NO_PURPOSES: readonly QueryPurpose[] = ['confirm_documented_diagnosis', 'present_on_admission', 'cause_and_effect'];

export const OTHER_OPTION = 'Other (please specify)';
export const UNDETERMINED_OPTION = 'Clinically undetermined';
/** Options every multiple-choice and yes/no query ends with. */
export const STANDARD_OPTIONS = [OTHER_OPTION, UNDETERMINED_OPTION] as const;
export const YES_NO_OPTIONS = ['Yes', 'No'] as const;

interface Rule {
  pattern: RegExp;
  message: string;
}

/** Wording that leads the provider toward an answer: a warning (the coder may still send). */
export const LEADING_WORDING: readonly Rule[] = [
  { pattern: /\bplease\s+(document|add|include|chart|write)\b/i, message: '"please document/add" tells the provider what to write' },
  { pattern: /\bconsider\s+(documenting|adding|charting)\b/i, message: '"consider documenting" suggests the answer' },
  { pattern: /\b(would|do|don't|wouldn't)\s+you\s+agree\b/i, message: '"would you agree" asks for agreement, not a clinical judgement' },
  { pattern: /\bif\s+you\s+agree\b/i, message: '"if you agree" asks for agreement, not a clinical judgement' },
  { pattern: /\b(can|could|will)\s+you\s+(document|add|chart)\b/i, message: '"can you document" tells the provider what to write' },
  { pattern: /\bshould\s+be\s+(documented|coded|added)\b/i, message: '"should be documented" presumes the answer' },
  { pattern: /\b(is|isn't)\s+it\s+(true|likely|correct)\s+that\b/i, message: 'a question that presumes its answer' },
  { pattern: /\bthe\s+patient\s+(clearly|obviously)\b/i, message: '"clearly/obviously" presumes the answer' },
  { pattern: /\b(supports?|meets?)\s+(the\s+)?criteria\s+for\b/i, message: 'stating that criteria are met leads the provider' },
];

/** Financial wording is never allowed in a query (the request is refused). */
export const FINANCIAL_WORDING: readonly Rule[] = [
  { pattern: /\breimburs\w*/i, message: 'reimbursement' },
  { pattern: /\b(payment|payments|payer|pay|paid)\b/i, message: 'payment' },
  { pattern: /\b(ms-|apr-)?drgs?\b/i, message: 'DRG' },
  { pattern: /\brevenue\b/i, message: 'revenue' },
  { pattern: /\b(money|dollars?|financial(ly)?|profit)\b/i, message: 'money' },
  { pattern: /\$\s?\d/, message: 'money' },
  { pattern: /\b(case[\s-]mix|cmi|mcc|cc\/mcc)\b/i, message: 'case-mix / CC-MCC impact' },
  { pattern: /\b(hcc|risk[\s-]adjust\w*)\b/i, message: 'risk-adjustment (payment) impact' },
];

export interface QueryDraft {
  kind: QueryKind;
  purpose: QueryPurpose;
  question: string;
  /** The clinical options of a multiple-choice query (the standard ones are added). */
  options: readonly string[];
}

export interface QueryCheck {
  /** Refusals: the query may not be sent as written. */
  errors: string[];
  /** Non-compliant wording the coder should reconsider. */
  warnings: string[];
  /** The options as they will be sent: standard options appended, duplicates dropped. */
  options: string[];
}

/**
 * Checks a query as composed. Example: a multiple-choice question "Please document the type of heart
 * failure" → a warning (leading); "…to support the DRG" → an error; options ["Acute systolic heart
 * failure", "Chronic diastolic heart failure"] → the same plus "Other (please specify)" and "Clinically undetermined".
 */
export function checkQuery(draft: QueryDraft): QueryCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const texts = [draft.question, ...draft.options];
  for (const rule of FINANCIAL_WORDING) {
    if (texts.some((t) => rule.pattern.test(t))) errors.push(`A query must not mention ${rule.message}`);
  }
  for (const rule of LEADING_WORDING) {
    if (texts.some((t) => rule.pattern.test(t))) warnings.push(`Leading wording: ${rule.message}`);
  }
  let options: string[] = [];
  if (draft.kind === 'yes_no') {
    if (!YES_NO_PURPOSES.includes(draft.purpose)) {
      errors.push(`A yes/no query is only allowed to ${YES_NO_PURPOSES.join(', ')} (AHIMA/ACDIS 2022); use multiple choice or open-ended`);
    }
    options = [...YES_NO_OPTIONS, ...STANDARD_OPTIONS];
  } else if (draft.kind === 'multiple_choice') {
    const clinical = dedupe(draft.options.map((o) => o.trim()).filter((o) => o !== '' && !isStandard(o) && !isYesNo(o)));
    if (clinical.length < 2) errors.push('A multiple-choice query needs at least two clinically reasonable options');
    options = [...clinical, ...STANDARD_OPTIONS];
  } else if (draft.options.some((o) => o.trim() !== '')) {
    errors.push('An open-ended query has no options');
  }
  return { errors, warnings, options };
}

/** Checks a physician's answer against the query: an offered option (with text for "Other"), or free text when open-ended. */
export function checkAnswer(query: { kind: QueryKind; options: readonly string[] }, answer: { option?: string | undefined; text?: string | undefined }): string | null {
  const text = answer.text?.trim() ?? '';
  if (query.kind === 'open_ended') return text === '' ? 'An open-ended query is answered with text' : null;
  if (!answer.option) return 'Choose one of the options';
  if (!query.options.includes(answer.option)) return `"${answer.option}" is not one of the options`;
  if (answer.option === OTHER_OPTION && text === '') return `"${OTHER_OPTION}" needs the text`;
  return null;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const isStandard = (o: string) => STANDARD_OPTIONS.some((s) => norm(s) === norm(o)) || norm(o) === 'other';
const isYesNo = (o: string) => ['yes', 'no'].includes(norm(o));
function dedupe(options: string[]): string[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(norm(o)) && seen.add(norm(o)));
}
