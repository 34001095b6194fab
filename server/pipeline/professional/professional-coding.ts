// Professional coding for one note: the E/M level, HCPCS drug and administration lines, and the
// claim-readiness findings over those lines and the engine's ICD-10-CM diagnoses. One entry point for
// the suggester (see withProfessionalCoding).

import { NO_CONTEXT } from '../candidates.ts';
import type { ClaimLine, EmPanel, EvidenceSpan, NoteInput, Suggestion } from '../types.ts';
import { checkClaim } from './claim-checks.ts';
import { type ClaimTables, loadClaimTables } from './claim-tables.ts';
import { decideEm, type EmDecision, FACILITY_FAMILIES } from './em-level.ts';
import { EM_TABLE, emLevelNumber } from './em-table.ts';
import { suggestDrugLines } from './hcpcs-drugs.ts';
import { type HcpcsDrugFile, loadHcpcsDrugs } from './hcpcs-file.ts';
import type { CptKnowledge } from './cpt-file.ts';
import { suggestCptLines } from './cpt-lines.ts';
import { applyModifier25 } from './modifiers.ts';
import type { ClaimFinding, ProcedureLine } from './types.ts';

export interface ProfessionalDeps {
  drugs: HcpcsDrugFile;
  claims: ClaimTables;
  /** The licensed CPT release in force on the date of service; without it no CPT procedure lines. */
  cpt?: CptKnowledge | null;
}

export interface ProfessionalResult {
  lines: ProcedureLine[];
  em: EmDecision | null;
  findings: ClaimFinding[];
  /** Why documented procedures got no CPT line (no licensed file, or a code missing from it). */
  notices: string[];
}

let shared: ProfessionalDeps | null = null;
/** The shipped HCPCS drugs and claim tables, read once per process (about a second). */
export function loadProfessionalDeps(): ProfessionalDeps {
  shared ??= { drugs: loadHcpcsDrugs(), claims: loadClaimTables() };
  return shared;
}

function emLines(em: EmDecision): ProcedureLine[] {
  const label = EM_TABLE[em.family].label;
  const level = em.mdm ? `MDM ${em.mdm.level}` : em.basis === 'time' ? `${em.totalMinutes ?? '?'} min` : em.basis;
  // Our own wording only: no AMA descriptor text.
  const levelNumber = emLevelNumber(em.family, em.code);
  const lines: ProcedureLine[] = [
    { system: 'CPT', code: em.code, units: 1, description: `E/M ${label}, level ${levelNumber} (${em.basis === 'time' ? `total time ${em.totalMinutes} min` : level})`, evidence: em.evidence, reminders: em.reminders, modifiers: [], diagnosisPointers: [] },
  ];
  if (em.addOn) {
    const timeSpan = em.evidence.filter((e) => /\d+\s*min/i.test(e.quote));
    lines.push({ system: 'CPT', code: em.addOn.code, units: em.addOn.units, description: `Prolonged E/M service, each full 15 minutes past the top level (${em.totalMinutes} min)`, evidence: timeSpan.length ? timeSpan : em.evidence, reminders: [], modifiers: [], diagnosisPointers: [] });
  }
  return lines;
}

/**
 * E/M, HCPCS and claim checks for a note, given the engine's ICD-10-CM diagnoses in sequence.
 * Example: an office note with "ketorolac 30 mg IM" and a moderate MDM → 99214, J1885 × 2, 96372.
 */
export function professionalCoding(note: NoteInput, diagnoses: readonly Suggestion[], deps: ProfessionalDeps): ProfessionalResult {
  const em = decideEm(note);
  const facilitySupplied = em !== null && FACILITY_FAMILIES.has(em.family);
  const cpt = suggestCptLines(note, deps.cpt, { facilitySupplied });
  const lines = applyModifier25([...(em ? emLines(em) : []), ...cpt.lines, ...suggestDrugLines(note, deps.drugs, { facilitySupplied })], note.text);
  const icd = diagnoses.filter((d) => d.system === 'ICD10CM' && d.kind === 'final' && !d.context.negated && !d.context.family);
  const checked = checkClaim(lines, icd, note.encounter, deps.claims);
  // The coder sees the notices on the visit's first line (the E/M line when there is one).
  const shown = cpt.notices.length && checked.lines[0] ? [{ ...checked.lines[0], reminders: [...checked.lines[0].reminders, ...cpt.notices] }, ...checked.lines.slice(1)] : checked.lines;
  return { lines: shown, em, findings: checked.findings, notices: cpt.notices };
}

