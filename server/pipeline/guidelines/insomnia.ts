// Insomnia the provider puts down to a mental disorder coded in the note is F51.05 (Index: Insomnia, due to, anxiety
// disorder / depression / mental disorder NEC F51.05), not the organic "Insomnia, unspecified" (G47.00, whose category
// G47.0 excludes insomnia due to a mental disorder). The Index path needs the disorder's own words after "due to";
// notes write it as "Insomnia due to GAD", "insomnia attributed to OCD", with the disorder coded elsewhere.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const LINKED = /\b(?:due to|secondary to|from|related to|attributed to|caused by|driven by|part of)\b/i;
/** Mental and behavioural disorders other than sleep disorders (F51) and substance use (F10–F19, their own insomnia codes). */
const MENTAL = (code: string) => /^F/.test(code) && !/^F(?:1\d|51)/.test(code);

/** Example: "Insomnia due to GAD" with F41.1 coded → F51.05 beside F41.1, not G47.00. */
export function applyInsomniaDueToMentalDisorder(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const insomnia = kept.find((c) => c.code === 'G47.00');
  const disorder = kept.find((c) => MENTAL(c.code));
  if (!insomnia || !disorder || !input.kb.codes.get('F51.05')?.billable || kept.some((c) => c.code === 'F51.05')) return { kept, dropped: [] };
  if (!insomnia.evidence.some((m) => LINKED.test(input.sentences[m.sentenceIndex]?.text.slice(m.span.end - (input.sentences[m.sentenceIndex]?.start ?? 0)) ?? ''))) return { kept, dropped: [] };
  const detail = `insomnia put down to a mental disorder (${disorder.code}): Index "Insomnia, due to, mental disorder NEC" F51.05, not G47.00 (OCG I.A.12.a)`;
  const derived = derivedCandidate('F51.05', insomnia.evidence, insomnia.confidence, 'insomnia_due_to', detail);
  noteDrop(derived, 'insomnia_due_to', 'G47.00 (Insomnia, unspecified) not reported: the insomnia is the mental disorder\'s');
  const dropped: Dropped[] = [{ code: 'G47.00', reason: detail }];
  return { kept: [...kept.filter((c) => c !== insomnia), derived], dropped };
}
