// Diverticulitis with its perforation, abscess or peritonitis is one code (Index: Diverticulitis, intestine, large,
// with perforation, abscess or peritonitis K57.2-; OCG I.B.9 combination codes): K63.0 *Abscess of intestine*,
// K63.1 *Perforation of intestine* and K65.- *Peritonitis* each exclude the diverticular one (Excludes1 "… with
// diverticular disease (K57.-)"). "Sigmoid diverticulitis with pericolic abscess" read as K57.32 (*without
// perforation or abscess*) beside K63.0 is K57.20, the bleeding character kept.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** The complications K57's "with perforation and abscess" codes include. */
const COMPLICATION = /^(K63\.[01]|K65\.)/;

/** Example: K57.32 + K63.1 ("perforated sigmoid diverticulitis") → K57.20. */
export function applyDiverticulitisComplication(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title ?? '';
  const complications = kept.filter((c) => COMPLICATION.test(c.code));
  if (complications.length === 0) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  let out = kept;
  for (const d of kept.filter((c) => c.code.startsWith('K57') && /\bwithout perforation or abscess\b/i.test(title(c.code)))) {
    // The same part of the intestine and bleeding status, "with perforation and abscess": K57.32 → K57.20, K57.33 → K57.21.
    const wanted = title(d.code).replace(/^Diverticulosis/i, 'Diverticulitis').replace(/without perforation or abscess/i, 'with perforation and abscess').toLowerCase();
    const combo = [...(input.kb.children.get('K57') ?? [])].flatMap((p) => [p, ...(input.kb.children.get(p) ?? [])]).find((c) => input.kb.codes.get(c)?.billable && title(c).toLowerCase() === wanted);
    if (!combo) continue;
    const detail = `${d.code} with ${complications.map((c) => c.code).join(', ')}: one code, ${combo} (Index: Diverticulitis, with perforation, abscess or peritonitis; ${complications[0]!.code.slice(0, 3)} Excludes1 diverticular disease; OCG I.B.9)`;
    const derived = derivedCandidate(combo, [...d.evidence, ...complications.flatMap((c) => c.evidence)], Math.max(d.confidence, ...complications.map((c) => c.confidence)), 'combination_code', detail);
    for (const c of [d, ...complications]) {
      dropped.push({ code: c.code, reason: detail });
      noteDrop(derived, 'combination_code', `${c.code} (${title(c.code)}) included in ${combo}`);
    }
    out = [...out.filter((c) => c !== d && !complications.includes(c)), derived];
    break;
  }
  return { kept: out, dropped };
}
