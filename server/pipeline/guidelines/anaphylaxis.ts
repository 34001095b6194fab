// Anaphylaxis by its cause. The Index sends "Anaphylaxis" and "Anaphylactic reaction" to "Shock, anaphylactic"
// (T78.2, unspecified) and lists the causes below it: "due to food" T78.00 with its kinds (peanuts T78.01,
// shellfish T78.02, other fish T78.03, fruit or vegetable T78.04, nuts and seeds T78.05, additives T78.06, milk and
// dairy T78.07, eggs T78.08), and "due to drug or medicinal substance, correct substance properly administered"
// T88.6. T78.2 is for a reaction whose cause the record does not name (OCG I.B.18; T78.2 Excludes2 names the food
// and the drug forms). The dictionary reads "anaphylaxis" to T78.2 and stops there: this stage reads the cause the
// provider links to it ("Anaphylaxis due to shellfish (shrimp) ingestion" → T78.02XA).
// Written by hand: the food words a note uses ("cashew", "shrimp") are common names of the Index's food kinds.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** The Index's food kinds under "Shock, anaphylactic, due to food", by the names notes use; peanuts before nuts. */
const FOODS: readonly [RegExp, string][] = [
  [/\bpeanuts?\b/i, 'T78.01'],
  [/\b(?:shellfish|shrimps?|prawns?|crabs?|lobsters?|crustaceans?|clams?|oysters?|mussels?|scallops?)\b/i, 'T78.02'],
  [/\b(?:fish|salmon|tuna|cod|halibut|tilapia)\b/i, 'T78.03'],
  [/\b(?:fruits?|vegetables?|strawberr(?:y|ies)|kiwis?|bananas?|apples?|peach(?:es)?)\b/i, 'T78.04'],
  [/\b(?:tree nuts?|nuts?|cashews?|almonds?|walnuts?|pecans?|pistachios?|hazelnuts?|seeds?|sesame)\b/i, 'T78.05'],
  [/\b(?:food additives?|additives?|sulfites?)\b/i, 'T78.06'],
  [/\b(?:milk|dairy)\b/i, 'T78.07'],
  [/\beggs?\b/i, 'T78.08'],
  [/\bfood\b/i, 'T78.00'],
];
/** The cause the provider links: "due to …", "from …", "to …" ("reaction to cashews"), "after eating …". */
const CAUSE = /\b(?:due to|secondary to|caused by|from|after (?:eating|ingesting|ingestion of)|to)\s+([^.;]{1,60})/i;
/** A drug given and taken as prescribed (T88.6), not one taken in error or excess (a poisoning, read from the Table). */
const NOT_AS_PRESCRIBED = /\b(overdose|wrong|error|excess|intentional|accidental|poisoning)\b/i;

/** The code the cause names, or null: a food kind, or T88.6 for a drug named in the Table of Drugs. */
function causeCode(input: GuidelineInput, sentence: string): string | null {
  const cause = CAUSE.exec(sentence)?.[1];
  if (!cause) return null;
  for (const [food, code] of FOODS) if (food.test(cause)) return code;
  const words = cause.match(/[A-Za-z][A-Za-z-]+/g) ?? [];
  if (words.slice(0, 4).some((w) => input.kb.drugClasses.has(w.toLowerCase())) && !NOT_AS_PRESCRIBED.test(sentence)) return 'T88.6';
  return null;
}

/** Example: "Anaphylactic reaction due to tree nut (cashew) ingestion" → T78.05XA, not T78.2XXA. */
export function applyAnaphylaxisCause(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const added: RuledCandidate[] = [];
  const out = kept.filter((c) => {
    if (!/^T78\.(2|00)/.test(c.code) || c.code.length !== 8) return true;
    for (const m of c.evidence) {
      const sentence = input.sentences[m.sentenceIndex]?.text ?? '';
      const at = m.span.start - (input.sentences[m.sentenceIndex]?.start ?? 0);
      const base = causeCode(input, sentence.slice(Math.max(0, at)));
      if (!base || c.code.startsWith(base)) continue;
      // The encounter character carries over: T78.2XXA → T78.05XA, T88.6XXA.
      const code = `${base}${'X'.repeat(6 - base.replace('.', '').length)}${c.code.at(-1)}`;
      if (!input.kb.codes.get(code)?.billable) continue;
      const detail = `${c.code} → ${code}: the provider names the cause (Index: Shock, anaphylactic, due to ${base === 'T88.6' ? 'drug, correct substance properly administered' : 'food'})`;
      if (!kept.some((k) => k.code === code) && !added.some((k) => k.code === code)) added.push(derivedCandidate(code, c.evidence, c.confidence, 'anaphylaxis_cause', detail));
      dropped.push({ code: c.code, reason: detail });
      return false;
    }
    return true;
  });
  for (const a of added) noteDrop(a, 'anaphylaxis_cause', 'T78.2 (anaphylactic shock, unspecified) not reported: the cause is documented');
  return { kept: [...out, ...added], dropped };
}
