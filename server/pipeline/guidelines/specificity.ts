// One code per condition, the most specific the documentation supports (OCG I.B.2, I.A.9.a): an
// "unspecified" (or "without complications") code is not reported beside a more specific code of the
// same category — E11.9 beside E11.65, I50.9 beside I50.23, N18.9 beside N18.31, I48.91 beside I48.20.
import { FREE_EXTRAS } from '../../index/lexical-score.ts';
import { notesFor, titleStems } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { categoryOf, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** Title words that say the code is the category's default reading. */
const UNSPECIFIED = /\bunspecified\b|\bwithout complications?\b|\buncomplicated\b|\bNOS\b/i;

/**
 * Two codes the tabular notes pair ("use additional code to identify severe sepsis (R65.2-)" on A41) are both
 * reported, even when read from the same words ("septic shock" → A41.9 and R65.21; OCG I.A.13, I.C.1.d.2).
 */
const reportedTogether = (input: GuidelineInput, a: string, b: string) => pairs(input, a, b) || pairs(input, b, a);
const pairs = (input: GuidelineInput, from: string, to: string) => notesFor(input.kb, from, ['use_additional', 'code_also', 'code_first']).some((n) => namesCode(n.text, to));

/**
 * Example: "T2DM with hyperglycemia … Diabetes" → E11.65 and E11.9 found → E11.9 dropped, the decision
 * recorded on E11.65. When every code of the category reads as unspecified, all stay.
 */
export function applySpecificity(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const title = (code: string) => input.kb.codes.get(code)?.title ?? '';
  const byCategory = new Map<string, RuledCandidate[]>();
  for (const c of kept) {
    const list = byCategory.get(categoryOf(c.code));
    if (list) list.push(c);
    else byCategory.set(categoryOf(c.code), [c]);
  }
  const drop = new Set<RuledCandidate>();
  const dropped: Dropped[] = [];
  for (const group of byCategory.values()) {
    if (group.length < 2) continue;
    const specific = group.filter((c) => !UNSPECIFIED.test(title(c.code)));
    if (specific.length === 0) continue;
    const best = specific.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    for (const c of group) {
      if (!UNSPECIFIED.test(title(c.code))) continue;
      drop.add(c);
      dropped.push({ code: c.code, reason: `unspecified code beside the more specific ${best.code} (OCG I.B.2)` });
      noteDrop(best, 'more_specific_code', `${c.code} (${title(c.code)}) not reported beside ${best.code}: one code per condition, the most specific documented (OCG I.B.2)`);
    }
  }
  // Across categories: an unspecified code read from the same words as a more specific one ("AKI" as
  // T14.90XA *Injury, unspecified* beside N17.9; "CKD" as N28.9 beside N18.31), or whose title the specific
  // code's title contains ("Anemia, unspecified" beside "Anemia in chronic kidney disease").
  const words = (code: string) => new Set(titleStems(input.kb, code).filter((w) => !FREE_EXTRAS.has(w)));
  for (const a of kept) {
    if (drop.has(a) || !UNSPECIFIED.test(title(a.code))) continue;
    const aWords = words(a.code);
    const b = kept.find(
      (o) =>
        o !== a &&
        !drop.has(o) &&
        !UNSPECIFIED.test(title(o.code)) &&
        !reportedTogether(input, a.code, o.code) &&
        (a.evidence.every((m) => o.evidence.some((n) => m.span.start < n.span.end && n.span.start < m.span.end)) || [...aWords].every((w) => words(o.code).has(w))),
    );
    if (!b) continue;
    drop.add(a);
    dropped.push({ code: a.code, reason: `unspecified reading of the condition coded more specifically as ${b.code} (OCG I.B.2)` });
    noteDrop(b, 'more_specific_code', `${a.code} (${title(a.code)}) not reported: ${b.code} codes the same condition more specifically (OCG I.B.2)`);
  }
  // OCG I.C.21.c.10: counseling that is part of treating a documented condition is not coded apart.
  if (kept.some((c) => !c.code.startsWith('Z') && !drop.has(c))) {
    for (const c of kept) {
      if (c.code !== 'Z71.9' || drop.has(c)) continue;
      drop.add(c);
      dropped.push({ code: c.code, reason: 'counseling integral to the treatment of a documented condition (OCG I.C.21.c.10)' });
    }
  }
  return { kept: kept.filter((c) => !drop.has(c)), dropped };
}
