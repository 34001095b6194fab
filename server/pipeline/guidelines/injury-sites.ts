// OCG I.C.19.b and I.C.19.d.5 — each injury is coded to its site. A code that says the site is unknown gives way
// to a code that names it: T14 *Injury of unspecified body region* (its tabular title; T14.91 is "attempted
// suicide NOS"), T30 *Burn … body region unspecified* ("extremely vague and should rarely be used") and T07
// *Unspecified multiple injuries*; an "Unspecified injury of <region>" gives way to a coded injury of that
// region; and a superficial injury is "not coded when associated with more severe injuries of the same site"
// (I.C.19.b.1). Chapter 19 lays S00–S99 out by region in blocks of ten categories (S00–S09 head … S90–S99
// ankle and foot), each opening with its superficial-injury category (S00, S10, … S90): the region is the
// code's first two characters.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { inRanges, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** Codes that name what was injured: injuries by region, foreign bodies, burns and frostbite by site, poisonings and toxic effects. */
const NAMED: readonly (readonly [string, string])[] = [
  ['S00', 'S99'],
  ['T15', 'T28'],
  ['T33', 'T34'],
  ['T36', 'T65'],
];
/** Codes whose title says the site is unknown. */
const SITE_UNKNOWN: readonly (readonly [string, string])[] = [
  ['T07', 'T07'],
  ['T14', 'T14'],
  ['T30', 'T30'],
];
const region = (code: string) => code.slice(0, 2);
/** A bone's neck: "metacarpal neck", "femoral neck", "neck of the (right) 5th metacarpal", "radial neck". */
const BONE = String.raw`(?:metacarpals?|metatarsals?|femoral|femur|humeral|humerus|radial|radius|scapular|scapula|talar|talus|fibular|fibula|mandibular|mandible|condylar|rib|phalan\w*)`;
const BONE_NECK = new RegExp(String.raw`\b${BONE}\s+neck\b|\bneck\s+of\s+(?:the\s+)?(?:(?:r|l|right|left|rt|lt)\s+)?(?:\d(?:st|nd|rd|th)\s+|first\s+|second\s+|third\s+|fourth\s+|fifth\s+)?${BONE}`, 'i');
const superficial = (code: string) => /^S[0-9]0/.test(code);

/**
 * Example: "fall … Nondisplaced fracture of the left lateral malleolus" with "injury" also read as T14.90XA
 * → T14.90XA dropped beside S82.65XA; "head injury … concussion" → S09.90XA dropped beside S06.0X0A;
 * "intentional acetaminophen overdose, suicide attempt" → T14.91XA dropped beside T39.1X2A.
 */
export function applyInjurySites(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title ?? '';
  const unspecifiedOf = (code: string) => /^S/.test(code) && /^Unspecified injury of\b/i.test(title(code));
  const siteNamed = kept.filter((c) => inRanges(c.code, NAMED));
  const drop = new Set<RuledCandidate>();
  const dropped: Dropped[] = [];
  const give = (c: RuledCandidate, to: RuledCandidate, why: string) => {
    drop.add(c);
    dropped.push({ code: c.code, reason: `${why} beside ${to.code}` });
    noteDrop(to, 'injury_site', `${c.code} (${title(c.code)}) not reported: ${why}`);
  };
  for (const c of kept) {
    if (inRanges(c.code, SITE_UNKNOWN)) {
      const site = siteNamed[0];
      // "Injury" as a word of another condition's name is no injury: "acute kidney injury" (N17.9), "pressure
      // injury" (L89.-): every reading of it lies inside a longer reading of a kept code of another chapter.
      const namedBy = kept.find((o) => o !== c && !/^[ST]/.test(o.code) && c.evidence.every((m) => o.evidence.some((n) => n.span.start <= m.span.start && n.span.end >= m.span.end && n.span.end - n.span.start > m.span.end - m.span.start)));
      if (site) give(c, site, 'the injury\'s site or nature is documented (OCG I.C.19.b, I.C.19.d.5)');
      else if (namedBy) give(c, namedBy, '"injury" here is a word of the condition\'s name, not a trauma (OCG I.C.19)');
      continue;
    }
    if (!inRanges(c.code, [['S00', 'S99']])) continue;
    // "Neck" of a bone is that bone's region, not the neck (S10–S19): "fracture of the 5th metacarpal neck", "neck
    // of R 5th metacarpal", "femoral neck" (OCG I.C.19.b: the injury is coded to its site).
    if (region(c.code) === 'S1' && c.evidence.every((m) => BONE_NECK.test(input.note.text.slice(Math.max(0, m.span.start - 40), m.span.end + 40)))) {
      const bone = siteNamed.find((o) => o !== c && region(o.code) !== 'S1');
      drop.add(c);
      dropped.push({ code: c.code, reason: 'the neck of a bone, not the neck region (OCG I.C.19.b)' });
      if (bone) noteDrop(bone, 'injury_site', `${c.code} (${title(c.code)}) not reported: "neck" is the bone's`);
      continue;
    }
    const sameRegion = siteNamed.filter((o) => o !== c && region(o.code) === region(c.code) && !drop.has(o));
    const specific = sameRegion.find((o) => !unspecifiedOf(o.code) && !superficial(o.code));
    // An unspecified injury gives way to any named one of the region, a superficial one included.
    const named = specific ?? sameRegion.find((o) => !unspecifiedOf(o.code));
    if (unspecifiedOf(c.code) && named) {
      give(c, named, 'an injury of the same region is coded (OCG I.C.19.b, I.B.2)');
    } else if (superficial(c.code) && specific) {
      give(c, specific, 'a superficial injury is not coded with a more severe injury of the same site (OCG I.C.19.b.1)');
    }
  }
  return { kept: kept.filter((c) => !drop.has(c)), dropped };
}
