// Claim-readiness checks, pure: MUE units, add-on codes without their primary, diagnosis pointers,
// MCE edits on inpatient principal/age, and CMS-HCC V28 payment mapping. Every finding names its rule
// and the source table with its version; none blocks the claim — the coder decides.

import type { Encounter, EvidenceSpan, Suggestion } from '../types.ts';
import { ageMeets, type ClaimTables, type HccMapping, type MceList } from './claim-tables.ts';
import type { ClaimFinding, ProcedureLine } from './types.ts';

/** Diagnosis as the checks need it: ICD-10-CM code, title and the note spans it rests on. */
export type ClaimDiagnosis = Pick<Suggestion, 'code' | 'description' | 'evidence'>;

const MAX_POINTERS = 4; // CMS-1500 item 24E: up to four diagnosis pointers per line.

const undotted = (code: string): string => code.replace('.', '').toUpperCase();

/**
 * MUE: units above the practitioner MUE for a code. An MUE adjudication indicator (MAI) of 1 is a claim-line
 * edit: each line is checked on its own (a second line with 59/XS, 76 or RT/LT is reported apart); MAI 2 and 3
 * are date-of-service edits: the units of every line of the code on the claim are added up (CMS MUE FAQ).
 */
export function checkMue(lines: readonly ProcedureLine[], tables: Pick<ClaimTables, 'mue' | 'versions'>): ClaimFinding[] {
  const unitsByKey = new Map<string, { code: string; units: number }>();
  lines.forEach((l, i) => {
    const key = tables.mue.get(l.code)?.mai === 1 ? `${l.code}#${i}` : l.code;
    const seen = unitsByKey.get(key);
    unitsByKey.set(key, { code: l.code, units: (seen?.units ?? 0) + l.units });
  });
  const findings: ClaimFinding[] = [];
  for (const { code, units } of unitsByKey.values()) {
    const mue = tables.mue.get(code);
    if (!mue || units <= mue.value) continue;
    findings.push({ rule: 'mue', severity: 'warning', code, message: `${units} units exceed the practitioner MUE of ${mue.value} (${mue.maiText}); check the units or document why.`, source: tables.versions.mue });
  }
  return findings;
}

/** Add-on code on the claim without one of the primary codes CMS lists for it (AOC edit type 1). */
export function checkAddOns(lines: readonly ProcedureLine[], tables: Pick<ClaimTables, 'aoc' | 'versions'>): ClaimFinding[] {
  const codes = new Set(lines.map((l) => l.code));
  const findings: ClaimFinding[] = [];
  for (const code of codes) {
    const edit = tables.aoc.get(code);
    if (!edit || edit.type !== 1) continue; // types 2 and 3: the contractor decides the primaries
    if ([...edit.primaries].some((p) => codes.has(p))) continue;
    const listed = [...edit.primaries].slice(0, 6).join(', ');
    findings.push({ rule: 'add_on_without_primary', severity: 'warning', code, message: `Add-on code ${code} is reported without an eligible primary code (e.g. ${listed}${edit.primaries.size > 6 ? ', …' : ''}).`, source: tables.versions.aoc });
  }
  return findings;
}

function distance(a: readonly EvidenceSpan[], b: readonly EvidenceSpan[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const x of a) for (const y of b) best = Math.min(best, Math.max(0, x.start - y.end, y.start - x.end));
  return best;
}

/**
 * Links each line to up to four diagnoses: the E/M line to the first-listed ones in order, other lines
 * to the diagnoses written nearest their evidence (first-listed first on ties), a line that names its diagnosis
 * (`pointTo`: a vaccine line → Z23) to that one. Warns when a line has none.
 */
export function assignPointers(lines: readonly ProcedureLine[], diagnoses: readonly ClaimDiagnosis[]): { lines: ProcedureLine[]; findings: ClaimFinding[] } {
  const findings: ClaimFinding[] = [];
  const out = lines.map((line) => {
    const required = line.pointTo ? diagnoses.filter((d) => line.pointTo!.includes(d.code)) : [];
    const ranked = required.length
      ? required
      : /^(99[2-4]\d\d|98\d\d\d|99024)$/.test(line.code)
      ? diagnoses
      : diagnoses.map((d, i) => ({ d, i, far: distance(line.evidence, d.evidence) })).sort((a, b) => a.far - b.far || a.i - b.i).map((x) => x.d);
    const pointers = ranked.slice(0, MAX_POINTERS).map((d) => d.code);
    if (pointers.length === 0) {
      findings.push({ rule: 'diagnosis_pointer', severity: 'warning', code: line.code, message: `Line ${line.code} has no supporting diagnosis to point to.`, source: 'CMS-1500 item 24E (up to 4 pointers per line)' });
    }
    return { ...line, diagnosisPointers: pointers };
  });
  return { lines: out, findings };
}

const AGE_LISTS: readonly { list: MceList; min: number; max: number; label: string }[] = [
  { list: 'age_newborn', min: 0, max: 0, label: 'newborn (age 0)' },
  { list: 'age_pediatric', min: 0, max: 17, label: 'pediatric (0–17)' },
  { list: 'age_maternity', min: 9, max: 64, label: 'maternity (9–64)' },
  { list: 'age_adult', min: 15, max: 124, label: 'adult (15–124)' },
];

