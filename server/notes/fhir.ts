// FHIR R4 DocumentReference (alone or in a Bundle) → notes. Only inline text/plain attachments are read.
import { z } from 'zod';
import { SETTINGS, type Encounter, type Setting } from '../pipeline/types.ts';
import type { NoteDraft } from './draft.ts';

/** Extension (on the DocumentReference) that states the coding setting: valueCode inpatient | outpatient | professional. */
export const SETTING_EXTENSION_URL = 'https://medcode.dev/fhir/StructureDefinition/encounter-setting';

/**
 * FHIR v3 ActCode encounter classes (Encounter.class) → coding setting. Emergency, observation and
 * short-stay encounters are hospital outpatient services: OCG Section IV governs them.
 */
const ENCOUNTER_CLASS_SETTING: Record<string, Setting> = {
  IMP: 'inpatient',
  ACUTE: 'inpatient',
  NONAC: 'inpatient',
  AMB: 'outpatient',
  EMER: 'outpatient',
  OBSENC: 'outpatient',
  SS: 'outpatient',
  VR: 'outpatient',
  HH: 'outpatient',
  PRENC: 'outpatient',
};

/** Documents per Bundle: a bigger batch is split by the caller (the request body limit applies too). */
export const MAX_BUNDLE_ENTRIES = 100;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const AttachmentSchema = z.object({
  contentType: z.string().optional(),
  data: z.string().optional(),
  url: z.string().optional(),
});

const ContainedEncounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: z.string().optional(),
  class: z.object({ code: z.string().optional() }).optional(),
});

const DocumentReferenceShape = z.object({
  resourceType: z.literal('DocumentReference'),
  id: z.string().max(200).optional(),
  masterIdentifier: z.object({ value: z.string().max(200).optional() }).optional(),
  status: z.string().optional(),
  date: z.string().optional(),
  extension: z.array(z.looseObject({ url: z.string(), valueCode: z.string().optional() })).optional(),
  contained: z.array(z.looseObject({ resourceType: z.string() })).optional(),
  content: z.array(z.object({ attachment: AttachmentSchema })).min(1, 'content is empty'),
  context: z
    .object({
      period: z.object({ start: z.string().optional() }).optional(),
      encounter: z.array(z.object({ reference: z.string().optional() })).optional(),
    })
    .optional(),
});
type DocumentReference = z.infer<typeof DocumentReferenceShape>;

/**
 * A DocumentReference as a note:
 * - text: the first `content[].attachment` with contentType text/plain (UTF-8) and inline base64 `data`
 *   (attachments by `url` are not fetched);
 * - dateOfService: `context.period.start` (when the care happened), else `date` (when the document was
 *   written); it must carry a full YYYY-MM-DD date, which is taken as written (the source's local date);
 * - setting: the {@link SETTING_EXTENSION_URL} extension; else the class of a *contained* Encounter that
 *   `context.encounter` points at (IMP → inpatient, AMB/EMER/OBSENC… → outpatient); else "outpatient",
 *   with a warning. Outpatient is the safe default: its rules (OCG IV.H) never code an uncertain
 *   ("rule out") diagnosis, so a wrong default loses codes rather than adding unsupported ones;
 * - externalId: `id`, else `masterIdentifier.value`.
 */
export const DocumentReferenceSchema = DocumentReferenceShape.transform((doc, ctx): NoteDraft => {
  if (doc.status === 'entered-in-error') ctx.addIssue({ code: 'custom', path: ['status'], message: 'document is entered-in-error' });
  const text = attachmentText(doc, ctx);
  const dateOfService = serviceDate(doc, ctx);
  const { setting, warning } = codingSetting(doc, ctx);
  const encounter: Encounter = { setting, dateOfService: dateOfService ?? '' };
  return {
    text: text?.text ?? '',
    field: text?.field ?? 'content',
    encounter,
    externalId: doc.id ?? doc.masterIdentifier?.value ?? null,
    format: 'fhir',
    warnings: warning ? [warning] : [],
  };
});

