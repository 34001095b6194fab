// Modifier 25 on the E/M line: an E/M reported on the same date as a procedure must be significant and
// separately identifiable from the procedure's own pre- and post-service work (CPT modifier 25; NCCI Policy
// Manual ch. XI for drug administration, ch. I for minor procedures).

import { splitSections } from '../sections.ts';
import { OFFICE_TESTS } from './cpt-table.ts';
import type { ProcedureLine } from './types.ts';

const EM_CODE = /^(99[2-4]\d\d|98\d\d\d)$/;
// CPT Preventive Medicine guidelines: immunizations given at a preventive visit are reported separately, with no
// 25 on the preventive code (25 goes on a problem-oriented E/M reported beside it).
const PREVENTIVE = /^993[89]\d$/;
const NOT_A_VISIT_LEVEL = new Set(['99024', '99417', '99418']);
// Diagnostic tests (ECG, pulmonary function, scored instruments) carry no global surgical package, so an E/M
// beside them needs no 25 (CMS Claims Processing Manual ch. 12 §30.6.6: 25 is for a procedure's global period).
const DIAGNOSTIC_TESTS: ReadonlySet<string> = new Set([OFFICE_TESTS.ecg, ...Object.values(OFFICE_TESTS.spirometry), OFFICE_TESTS.plethysmography, OFFICE_TESTS.dlco, OFFICE_TESTS.instrument]);

/**
 * Adds modifier 25 to the E/M line when a procedure line shares the claim, with the reason; when the note
 * documents a procedure that no line codes (e.g. a repair under "Procedure:"), reminds the coder instead.
 * Example: [99214, J1100, 96372] → 99214-25 "separately identifiable from 96372 on the same date".
 */
export function applyModifier25(lines: readonly ProcedureLine[], text: string): ProcedureLine[] {
  const em = lines.find((l) => EM_CODE.test(l.code) && !NOT_A_VISIT_LEVEL.has(l.code));
  if (!em) return [...lines];
  const preventive = PREVENTIVE.test(em.code);
  const procedures = lines.filter(
    (l) =>
      l.system === 'CPT' && l !== em && !NOT_A_VISIT_LEVEL.has(l.code) && !EM_CODE.test(l.code) && !DIAGNOSTIC_TESTS.has(l.code) &&
      // A vaccine product is a supply, not a procedure; its administration is part of a preventive visit's claim.
      l.rule !== 'vaccine_product' && !(preventive && l.rule === 'vaccine_admin'),
  );
  if (procedures.length > 0) {
    const codes = procedures.map((p) => p.code).join(', ');
    return lines.map((l) =>
      l === em ? { ...l, modifiers: [...l.modifiers, '25'], reminders: [...l.reminders, `Modifier 25: the E/M must be significant and separately identifiable from ${codes} on the same date; the note's assessment and plan should show work beyond the procedure's.`] } : l,
    );
  }
  const documented = splitSections(text).find((s) => s.name === 'procedures' && s.end > s.start);
  if (!documented) return [...lines];
  return lines.map((l) => (l === em ? { ...l, reminders: [...l.reminders, 'A procedure is documented: if it is billed (CPT from a licensed file), add modifier 25 to the E/M when the visit was separately identifiable.'] } : l));
}
