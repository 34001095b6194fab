// Professional coding for one note: the E/M level, HCPCS drug and administration lines, and the
// claim-readiness findings over those lines and the engine's ICD-10-CM diagnoses. One entry point for
// the suggester (see withProfessionalCoding).

import { NO_CONTEXT } from '../candidates.ts';
import type { ClaimLine, EmPanel, EvidenceSpan, NoteInput, Suggestion } from '../types.ts';
import { checkClaim, type ClaimDiagnosis } from './claim-checks.ts';
import { type ClaimTables, loadClaimTables } from './claim-tables.ts';
import { decideEm, type EmDecision, FACILITY_FAMILIES } from './em-level.ts';
import { EM_TABLE, emLevelNumber } from './em-table.ts';
import { suggestDrugLines } from './hcpcs-drugs.ts';
import { type HcpcsDrugFile, loadHcpcsDrugs } from './hcpcs-file.ts';
import type { CptKnowledge } from './cpt-file.ts';
import { suggestCptLines } from './cpt-lines.ts';
import { emIncludedInMinorProcedure } from './minor-procedure.ts';
import { applyModifier25 } from './modifiers.ts';
import type { ClaimFinding, ProcedureLine } from './types.ts';
import { suggestSupplyLines } from './supplies.ts';
import { IMMUNIZATION_DX, suggestVaccineLines, type VaccineGiven } from './vaccines.ts';

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
  /** Vaccines given at the visit (their lines are in `lines` on a professional/outpatient claim). */
  vaccines: VaccineGiven[];
  /** Z23 when vaccines were given and the engine's diagnoses lack it (OCG I.C.21.c.2), appended last. */
  immunizationDx: ClaimDiagnosis | null;
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
  const decided = decideEm(note);
  const includedIn = decided ? emIncludedInMinorProcedure(note.text, decided.family) : null;
  const facilitySupplied = decided !== null && !includedIn && FACILITY_FAMILIES.has(decided.family);
  const cpt = suggestCptLines(note, deps.cpt, { facilitySupplied });
  const vaccines = suggestVaccineLines(note, deps.drugs, deps.cpt, { facilitySupplied });
  const drugs = suggestDrugLines(note, deps.drugs, { facilitySupplied });
  // A nurse visit for an injection or immunization is the administration code alone: Medicare pays no 99211
  // billed with a drug or immunization administration service (CMS policy; its manual section was not checked offline).
  const nurseWithService = decided?.basis === 'nurse' && [...cpt.lines, ...drugs, ...vaccines.lines].some((l) => l.system === 'CPT');
  const em = includedIn || nurseWithService ? null : decided;
  const lines = applyModifier25([...(em ? emLines(em) : []), ...cpt.lines, ...drugs, ...vaccines.lines, ...suggestSupplyLines(note, deps.drugs, { facilitySupplied })], note.text);
  const icd: ClaimDiagnosis[] = diagnoses.filter((d) => d.system === 'ICD10CM' && d.kind === 'final' && !d.context.negated && !d.context.family);
  const immunizationDx = vaccines.given.length && !icd.some((d) => d.code === IMMUNIZATION_DX.code) ? { code: IMMUNIZATION_DX.code, description: IMMUNIZATION_DX.description, evidence: vaccines.given.map((g) => g.span) } : null;
  const checked = checkClaim(lines, immunizationDx ? [...icd, immunizationDx] : icd, note.encounter, deps.claims);
  const included = includedIn
    ? [`No E/M suggested: every problem of this office visit is one the documented procedure treats ("${includedIn.quote.slice(0, 80)}"), and a minor procedure includes the decision to perform it (NCCI Policy Manual ch. I §D). If the visit had separately identifiable work, add the E/M with modifier 25.`]
    : [];
  const nurseNotice = nurseWithService ? ['No 99211: a visit with clinical staff for an injection or immunization is reported with the administration code alone.'] : [];
  const notices = [...included, ...nurseNotice, ...cpt.notices, ...vaccines.notices];
  // The coder sees the notices on the visit's first line (the E/M line when there is one).
  const shown = notices.length && checked.lines[0] ? [{ ...checked.lines[0], reminders: [...checked.lines[0].reminders, ...notices] }, ...checked.lines.slice(1)] : checked.lines;
  return { lines: shown, em, findings: checked.findings, notices, vaccines: vaccines.given, immunizationDx };
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

/**
 * Z23 for a visit where vaccines were given, after the engine's diagnoses: OCG I.C.21.c.2 — it may be a
 * secondary code when the vaccine is part of other care (a well visit, a laceration's tetanus dose), and
 * first-listed only when the visit is for the vaccine.
 */
function immunizationSuggestion(dx: ClaimDiagnosis, versions: Suggestion['versions']): Suggestion {
  return {
    system: 'ICD10CM',
    code: dx.code,
    description: dx.description,
    evidence: dx.evidence.map((e) => ({ ...e })),
    context: NO_CONTEXT,
    confidence: 0.7,
    kind: 'final',
    rationale: {
      matched: `vaccine given: ${dx.evidence.map((e) => e.quote).join(', ')}`,
      matchKind: 'rule_immunization',
      rules: [{ rule: 'immunization_encounter', detail: `${IMMUNIZATION_DX.guideline}: a vaccine given at the visit is identified by Z23; the vaccine lines point to it` }],
      reminders: ['Z23 is first-listed only when the visit was for the vaccine alone; otherwise it follows the diagnoses treated (OCG I.C.21.c.2).'],
    },
    source: 'offline',
    versions,
  };
}

function findingNote(f: ClaimFinding): string {
  return `Claim check (${f.rule}, ${f.source}): ${f.message}`;
}

/**
 * The engine's suggestions plus CPT/HCPCS lines for professional and outpatient notes; claim findings are
 * added as reminders on the suggestion with the code they name. Inpatient (facility) notes get the
 * diagnosis-side findings only (MCE, HCC).
 */
export function withProfessionalCoding(note: NoteInput, suggestions: readonly Suggestion[], deps: ProfessionalDeps, versions: Suggestion['versions'], warnings?: string[]): Suggestion[] {
  const result = professionalCoding(note, suggestions, deps);
  // A visit with no line to carry them (a repair-only visit without a licensed CPT file) says them as warnings.
  if (warnings && result.notices.length && !result.lines.some((l) => l.evidence.length > 0)) warnings.push(...result.notices);
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
  const z23 = result.immunizationDx ? [immunizationSuggestion(result.immunizationDx, versions)] : [];
  return [...suggestions, ...z23, ...lines].map(withFindings);
}
