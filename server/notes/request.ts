// The body of POST /api/notes: a plain JSON note, a FHIR DocumentReference, or a FHIR Bundle of them.
import { z } from '@hono/zod-openapi';
import { EncounterSchema } from '../pipeline/types.ts';
import type { NoteDraft } from './draft.ts';
import { BundleSchema, DocumentReferenceSchema } from './fhir.ts';

export const PlainNoteSchema = z
  .object({
    // Absent: a plain note (the generator needs some type for the documentation).
    resourceType: z.undefined().openapi({ type: 'null', description: 'omit for a plain JSON note' }).optional(),
    text: z.string().refine((t) => t.trim() !== '', 'text is empty'),
    encounter: EncounterSchema,
    externalId: z.string().min(1).max(200).optional(),
  })
  .transform((n): NoteDraft => ({ text: n.text, encounter: n.encounter, externalId: n.externalId ?? null, format: 'json', field: 'text', warnings: [] }));

/** Dispatches on `resourceType` (absent → plain note), so a validation error names the field of the shape sent. */
export const NoteRequestSchema = z
  .discriminatedUnion('resourceType', [PlainNoteSchema, DocumentReferenceSchema, BundleSchema])
  .transform((r): NoteDraft[] => (Array.isArray(r) ? r : [r]));
