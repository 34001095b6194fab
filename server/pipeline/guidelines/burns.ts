// OCG I.C.19.d — burns and corrosions. T20–T25 classify a current burn by site and depth: the character after
// the dot is the depth (0 unspecified, 1 first, 2 second, 3 third degree; 4–7 the same for corrosions) and the
// characters after it are the site and side. So two codes that differ only in that character are one site:
// - "Classify burns of the same anatomic site and on the same side but of different degrees to the
//   subcategory identifying the highest degree recorded" (I.C.19.d.2): a first-degree rim around a
//   second-degree burn of the same forearm is T22.211-, not T22.111- as well; an unspecified depth gives way
//   to a documented one;
// - T31 (burns) / T32 (corrosions) by extent of body surface "when there is a need for additional data"
//   (I.C.19.d.6): added when the note states the total body surface area burned. The 4th character is the
//   total in tens of percent, the 5th the third-degree share (T31.0 below 10%).
import { stems } from '../../index/lexical-score.ts';
import type { AnalysedSentence } from '../candidates.ts';
import { titleStems, type Knowledge } from '../knowledge.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { DIAGNOSTIC_SECTIONS, categoryOf, derivedCandidate, derivedMention, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const SITE_BURN = /^T2[0-5]\.[0-7]/;
/** Where the note states a body surface area: "TBSA", "total body surface", "% of body surface". */
const TBSA = /\bTBSA\b|\bbody surface\b|\bBSA\b/i;
/** "<10%", "~2%", "15 %", "less than 10 percent". */
const PERCENT = /(<|less than|under|~|about|approx(?:imately)?\.?)?\s*(\d{1,3}(?:\.\d+)?)\s*(?:%|percent)/gi;
/** A share stated for the deepest burns only. */
const THIRD_DEGREE = /\b(third[- ]degree|3rd[- ]degree|full[- ]thickness)\b/i;
/** A share stated for a part of the burn (a procedure's treated area, one depth): not the total. */
const PARTIAL_SHARE = /\b(second[- ]degree|2nd[- ]degree|first[- ]degree|partial[- ]thickness|superficial|area|debrided|grafted|dressed)\b/i;

const depthOf = (code: string) => Number(code[4]);
const isCorrosion = (code: string) => depthOf(code) >= 4;
/** The site key: the code without its depth character (T22.211A and T22.111A share "T22.·11A"). */
const siteOf = (code: string) => `${code.slice(0, 4)}·${code.slice(5)}`;
/** Depth 1–3 (0 unspecified) on either scale. */
const degreeOf = (code: string) => depthOf(code) % 4;

/** The total and third-degree shares the note states (in percent), if any. */
export function statedExtent(sentences: readonly AnalysedSentence[]): { total: number; third: number } | null {
  let total: number | null = null;
  let third = 0;
  let partial: number | null = null;
  for (const s of sentences) {
    if (!TBSA.test(s.text)) continue;
    for (const m of s.text.matchAll(PERCENT)) {
      // "<10%" is at most 9%; "~2%" is 2%.
      const value = /^(<|less|under)/i.test(m[1] ?? '') ? Number(m[2]) - 1 : Number(m[2]);
      if (!(value >= 0 && value <= 100)) continue;
      const before = s.text.slice(Math.max(0, m.index! - 40), m.index!);
      if (THIRD_DEGREE.test(before)) third = Math.max(third, value);
      else if (PARTIAL_SHARE.test(before) || PARTIAL_SHARE.test(s.text.slice(0, m.index!).split(/[.;]/).pop() ?? '')) partial = Math.max(partial ?? 0, value);
      else total = Math.max(total ?? 0, value);
    }
  }
  // Without a stated total, the largest share stated is the least the total can be.
  const best = total ?? partial;
  return best === null ? null : { total: Math.max(best, third), third };
}

/** The Index sends "Burn, hand, back" to "dorsum of hand" and the titles say "back of … hand": the note's words for it. */
const SITE_WORDS: Record<string, string> = { dorsum: 'back', dorsal: 'back', palmar: 'palm', plantar: 'sole' };

const byCategoryCache = new WeakMap<Knowledge, Map<string, string[]>>();
/** Billable burn codes by category (T20–T25), computed once per release. */
function burnCodes(kb: Knowledge, category: string): string[] {
  let cache = byCategoryCache.get(kb);
  if (!cache) {
    cache = new Map();
    for (const [code, info] of kb.codes) {
      if (!info.billable || !SITE_BURN.test(code)) continue;
      const list = cache.get(categoryOf(code)) ?? [];
      list.push(code);
      cache.set(categoryOf(code), list);
    }
    byCategoryCache.set(kb, cache);
  }
  return cache.get(category) ?? [];
}

/**
 * "Burn of second degree of right hand, unspecified site" when the sentence says where on the hand: the code of
 * the same depth, side and encounter whose title adds exactly the site words the sentence has ("back of right
 * hand" T23.261A). OCG I.C.19.d.5: each burn site is coded.
 */
