// An office visit whose only problems are the ones a minor procedure done at it treats is not a separate E/M:
// "the decision to perform a minor surgical procedure is included in the payment for the minor surgical
// procedure and should not be reported separately as an E&M service" (NCCI Policy Manual for Medicare, ch. I
// §D; CMS Claims Processing Manual ch. 12 §40.1, global surgery). A laceration seen and repaired at an urgent
// care visit is the repair; the same visit that also manages another problem keeps its E/M, with modifier 25
// (modifiers.ts). Emergency department and hospital visits are left to the coder: their evaluation is usually
// separately identifiable work. Written by hand: which assessment items a procedure answers is read from their
// words (the procedure verbs the provider writes on the item), not from a code table.
import { splitSections } from '../sections.ts';
import type { EvidenceSpan } from '../types.ts';
import type { EmFamily } from './em-table.ts';

/** Families whose E/M a same-day minor procedure includes when it is the visit's only business. */
const OFFICE_FAMILIES: ReadonlySet<EmFamily> = new Set(['office_new', 'office_established']);
/** Procedure words a provider writes on an assessment item the procedure answers ("- simple repair", "excised"). */
const TREATED_BY_PROCEDURE = /\b(repair(?:ed)?|sutured|closure|closed|excis\w*|incision and drainage|I&D|drained|biops(?:y|ied)|cryotherapy|destroyed|destruction|injected|injection)\b/i;
/** An immunization given at the visit has its own administration code and needs no E/M. */
const IMMUNIZATION = /\b(immuni[sz]ation|vaccin\w*|Tdap|Td|toxoid)\b/i;

/**
 * The span of the documented procedure when every assessment item is a problem it treats (or an immunization
 * given), on an office visit; null otherwise.
 * Example: "PROCEDURE - laceration repair x2 … ASSESSMENT: 1. Laceration of L forearm … - intermediate
 * (layered) repair. 2. … - simple repair. 3. Tetanus immunization given (Tdap)." → the procedure's span.
 */
export function emIncludedInMinorProcedure(text: string, family: EmFamily): EvidenceSpan | null {
  if (!OFFICE_FAMILIES.has(family)) return null;
  const sections = splitSections(text);
  const procedure = sections.find((s) => s.name === 'procedures' && s.end > s.start) ?? headedProcedure(text);
  if (!procedure) return null;
  const assessment = sections.filter((s) => (s.name === 'assessment' || s.name === 'assessment_plan') && s.end > s.start);
  if (assessment.length === 0) return null;
  const items = assessment.flatMap((s) => text.slice(s.start, s.end).split(/\n\s*(?=\d+[.)]\s)|\n/)).map((l) => l.trim()).filter((l) => /[\p{L}]/u.test(l));
  if (items.length === 0 || !items.some((l) => TREATED_BY_PROCEDURE.test(l))) return null;
  if (!items.every((l) => TREATED_BY_PROCEDURE.test(l) || IMMUNIZATION.test(l))) return null;
  return { start: procedure.start, end: procedure.end, quote: text.slice(procedure.start, procedure.end) };
}

/** "PROCEDURE - laceration repair x2: …" — a procedure heading the section splitter does not take (a dash, not a colon). */
function headedProcedure(text: string): { start: number; end: number } | null {
  const m = /^[^\S\r\n]*PROCEDURES?\b[^\n]*/m.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}
