// Diagnosis pointers of procedure lines as the claim stands while the coder works (CMS-1500 item 24E: up to
// four ICD-10-CM codes per line, in order). The engine's pointers were computed against its own diagnosis
// list; once the coder rejects a diagnosis or re-points a line, the claim check is recomputed here, so the
// "points to no diagnosis" warning follows the coder's decisions.

export const MAX_POINTERS = 4;
export const POINTER_SOURCE = 'CMS-1500 item 24E (up to 4 pointers per line)';

interface LineSuggestion {
  id: string;
  system: string;
  code: string;
  rationale: { line?: { diagnosisPointers: string[] } | undefined };
}
interface LineDecision {
  action: string;
  code: string | null;
  line?: { diagnosisPointers?: string[] | undefined } | null;
}

/**
 * The ICD-10-CM codes on the claim now: kept diagnoses, plus suggested ones nobody has decided yet (a rejected
 * or edited-away code is off the claim).
 */
export function claimDiagnoses(suggestions: readonly LineSuggestion[], decisionFor: (id: string) => LineDecision | undefined, kept: readonly { system: string | null; code: string | null }[]): Set<string> {
  const codes = new Set(kept.filter((d) => d.system === 'ICD10CM' && d.code).map((d) => d.code!));
  for (const s of suggestions) if (s.system === 'ICD10CM' && !decisionFor(s.id)) codes.add(s.code);
  return codes;
}

/** A line's pointers that point at a diagnosis on the claim: the coder's, else the engine's, in order. */
export function linePointers(s: LineSuggestion, decision: LineDecision | undefined, onClaim: ReadonlySet<string>): string[] {
  const chosen = decision?.line?.diagnosisPointers ?? s.rationale.line?.diagnosisPointers ?? [];
  return chosen.filter((c) => onClaim.has(c)).slice(0, MAX_POINTERS);
}

export interface PointerFinding {
  rule: 'diagnosis_pointer';
  severity: 'warning';
  code: string;
  message: string;
  source: string;
  suggestionId: string;
}

/** A warning per procedure line on the claim (not rejected) that points to no diagnosis on the claim. */
export function pointerFindings(suggestions: readonly LineSuggestion[], decisionFor: (id: string) => LineDecision | undefined, onClaim: ReadonlySet<string>): PointerFinding[] {
  const out: PointerFinding[] = [];
  for (const s of suggestions) {
    const d = decisionFor(s.id);
    if (!s.rationale.line || d?.action === 'reject') continue;
    if (linePointers(s, d, onClaim).length > 0) continue;
    const code = d?.code ?? s.code;
    out.push({ rule: 'diagnosis_pointer', severity: 'warning', code, message: `Line ${code} points to no diagnosis on the claim: choose up to ${MAX_POINTERS} in its line dialog.`, source: POINTER_SOURCE, suggestionId: s.id });
  }
  return out;
}
