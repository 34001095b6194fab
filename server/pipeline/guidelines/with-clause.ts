// OCG I.B.9 — "Multiple coding should not be used when the classification provides a combination code that clearly
// identifies all of the elements documented in the diagnosis." A combination code's title says its second condition
// after "with": K50.812 *Crohn's disease of both small and large intestine with intestinal obstruction*, K40.30
// *Unilateral inguinal hernia, with obstruction, without gangrene*, K21.0- *GERD with esophagitis*. A code of another
// category whose title names that condition (K56.600 *Partial intestinal obstruction, unspecified as to cause*, K20.9
// *Esophagitis, unspecified*) is the same condition coded twice, unless the combination code's own notes ask for it
// ("use additional code to identify type of heart failure (I50.-)" on I11.0). Found from the titles, not listed.
import { stems } from '../../index/lexical-score.ts';
import { notesFor, titleStems, withPhrases } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { categoryOf, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** Words that qualify a condition without naming another: "Partial intestinal obstruction, unspecified as to cause". */
const QUALIFIERS = new Set(['unspecified', 'other', 'specified', 'nos', 'nec', 'elsewhere', 'classified', 'partial', 'complete', 'versus', 'cause', 'acute', 'chronic', 'site', 'type', 'organism']);

/** The condition a title joins with its last "with" (knowledge.ts withPhrases). */
export const withCondition = (title: string): readonly string[] => withPhrases(title).at(-1) ?? [];

/** Example: "Crohn's disease … with intestinal obstruction - partial" → K50.812, not K56.600 beside it. */
export function applyWithClause(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb } = input;
  const dropped: Dropped[] = [];
  const combos = kept.flatMap((c) => {
    const condition = withCondition(kb.codes.get(c.code)?.title ?? '');
    return condition.length ? [{ c, condition }] : [];
  });
  if (combos.length === 0) return { kept, dropped };
  // The combination's notes ask for the other code by its code ("(I50.-)") or by the condition's name ("code also to
  // identify the infection" on J44.0).
  const asks = (c: RuledCandidate, y: string, condition: readonly string[]) =>
    notesFor(kb, c.code, ['use_additional', 'code_also', 'code_first']).some((n) => namesCode(n.text, y) || stems(n.text).some((w) => condition.includes(w)));
  const out = kept.filter((y) => {
    const title = titleStems(kb, y.code);
    const combo = combos.find(({ c, condition }) => {
      // Not a combination code itself ("Unspecified dementia, moderate, with agitation" names no more of F01.B11's
      // agitation than F01.B11 does; K25.4 and K27.4 both "with hemorrhage"): those are one-code-per-condition's.
      if (c === y || categoryOf(c.code) === categoryOf(y.code) || withCondition(kb.codes.get(y.code)?.title ?? '').length > 0 || !condition.every((w) => title.includes(w))) return false;
      // The other code names that condition and little else: K56.609 *Unspecified intestinal obstruction, …* for "with
      // obstruction" (one word more), not J44.1 *Chronic obstructive pulmonary disease with (acute) exacerbation* for
      // asthma's "with exacerbation".
      const own = new Set(titleStems(kb, c.code));
      const more = new Set(title.filter((w) => !condition.includes(w) && !own.has(w) && !QUALIFIERS.has(w)));
      return more.size <= 1 && !asks(c, y.code, condition);
    });
    if (!combo) return true;
    const why = `${combo.c.code} (${kb.codes.get(combo.c.code)?.title}) names the condition ${y.code} codes: one combination code (OCG I.B.9)`;
    dropped.push({ code: y.code, reason: why });
    noteDrop(combo.c, 'combination_code', `${y.code} not reported: ${why}`);
    return false;
  });
  return { kept: out, dropped };
}
