// Dataset export (JSONL, CSV, FHIR R4) and FHIR import. Pure: strings and objects in, strings and objects
// out; the JSONL reader is `parseJsonl` in eval/datasets.ts, shared with the file loader.
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { FHIR_CODE_SYSTEMS, parseCodeSystem } from '../server/codes/code-system-aliases.ts';
import type { CodeSystem } from '../server/codes/types.ts';
import { SETTINGS, SexSchema, type Encounter, type EvidenceSpan } from '../server/pipeline/types.ts';
import { DatasetError, normalizeGold, type EvalDocument, type GoldCode } from './datasets.ts';
import { readFhirClaim, toFhirClaim } from './fhir-claim.ts';

/** What every exporter takes: EvalDocument, whose gold may carry descriptions and evidence. */
export type DatasetDocument = EvalDocument;

// ---------------------------------------------------------------- JSONL

/** One JSON object per line, `\n`-terminated — exactly what `parseJsonl` / `loadJsonl` read back. */
export function toJsonl(docs: readonly DatasetDocument[]): string {
  return docs.map((d) => JSON.stringify({ id: d.id, text: d.text, encounter: d.encounter, gold: d.gold.map(goldOut) }) + '\n').join('');
}

function goldOut(g: GoldCode): GoldCode {
  const out: GoldCode = { system: g.system, code: g.code };
  if (g.description !== undefined) out.description = g.description;
  if (g.evidence !== undefined) out.evidence = g.evidence.map((e) => ({ start: e.start, end: e.end, quote: e.quote }));
  if (g.line !== undefined) out.line = g.line;
  return out;
}

// ---------------------------------------------------------------- CSV

export const CSV_COLUMNS = ['id', 'system', 'code', 'description', 'evidence_start', 'evidence_end', 'evidence_quote'] as const;

export interface CsvOptions {
  /**
   * Prefix cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) with "'" (OWASP
   * "CSV Injection"): note text is untrusted and this file is meant to be opened in Excel. Default true;
   * turn off for a byte-exact machine-readable export.
   */
  guardFormulas?: boolean;
}

/**
 * A gold listing for spreadsheets, RFC 4180 (CRLF line ends, header row): one row per gold code and
 * evidence span — a code without evidence gets one row with empty evidence cells, a code with k spans k
 * rows. Note text and encounter are not included (use JSONL or FHIR to move whole datasets).
 */
export function toCsv(docs: readonly DatasetDocument[], options: CsvOptions = {}): string {
  const guard = options.guardFormulas ?? true;
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const d of docs) {
    for (const g of d.gold) {
      const spans: (EvidenceSpan | null)[] = g.evidence?.length ? g.evidence : [null];
      for (const e of spans) rows.push([d.id, g.system, g.code, g.description ?? '', e ? String(e.start) : '', e ? String(e.end) : '', e ? e.quote : '']);
    }
  }
  return toCsvRows(rows, guard);
}

/**
 * RFC 4180 text (header first, CRLF line ends) of string rows, with the formula guard: the one CSV writer
 * of medcode (dataset exports and the QA dashboard tables).
 */
export function toCsvRows(rows: readonly (readonly string[])[], guardFormulas = true): string {
  return stringify(rows as string[][], { record_delimiter: 'windows', cast: { string: (v) => (guardFormulas && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v) } });
}

// ---------------------------------------------------------------- FHIR R4

/** Complex extension on a Condition/Procedure: one per evidence span, sub-extensions start, end, quote. */
export const EVIDENCE_SPAN_EXTENSION = 'https://medcode.example/fhir/StructureDefinition/evidence-span';
/** Patient age in years, as medcode's encounter records it (no birth date is known). */
export const PATIENT_AGE_EXTENSION = 'https://medcode.example/fhir/StructureDefinition/patient-age';
/** DocumentReference.identifier system holding the dataset document id (which may not be a valid FHIR id). */
export const DOCUMENT_ID_SYSTEM = 'https://medcode.example/fhir/document-id';
/** DocumentReference.context.practiceSetting coding system for medcode's encounter setting. */
export const SETTING_SYSTEM = 'https://medcode.example/fhir/CodeSystem/setting';


