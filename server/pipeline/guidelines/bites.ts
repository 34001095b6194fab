// A bite is coded as the open wound "bite" of its site (Index: "Bite(s) — see also Wound, open, by site, bite";
// S41.15- *Open bite of upper arm*), not also as the puncture or laceration its teeth made: "Dog bite of right upper
// arm, two 4 mm tooth punctures" is S41.151A alone, not S41.131A beside it.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** An open-wound code of the same site subcategory: laceration or puncture wound, with or without foreign body. */
const WOUND = /^(?:laceration|puncture wound)\b/i;

/** Example: S41.151A (open bite, right upper arm) and S41.131A (puncture wound, right upper arm) → S41.151A. */
export function applyBites(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title ?? '';
  const bites = kept.filter((c) => c.code.startsWith('S') && /^open bite\b/i.test(title(c.code)));
  if (bites.length === 0) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    // Same subcategory (site), same side character.
    const bite = bites.find((b) => b.code.slice(0, 5) === c.code.slice(0, 5) && b.code[6] === c.code[6] && WOUND.test(title(c.code)));
    if (!bite) return true;
    dropped.push({ code: c.code, reason: `the wound is the bite coded as ${bite.code} (Index: Bite — see Wound, open, by site, bite)` });
    noteDrop(bite, 'bite', `${c.code} (${title(c.code)}) not reported: the puncture or laceration is the bite's`);
    return false;
  });
  return { kept: out, dropped };
}
