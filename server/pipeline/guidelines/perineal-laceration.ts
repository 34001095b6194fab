// A perineal laceration at the delivery of this stay is the obstetric code of its degree (Index: Laceration, perineum,
// female, during delivery — first degree O70.0, second O70.1, third O70.2- with IIIa/IIIb/IIIc, fourth O70.3;
// OCG I.C.15: complications of delivery are coded to chapter 15), not the injury (S31.4-) its words also read. The
// Index path needs "female" and "during delivery", which a delivery record's "Second-degree perineal laceration,
// repaired" leaves to the context: this stage supplies them from the delivery the note records.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { DELIVERED } from './pregnancy.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/** "Second-degree perineal laceration", "2nd degree tear", "perineal laceration (3b)", "first degree vaginal/perineal tear". */
const LACERATION = /\b(?:(first|second|third|fourth|1st|2nd|3rd|4th)[- ]degree\s+(?:(?:perineal|perineum|vaginal|obstetric(?:al)?)\s+)*(?:laceration|tear)|(?:perineal|perineum)\s+(?:laceration|tear)s?(?:\s*\(?\s*(first|second|third|fourth|1st|2nd|3rd|4th)[- ]degree)?)\b/i;
/** Third-degree subtypes: "3a", "IIIb", "3c". */
const SUBTYPE = /\b(?:3|III)([abc])\b/i;
/** "No laceration", "intact perineum", "without tear". */
const DENIED = /\b(?:no|without|denies|intact)\b[^.;]{0,20}$/i;

const DEGREE: Readonly<Record<string, string>> = { first: 'O70.0', '1st': 'O70.0', second: 'O70.1', '2nd': 'O70.1', third: 'O70.20', '3rd': 'O70.20', fourth: 'O70.3', '4th': 'O70.3' };

/** Example: "Spontaneous vaginal delivery … Second-degree perineal laceration, repaired." → O70.1. */
export function applyPerinealLaceration(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note, sentences } = input;
  const patient = note.encounter.patient;
  if (note.encounter.setting !== 'inpatient' || patient?.sex === 'male' || (patient?.age !== undefined && patient.age < 10)) return { kept, dropped: [] };
  if (kept.some((c) => c.code.startsWith('O70')) || !sentences.some((s) => DELIVERED.test(s.text))) return { kept, dropped: [] };
  for (const s of sentences) {
    const m = LACERATION.exec(s.text);
    if (!m || DENIED.test(s.text.slice(0, m.index))) continue;
    const degree = (m[1] ?? m[2] ?? '').toLowerCase();
    let code = DEGREE[degree] ?? 'O70.9';
    const sub = code === 'O70.20' ? SUBTYPE.exec(s.text)?.[1]?.toLowerCase() : undefined;
    if (sub) code = `O70.2${'abc'.indexOf(sub) + 1}`;
    if (!kb.codes.get(code)?.billable) continue;
    const start = s.start + m.index;
    const detail = `${m[0]} at the delivery of this stay: Index "Laceration, perineum, female, during delivery" → ${code} (OCG I.C.15)`;
    const obstetric = derivedCandidate(code, [derivedMention(s, start, start + m[0].length, note.text, detail, code)], 0.75, 'obstetric_laceration', detail);
    // The injury reading of the same words (S31.4- *laceration of vagina and vulva*, S31.1- perineum) is the obstetric one.
    const dropped: Dropped[] = [];
    const out = kept.filter((c) => {
      if (!/^S3[01]\./.test(c.code) || !c.evidence.every((e) => e.sentenceIndex === s.index)) return true;
      dropped.push({ code: c.code, reason: `a laceration at the delivery: ${code} (OCG I.C.15)` });
      return false;
    });
    return { kept: [...out, obstetric], dropped };
  }
  return { kept, dropped: [] };
}
