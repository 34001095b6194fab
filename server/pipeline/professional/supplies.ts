// Supply and DME lines (HCPCS Level II) for what the practice hands the patient at the visit: "crutches
// dispensed", "CAM boot fitted", "spacer provided and technique taught". Written by hand because the cue is
// the domain: the item must be given today by the practice (not prescribed, ordered from a supplier,
// recommended or the patient's own), and a facility (ED, hospital) supplies its own, so its professional claim
// carries none. The code comes from supply-table.ts, the descriptor from the loaded HCPCS release.

import type { NoteInput } from '../types.ts';
import type { HcpcsDrugFile } from './hcpcs-file.ts';
import { performed, sentencesOf, span } from './procedure-text.ts';
import { SUPPLIES } from './supply-table.ts';
import type { ProcedureLine } from './types.ts';

// The practice handed it over today.
const GIVEN = /\b(?:dispensed|provided|given|issued|supplied|fitted|fit|applied|placed (?:in|into|on)|sent home (?:in|with)|discharged (?:in|with))\b/i;
// Someone else supplies it, or it is not handed over: a prescription, an order to a DME supplier, advice, the
// patient's own item, or a return to one they already have; declined or "not applied" (a denial after the item,
// which ConText's forward scope does not reach).
const NOT_BY_PRACTICE = /\b(?:declined|refused|not (?:applied|dispensed|given|provided|fitted)|rx|prescription|prescribed|order(?:ed)?|dme (?:company|supplier|vendor)|recommend(?:ed)?|advised|encouraged|consider|own|existing|continue|continues|already (?:has|uses)|at home)\b/i;

const REMINDER = 'Billable by the practice only when it is enrolled as a DMEPOS supplier and the item was dispensed from its stock; otherwise the supplier bills it.';

/**
 * Supply lines for a professional or outpatient note. Example: "Crutches dispensed, gait training done." →
 * E0114 × 1; "Rx for nebulizer machine sent to DME" → none.
 */
export function suggestSupplyLines(note: NoteInput, hcpcs: HcpcsDrugFile, options: { facilitySupplied?: boolean } = {}): ProcedureLine[] {
  if (options.facilitySupplied || note.encounter.setting === 'inpatient') return [];
  const lines = new Map<string, ProcedureLine>();
  for (const s of sentencesOf(note.text)) {
    if (!GIVEN.test(s.text) || NOT_BY_PRACTICE.test(s.text)) continue;
    for (const item of SUPPLIES) {
      if (lines.has(item.code) || (item.unless && new RegExp(`\\b(?:${item.unless})`, 'i').test(s.text))) continue;
      const m = new RegExp(`\\b(?:${item.names.join('|')})\\b`, 'i').exec(s.text);
      const description = hcpcs.supplies.get(item.code);
      if (!m || !description || !performed(s, m.index, m.index + m[0].length)) continue;
      // An entry read from the same words as one already kept ("quad cane" then "cane") is the same item.
      if ([...lines.values()].some((l) => l.evidence.some((e) => e.start <= s.start + m.index && s.start + m.index < e.end))) continue;
      lines.set(item.code, {
        system: 'HCPCS', code: item.code, units: 1, description, evidence: [span(note.text, s.start + m.index, s.start + m.index + m[0].length)],
        reminders: [...(item.check ? [item.check] : []), REMINDER], modifiers: [], diagnosisPointers: [], rule: 'supply',
      });
    }
  }
  return [...lines.values()];
}
