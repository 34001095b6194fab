// Delirium the provider links to a medical condition is "Delirium, due to (secondary to), general medical condition"
// F05 in the Index, not "Delirium NOS" R41.0 ("Acute delirium due to UTI", "delirium secondary to sepsis"). A
// delirium of a substance or drug has its own codes (F10–F19 with delirium, the drug's T code) and is not read here.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const DELIRIUM = /\bdelirium\b/i;
const LINK = /\b(due to|secondary to|caused by|from|in the setting of|precipitated by|attributed to)\b/i;
/** A medical condition the delirium can be due to: not a symptom, a substance use or a drug effect, not a Z code. */
const MEDICAL = (code: string) => !/^(R|Z|F1|T[3-6]|V|W|X|Y)/.test(code) && !code.startsWith('F05');

/** Example: "Acute delirium due to UTI (hyperactive), resolved" with N39.0 → F05, not R41.0. */
export function applyDeliriumDueTo(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const r = kept.find((c) => c.code === 'R41.0');
  if (!r || !input.kb.codes.get('F05')?.billable || kept.some((c) => c.code === 'F05')) return { kept, dropped: [] };
  const linked = r.evidence.filter((m) => {
    const s = input.sentences[m.sentenceIndex];
    if (!s || !DELIRIUM.test(m.span.quote) || !LINK.test(s.text.slice(m.span.end - s.start))) return false;
    return kept.some((o) => o !== r && MEDICAL(o.code) && o.evidence.some((n) => n.sentenceIndex === m.sentenceIndex && n.span.start >= m.span.end));
  });
  if (linked.length === 0) return { kept, dropped: [] };
  const why = 'delirium the provider links to a medical condition: Index "Delirium, due to (secondary to), general medical condition" F05';
  const f05 = derivedCandidate('F05', linked, r.confidence, 'delirium_due_to', why);
  noteDrop(f05, 'delirium_due_to', `R41.0 (Delirium NOS) not coded: ${why}`);
  const dropped: Dropped[] = [{ code: 'R41.0', reason: `F05: ${why}` }];
  return { kept: [...kept.filter((c) => c !== r), f05], dropped };
}
