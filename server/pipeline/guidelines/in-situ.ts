// "Melanoma in situ" is D03 (Index: Melanoma, in situ, by site), not the malignant melanoma C43 of the same site;
// the two categories share their site characters (C43.39 cheek ↔ D03.39), so the in-situ code is the same suffix.
import type { Dropped, RuledCandidate } from '../rules.ts';
import type { GuidelineInput, StageResult } from './types.ts';

const IN_SITU = /\bmelanoma,? in[- ]situ\b|\bin[- ]situ melanoma\b|\bmelanoma in situ\b/i;

/** Example: "Melanoma in situ (lentigo maligna type), left cheek" read as C43.39 → D03.39. */
export function applyMelanomaInSitu(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    if (!c.code.startsWith('C43') || !c.evidence.some((m) => IN_SITU.test(input.sentences[m.sentenceIndex]?.text ?? ''))) return c;
    const code = `D03${c.code.slice(3)}`;
    if (!input.kb.codes.get(code)?.billable || kept.some((o) => o.code === code)) return c;
    dropped.push({ code: c.code, reason: `melanoma in situ: ${code} (Index: Melanoma, in situ)` });
    return { ...c, code, rules: [...c.rules, { rule: 'neoplasm', detail: `${c.code} → ${code}: the melanoma is in situ (Index: Melanoma, in situ)` }] };
  });
  return { kept: out, dropped };
}
