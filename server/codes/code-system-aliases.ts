import { z } from 'zod';
import { CODE_SYSTEMS, type CodeSystem } from './types.ts';

/**
 * How clinical systems write the code systems medcode knows: the names (any case, with or without
 * hyphens or spaces: "ICD-10-CM", "icd10cm"), the FHIR system URIs (terminology.hl7.org "Using ICD-10",
 * "Using CPT", CMS HCPCS) and the HL7 v3 OIDs. The one map every input goes through: API bodies and
 * queries, JSONL datasets and FHIR resources. "http://hl7.org/fhir/sid/icd-10" (WHO ICD-10) is not CM.
 */
/** The FHIR system URI medcode writes for each code system (FHIR exports) and reads back. */
export const FHIR_CODE_SYSTEMS: Record<CodeSystem, string> = {
  ICD10CM: 'http://hl7.org/fhir/sid/icd-10-cm',
  ICD10PCS: 'http://www.cms.gov/Medicare/Coding/ICD10',
  HCPCS: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  CPT: 'http://www.ama-assn.org/go/cpt',
};

const ALIASES: Record<string, CodeSystem> = {
  icd10cm: 'ICD10CM',
  'urn:oid:2.16.840.1.113883.6.90': 'ICD10CM',
  icd10pcs: 'ICD10PCS',
  'urn:oid:2.16.840.1.113883.6.4': 'ICD10PCS',
  hcpcs: 'HCPCS',
  hcpcslevelii: 'HCPCS',
  'urn:oid:2.16.840.1.113883.6.285': 'HCPCS',
  cpt: 'CPT',
  cpt4: 'CPT',
  'urn:oid:2.16.840.1.113883.6.12': 'CPT',
  ...Object.fromEntries(Object.entries(FHIR_CODE_SYSTEMS).map(([system, uri]) => [uri.toLowerCase(), system as CodeSystem])),
};

/** The code system `written` names ("ICD-10-CM", a FHIR system URI, an OID …), or undefined. */
export function parseCodeSystem(written: string): CodeSystem | undefined {
  const s = written.trim().toLowerCase().replace(/\/+$/, '');
  return ALIASES[/^(https?|urn):/.test(s) ? s : s.replace(/[\s_.-]/g, '')];
}

/** A code system as inputs may write it; parses to one of CODE_SYSTEMS. */
export const CodeSystemSchema = z.preprocess(
  // Typed string in (what clients send); anything else reaches the enum as it is and fails there.
  (v: string) => (typeof v === 'string' ? (parseCodeSystem(v) ?? v) : v),
  z.enum(CODE_SYSTEMS, { error: (i) => `unknown code system ${JSON.stringify(i.input)}; use ${CODE_SYSTEMS.join(', ')}, a spelling such as ICD-10-CM, or a FHIR system URI` }),
);
