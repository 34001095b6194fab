// Insomnia the provider puts down to a condition coded in the note is that condition's insomnia, not the organic
// "Insomnia, unspecified" (G47.00):
// - to a mental disorder: F51.05 (Index: Insomnia, due to, anxiety disorder / depression / mental disorder NEC
//   F51.05; G47.0 excludes insomnia due to a mental disorder). Notes write "Insomnia due to GAD", "insomnia attributed
//   to OCD", with the disorder coded elsewhere.
// - to a medical condition named after the link in the same sentence: G47.01 (Index: Insomnia, due to, medical
//   condition G47.01, "code also associated medical condition"): "Insomnia due to menopausal vasomotor symptoms".
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const LINKED = /\b(?:due to|secondary to|from|related to|attributed to|caused by|driven by|part of)\b/i;
/** Mental and behavioural disorders other than sleep disorders (F51) and substance use (F10–F19, their own insomnia codes). */
const MENTAL = (code: string) => /^F/.test(code) && !/^F(?:1\d|51)/.test(code);
/**
 * A medical condition: not mental, not a symptom (R), a Z code, an injury's cause or a drug (T, V–Y, whose insomnia
 * has its own codes), nor a sleep disorder itself (G47). Chronic pain (G89) is one.
 */
const MEDICAL = (code: string) => !/^[FRTVWXYZ]/.test(code) && !code.startsWith('G47');

/** Example: "Insomnia due to GAD" with F41.1 coded → F51.05 beside F41.1, not G47.00. */
export function applyInsomniaDueTo(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const insomnia = kept.find((c) => c.code === 'G47.00');
  if (!insomnia) return { kept, dropped: [] };
  // Where the link starts, per sentence of the insomnia: "Insomnia due to …".
  const links = insomnia.evidence.flatMap((m) => {
    const s = input.sentences[m.sentenceIndex];
    const hit = s && LINKED.exec(s.text.slice(m.span.end - s.start));
    return hit ? [{ sentence: m.sentenceIndex, from: m.span.end + hit.index }] : [];
  });
  if (links.length === 0) return { kept, dropped: [] };
  const named = (c: RuledCandidate) => c.evidence.some((m) => links.some((l) => l.sentence === m.sentenceIndex && m.span.start >= l.from));
  const mental = kept.find((c) => MENTAL(c.code));
  const medical = mental ? undefined : kept.find((c) => c !== insomnia && MEDICAL(c.code) && named(c));
  const code = mental ? 'F51.05' : medical ? 'G47.01' : undefined;
  if (!code || !input.kb.codes.get(code)?.billable || kept.some((c) => c.code === code)) return { kept, dropped: [] };
  const detail = mental
    ? `insomnia put down to a mental disorder (${mental.code}): Index "Insomnia, due to, mental disorder NEC" F51.05, not G47.00 (OCG I.A.12.a)`
    : `insomnia put down to a medical condition (${medical!.code}): Index "Insomnia, due to, medical condition" G47.01, not G47.00 (OCG I.B.18)`;
  const derived = derivedCandidate(code, insomnia.evidence, insomnia.confidence, 'insomnia_due_to', detail);
  noteDrop(derived, 'insomnia_due_to', `G47.00 (Insomnia, unspecified) not reported: the insomnia is the ${mental ? 'mental disorder' : 'medical condition'}'s`);
  const dropped: Dropped[] = [{ code: 'G47.00', reason: detail }];
  return { kept: [...kept.filter((c) => c !== insomnia), derived], dropped };
}