interface Extension {
  url: string;
  valueString?: string;
  valueInteger?: number;
  extension?: Extension[];
}

/**
 * A FHIR R4 Bundle (type "collection"): per document a Patient (sex, age extension), a DocumentReference
 * (the text as a base64 text/plain attachment; id as identifier; date of service and setting in
 * context) and per gold code a Condition (ICD-10-CM) or Procedure (the others) that points at the
 * DocumentReference (Condition.evidence.detail, Procedure.report) and carries its evidence spans; a
 * document with CPT/HCPCS claim lines adds a draft Claim (eval/fhir-claim.ts) with units, modifiers and pointers.
 * fullUrls are urn:uuid values derived from the document id, so the same dataset exports identically.
 */
export function toFhirBundle(docs: readonly DatasetDocument[]): FhirBundle {
  const entry: { fullUrl: string; resource: Record<string, unknown> }[] = [];
  docs.forEach((d, i) => {
    const patientUrl = urnUuid(`patient|${i}|${d.id}`);
    const docUrl = urnUuid(`document|${i}|${d.id}`);
    const patient: Record<string, unknown> = { resourceType: 'Patient' };
    if (d.encounter.patient?.sex) patient.gender = d.encounter.patient.sex;
    if (d.encounter.patient?.age !== undefined) patient.extension = [{ url: PATIENT_AGE_EXTENSION, valueInteger: d.encounter.patient.age }];
    entry.push({ fullUrl: patientUrl, resource: patient });
    // FHIR forbids empty strings: an empty note is an attachment without data.
    const attachment: Record<string, unknown> = { contentType: 'text/plain; charset=utf-8' };
    if (d.text !== '') attachment.data = Buffer.from(d.text, 'utf8').toString('base64');
    entry.push({
      fullUrl: docUrl,
      resource: {
        resourceType: 'DocumentReference',
        status: 'current',
        identifier: [{ system: DOCUMENT_ID_SYSTEM, value: d.id }],
        subject: { reference: patientUrl },
        content: [{ attachment }],
        context: { period: { start: d.encounter.dateOfService }, practiceSetting: { coding: [{ system: SETTING_SYSTEM, code: d.encounter.setting }] } },
      },
    });
    d.gold.forEach((g, j) => {
      const coding: Record<string, string> = { system: FHIR_CODE_SYSTEMS[g.system], code: g.code };
      if (g.description) coding.display = g.description;
      const resource: Record<string, unknown> =
        g.system === 'ICD10CM'
          ? { resourceType: 'Condition', code: { coding: [coding] }, subject: { reference: patientUrl }, evidence: [{ detail: [{ reference: docUrl }] }] }
          : { resourceType: 'Procedure', status: 'completed', code: { coding: [coding] }, subject: { reference: patientUrl }, report: [{ reference: docUrl }] };
      if (g.evidence?.length) resource.extension = g.evidence.map(spanExtension);
      entry.push({ fullUrl: urnUuid(`code|${i}|${d.id}|${j}`), resource });
    });
    const claim = toFhirClaim(d.gold, d.encounter, { patient: patientUrl, document: docUrl });
    if (claim) entry.push({ fullUrl: urnUuid(`claim|${i}|${d.id}`), resource: claim });
  });
  return { resourceType: 'Bundle', type: 'collection', entry };
}

function spanExtension(e: EvidenceSpan): Extension {
  const parts: Extension[] = [
    { url: 'start', valueInteger: e.start },
    { url: 'end', valueInteger: e.end },
  ];
  if (e.quote !== '') parts.push({ url: 'quote', valueString: e.quote });
  return { url: EVIDENCE_SPAN_EXTENSION, extension: parts };
}

