// Tabular I23 — "Certain current complications following ST elevation (STEMI) and non-ST elevation (NSTEMI)
// myocardial infarction (within the 28 day period)". Each condition of I51.0–I51.3 (acquired septal defect, ruptured
// chordae or papillary muscle, intracardiac thrombus) carries an Excludes1 note sending it, "as current complication
// following acute myocardial infarction", to its I23 code. So with an acute MI coded (I21/I22: within its 4 weeks, OCG
// I.C.9.e), the LV thrombus of that admission is I23.6, not I51.3. The target is read from the note's own pointer, not
// from a table here; a thrombus the provider calls chronic, old or not a complication of the infarct keeps its code.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { notesFor } from '../knowledge.ts';
import { recoded, type GuidelineInput, type StageResult } from './types.ts';

const CURRENT_MI = /^I2[12]\./;
const POINTER = /as current complication following acute myocardial infarction \((I23\.\d)/i;
/** "Chronic LV thrombus", "old mural thrombus", "not a current complication of the infarct". */
const NOT_CURRENT = /\b(?:chronic|old|remote|prior|known|not (?:a )?(?:current )?complication|unrelated)\b/i;

/** Example: "Anterior STEMI … LV apical thrombus complicating the acute MI" → I21.02 and I23.6, not I51.3. */
export function applyMiComplications(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  if (!kept.some((c) => CURRENT_MI.test(c.code))) return { kept, dropped: [] };
  const text = input.note.text;
  // The clause the condition is named in: "LV apical thrombus complicating the acute MI; …".
  const clause = (m: RuledCandidate['evidence'][number]) => {
    const start = Math.max(...[';', '.', '\n'].map((ch) => text.lastIndexOf(ch, m.span.start - 1))) + 1;
    const ends = [';', '.', '\n'].map((ch) => text.indexOf(ch, m.span.end)).filter((i) => i >= 0);
    return text.slice(start, ends.length ? Math.min(...ends) : text.length);
  };
  const dropped: Dropped[] = [];
  const out: RuledCandidate[] = [];
  for (const c of kept) {
    const target = /^I51\.[0-3]/.test(c.code) ? notesFor(input.kb, c.code, ['excludes1']).map((n) => POINTER.exec(n.text)?.[1]).find(Boolean) : undefined;
    if (!target || !input.kb.codes.get(target)?.billable || c.evidence.some((m) => NOT_CURRENT.test(clause(m)))) {
      out.push(c);
      continue;
    }
    const why = `${c.code} written beside a current myocardial infarction: ${target}, its complication within the 28 days (tabular I23; I51 Excludes1)`;
    if (kept.some((o) => o.code === target)) dropped.push({ code: c.code, reason: why });
    else out.push(recoded(c, target, 'mi_complication', why));
  }
  return { kept: out, dropped };
}
