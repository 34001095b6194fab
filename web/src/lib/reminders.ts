/** A "Use additional code" instruction on a suggested code, as a code the coder can add. */
export interface AdditionalCode {
  code: string;
  /** A category or a range ("Z79.-", "B95-B97"): the coder picks the billable code in the add dialog. */
  header: boolean;
  /** The instruction as the tabular list words it. */
  text: string;
  /** The suggestion whose instruction it is (its evidence becomes the added code's evidence). */
  suggestionId: string;
}

const PREFIX = 'Use additional code: ';
// An ICD-10-CM code or category in tabular wording: "Z79.4", "Z79.-", "B95-B97"; a trailing "-" means "choose below".
const CODE = /\b([A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(\.?-)?/g;

/**
 * The codes named by "Use additional code" reminders (pipeline/rules.ts words them
 * "Use additional code: <tabular note> (<code the note is on>)"), once each, in suggestion order, minus
 * `kept` codes. A 3-character or dashed reference is a header.
 * Example: "Use additional code: Use additional code to identify control using: insulin (Z79.4) (E11)" → Z79.4.
 */
export function additionalCodes(suggestions: readonly { id: string; rationale: { reminders: string[] } }[], kept: ReadonlySet<string>): AdditionalCode[] {
  const out = new Map<string, AdditionalCode>();
  for (const s of suggestions) {
    for (const reminder of s.rationale.reminders) {
      if (!reminder.startsWith(PREFIX)) continue;
      const text = reminder.slice(PREFIX.length).replace(/\s*\([A-Z0-9.]+\)$/, '');
      for (const [, code, dash] of text.matchAll(CODE)) {
        if (!code || out.has(code) || kept.has(code)) continue;
        out.set(code, { code, header: !!dash || !code.includes('.'), text, suggestionId: s.id });
      }
    }
  }
  return [...out.values()];
}
