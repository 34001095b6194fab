// The procedure lines of a coded document as a FHIR R4 Claim (draft): CPT/HCPCS lines as Claim.item with
// quantity (units), modifier and diagnosisSequence (the pointers), ICD-10-CM codes as Claim.diagnosis. Claim.item
// is chosen over Procedure (no units or modifiers) and ChargeItem (no modifiers, no diagnosis pointers): it is
// the CMS-1500 / 837P line (item 24A–G) as US FHIR guides (CARIN Blue Button, Da Vinci) carry it.
import { z } from 'zod';
import { FHIR_CODE_SYSTEMS, parseCodeSystem } from '../server/codes/code-system-aliases.ts';
import type { Encounter } from '../server/pipeline/types.ts';
import type { GoldCode, RecordLine } from './datasets.ts';

const DATA_ABSENT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const CLAIM_TYPE = 'http://terminology.hl7.org/CodeSystem/claim-type';
const PRIORITY = 'http://terminology.hl7.org/CodeSystem/processpriority';
const INFO_CATEGORY = 'http://terminology.hl7.org/CodeSystem/claiminformationcategory';
/** Two-digit modifiers are CPT's (25, 59, 50, 76); letter modifiers (LT, RT, XS) are HCPCS Level II. */
const modifierSystem = (m: string) => (/^\d\d$/.test(m) ? FHIR_CODE_SYSTEMS.CPT : FHIR_CODE_SYSTEMS.HCPCS);
// Provider and coverage are required by R4 but unknown to a coding tool: marked absent, not invented.
const unknown = () => ({ extension: [{ url: DATA_ABSENT, valueCode: 'unknown' }] });

/**
 * The Claim for one document, or null when none of its codes is a procedure line. Diagnoses are listed in
 * gold order (sequence 1 = principal / first-listed); each item points at its diagnoses by sequence.
 * Example: 99214-25 × 1 → J45.901 gives item { productOrService 99214, modifier [25], quantity 1, diagnosisSequence [1] }.
 */
export function toFhirClaim(gold: readonly GoldCode[], encounter: Encounter, refs: { patient: string; document: string }): Record<string, unknown> | null {
  const lines = gold.filter((g): g is GoldCode & { line: RecordLine } => g.line !== undefined);
  if (lines.length === 0) return null;
  const diagnoses = gold.filter((g) => g.system === 'ICD10CM');
  const sequenceOf = new Map(diagnoses.map((d, i) => [d.code, i + 1]));
  return {
    resourceType: 'Claim',
    status: 'draft',
    type: { coding: [{ system: CLAIM_TYPE, code: encounter.setting === 'inpatient' ? 'institutional' : 'professional' }] },
    use: 'claim',
    patient: { reference: refs.patient },
    created: encounter.dateOfService,
    provider: unknown(),
    priority: { coding: [{ system: PRIORITY, code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: unknown() }],
    supportingInfo: [{ sequence: 1, category: { coding: [{ system: INFO_CATEGORY, code: 'attachment' }] }, valueReference: { reference: refs.document } }],
    ...(diagnoses.length ? { diagnosis: diagnoses.map((d, i) => ({ sequence: i + 1, diagnosisCodeableConcept: { coding: [{ system: FHIR_CODE_SYSTEMS.ICD10CM, code: d.code }] } })) } : {}),
    item: lines.map((g, i) => {
      const pointers = g.line.diagnosisPointers.flatMap((code) => sequenceOf.get(code) ?? []);
      return {
        sequence: i + 1,
        productOrService: { coding: [{ system: FHIR_CODE_SYSTEMS[g.system], code: g.code }] },
        ...(g.line.modifiers.length ? { modifier: g.line.modifiers.map((m) => ({ coding: [{ system: modifierSystem(m), code: m }] })) } : {}),
        quantity: { value: g.line.units },
        ...(pointers.length ? { diagnosisSequence: pointers } : {}),
        servicedDate: encounter.dateOfService,
      };
    }),
  };
}

const CodingsSchema = z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() })).min(1) });
const ClaimSchema = z.object({
  resourceType: z.literal('Claim'),
  supportingInfo: z.array(z.object({ valueReference: z.object({ reference: z.string() }).optional() })).optional(),
  diagnosis: z.array(z.object({ sequence: z.number().int(), diagnosisCodeableConcept: CodingsSchema })).optional(),
  item: z.array(z.object({ productOrService: CodingsSchema, modifier: z.array(CodingsSchema).optional(), quantity: z.object({ value: z.number().int().min(1) }).optional(), diagnosisSequence: z.array(z.number().int()).optional() })),
});

/** A Claim written by toFhirClaim read back: the document it belongs to and the line of each item's code. */
export function readFhirClaim(resource: unknown): { document: string | undefined; lines: { system: GoldCode['system']; code: string; line: RecordLine }[] } | string {
  const r = ClaimSchema.safeParse(resource);
  if (!r.success) return `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`;
  const byDxSequence = new Map((r.data.diagnosis ?? []).map((d) => [d.sequence, d.diagnosisCodeableConcept.coding[0]!.code ?? '']));
  const lines = r.data.item.flatMap((item) => {
    const coding = item.productOrService.coding.find((c) => c.system !== undefined && parseCodeSystem(c.system) !== undefined && c.code);
    if (!coding) return [];
    const line: RecordLine = {
      units: item.quantity?.value ?? 1,
      modifiers: (item.modifier ?? []).flatMap((m) => m.coding[0]?.code ?? []),
      diagnosisPointers: (item.diagnosisSequence ?? []).flatMap((s) => byDxSequence.get(s) || []),
    };
    return [{ system: parseCodeSystem(coding.system!)!, code: coding.code!, line }];
  });
  return { document: r.data.supportingInfo?.find((s) => s.valueReference)?.valueReference?.reference, lines };
}
