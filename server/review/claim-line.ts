// The coder's claim line on an accepted CPT/HCPCS suggestion: the units, modifiers and diagnosis pointers the
// coder bills, which may differ from the engine's (rationale.line). Stored in decisions.line (jsonb, migration
// 0011, which moved the earlier "claim-line:" rows out of reason_text); validated here at the edge and again on
// every read, so a row written by hand cannot reach a claim unchecked.
import { z } from 'zod';
import type { ClaimLine, Suggestion } from '../pipeline/types.ts';

/** CMS-1500 item 24E: up to four diagnosis pointers per line, in order. */
export const MAX_POINTERS = 4;

/** CPT/HCPCS modifiers are two characters (25, 59, XS, LT, RT, 50, 76, 77 …); CMS-1500 24D holds four. */
export const LineEditSchema = z.object({
  units: z.number().int().min(1).max(999),
  modifiers: z
    .array(z.string().trim().toUpperCase().regex(/^[A-Z0-9]{2}$/, 'a modifier is two letters or digits, e.g. 25, XS, LT'))
    .max(4)
    .refine((m) => new Set(m).size === m.length, 'a modifier is listed twice'),
  /** ICD-10-CM codes of the note's kept diagnoses, first = primary pointer; absent: the engine's pointers stand. */
  diagnosisPointers: z
    .array(z.string().trim().toUpperCase().regex(/^[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?$/, 'a diagnosis pointer is an ICD-10-CM code, e.g. J45.41'))
    .max(MAX_POINTERS, `a line points to at most ${MAX_POINTERS} diagnoses (CMS-1500 item 24E)`)
    .refine((p) => new Set(p).size === p.length, 'a diagnosis is pointed to twice')
    .optional(),
});
export type LineEdit = z.infer<typeof LineEditSchema>;

/** The line edit a decision holds, or null. Only an accept carries one (a database check says so too). */
export function readLineEdit(decision: { action: string; line: unknown }): LineEdit | null {
  if (decision.action !== 'accept' || decision.line == null) return null;
  const parsed = LineEditSchema.safeParse(decision.line);
  return parsed.success ? parsed.data : null;
}

/** The line a kept procedure code is billed with: the coder's edit, else the engine's line, else none (a diagnosis). */
export function billedLine(suggestion: Pick<Suggestion, 'rationale'> | undefined, decision: { action: string; line: unknown }): (Omit<LineEdit, 'diagnosisPointers'> & Pick<ClaimLine, 'diagnosisPointers'>) | null {
  const engine = suggestion?.rationale.line;
  const edit = readLineEdit(decision);
  if (!engine && !edit) return null;
  return { units: edit?.units ?? engine?.units ?? 1, modifiers: edit?.modifiers ?? engine?.modifiers ?? [], diagnosisPointers: edit?.diagnosisPointers ?? engine?.diagnosisPointers ?? [] };
}
