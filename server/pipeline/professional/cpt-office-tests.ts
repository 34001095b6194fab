// In-office tests the practice performs and interprets at the visit: a 12-lead ECG, spirometry (with
// bronchodilator responsiveness), lung volumes, diffusing capacity, and scored brief emotional/behavioral
// instruments. Only when the note says the test was done and read here today: an ECG from elsewhere that the
// physician reviews is MDM data (an independent interpretation), not a test line (AMA E/M guidelines: a
// test billed separately is not also counted as data). Facility encounters (ED, hospital) are left out.

import type { Sentence } from '../sentences.ts';
import type { ProcedureFinding } from './procedure-text.ts';
import { performed, span } from './procedure-text.ts';
import { INSTRUMENTS, OFFICE_TESTS } from './cpt-table.ts';

const TODAY_HERE = /\b(?:today|in (?:the )?(?:office|clinic)|in-office|at (?:this|the) visit|tests? performed)\b/i;
const INSTRUMENT_RE = new RegExp(String.raw`(?<![\w-])(?:${INSTRUMENTS.map((i) => i.replace(/-/g, '[- ]?')).join('|')})(?![\w-])`, 'gi');

/** The note line around a sentence (an instrument's score and "administered and scored" may be two sentences apart). */
function lineOf(text: string, s: Sentence): string {
  const start = text.lastIndexOf('\n', s.start - 1) + 1;
  const end = text.indexOf('\n', s.end);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * Example: "ECG today (performed and interpreted in office): NSR" → 93000; "Tests performed: spirometry before and
 * after bronchodilator, lung volumes by body plethysmography, diffusing capacity (DLCO)" → 94060, 94726, 94729.
 */
export function officeTestFindings(text: string, sentences: readonly Sentence[]): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  const add = (code: string, reason: string, s: Sentence, units = 1) => {
    if (!out.some((o) => o.code === code)) out.push({ code, units, rule: 'office_test', reasons: [reason], evidence: [span(text, s.start, s.end)], modifiers: [] });
  };
  for (const s of sentences) {
    if (!TODAY_HERE.test(s.text)) continue;
    const ecg = /\b(?:ecg|ekg|electrocardiogram)\b/i.exec(s.text);
    if (ecg && /\binterpret\w*|\bread by me\b/i.test(s.text) && performed(s, ecg.index, ecg.index + ecg[0].length)) add(OFFICE_TESTS.ecg, '12-lead ECG performed and interpreted at the visit', s);
    const spiro = /\bspirometry\b/i.exec(s.text);
    if (spiro && performed(s, spiro.index, spiro.index + spiro[0].length)) {
      const bd = /\b(?:before and after|pre[- ]?(?:and|\/)[- ]?post)[- ]?(?:a )?bronchodilator\b|\bbronchodilator (?:response|responsiveness)\b/i.test(s.text);
      add(bd ? OFFICE_TESTS.spirometry.bronchodilator : OFFICE_TESTS.spirometry.plain, `spirometry${bd ? ' before and after a bronchodilator' : ''}`, s);
    }
    const pleth = /\bplethysmograph\w*\b/i.exec(s.text);
    if (pleth && performed(s, pleth.index, pleth.index + pleth[0].length)) add(OFFICE_TESTS.plethysmography, 'lung volumes by body plethysmography', s);
    const dlco = /\b(?:dlco|diffusing capacity)\b/i.exec(s.text);
    if (dlco && performed(s, dlco.index, dlco.index + dlco[0].length)) add(OFFICE_TESTS.dlco, 'diffusing capacity (add-on to spirometry or lung volumes)', s);
  }
  // Instruments: named on a line that says they were administered and scored at this visit.
  for (const s of sentences) {
    const line = lineOf(text, s);
    if (!/\b(?:administered|scored)\b/i.test(line) || out.some((o) => o.code === OFFICE_TESTS.instrument)) continue;
    const named = new Set([...line.matchAll(INSTRUMENT_RE)].map((m) => m[0].toUpperCase().replace(/[- ]/g, '')));
    if (named.size > 0) add(OFFICE_TESTS.instrument, `${named.size} standardized instrument(s) administered and scored: ${[...named].join(', ')} (one unit each)`, s, named.size);
  }
  return out;
}
