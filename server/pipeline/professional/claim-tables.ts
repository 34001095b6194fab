// Claim-readiness tables (data/claims, see its README): MUE, add-on code edits, MCE diagnosis lists and
// CMS-HCC V28. Parsed into plain maps the pure checks in ./claim-checks.ts take as input.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

export const MCE_LISTS = ['manifestation_not_pdx', 'unacceptable_pdx', 'age_newborn', 'age_pediatric', 'age_maternity', 'age_adult', 'unacceptable_pdx_unless_secondary'] as const;
export type MceList = (typeof MCE_LISTS)[number];

/** One V28 mapping row; `when` holds the CMS age/sex edit conditions, all of which must hold. */
export interface HccMapping {
  cc: number;
  when: { age?: AgeCondition[]; sex?: 'male' | 'female' };
}

/** "age < 50", "age >= 15", "0 <= age <= 17", "age = 0" as comparisons on the patient's age. */
export type AgeCondition = { op: '<' | '<=' | '>' | '>=' | '='; value: number };

export function parseAgeCondition(text: string): AgeCondition[] {
  const t = text.trim();
  if (!t) return [];
  const range = /^(\d+)\s*<=\s*age\s*<=\s*(\d+)$/.exec(t);
  if (range) return [{ op: '>=', value: Number(range[1]) }, { op: '<=', value: Number(range[2]) }];
  const single = /^age\s*(<=|>=|<|>|=)\s*(\d+)$/.exec(t);
  if (!single) throw new Error(`unknown HCC age condition "${t}" (expected "age < N", "age >= N", "A <= age <= B" or "age = N")`);
  return [{ op: single[1] as AgeCondition['op'], value: Number(single[2]) }];
}

/** True when `age` meets every condition; an unknown age meets none that exist. */
export function ageMeets(conditions: readonly AgeCondition[], age: number | undefined): boolean {
  if (conditions.length === 0) return true;
  if (age === undefined) return false;
  return conditions.every(({ op, value }) => (op === '<' ? age < value : op === '<=' ? age <= value : op === '>' ? age > value : op === '>=' ? age >= value : age === value));
}

export interface ClaimTables {
  /** CPT/HCPCS → practitioner MUE (units per day or per line) and its adjudication indicator text. */
  mue: ReadonlyMap<string, { value: number; mai: number; maiText: string }>;
  /** Add-on code → its edit type and the primary codes CMS lists (type 1). */
  aoc: ReadonlyMap<string, { type: 1 | 2 | 3; primaries: ReadonlySet<string> }>;
  /** ICD-10-CM code without dot → MCE lists it is on. */
  mce: ReadonlyMap<string, ReadonlySet<MceList>>;
  /** ICD-10-CM code without dot → V28 payment HCCs (a code may map to two), each with the age/sex it applies to. */
  hcc: ReadonlyMap<string, readonly HccMapping[]>;
  hccLabels: ReadonlyMap<number, string>;
  versions: { mue: string; aoc: string; mce: string; hcc: string };
}

const MueRow = z.object({ hcpcs_cpt_code: z.string().min(1), mue_value: z.coerce.number().int().min(0), mai: z.coerce.number().int().min(1).max(3), mai_text: z.string() });
const AocRow = z.object({ add_on_code: z.string().min(1), primary_code: z.string().min(1), aoc_edit_type: z.enum(['1', '2', '3']), deletion_date: z.string() });
const MceRow = z.object({ edit_list: z.enum(MCE_LISTS), icd10cm_code: z.string().min(3) });
const HccRow = z.object({ ICD10: z.string().min(3), CC: z.coerce.number().int().positive(), MCE_AGE_CONDITION: z.string(), AGE_EDIT_CONDITION: z.string(), SEX_EDIT_CONDITION: z.enum(['', '1.0', '2.0']) });
const LabelRow = z.object({ cc: z.string().regex(/^HCC\d+$/), label: z.string() });

function rows<T>(file: string, schema: z.ZodType<T>): T[] {
  const records: Record<string, string>[] = parse(gunzipSync(readFileSync(file)).toString('utf8'), { columns: true, skip_empty_lines: true, bom: true });
  return records.map((r, i) => {
    const parsed = schema.safeParse(r);
    // Tables are data validated on load: a bad row fails loudly with its file and line.
    if (!parsed.success) throw new Error(`${path.basename(file)}:${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return parsed.data;
  });
}

const DEFAULT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/claims');

/** Reads the claim tables shipped in data/claims. */
export function loadClaimTables(dir = DEFAULT_DIR, onDate = '2026-04-01'): ClaimTables {
  const mue = new Map(rows(path.join(dir, 'mue-practitioner-2026-04-01.csv.gz'), MueRow).map((r) => [r.hcpcs_cpt_code, { value: r.mue_value, mai: r.mai, maiText: r.mai_text }]));
  const aoc = new Map<string, { type: 1 | 2 | 3; primaries: Set<string> }>();
  for (const r of rows(path.join(dir, 'aoc-2026q3.csv.gz'), AocRow)) {
    if (r.deletion_date && r.deletion_date <= onDate) continue;
    const entry = aoc.get(r.add_on_code) ?? { type: Number(r.aoc_edit_type) as 1 | 2 | 3, primaries: new Set<string>() };
    if (r.primary_code !== 'CCCCC') entry.primaries.add(r.primary_code);
    aoc.set(r.add_on_code, entry);
  }
  const mce = new Map<string, Set<MceList>>();
  for (const r of rows(path.join(dir, 'mce-dx-edit-lists-v43.csv.gz'), MceRow)) mce.set(r.icd10cm_code, (mce.get(r.icd10cm_code) ?? new Set()).add(r.edit_list));
  const hcc = new Map<string, HccMapping[]>();
  for (const r of rows(path.join(dir, 'hcc-v28-py2026-final.csv.gz'), HccRow)) {
    const age = [...parseAgeCondition(r.MCE_AGE_CONDITION), ...parseAgeCondition(r.AGE_EDIT_CONDITION)];
    const sex = r.SEX_EDIT_CONDITION === '1.0' ? 'male' : r.SEX_EDIT_CONDITION === '2.0' ? 'female' : undefined;
    hcc.set(r.ICD10, [...(hcc.get(r.ICD10) ?? []), { cc: r.CC, when: { ...(age.length ? { age } : {}), ...(sex ? { sex } : {}) } }]);
  }
  const hccLabels = new Map(rows(path.join(dir, 'hcc-v28-labels.csv.gz'), LabelRow).map((r) => [Number(r.cc.slice(3)), r.label]));
  return {
    mue,
    aoc,
    mce,
    hcc,
    hccLabels,
    versions: { mue: 'CMS MUE practitioner, effective 2026-04-01', aoc: 'CMS NCCI add-on code edits 2026Q3', mce: 'CMS MCE v43 (FY2026)', hcc: 'CMS-HCC V28, PY2026 final mappings' },
  };
}