/** A deterministic RFC 4122 version-5-style UUID (SHA-1 of a medcode name), as a urn. */
function urnUuid(name: string): string {
  const h = createHash('sha1').update(`medcode|${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// Import: validate only what medcode reads; other fields and resource types pass through untouched.
const ExtensionSchema: z.ZodType<Extension> = z.lazy(() =>
  z.object({ url: z.string(), valueString: z.string().optional(), valueInteger: z.number().int().optional(), extension: z.array(ExtensionSchema).optional() }),
);
const ReferenceSchema = z.object({ reference: z.string() });
const CodeableConceptSchema = z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() })).min(1) });

const DocumentReferenceSchema = z.object({
  resourceType: z.literal('DocumentReference'),
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string().optional() })).optional(),
  subject: ReferenceSchema.optional(),
  content: z.array(z.object({ attachment: z.object({ contentType: z.string().optional(), data: z.string().optional() }) })).min(1),
  context: z.object({
    period: z.object({ start: z.string() }),
    practiceSetting: CodeableConceptSchema,
  }),
});
const PatientSchema = z.object({
  resourceType: z.literal('Patient'),
  gender: SexSchema.optional(),
  extension: z.array(ExtensionSchema).optional(),
});
const ConditionSchema = z.object({
  resourceType: z.literal('Condition'),
  code: CodeableConceptSchema,
  evidence: z.array(z.object({ detail: z.array(ReferenceSchema).optional() })).optional(),
  extension: z.array(ExtensionSchema).optional(),
});
const ProcedureSchema = z.object({
  resourceType: z.literal('Procedure'),
  code: CodeableConceptSchema,
  report: z.array(ReferenceSchema).optional(),
  extension: z.array(ExtensionSchema).optional(),
});
const BundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  entry: z.array(z.object({ fullUrl: z.string().optional(), resource: z.looseObject({ resourceType: z.string() }) })).default([]),
});

export type FhirBundle = { resourceType: 'Bundle'; type: 'collection'; entry: { fullUrl: string; resource: Record<string, unknown> }[] };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads a bundle written by `toFhirBundle` (a JSON string or parsed value) back into documents, in bundle
 * order. Errors are DatasetErrors naming `sourceName` and the entry: an unknown coding system, a
 * Condition/Procedure whose DocumentReference is not in the bundle, a malformed evidence span.
 */
export function parseFhirBundle(json: unknown, sourceName = 'FHIR bundle'): EvalDocument[] {
  // Typed as a const so TypeScript narrows after calls to it.
  const fail: (problem: string) => never = (problem) => {
    throw new DatasetError(sourceName, null, problem);
  };
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json.replace(/^\uFEFF/, ''));
    } catch (err) {
      fail(`not JSON: ${(err as Error).message}`);
    }
  }
  const bundle = BundleSchema.safeParse(value);
  if (!bundle.success) fail(`not a FHIR Bundle: ${issueText(bundle.error)}`);
  const entries = bundle.data.entry;

  const parse = <T>(schema: z.ZodType<T>, resource: unknown, at: string): T => {
    const r = schema.safeParse(resource);
    return r.success ? r.data : fail(`${at}: ${issueText(r.error)}`);
  };

  // Patients first, so a DocumentReference may come before or after its subject.
  const patients = new Map<string, z.infer<typeof PatientSchema>>();
  entries.forEach((e, i) => {
    if (e.resource.resourceType === 'Patient' && e.fullUrl) patients.set(e.fullUrl, parse(PatientSchema, e.resource, `entry ${i} (Patient)`));
  });

  // Then documents, then the codes that point at them, so entry order between the two does not matter.
  const docs: { doc: EvalDocument; gold: GoldCode[] }[] = [];
  const byUrl = new Map<string, { doc: EvalDocument; gold: GoldCode[] }>();
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (e.resource.resourceType !== 'DocumentReference') return;
    const at = `entry ${i} (DocumentReference)`;
    const r = parse(DocumentReferenceSchema, e.resource, at);
    const id = r.identifier?.find((x) => x.system === DOCUMENT_ID_SYSTEM)?.value ?? fail(`${at}: no identifier with system ${DOCUMENT_ID_SYSTEM}`);
    if (seen.has(id)) fail(`${at}: id "${id}" appears twice`);
    seen.add(id);
    const data = r.content[0]!.attachment.data ?? '';
    if (!BASE64.test(data) || data.length % 4 !== 0) fail(`${at}: content.0.attachment.data is not base64`);
    const setting = r.context.practiceSetting.coding.find((c) => c.system === SETTING_SYSTEM)?.code;
    if (!setting || !(SETTINGS as readonly string[]).includes(setting)) fail(`${at}: context.practiceSetting needs a ${SETTING_SYSTEM} code, one of ${SETTINGS.join(', ')}`);
    if (!z.iso.date().safeParse(r.context.period.start).success) fail(`${at}: context.period.start must be a date (YYYY-MM-DD)`);
    const encounter: Encounter = { setting: setting as Encounter['setting'], dateOfService: r.context.period.start };
    const patient = r.subject ? patients.get(r.subject.reference) : undefined;
    const age = patient?.extension?.find((x) => x.url === PATIENT_AGE_EXTENSION)?.valueInteger;
    if (age !== undefined && (age < 0 || age > 130)) fail(`${at}: patient age ${age} is outside 0–130`);
    if (patient?.gender !== undefined || age !== undefined) {
      encounter.patient = {};
      if (age !== undefined) encounter.patient.age = age;
      if (patient?.gender !== undefined) encounter.patient.sex = patient.gender;
    }
    const entry = { doc: { id, text: Buffer.from(data, 'base64').toString('utf8'), encounter, gold: [] }, gold: [] };
    docs.push(entry);
    if (e.fullUrl) byUrl.set(e.fullUrl, entry);
  });

  entries.forEach((e, i) => {
    const kind = e.resource.resourceType;
    if (kind !== 'Condition' && kind !== 'Procedure') return;
    const at = `entry ${i} (${kind})`;
    const r = kind === 'Condition' ? parse(ConditionSchema, e.resource, at) : parse(ProcedureSchema, e.resource, at);
    const refs = 'evidence' in r ? (r.evidence ?? []).flatMap((x) => x.detail ?? []) : 'report' in r ? (r.report ?? []) : [];
    const target = refs.map((x) => byUrl.get(x.reference)).find((x) => x !== undefined) ?? fail(`${at}: references no DocumentReference of this bundle (${kind === 'Condition' ? 'evidence.detail' : 'report'})`);
    // The first coding in a system medcode knows, however the sender wrote it (URI, OID or name).
    const coding = r.code.coding.find((c) => c.system !== undefined && parseCodeSystem(c.system) !== undefined);
    if (!coding?.code) return fail(`${at}: code.coding has no code in ${Object.values(FHIR_CODE_SYSTEMS).join(', ')} (or another spelling of them)`);
    const gold: GoldCode = { system: parseCodeSystem(coding.system!)!, code: coding.code };
    if (coding.display !== undefined) gold.description = coding.display;
    const spans = (r.extension ?? []).filter((x) => x.url === EVIDENCE_SPAN_EXTENSION).map((x, k) => spanOf(x, `${at}: evidence span ${k}`, fail));
    if (spans.length) gold.evidence = spans;
    target.gold.push(gold);
  });

  // Claim items add their units, modifiers and pointers to the document's procedure codes.
  entries.forEach((e, i) => {
    if (e.resource.resourceType !== 'Claim') return;
    const claim = readFhirClaim(e.resource);
    if (typeof claim === 'string') return fail(`entry ${i} (Claim): ${claim}`);
    const target = claim.document ? byUrl.get(claim.document) : undefined;
    if (!target) return fail(`entry ${i} (Claim): supportingInfo references no DocumentReference of this bundle`);
    for (const l of claim.lines) {
      const g = target.gold.find((x) => x.system === l.system && x.code === l.code);
      if (g) g.line = l.line;
    }
  });

  // Codes go through the same normalisation, de-duplication and span checks as JSONL.
  return docs.map(({ doc, gold }) => {
    const codes = normalizeGold(gold, doc.text);
    return typeof codes === 'string' ? fail(`document "${doc.id}": ${codes}`) : { ...doc, gold: codes };
  });
}

function spanOf(x: Extension, at: string, fail: (problem: string) => never): EvidenceSpan {
  const part = (url: string) => x.extension?.find((p) => p.url === url);
  const start = part('start')?.valueInteger;
  const end = part('end')?.valueInteger;
  if (start === undefined || end === undefined || start < 0 || end < start) return fail(`${at}: an evidence span needs integer start ≤ end (valueInteger)`);
  return { start, end, quote: part('quote')?.valueString ?? '' };
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
