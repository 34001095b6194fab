// OCG I.C.9.e.4 — "Assign code I25.2, Old myocardial infarction, for any myocardial infarction described as
// older than 4 weeks (28 days) or a healed MI not requiring further care" (I21 is for the first 4 weeks,
// I22 for a new MI within them). An MI the note calls old, prior or healed, or dates more than 28 days before
// the date of service ("s/p NSTEMI 4/2024"), is I25.2, not an acute MI code.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';
import { writtenDates } from './written-dates.ts';

const OLD = /\b(old|prior|previous|remote|healed|history of|h\/o|s\/p|status post|hx of)\b/i;
const FOUR_WEEKS_MS = 28 * 24 * 3600 * 1000;

/** Whether the text dates the event more than 28 days before the date of service (a bare year: before its year). */
function datedBefore(text: string, dateOfService: string): boolean {
  const dos = Date.parse(dateOfService);
  if (Number.isNaN(dos)) return false;
  for (const d of writtenDates(text)) {
    if (d.month === undefined) {
      if (d.year < new Date(dos).getUTCFullYear()) return true;
      continue;
    }
    // A month without a day counts from its last day: "4/2024" is at the latest 2024-04-30.
    const day = d.day ?? new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
    if (dos - Date.UTC(d.year, d.month - 1, day) > FOUR_WEEKS_MS) return true;
  }
  return false;
}

/** Within the 4 weeks, said outright: "19 days ago", "2 weeks ago", "still within the 4-week window". */
const RECENT = /\b(?:[1-9]|1\d|2[0-8])\s+days?\s+(?:ago|post|after)\b|\b[1-4]\s+weeks?\s+ago\b|\bwithin (?:the )?(?:4|four)[- ]weeks?\b/i;

/** Example: "Old MI (NSTEMI 4/2024)" on 2026-02-10 → I25.2, and I21.4 read from "NSTEMI" is not reported. */
export function applyOldMi(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note, sentences } = input;
  if (!kb.codes.get('I25.2')?.billable) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  let old = kept.find((c) => c.code === 'I25.2');
  const out: RuledCandidate[] = [];
  // An infarction the note dates within the 4 weeks, in its own clause after it ("NSTEMI, 19 days ago"), is acute whatever
  // else it says ("s/p DES" is the stent's): I21/I22 stay, and its mention in the history is the same infarction
  // (OCG I.C.9.e.1).
  if (kept.some((c) => /^I2[12]/.test(c.code) && c.evidence.some((m) => RECENT.test(note.text.slice(m.span.start, m.span.end + 60).split(/[;.]/)[0]!)))) return { kept, dropped };
  for (const c of kept) {
    const acute = /^I2[12]/.test(c.code);
    const texts = c.evidence.map((m) => sentences[m.sentenceIndex]?.text ?? '');
    if (!acute || !texts.every((t) => OLD.test(t) || datedBefore(t, note.encounter.dateOfService))) {
      out.push(c);
      continue;
    }
    dropped.push({ code: c.code, reason: 'myocardial infarction documented as old or more than 4 weeks ago: I25.2 (OCG I.C.9.e.4)' });
    if (!old) {
      old = derivedCandidate('I25.2', c.evidence, Math.max(c.confidence, 0.7), 'old_mi', `${c.code} → I25.2: the infarction is documented as old or more than 4 weeks before the date of service (OCG I.C.9.e.4)`);
      out.push(old);
    } else noteDrop(old, 'old_mi', `${c.code} not reported: the infarction is documented as old or more than 4 weeks before the date of service (OCG I.C.9.e.4)`);
  }
  // An MI the context rules set aside as history ("PMH: MI 2019") is old too.
  if (!old) {
    const past = input.scored
      .filter((c) => /^I2[12]/.test(c.code))
      .flatMap((c) => c.mentions.filter((m) => m.context.historical && !m.context.family && !m.context.negated && !m.context.hypothetical && !m.context.uncertain));
    if (past.length) out.push(derivedCandidate('I25.2', past, 0.7, 'old_mi', 'a past myocardial infarction is I25.2, old myocardial infarction (OCG I.C.9.e.4)'));
  }
  return { kept: out, dropped };
}
