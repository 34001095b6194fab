// The tabular's "Includes: any condition classifiable to I70.211 and I70.221" (I70.23-, atherosclerosis of the leg
// with ulceration) ranks a category's codes: ulceration includes the rest pain and the claudication of the same limb,
// gangrene all three (I70.26-), and a brain hemorrhage's S06.3 the named sites of S06.4–S06.6. A code so included is
// not reported beside the code that includes it (OCG I.A.10–11: "Includes" notes define the content of a category;
// I.B.9 one code for what one code names). Read from the notes, not listed here.
import { notesFor } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const CLASSIFIABLE = /^any condition classifiable to\b/i;

/**
 * A subcategory named with its dash ("I70.21-") is every limb's: the code included is the one of the same limb, the
 * characters after the named subcategory equal to those after the note's own ("I70.22" + "2", left leg, includes
 * "I70.21" + "2", not the right leg's I70.211). A code named in full is that code.
 */
function sameRest(n: { text: string; on: string }, code: string, other: string): boolean {
  const dashed = [...n.text.matchAll(/\b([A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,3})-/g)].map((m) => m[1]!).find((p) => other.startsWith(p));
  return !dashed || !code.startsWith(n.on) || other.slice(dashed.length) === code.slice(n.on.length);
}

/** Example: "right leg atherosclerosis with ulceration of the heel … with rest pain" → I70.23-, not I70.221 beside it. */
export function applyIncludesClassifiable(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const including = kept.flatMap((c) => notesFor(input.kb, c.code, ['includes']).filter((n) => CLASSIFIABLE.test(n.text)).map((n) => ({ c, n })));
  if (including.length === 0) return { kept, dropped };
  const out = kept.filter((y) => {
    const by = including.find(({ c, n }) => c !== y && c.code !== y.code && namesCode(n.text, y.code) && !namesCode(n.text, c.code) && sameRest(n, c.code, y.code));
    if (!by) return true;
    const why = `${by.c.code} includes ${y.code}: "${by.n.text}" (tabular Includes note, OCG I.A.10)`;
    dropped.push({ code: y.code, reason: why });
    noteDrop(by.c, 'combination_code', `${y.code} not reported: ${why}`);
    return false;
  });
  return { kept: out, dropped };
}