function namedSite(kb: Knowledge, code: string, words: ReadonlySet<string>): string | null {
  const title = kb.codes.get(code)?.title ?? '';
  if (!/unspecified site/i.test(title)) return null;
  const base = new Set(titleStems(kb, code));
  const side = code[6];
  const matches = burnCodes(kb, categoryOf(code))
    .filter((c) => c !== code && c[4] === code[4] && c[6] === side && c.slice(7) === code.slice(7) && !/unspecified|multiple/i.test(kb.codes.get(c)?.title ?? ''))
    .map((c) => ({ c, extra: titleStems(kb, c).filter((w) => !base.has(w)) }))
    .filter((m) => m.extra.length > 0 && m.extra.every((w) => words.has(w)))
    .sort((a, b) => b.extra.length - a.extra.length);
  return matches.length && (matches.length === 1 || matches[0]!.extra.length > matches[1]!.extra.length) ? matches[0]!.c : null;
}

const spanInside = (a: RuledCandidate, b: RuledCandidate) => a.evidence.every((m) => b.evidence.some((n) => n.span.start <= m.span.start && m.span.end <= n.span.end && (n.span.end - n.span.start) > (m.span.end - m.span.start)));
const overlaps = (a: RuledCandidate, b: RuledCandidate) => a.evidence.some((m) => b.evidence.some((n) => m.span.start < n.span.end && n.span.start < m.span.end));

/** T31 / T32 code for a stated extent: T3x.0 below 10%, else T3x.<tens><third-degree tens>. */
export function extentCode(category: 'T31' | 'T32', total: number, third: number): string {
  const tens = Math.min(9, Math.floor(total / 10));
  if (tens === 0) return `${category}.0`;
  return `${category}.${tens}${Math.min(tens, Math.floor(third / 10))}`;
}

/**
 * Example: "second-degree burn of R forearm … surrounded by first-degree erythema on the same forearm …
 * Total burns <10% TBSA" → T22.211A and T31.0; T22.111A is not reported.
 */
export function applyBurns(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  if (!kept.some((c) => SITE_BURN.test(c.code))) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  // The site the sentence names, for a code read as "unspecified site" of a region.
  const sited = kept.map((c) => {
    if (!SITE_BURN.test(c.code)) return c;
    // The provider's diagnostic statement names the site when there is one; exam lines also list spared parts.
    const stated = c.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section));
    const words = new Set((stated.length ? stated : c.evidence).flatMap((m) => stems(input.sentences[m.sentenceIndex]?.text ?? '').map((w) => SITE_WORDS[w] ?? w)));
    const code = namedSite(input.kb, c.code, words);
    if (!code || kept.some((o) => o.code === code)) return c;
    dropped.push({ code: c.code, reason: `the sentence names the burn's site: ${code} (OCG I.C.19.d.5)` });
    return { ...c, code, rules: [...c.rules, { rule: 'burn_site', detail: `${c.code} → ${code}: the sentence names the site (OCG I.C.19.d.5)` }] };
  });
  const burns = sited.filter((c) => SITE_BURN.test(c.code));
  const drop = new Set<RuledCandidate>();
  for (const c of burns) {
    // The same words read as another site by fewer of them ("burn of back" inside "burn of back of R hand"),
    // or without the depth the words state: the fuller reading is the documented one.
    const fuller = burns.find((o) => o !== c && !drop.has(o) && ((categoryOf(o.code) !== categoryOf(c.code) && spanInside(c, o)) || (degreeOf(c.code) === 0 && degreeOf(o.code) > 0 && categoryOf(o.code) === categoryOf(c.code) && overlaps(c, o))));
    if (!fuller) continue;
    drop.add(c);
    dropped.push({ code: c.code, reason: `the same words are read more fully as ${fuller.code} (OCG I.C.19.d.5)` });
    noteDrop(fuller, 'burn_site', `${c.code} not reported: a partial reading of the words coded as ${fuller.code}`);
  }
  for (const c of burns) {
    const deeper = burns.find((o) => o !== c && !drop.has(o) && siteOf(o.code) === siteOf(c.code) && isCorrosion(o.code) === isCorrosion(c.code) && degreeOf(o.code) > degreeOf(c.code));
    if (!deeper) continue;
    drop.add(c);
    dropped.push({ code: c.code, reason: `same site as ${deeper.code}: only the highest degree is coded (OCG I.C.19.d.2)` });
    noteDrop(deeper, 'burn_highest_degree', `${c.code} not reported: burns of one site and side are classified to the highest degree documented (OCG I.C.19.d.2)`);
  }
  const out = sited.filter((c) => !drop.has(c));
  const extent = statedExtent(input.sentences);
  const category = burns.every((c) => isCorrosion(c.code)) ? 'T32' : 'T31';
  // "Codes from categories T31 and T32 should not be used for sequelae of burns" (I.C.19.d.6).
  const current = burns.some((c) => !c.code.endsWith('S'));
  if (extent && current && !out.some((c) => /^T3[12]/.test(c.code))) {
    const code = extentCode(category, extent.total, extent.third);
    const s = input.sentences.find((x) => TBSA.test(x.text));
    if (s && input.kb.codes.get(code)?.billable) {
      const m = TBSA.exec(s.text)!;
      const detail = `${extent.total < 10 ? 'less than 10' : extent.total}% of body surface${extent.third ? `, ${extent.third}% third degree` : ''}: extent code beside the site codes (OCG I.C.19.d.6)`;
      out.push(derivedCandidate(code, [derivedMention(s, s.start + m.index, s.start + m.index + m[0].length, input.note.text, detail, code)], 0.75, 'burn_extent', detail));
    }
  }
  return { kept: out, dropped };
}
