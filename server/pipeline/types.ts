// Shapes shared by the suggestion pipeline, the notes API, the LLM stage and the eval runner.
import { z } from 'zod';
import { CODE_SYSTEMS } from '../codes/types.ts';
import { EM_FAMILIES, MDM_LEVELS } from './professional/em-table.ts';

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
  /** The primary payer as written ("Medicare Part B", "Aetna PPO"): Medicare decides G0008–G0010 over 90471/90472. */
  payer: z.string().trim().min(1).max(100).optional(),
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

/** A claim-readiness finding (pipeline/professional/claim-checks.ts): advisory, never blocks the coder. */
export const ClaimFindingSchema = z.object({
  rule: z.string(),
  severity: z.enum(['warning', 'info']),
  /** The code the finding is about. */
  code: z.string(),
  message: z.string(),
  /** Source table and its version, e.g. "CMS MUE practitioner 2026-04-01". */
  source: z.string(),
});

const MdmElementSchema = z.object({
  level: z.enum(MDM_LEVELS),
  reasons: z.array(z.object({ kind: z.string(), label: z.string(), evidence: z.array(EvidenceSpanSchema) })),
});

/** The E/M decision behind an E/M line: the three MDM elements with their evidence, so a coder can re-level. */
export const EmPanelSchema = z.object({
  family: z.enum(EM_FAMILIES),
  basis: z.enum(['mdm', 'time', 'age', 'global', 'nurse']),
  newPatient: z.boolean(),
  /** Combined MDM level (two of three elements); null when the family is not levelled by MDM. */
  level: z.enum(MDM_LEVELS).nullable(),
  problems: MdmElementSchema.nullable(),
  data: MdmElementSchema.nullable(),
  risk: MdmElementSchema.nullable(),
  totalMinutes: z.number().int().nullable(),
  source: z.string(),
});
export type EmPanel = z.infer<typeof EmPanelSchema>;

/** A CPT/HCPCS suggestion's claim line (CMS-1500 item 24): units, modifiers, diagnosis pointers (ICD-10-CM codes, up to 4, in order). */
export const ClaimLineSchema = z.object({
  units: z.number().int().min(1),
  modifiers: z.array(z.string()),
  diagnosisPointers: z.array(z.string()),
  em: EmPanelSchema.optional(),
});
export type ClaimLine = z.infer<typeof ClaimLineSchema>;

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
    /** CPT/HCPCS lines only (absent on diagnoses and on suggestions stored before issue 13). */
    line: ClaimLineSchema.optional(),
    /** Claim-readiness findings about this code (also written as reminders, which older suggestions carry alone). */
    findings: z.array(ClaimFindingSchema).optional(),
  }),
  source: z.enum(['offline', 'llm']),
  versions: z.object({ engine: z.string(), prompt: z.string().nullable(), model: z.string().nullable(), embedder: z.string().nullable() }),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;
