// OCG I.C.1.g.1.c — COVID-19 with a respiratory manifestation: "Acute bronchitis confirmed as due to COVID-19: assign
// codes U07.1 and J20.8, Acute bronchitis due to other specified organisms." An acute bronchitis read as J20.9
// *Acute bronchitis, unspecified* beside a confirmed COVID-19 (U07.1) is the COVID-19's bronchitis.
import type { RuledCandidate } from '../rules.ts';
import { recoded, type GuidelineInput, type StageResult } from './types.ts';

/** Example: "COVID-19 with acute bronchitis" read as U07.1 and J20.9 → U07.1 and J20.8. */
export function applyCovidBronchitis(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const covid = kept.find((c) => c.code === 'U07.1');
  const bronchitis = kept.find((c) => c.code === 'J20.9');
  if (!covid || !bronchitis || !input.kb.codes.get('J20.8')?.billable || kept.some((c) => c.code === 'J20.8')) return { kept, dropped: [] };
  const why = 'acute bronchitis with confirmed COVID-19: U07.1 and J20.8 (OCG I.C.1.g.1.c)';
  const replaced = recoded(bronchitis, 'J20.8', 'covid_manifestation', `J20.9 → J20.8: ${why}`);
  return { kept: kept.map((c) => (c === bronchitis ? replaced : c)), dropped: [{ code: 'J20.9', reason: `J20.8: ${why}` }] };
}
