// Which long-term (current) drug therapy code (Z79.x) a Table of Drugs entry implies: data in
// ./data/long-term-use.json, validated when this module loads (an unknown key fails and names the path).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Z79 = z.string().regex(/^Z79\.[0-9A-Z]{1,3}$/, 'a Z79 code such as Z79.84');
const LongTermUseSchema = z.strictObject({
  $comment: z.string(),
  byDrugCode: z.array(z.strictObject({ prefix: z.string().regex(/^T\d\d(\.[0-9X]{1,2})?$/, 'a T-code prefix such as T38.3'), code: Z79, why: z.string().min(1) })).min(1),
  byName: z.array(z.strictObject({ name: z.string().regex(/^[a-z][a-z -]*$/, 'a lower-case drug name'), code: Z79, why: z.string().min(1) })),
});

export type LongTermUseRules = z.infer<typeof LongTermUseSchema>;

export function parseLongTermUse(raw: unknown): LongTermUseRules {
  const parsed = LongTermUseSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid long-term-use rules: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export const LONG_TERM_USE: LongTermUseRules = parseLongTermUse(JSON.parse(readFileSync(new URL('./data/long-term-use.json', import.meta.url), 'utf8')));

/**
 * The Z79 code for a patient on `drug` whose Table of Drugs row is `drugCode`, or undefined.
 * Example: ("metformin", "T38.3X1") → "Z79.84"; ("insulin glargine", "T38.3X1") → "Z79.4".
 */
export function longTermUseCode(drug: string, drugCode: string, rules: LongTermUseRules = LONG_TERM_USE): string | undefined {
  const name = drug.toLowerCase();
  const byName = rules.byName.find((r) => name === r.name || name.startsWith(`${r.name} `));
  if (byName) return byName.code;
  let best: { prefix: string; code: string } | undefined;
  for (const r of rules.byDrugCode) if (drugCode.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  return best?.code;
}
