// Two or more fractured ribs are "Multiple fractures of ribs" (S22.4-), not "Fracture of one rib" (S22.3-): the
// classification's own axis (Index: Fracture, rib, multiple). "Fractures of the left 8th and 9th ribs" is S22.42XA.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** More than one rib: "ribs", "8th and 9th", "ribs 4-7", "two ribs". */
const SEVERAL_RIBS = /\bribs\b|\b\d+(?:st|nd|rd|th)?\s*(?:and|-|–|through|to)\s*\d+(?:st|nd|rd|th)?\s+ribs?\b/i;

/** Example: S22.32XA read from "fractures of the left 8th and 9th ribs" → S22.42XA (same side and 7th character). */
export function applyMultipleRibs(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const out = kept.flatMap((c) => {
    if (!c.code.startsWith('S22.3')) return [c];
    const several = c.evidence.some((m) => SEVERAL_RIBS.test(m.span.quote) || SEVERAL_RIBS.test(input.sentences[m.sentenceIndex]?.text ?? ''));
    const code = `S22.4${c.code.slice(5)}`;
    if (!several || !input.kb.codes.get(code)?.billable) return [c];
    dropped.push({ code: c.code, reason: `two or more ribs fractured: ${code} (Index: Fracture, rib, multiple)` });
    // Read as multiple elsewhere ("Multiple rib fractures, left side" in the statement): the same fractures, one code.
    const multiple = kept.find((o) => o.code === code);
    if (multiple) {
      noteDrop(multiple, 'injury_site', `${c.code} not reported: the ribs it reads are the multiple fractures ${code}`);
      return [];
    }
    return [{ ...c, code, rules: [...c.rules, { rule: 'injury_site', detail: `${c.code} → ${code}: more than one rib is "multiple fractures of ribs"` }] }];
  });
  return { kept: out, dropped };
}
