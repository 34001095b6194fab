// The classification's own axis for leukemias, multiple myeloma and malignant plasma cell neoplasms
// (C90–C95): each has a code "not having achieved remission", one "in remission" and one "in relapse" (titles). A
// reading of the "not having achieved remission" code where the provider writes "in (complete) remission" or "relapsed"
// is the sibling that says so ("CLL of B-cell type, in remission after fixed-duration therapy": C91.11, not C91.10).
// "No evidence of relapse" says nothing of a relapse.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, recoded, siblingTitled, type GuidelineInput, type StageResult } from './types.ts';

const NOT_ACHIEVED = 'not having achieved remission';
const IN_REMISSION = /\bin\s+(?:(?:complete|partial|sustained|continued|hematologic|molecular|clinical|durable)\s+)*remission\b/i;
const NO_REMISSION = /\b(?:not|never|no|without)\s+(?:yet\s+)?(?:(?:in|achieved|achieving|attained)\s+)*(?:complete\s+)?remission\b|\bfailed to achieve remission\b/i;
const RELAPSE = /\brelaps(?:e|ed|ing)\b/i;
/** "No relapse", "no evidence of relapse", "negative for relapse": up to two words between the denial and the word. */
const NO_RELAPSE = /\b(?:no|without|not|negative for)\s+(?:\w+\s+){0,2}relaps/i;

/** Example: "Chronic lymphocytic leukemia of B-cell type, in remission" read as C91.10 → C91.11. */
export function applyRemission(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const out = kept.flatMap((c) => {
    const title = input.kb.codes.get(c.code)?.title ?? '';
    if (!title.endsWith(NOT_ACHIEVED)) return [c];
    const said = c.evidence.map((m) => input.sentences[m.sentenceIndex]?.text ?? '');
    const state = said.some((t) => IN_REMISSION.test(t) && !NO_REMISSION.test(t)) ? 'in remission' : said.some((t) => RELAPSE.test(t) && !NO_RELAPSE.test(t)) ? 'in relapse' : null;
    if (!state) return [c];
    const want = title.slice(0, -NOT_ACHIEVED.length) + state;
    const sibling = siblingTitled(input.kb, c.code, want);
    if (!sibling) return [c];
    const why = `the provider documents the neoplasm ${state}: ${sibling} (${want})`;
    dropped.push({ code: c.code, reason: why });
    // Read already (the title's header completed by the same words): one code.
    const existing = kept.find((o) => o.code === sibling);
    if (existing) {
      noteDrop(existing, 'remission', `${c.code} not reported: ${why}`);
      return [];
    }
    return [recoded(c, sibling, 'remission', `${c.code} → ${sibling}: ${why}`)];
  });
  return { kept: out, dropped };
}
