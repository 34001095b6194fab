// The birth episode (OCG I.C.16.a.2, I.C.21.c.12): on a newborn's record of the stay in which it was born, a code
// from Z38 (liveborn infants according to place of birth and type of delivery) is the principal diagnosis. The
// place and type come from the note's birth line: "born in this hospital by spontaneous vaginal delivery" is
// Z38.00, "by cesarean" Z38.01, a twin Z38.30 / Z38.31, born before admission (at home, en route) Z38.1.
// Written by hand: which words say where and how the infant was born is read from the note, not from a code table.
import type { RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/** Born here: "born in this hospital", "born vaginally in hospital", "born at our facility", "inborn". */
const BORN_HERE = /\b(?:born|delivered)\b[^.\n]{0,60}?\b(?:in|at)\s+(?:(?:this|the|our)\s+)?(?:hospital|facility|birthing cent(?:er|re))\b|\binborn\b/i;
/** Born before admission: "born at home", "born en route", "born outside the hospital". */
const BORN_OUTSIDE = /\bborn\b[^.\n]{0,40}?\b(?:at home|en route|in the car|outside (?:the |of )?hospital|prior to arrival)\b/i;
const CESAREAN = /\b(?:cesarean|caesarean|c-section|C\/S)\b/i;
const TWIN = /\btwin\b/i;

/** Example: "Birth: term male, born in this hospital by spontaneous vaginal delivery" (newborn, inpatient) → Z38.00, first. */
export function applyBirthEpisode(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { note, sentences } = input;
  if (note.encounter.setting !== 'inpatient' || note.encounter.patient?.age !== 0 || kept.some((c) => c.code.startsWith('Z38'))) return { kept, dropped: [] };
  const here = BORN_HERE.exec(note.text);
  const outside = here ? null : BORN_OUTSIDE.exec(note.text);
  const found = here ?? outside;
  if (!found) return { kept, dropped: [] };
  const sentence = sentences.find((s) => s.start <= found.index && found.index < s.end);
  if (!sentence) return { kept, dropped: [] };
  const twin = TWIN.test(sentence.text);
  const cesarean = CESAREAN.test(sentence.text);
  const code = outside ? (twin ? 'Z38.4' : 'Z38.1') : twin ? (cesarean ? 'Z38.31' : 'Z38.30') : cesarean ? 'Z38.01' : 'Z38.00';
  if (!input.kb.codes.get(code)?.billable) return { kept, dropped: [] };
  const evidence = [derivedMention(sentence, found.index, found.index + found[0].length, note.text, found[0], code)];
  const why = `the newborn's birth episode: ${outside ? 'born before admission' : 'born in this hospital'}${outside ? '' : cesarean ? ', by cesarean' : ', vaginally'}${twin ? ', a twin' : ''} — the principal diagnosis of the birth record (OCG I.C.16.a.2)`;
  return { kept: [derivedCandidate(code, evidence, 0.8, 'birth_episode', why), ...kept], dropped: [] };
}
