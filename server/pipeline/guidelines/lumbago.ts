// Low back pain with sciatica is one condition in the classification: the Index's "Lumbago, with sciatica" is
// M54.4-, and M54.3 (sciatica) has "Excludes1: … sciatica with lumbago (M54.4-)" (OCG I.A.12.a, I.B.9 combination
// codes). "Low back pain with left-sided sciatica" read as M54.50 and M54.32 is M54.42, the side kept from the
// sciatica's code.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const SIDE_CHILD: Record<string, string> = { 'M54.30': 'M54.40', 'M54.31': 'M54.41', 'M54.32': 'M54.42' };

/** Example: "Acute low back pain with left-sided sciatica" → M54.42, not M54.50 + M54.32. */
export function applyLumbagoWithSciatica(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const pain = kept.find((c) => c.code.startsWith('M54.5') && !c.context.uncertain);
  const sciatica = kept.find((c) => SIDE_CHILD[c.code] !== undefined);
  const code = sciatica && SIDE_CHILD[sciatica.code];
  if (!pain || !sciatica || !code || !input.kb.codes.get(code)?.billable || kept.some((c) => c.code.startsWith('M54.4'))) return { kept, dropped: [] };
  const why = 'low back pain with sciatica: Index "Lumbago, with sciatica" (M54.3 Excludes1 sciatica with lumbago, M54.4-; OCG I.A.12.a, I.B.9)';
  const combined = derivedCandidate(code, [...pain.evidence, ...sciatica.evidence], Math.max(pain.confidence, sciatica.confidence), 'combination_code', why);
  const dropped: Dropped[] = [pain, sciatica].map((c) => ({ code: c.code, reason: `${code}: ${why}` }));
  for (const c of [pain, sciatica]) noteDrop(combined, 'combination_code', `${c.code} replaced by ${code}: ${why}`);
  return { kept: [...kept.filter((c) => c !== pain && c !== sciatica), combined], dropped };
}
