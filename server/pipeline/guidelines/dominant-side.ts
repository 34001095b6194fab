// OCG I.C.6.a — dominant/nondominant side of hemiplegia and monoplegia (G81–G83, I69 sequelae): "should the
// affected side be documented, but not specified as dominant or nondominant, and the classification system does
// not indicate a default, code selection is as follows: for ambidextrous patients, the default should be
// dominant; if the left side is affected, the default is non-dominant; if the right side is affected, the
// default is dominant." When the note gives the patient's handedness, the affected side is dominant exactly when
// it is the hand the patient uses. The side is the one written on the deficit ("Left hemiparesis"), never the
// one in "right-handed".
import type { Dropped, RuledCandidate } from '../rules.ts';
import { recoded, type GuidelineInput, type StageResult } from './types.ts';

const SIDED = /affecting (right|left|unspecified) (dominant |non-?dominant )?side$/i;
/** The G81–G83 titles write "nondominant", the I69 titles "non-dominant". */
export const sideTitle = (title: string) => title.toLowerCase().replace('non-dominant', 'nondominant');
const HANDED = /\b(right|left)[- ]hand(?:ed|-dominant)\b|\b(right|left) hand dominant\b|\bambidextrous\b/i;
/** The side written on the deficit, before it: "Left hemiparesis", "R hemiplegia", "right-sided weakness", "Left nondominant-side hemiparesis". */
const SIDE_BEFORE = /\b([Rr]ight|[Ll]eft|R|L)(?:[- ]sided)?\s+(?:(?:non-?)?dominant[- ]sided?\s+)?(?:\w+\s+)?$/;
/** …or after it: "hemiparesis of the left side", "hemiplegia, right". */
const SIDE_AFTER = /^[\s,]+(?:of |affecting |on )?(?:the )?(right|left)\b/i;

const sideWord = (w: string) => (/^r/i.test(w) ? 'right' : 'left');

/** Example: "Left hemiparesis (patient is right-handed)" read as G81.91 → G81.94 (left nondominant). */
export function applyDominantSide(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const text = input.note.text;
  const handed = HANDED.exec(text);
  const hand = handed ? (/ambidextrous/i.test(handed[0]) ? 'both' : sideWord(handed[1] ?? handed[2]!)) : null;
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    const title = input.kb.codes.get(c.code)?.title ?? '';
    const sided = SIDED.exec(title);
    const parent = input.kb.codes.get(c.code)?.parent;
    if (!sided || !parent) return c;
    const written = c.evidence
      .map((m) => SIDE_BEFORE.exec(text.slice(Math.max(0, m.span.start - 32), m.span.start))?.[1] ?? SIDE_AFTER.exec(text.slice(m.span.end, m.span.end + 25))?.[1])
      .find((s) => s);
    if (!written) return c;
    const side = sideWord(written);
    const dominance = hand === 'both' || (hand === null ? side === 'right' : hand === side) ? 'dominant' : 'nondominant';
    const want = `affecting ${side} ${dominance} side`;
    if (sideTitle(title).endsWith(want)) return c;
    const sibling = (input.kb.children.get(parent) ?? []).find((s) => input.kb.codes.get(s)?.billable && sideTitle(input.kb.codes.get(s)?.title ?? '').endsWith(want));
    if (!sibling) return c;
    const why = `${side} side affected${hand ? `, patient ${hand === 'both' ? 'ambidextrous' : `${hand}-handed`}` : ' (no handedness documented: the default)'} → ${dominance} (OCG I.C.6.a)`;
    dropped.push({ code: c.code, reason: `${sibling}: ${why}` });
    return recoded(c, sibling, 'dominant_side', `${c.code} → ${sibling}: ${why}`);
  });
  return { kept: out, dropped };
}
