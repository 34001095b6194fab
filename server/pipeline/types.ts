// Shapes shared by the suggestion pipeline, the notes API, the LLM stage and the eval runner.
import { z } from 'zod';
import { CODE_SYSTEMS } from '../codes/types.ts';

export const SETTINGS = ['inpatient', 'outpatient', 'professional'] as const;
export type Setting = (typeof SETTINGS)[number];

// HL7 v2 administrative sex (PID-8) as clinical systems send it, to FHIR's administrative-gender codes.
const HL7_SEX: Record<string, string> = { m: 'male', f: 'female', o: 'other', u: 'unknown' };
export const SexSchema = z.preprocess(
  (v: string) => (typeof v === 'string' ? (HL7_SEX[v.trim().toLowerCase()] ?? v.trim().toLowerCase()) : v),
  z.enum(['female', 'male', 'other', 'unknown'], { error: 'use male, female, other or unknown (FHIR), or M, F, O or U (HL7)' }),
);

export const EncounterSchema = z.object({
  setting: z.enum(SETTINGS),
  dateOfService: z.iso.date(),
  patient: z
    .object({
      age: z.number().int().min(0).max(130).optional(),
      sex: SexSchema.optional(),
      /** New to this physician/group (CPT: no professional service in 3 years); the note's own wording wins. */
      newPatient: z.boolean().optional(),
    })
    .optional(),
});
export type Encounter = z.infer<typeof EncounterSchema>;

/** A note as the pipeline sees it. */
export interface NoteInput {
  text: string;
  encounter: Encounter;
}

export const ContextStatusSchema = z.object({
  negated: z.boolean(),
  uncertain: z.boolean(),
  historical: z.boolean(),
  family: z.boolean(),
  hypothetical: z.boolean(),
});
export type ContextStatus = z.infer<typeof ContextStatusSchema>;

export const EvidenceSpanSchema = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** Exactly text.slice(start, end) of the original note. */
  quote: z.string(),
});
export type EvidenceSpan = z.infer<typeof EvidenceSpanSchema>;

/** One applied coding rule, recorded on the suggestion (e.g. { rule: "seventh_char_default", detail: "…" }). */
export const RuleNoteSchema = z.object({ rule: z.string(), detail: z.string() });
export type RuleNote = z.infer<typeof RuleNoteSchema>;

export const SuggestionSchema = z.object({
  system: z.enum(CODE_SYSTEMS),
  code: z.string(),
  description: z.string(),
  evidence: z.array(EvidenceSpanSchema).min(1),
  context: ContextStatusSchema,
  confidence: z.number().min(0).max(1),
  /** "final" = a billable code the coder can accept; "needs_specificity" = a header kept with its span. */
  kind: z.enum(['final', 'needs_specificity']),
  rationale: z.object({
    /** How the code was found: the Index path / title / inclusion term that matched, and its kind. */
    matched: z.string(),
    matchKind: z.string(),
    rules: z.array(RuleNoteSchema),
    /** Reminders for the coder (code first / use additional code) that are not codes themselves. */
    reminders: z.array(z.string()),
  }),
  source: z.enum(['offline', 'llm']),
  versions: z.object({ engine: z.string(), prompt: z.string().nullable(), model: z.string().nullable(), embedder: z.string().nullable() }),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;
