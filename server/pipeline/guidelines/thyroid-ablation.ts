// A thyroid ablated or removed for hyperthyroidism and now underactive: the postprocedural hypothyroidism (E89.0,
// Index "Hypothyroidism, postablative / postsurgical / postirradiation") is the condition now, and the
// thyrotoxicosis it was done for (E05.-) no longer exists. "Graves disease s/p RAI 2021, now hypothyroid on
// levothyroxine" is E89.0, not E89.0 + E05.00: a condition that no longer exists is not coded (OCG IV.J), and the
// gland cannot be over- and underactive at once. Graves' eye disease still active is the exception: its code is
// E05.00 (Index "Exophthalmos, thyrotoxic"), so E05 stays when the note calls the orbitopathy current.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const EYE = /\b(?:orbitopathy|ophthalmopathy|exophthalmos|thyroid eye disease|TED)\b/i;
const EYE_OVER = /\b(?:resolved|no|none|prior|previous|history|h\/o|quiescent|inactive)\b/i;

/** Example: "Postablative hypothyroidism (s/p RAI for Graves')" with E89.0 and E05.00 kept → E05.00 dropped. */
export function applyThyroidAblation(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const post = kept.find((c) => c.code === 'E89.0');
  if (!post) return { kept, dropped: [] };
  const activeEye = (c: RuledCandidate) =>
    c.mentions.some((m) => {
      const s = input.sentences[m.sentenceIndex];
      return !!s && !m.context.negated && EYE.test(s.text) && !EYE_OVER.test(s.text);
    });
  const over = kept.filter((c) => c.code.startsWith('E05') && !activeEye(c));
  if (over.length === 0) return { kept, dropped: [] };
  const dropped: Dropped[] = over.map((c) => {
    const why = `${c.code} (${input.kb.codes.get(c.code)?.title ?? ''}) not coded: the patient is hypothyroid after the thyroid was ablated or removed (E89.0); the thyrotoxicosis it treated no longer exists (OCG IV.J)`;
    noteDrop(post, 'thyroid_ablation', why);
    return { code: c.code, reason: why };
  });
  return { kept: kept.filter((c) => !over.includes(c)), dropped };
}