/** MCE edits for an inpatient claim: the principal diagnosis (first listed) and age conflicts on every code. */
export function checkMce(diagnoses: readonly ClaimDiagnosis[], encounter: Encounter, tables: Pick<ClaimTables, 'mce' | 'versions'>): ClaimFinding[] {
  if (encounter.setting !== 'inpatient') return [];
  const findings: ClaimFinding[] = [];
  const principal = diagnoses[0];
  if (principal) {
    const lists = tables.mce.get(undotted(principal.code));
    if (lists?.has('manifestation_not_pdx')) findings.push({ rule: 'mce_manifestation_pdx', severity: 'warning', code: principal.code, message: `${principal.code} is a manifestation code and may not be the principal diagnosis; sequence the underlying condition first.`, source: tables.versions.mce });
    if (lists?.has('unacceptable_pdx')) findings.push({ rule: 'mce_unacceptable_pdx', severity: 'warning', code: principal.code, message: `${principal.code} is not acceptable as a principal diagnosis.`, source: tables.versions.mce });
  }
  const age = encounter.patient?.age;
  if (age !== undefined) {
    for (const d of diagnoses) {
      const lists = tables.mce.get(undotted(d.code));
      for (const a of AGE_LISTS) {
        if (lists?.has(a.list) && (age < a.min || age > a.max)) findings.push({ rule: 'mce_age', severity: 'warning', code: d.code, message: `${d.code} is for ${a.label} patients; the patient is ${age}.`, source: tables.versions.mce });
      }
    }
  }
  return findings;
}

/** The V28 HCCs a code maps to for this patient (CMS age and sex edit conditions applied). */
export function hccsFor(mappings: readonly HccMapping[], patient: Encounter['patient']): number[] {
  const fits = mappings.filter((m) => ageMeets(m.when.age ?? [], patient?.age) && (!m.when.sex || m.when.sex === patient?.sex));
  return [...new Set(fits.map((m) => m.cc))];
}

/**
 * CMS-HCC V28: marks diagnoses that map to a payment HCC for this patient, and an unspecified diagnosis that
 * does not map while a more specific code in its category does (documentation may support the specific code).
 * When the patient's age or sex is unknown, an age/sex-split code is listed with every HCC it can map to.
 */
export function checkHcc(diagnoses: readonly ClaimDiagnosis[], tables: Pick<ClaimTables, 'hcc' | 'hccLabels' | 'versions'>, patient?: Encounter['patient']): ClaimFinding[] {
  const findings: ClaimFinding[] = [];
  for (const d of diagnoses) {
    const code = undotted(d.code);
    const mappings = tables.hcc.get(code);
    if (mappings) {
      const known = patient?.age !== undefined && patient.sex !== undefined;
      const hccs = known ? hccsFor(mappings, patient) : [...new Set(mappings.map((m) => m.cc))];
      if (hccs.length > 0) {
        const named = hccs.map((h) => `HCC ${h}${tables.hccLabels.has(h) ? ` (${tables.hccLabels.get(h)})` : ''}`).join(known ? ', ' : ' or ');
        findings.push({ rule: 'hcc_payment', severity: 'info', code: d.code, message: `${d.code} maps to ${named}${known || hccs.length === 1 ? '' : ' depending on age/sex'}.`, source: tables.versions.hcc });
        continue;
      }
    }
    if (!/unspecified/i.test(d.description)) continue;
    const prefix = code.slice(0, 3);
    const siblings = new Set<number>();
    for (const [other, m] of hccInCategory(tables.hcc, prefix)) if (other.startsWith(prefix) && other !== code) for (const x of m) siblings.add(x.cc);
    if (siblings.size === 0) continue;
    findings.push({ rule: 'hcc_unspecified', severity: 'info', code: d.code, message: `${d.code} (unspecified) maps to no payment HCC, but more specific codes in ${prefix} map to HCC ${[...siblings].sort((a, b) => a - b).join(', ')}; check whether the note supports one.`, source: tables.versions.hcc });
  }
  return findings;
}

const hccCategories = new WeakMap<ClaimTables['hcc'], Map<string, [string, readonly HccMapping[]][]>>();

/**
 * The HCC mappings of the codes in a 3-character category (all of them for a shorter prefix): grouped once
 * per table, where a scan of all ~10,000 mapped codes per unspecified diagnosis was a fifth of the engine's
 * allocations (profiled).
 */
function hccInCategory(hcc: ClaimTables['hcc'], prefix: string): Iterable<[string, readonly HccMapping[]]> {
  if (prefix.length < 3) return hcc;
  let byCategory = hccCategories.get(hcc);
  if (!byCategory) {
    byCategory = new Map();
    for (const [code, m] of hcc) {
      const list = byCategory.get(code.slice(0, 3));
      if (list) list.push([code, m]);
      else byCategory.set(code.slice(0, 3), [[code, m]]);
    }
    hccCategories.set(hcc, byCategory);
  }
  return byCategory.get(prefix) ?? [];
}

/** All checks on a claim: returns the lines with their diagnosis pointers and every finding. */
export function checkClaim(lines: readonly ProcedureLine[], diagnoses: readonly ClaimDiagnosis[], encounter: Encounter, tables: ClaimTables): { lines: ProcedureLine[]; findings: ClaimFinding[] } {
  const pointed = assignPointers(lines, diagnoses);
  return {
    lines: pointed.lines,
    findings: [...checkMue(lines, tables), ...checkAddOns(lines, tables), ...pointed.findings, ...checkMce(diagnoses, encounter, tables), ...checkHcc(diagnoses, tables, encounter.patient)],
  };
}