/** The E/M decision as the review UI's E/M panel reads it (types.ts EmPanelSchema). */
function emPanel(em: EmDecision): EmPanel {
  return {
    family: em.family,
    basis: em.basis,
    newPatient: em.newPatient,
    level: em.mdm?.level ?? null,
    problems: em.mdm?.problems ?? null,
    data: em.mdm?.data ?? null,
    risk: em.mdm?.risk ?? null,
    totalMinutes: em.totalMinutes,
    source: em.source,
  };
}

function claimLine(l: ProcedureLine, em: EmDecision | null): ClaimLine {
  return { units: l.units, modifiers: [...l.modifiers], diagnosisPointers: [...l.diagnosisPointers], ...(em && l.code === em.code ? { em: emPanel(em) } : {}) };
}

function findingNote(f: ClaimFinding): string {
  return `Claim check (${f.rule}, ${f.source}): ${f.message}`;
}

/**
 * The engine's suggestions plus CPT/HCPCS lines for professional and outpatient notes; claim findings are
 * added as reminders on the suggestion with the code they name. Inpatient (facility) notes get the
 * diagnosis-side findings only (MCE, HCC).
 */
export function withProfessionalCoding(note: NoteInput, suggestions: readonly Suggestion[], deps: ProfessionalDeps, versions: Suggestion['versions']): Suggestion[] {
  const result = professionalCoding(note, suggestions, deps);
  const byCode = new Map<string, ClaimFinding[]>();
  for (const f of result.findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const withFindings = (s: Suggestion): Suggestion => {
    const found = byCode.get(s.code);
    // Structured findings for the claim-readiness panel; the reminder strings stay for older readers.
    return found ? { ...s, rationale: { ...s.rationale, reminders: [...s.rationale.reminders, ...found.map(findingNote)], findings: [...(s.rationale.findings ?? []), ...found.map((f) => ({ ...f }))] } } : s;
  };
  const lines: Suggestion[] = result.lines
    .filter((l) => l.evidence.length > 0)
    .map((l) => ({
      system: l.system,
      code: l.code,
      description: l.description,
      evidence: l.evidence.map((e): EvidenceSpan => ({ ...e })),
      context: NO_CONTEXT,
      confidence: l.code === result.em?.code ? 0.6 : 0.7,
      kind: 'final',
      rationale: {
        matched: l.code === result.em?.code ? result.em.summary : l.description,
        matchKind: l.code === result.em?.code ? `em_${result.em.basis}` : (l.rule ?? (l.system === 'HCPCS' ? 'hcpcs_drug_dose' : 'administration')),
        rules: [
          ...(l.code === result.em?.code && result.em.mdm
            ? (['problems', 'data', 'risk'] as const).map((k) => ({ rule: `mdm_${k}`, detail: `${result.em!.mdm![k].level}: ${result.em!.mdm![k].reasons.map((r) => r.label).join('; ') || 'none documented'}` }))
            : []),
          ...(l.units !== 1 ? [{ rule: 'units', detail: String(l.units) }] : []),
          ...(l.modifiers.length ? [{ rule: 'modifiers', detail: l.modifiers.join(', ') }] : []),
          ...(l.diagnosisPointers.length ? [{ rule: 'diagnosis_pointers', detail: l.diagnosisPointers.join(', ') }] : []),
        ],
        reminders: l.reminders,
        line: claimLine(l, result.em),
      },
      source: 'offline',
      versions,
    }));
  return [...suggestions, ...lines].map(withFindings);
}
