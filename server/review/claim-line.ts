// The coder's claim line on an accepted CPT/HCPCS suggestion: the units and modifiers the coder bills,
// which may differ from the engine's (rationale.line). Stored without a migration in the decision's
// reason_text (null on every accept until now) as "claim-line:" + JSON — a stopgap until a migration gives
// decisions a jsonb `line` column; every read goes through readLineEdit, so that move is one place.
import { z } from 'zod';
import type { ClaimLine, Suggestion } from '../pipeline/types.ts';

/** CPT/HCPCS modifiers are two characters (25, 59, XS, LT, RT, 50, 76, 77 …); CMS-1500 24D holds four. */
export const LineEditSchema = z.object({
  units: z.number().int().min(1).max(999),
  modifiers: z
    .array(z.string().trim().toUpperCase().regex(/^[A-Z0-9]{2}$/, 'a modifier is two letters or digits, e.g. 25, XS, LT'))
    .max(4)
    .refine((m) => new Set(m).size === m.length, 'a modifier is listed twice'),
});
export type LineEdit = z.infer<typeof LineEditSchema>;

const PREFIX = 'claim-line:';

/** The reason_text value that stores a line edit. */
export function lineEditText(line: LineEdit): string {
  return PREFIX + JSON.stringify(LineEditSchema.parse(line));
}

/**
 * The line edit a decision's reason_text holds, or null. Only an accept stores one: a reject's free text that
 * happens to start with the prefix is the coder's reason, not a line.
 */
export function readLineEdit(decision: { action: string; reasonText: string | null }): LineEdit | null {
  const { action, reasonText } = decision;
  if (action !== 'accept' || !reasonText?.startsWith(PREFIX)) return null;
  let json: unknown;
  try {
    json = JSON.parse(reasonText.slice(PREFIX.length));
  } catch {
    return null; // only lineEditText writes the prefix; anything else is not a line edit
  }
  const parsed = LineEditSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The line a kept procedure code is billed with: the coder's edit, else the engine's line, else none (a diagnosis). */
export function billedLine(suggestion: Pick<Suggestion, 'rationale'> | undefined, decision: { action: string; reasonText: string | null }): (LineEdit & Pick<ClaimLine, 'diagnosisPointers'>) | null {
  const engine = suggestion?.rationale.line;
  const edit = readLineEdit(decision);
  if (!engine && !edit) return null;
  return { units: edit?.units ?? engine?.units ?? 1, modifiers: edit?.modifiers ?? engine?.modifiers ?? [], diagnosisPointers: engine?.diagnosisPointers ?? [] };
}
