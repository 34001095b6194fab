import type { CodeSystem } from './types.ts';

/** A code-set release and the files (under CODESETS_DIR) it is built from. */
export interface Release {
  system: CodeSystem;
  version: string;
  effectiveFrom: string;
  /** Last day in force; null = until a newer release is loaded. */
  effectiveTo: string | null;
  files: Record<string, string>;
}

/**
 * The public-domain releases shipped in data/codesets (see its README for origin and licence).
 * The tabular notes are the 2021 release and the Index CSV is FY2025: the newest that could be had.
 */
export const SHIPPED_RELEASES: Release[] = [
  {
    system: 'ICD10CM',
    version: 'FY2026',
    effectiveFrom: '2025-10-01',
    effectiveTo: '2026-09-30',
    files: {
      order: 'icd10cm-order-fy2026.txt.gz',
      tabular: 'icd10cm-tabular-2021.xml.gz',
      tabularAddenda: 'icd10cm-tabular-addenda-fy2026.txt.gz',
      index: 'icd10cm-index-fy2025.csv.gz',
      drug: 'icd10cm-drug-2026-04.xml.gz',
      neoplasm: 'icd10cm-neoplasm-2026-04.xml.gz',
      eindex: 'icd10cm-eindex-2026-04.xml.gz',
    },
  },
  {
    system: 'ICD10PCS',
    version: 'FY2026',
    effectiveFrom: '2025-10-01',
    effectiveTo: '2026-09-30',
    files: { order: 'icd10pcs-order-fy2026.txt.gz' },
  },
  {
    system: 'HCPCS',
    version: '2025-10',
    effectiveFrom: '2025-10-01',
    effectiveTo: null,
    files: { csv: 'hcpcs-2025-oct.csv.gz' },
  },
];
