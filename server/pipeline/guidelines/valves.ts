// Multiple valve diseases (I08; tabular: "Includes: multiple valve diseases specified as rheumatic or unspecified"):
// two valves whose diseases the classification places in the rheumatic categories (I05 mitral, I06 aortic, I07
// tricuspid) are one I08 code, named by its title ("Rheumatic disorders of both mitral and tricuspid valves", I08.1),
// not one code per valve. Nonrheumatic valve codes (I34–I37) are excluded from I08 (its Excludes1) and left alone.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const VALVE: Readonly<Record<string, string>> = { I05: 'mitral', I06: 'aortic', I07: 'tricuspid' };

/** Example: "rheumatic mitral stenosis and rheumatic tricuspid regurgitation" read as I05.0 and I07.1 → I08.1. */
export function applyMultipleValves(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const valves = kept.filter((c) => VALVE[c.code.slice(0, 3)] && !c.context.historical);
  const named = new Set(valves.map((c) => VALVE[c.code.slice(0, 3)]!));
  if (named.size < 2) return { kept, dropped: [] };
  const title = named.size === 3 ? 'Combined rheumatic disorders of mitral, aortic and tricuspid valves' : `Rheumatic disorders of both ${['mitral', 'aortic', 'tricuspid'].filter((v) => named.has(v)).join(' and ')} valves`;
  const code = (input.kb.children.get('I08') ?? []).find((c) => input.kb.codes.get(c)?.title === title);
  if (!code || !input.kb.codes.get(code)?.billable) return { kept, dropped: [] };
  const why = `${[...named].join(' and ')} valve disease classified as rheumatic: one multiple-valve code, ${code} (${title})`;
  const existing = kept.find((c) => c.code === code);
  const combined = existing ?? derivedCandidate(code, valves.flatMap((c) => c.evidence), Math.max(...valves.map((c) => c.confidence)), 'multiple_valves', why);
  const dropped: Dropped[] = valves.map((c) => ({ code: c.code, reason: why }));
  for (const c of valves) noteDrop(combined, 'multiple_valves', `${c.code} (${input.kb.codes.get(c.code)?.title ?? c.code}) not reported: ${why}`);
  return { kept: [...kept.filter((c) => !valves.includes(c) && c !== existing), combined], dropped };
}
