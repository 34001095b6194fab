import { z } from 'zod';
import { QUERY_KINDS } from '../db/schema/index.ts';
import { checkQuery, QUERY_PURPOSES } from './query-rules.ts';

/**
 * Starting points for the query composer, as data. `[…]` marks what the coder fills in from the note;
 * every template is editable before sending. Validated on load: each must pass the same compliance
 * check as a sent query, with no warning (a template must never teach leading wording).
 */
const TemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    purpose: z.enum(QUERY_PURPOSES),
    kind: z.enum(QUERY_KINDS),
    question: z.string().min(1),
    options: z.array(z.string().min(1)),
  })
  .strict();
export type QueryTemplate = z.infer<typeof TemplateSchema>;

const TEMPLATES: unknown[] = [
  {
    id: 'heart-failure-type',
    title: 'Heart failure: type and acuity',
    purpose: 'specificity',
    kind: 'multiple_choice',
    question: 'Based on the clinical indicators above, can the type and acuity of the heart failure be further specified?',
    options: ['Acute systolic (HFrEF) heart failure', 'Acute on chronic systolic (HFrEF) heart failure', 'Acute diastolic (HFpEF) heart failure', 'Chronic diastolic (HFpEF) heart failure'],
  },
  {
    id: 'anemia-type',
    title: 'Anemia: type',
    purpose: 'specificity',
    kind: 'multiple_choice',
    question: 'Based on the clinical indicators above, can the type of anemia being monitored and treated be clarified?',
    options: ['Acute blood loss anemia', 'Anemia of chronic disease', 'Iron deficiency anemia', 'Expected dilutional drop in hemoglobin, not clinically significant'],
  },
  {
    id: 'diabetes-complication',
    title: 'Diabetes: control and complications',
    purpose: 'specificity',
    kind: 'multiple_choice',
    question: 'Based on the clinical indicators above, can the diabetes be further specified?',
    options: ['Type 2 diabetes mellitus with hyperglycemia', 'Type 2 diabetes mellitus without complication', 'Type 2 diabetes mellitus with hypoglycemia'],
  },
  {
    id: 'clinical-validity',
    title: 'Clinical validity of a documented diagnosis',
    purpose: 'clinical_validity',
    kind: 'multiple_choice',
    question: '[Diagnosis] is documented in [location]. Based on the clinical indicators above, can the diagnosis be clarified?',
    options: ['[Diagnosis] is confirmed', '[Diagnosis] was ruled out'],
  },
  {
    id: 'present-on-admission',
    title: 'Present on admission',
    purpose: 'present_on_admission',
    kind: 'yes_no',
    question: 'Was the [condition] documented on [date] present at the time of the inpatient admission?',
    options: [],
  },
  {
    id: 'cause-and-effect',
    title: 'Relationship between two documented conditions',
    purpose: 'cause_and_effect',
    kind: 'yes_no',
    question: 'Is the documented [condition A] due to the documented [condition B]?',
    options: [],
  },
  {
    id: 'conflicting-documentation',
    title: 'Conflicting documentation',
    purpose: 'conflicting_documentation',
    kind: 'open_ended',
    question: 'The record documents [finding] in [location 1] and [other finding] in [location 2]. Can the condition be clarified?',
    options: [],
  },
  {
    id: 'treated-without-diagnosis',
    title: 'Treatment without a documented diagnosis',
    purpose: 'clarify_diagnosis',
    kind: 'open_ended',
    question: 'The patient received [treatment] for [indicator]. Can the condition being treated be clarified?',
    options: [],
  },
];

export function parseTemplates(raw: unknown[]): QueryTemplate[] {
  return raw.map((t, i) => {
    const parsed = TemplateSchema.safeParse(t);
    if (!parsed.success) throw new Error(`query template ${i}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    const check = checkQuery(parsed.data);
    const problems = [...check.errors, ...check.warnings];
    if (problems.length > 0) throw new Error(`query template "${parsed.data.id}": ${problems.join('; ')}`);
    return { ...parsed.data, options: check.options };
  });
}

export const QUERY_TEMPLATES: readonly QueryTemplate[] = parseTemplates(TEMPLATES);
