// Cirrhosis whose cause the provider names is not "unspecified cirrhosis of liver" (K74.60): the Index gives the
// named kinds other than alcoholic and biliary to K74.69 *Other cirrhosis of liver* (Cirrhosis, postnecrotic /
// cryptogenic / macronodular / nutritional / nonalcoholic Laennec's K74.69), and a cirrhosis after viral
// hepatitis or steatohepatitis is one of them, coded beside its cause (OCG I.B.18: an unspecified code only when
// the documentation does not support a more specific one). "Cirrhosis due to chronic hepatitis C, treated",
// "NASH cirrhosis" and "HBV-related cirrhosis" are K74.69. Alcoholic (K70.3-), biliary (K74.3–K74.5), cardiac
// (K76.1) and Wilson's (E83.01) cirrhosis have their own Index entries and are read there, not here.
import type { CandidateMention } from '../candidates.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/**
 * The causes that make cirrhosis "other": viral hepatitis (B15–B19), steatohepatitis and fatty liver (K75.81,
 * K76.0), autoimmune hepatitis (K75.4), alpha-1-antitrypsin deficiency (E88.01), hemochromatosis (E83.11-).
 */
const CAUSE = /^(B1[5-9]|K75\.81|K75\.4|K76\.0|E88\.01|E83\.11)/;
/** "cirrhosis due to / secondary to / from / related to <cause>", the cause after the word. */
const LINK_AFTER = /^[^.;]*?\b(due to|secondary to|caused by|from|related to|attributed to|because of|in the setting of)\b/i;
/** "<cause> cirrhosis", "<cause>-related cirrhosis", "post-<cause> cirrhosis": the cause just before. */
const LINK_BEFORE = /^[\s)]*(?:\([^()]{1,12}\)\s*)?(?:-?\s*(?:related|associated|induced)\s*)?(?:liver\s+)?$/i;

const CIRRHOSIS = /\bcirrho/i;

/** Example: "cirrhosis due to chronic hepatitis C (SVR 2022)" read as K74.60 → K74.69 (B18.2 as its cause). */
export function applyCirrhosisCause(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const k = kept.find((c) => c.code === 'K74.60');
  if (!k || !input.kb.codes.get('K74.69')?.billable) return { kept, dropped: [] };
  // Any reading of the cause counts, kept or not: a hepatitis C cured before the visit still caused the cirrhosis.
  // The coded reading named first in the rationale (B18.2, not the B19.20 it replaced).
  const coded = new Set(kept.map((c) => c.code));
  const causes = input.scored
    .filter((c) => CAUSE.test(c.code))
    .sort((a, b) => Number(coded.has(b.code)) - Number(coded.has(a.code)))
    .flatMap((c) => c.mentions.map((m) => ({ code: c.code, m })));
  const linked = (m: CandidateMention): string | undefined => {
    const s = input.sentences[m.sentenceIndex];
    if (!s || !CIRRHOSIS.test(m.span.quote) || m.context.family || m.context.negated) return undefined;
    const same = causes.filter((c) => c.m.sentenceIndex === m.sentenceIndex);
    const after = LINK_AFTER.exec(input.note.text.slice(m.span.end, s.end));
    const linkEnd = after ? m.span.end + after[0].length : -1;
    // The cause starts within a few words of the link ("due to chronic hepatitis C", "from NASH").
    const behind = same.find((c) => linkEnd >= 0 && c.m.span.start >= linkEnd && c.m.span.start - linkEnd <= 40);
    if (behind) return behind.code;
    const before = same.find((c) => c.m.span.end <= m.span.start && LINK_BEFORE.test(input.note.text.slice(c.m.span.end, m.span.start)));
    return before?.code;
  };
  // Any mention of the cirrhosis: the HPI's "cirrhosis due to hepatitis C" names the assessment's "Cirrhosis".
  const cause = k.mentions.map(linked).find((c) => c !== undefined);
  if (!cause) return { kept, dropped: [] };
  const why = `cirrhosis the provider attributes to ${cause}: Index "Cirrhosis, postnecrotic / cryptogenic / nutritional" K74.69, other cirrhosis of liver, not the unspecified K74.60 (OCG I.B.18)`;
  const dropped: Dropped[] = [{ code: 'K74.60', reason: why }];
  const existing = kept.find((c) => c.code === 'K74.69');
  if (existing) {
    noteDrop(existing, 'cirrhosis_cause', `K74.60 not reported: ${why}`);
    return { kept: kept.filter((c) => c !== k), dropped };
  }
  const other = derivedCandidate('K74.69', k.evidence, k.confidence, 'cirrhosis_cause', `K74.60 → K74.69: ${why}`);
  return { kept: kept.map((c) => (c === k ? other : c)), dropped };
}
