// Shapes of professional (CPT/HCPCS) coding: claim lines and claim-readiness findings.

import type { EvidenceSpan } from '../types.ts';

/** One procedure line of a professional or outpatient claim. */
export interface ProcedureLine {
  system: 'CPT' | 'HCPCS';
  code: string;
  units: number;
  /** Our own wording; never AMA CPT descriptor text. */
  description: string;
  evidence: EvidenceSpan[];
  reminders: string[];
  /** CPT/HCPCS modifiers, e.g. "25" on an E/M beside a same-day procedure. */
  modifiers: string[];
  /** ICD-10-CM codes (up to 4) this line points to, filled by the claim checks. */
  diagnosisPointers: string[];
  /** Diagnoses this line must point to first when the claim has them (a vaccine line → Z23, OCG I.C.21.c.2). */
  pointTo?: string[];
  /** The rule that produced a CPT procedure line ("cpt_repair", "cpt_descriptor"); the suggestion's match kind. */
  rule?: string;
}

/** A claim-readiness finding; advisory only — none blocks the claim. */
export interface ClaimFinding {
  rule: 'mue' | 'add_on_without_primary' | 'diagnosis_pointer' | 'mce_unacceptable_pdx' | 'mce_manifestation_pdx' | 'mce_age' | 'hcc_payment' | 'hcc_unspecified';
  severity: 'warning' | 'info';
  /** The code the finding is about. */
  code: string;
  message: string;
  /** Source table and its version, e.g. "CMS MUE practitioner 2026-04-01". */
  source: string;
}