export const BundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    entry: z
      .array(z.object({ resource: DocumentReferenceSchema }))
      .min(1, 'the Bundle has no entries')
      .max(MAX_BUNDLE_ENTRIES, `a Bundle may hold at most ${MAX_BUNDLE_ENTRIES} documents`),
  })
  .transform((b): NoteDraft[] => b.entry.map((e, i) => ({ ...e.resource, field: `entry.${i}.resource.${e.resource.field}` })));

function attachmentText(doc: DocumentReference, ctx: z.RefinementCtx): { text: string; field: string } | undefined {
  const i = doc.content.findIndex((c) => mediaType(c.attachment.contentType) === 'text/plain' && c.attachment.data !== undefined);
  if (i < 0) {
    ctx.addIssue({ code: 'custom', path: ['content'], message: 'no content[].attachment with contentType text/plain and inline base64 data (attachments by url are not fetched)' });
    return undefined;
  }
  const att = doc.content[i]!.attachment;
  const path = ['content', i, 'attachment'];
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(att.contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    ctx.addIssue({ code: 'custom', path: [...path, 'contentType'], message: `charset ${charset} is not supported (send UTF-8)` });
    return undefined;
  }
  // FHIR base64Binary allows whitespace between the groups.
  const data = att.data!.replace(/\s+/g, '');
  if (!BASE64.test(data)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'data'], message: 'not valid base64' });
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
  } catch {
    ctx.addIssue({ code: 'custom', path: [...path, 'data'], message: 'the decoded attachment is not UTF-8 text' });
    return undefined;
  }
  if (text.trim() === '') {
    ctx.addIssue({ code: 'custom', path: [...path, 'data'], message: 'the attachment is empty' });
    return undefined;
  }
  return { text, field: `content.${i}.attachment.data` };
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function serviceDate(doc: DocumentReference, ctx: z.RefinementCtx): string | undefined {
  const [value, path] = doc.context?.period?.start !== undefined ? [doc.context.period.start, ['context', 'period', 'start']] : [doc.date, ['date']];
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', path: ['context', 'period', 'start'], message: 'no date of service: give context.period.start or date' });
    return undefined;
  }
  const day = /^(\d{4}-\d{2}-\d{2})(?:T|$)/.exec(value)?.[1];
  if (!day || !z.iso.date().safeParse(day).success) {
    ctx.addIssue({ code: 'custom', path, message: `"${value.slice(0, 40)}" is not a full date (YYYY-MM-DD or a dateTime)` });
    return undefined;
  }
  return day;
}

function codingSetting(doc: DocumentReference, ctx: z.RefinementCtx): { setting: Setting; warning?: string } {
  const e = doc.extension?.findIndex((x) => x.url === SETTING_EXTENSION_URL) ?? -1;
  if (e >= 0) {
    const code = doc.extension![e]!.valueCode;
    if (!SETTINGS.includes(code as Setting)) {
      ctx.addIssue({ code: 'custom', path: ['extension', e, 'valueCode'], message: `setting must be one of ${SETTINGS.join(', ')}` });
      return { setting: 'outpatient' };
    }
    return { setting: code as Setting };
  }
  const ref = doc.context?.encounter?.[0]?.reference;
  if (ref?.startsWith('#')) {
    const enc = doc.contained?.map((r) => ContainedEncounterSchema.safeParse(r)).find((r) => r.success && r.data.id === ref.slice(1));
    const cls = enc?.success ? enc.data.class?.code?.toUpperCase() : undefined;
    const setting = cls ? ENCOUNTER_CLASS_SETTING[cls] : undefined;
    if (setting) return { setting };
  }
  return { setting: 'outpatient', warning: 'encounter setting not given (extension or contained Encounter.class); coded as outpatient' };
}
