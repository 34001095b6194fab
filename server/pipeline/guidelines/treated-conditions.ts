// OCG Section III ("Reporting additional diagnoses"): in an inpatient stay, a coexisting condition is reported when it
// affects care by "therapeutic treatment". A chronic condition named only in the past history ("PMH: HTN") whose own
// drug the patient keeps taking during the stay ("Meds PTA: lisinopril 10 mg … Discharge medications: lisinopril") is
// treated: the coder reports it though the discharge diagnoses leave it out. The drug's class is the Table of Drugs
// and Chemicals' (drug-class.ts); which classes treat which condition is this file's short table, each row a class
// whose use is the condition's treatment. Outpatient and professional claims are not changed: there the provider's
// assessment lists what the visit addressed (OCG IV.J).
import { drugClass } from '../drug-class.ts';
import type { RuledCandidate } from '../rules.ts';
import type { SectionName } from '../sections.ts';
import { type GuidelineInput, inRanges } from './types.ts';

type Range = readonly [string, string];

/** Condition codes → the Table of Drugs classes (6th character dropped) that treat them. */
const TREATED_BY: readonly { conditions: Range[]; classes: readonly string[]; name: string }[] = [
  // ACE inhibitors, other antihypertensives (ARBs, hydralazine, clonidine), calcium-channel blockers, beta blockers,
  // thiazide-type diuretics.
  { conditions: [['I10', 'I10']], classes: ['T46.4X', 'T46.5X', 'T46.1X', 'T44.7X', 'T50.2X'], name: 'hypertension' },
  { conditions: [['E78', 'E78']], classes: ['T46.6X'], name: 'hyperlipidemia' },
  { conditions: [['E03', 'E03']], classes: ['T38.1X'], name: 'hypothyroidism' },
];

/** Where a past-history condition may be read from: the history, not a finding or a plan. */
const HISTORY_SECTIONS: ReadonlySet<SectionName> = new Set(['pmh']);
const WORD = /[A-Za-z][A-Za-z]+/g;

/**
 * The drug of the medication list that treats a condition read only from the past history of an inpatient stay,
 * or null. Example: "PMH: HTN. Meds: lisinopril 10 mg daily." → "lisinopril" for I10.
 */
export function treatingDrug(c: RuledCandidate, input: GuidelineInput): string | null {
  if (input.note.encounter.setting !== 'inpatient') return null;
  if (!c.evidence.length || !c.evidence.every((m) => HISTORY_SECTIONS.has(m.section))) return null;
  const row = TREATED_BY.find((r) => inRanges(c.code, r.conditions));
  if (!row) return null;
  for (const s of input.sentences) {
    if (s.section !== 'medications') continue;
    for (const w of s.text.matchAll(WORD)) {
      const cls = drugClass(input.kb, w[0]);
      if (cls && row.classes.includes(cls)) return w[0];
    }
  }
  return null;
}
