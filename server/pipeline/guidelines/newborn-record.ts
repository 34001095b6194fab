// The newborn's record (OCG I.C.15.a.2: chapter 15 codes are used "only on the maternal record, never on the
// record of the newborn"). A newborn's discharge summary tells the mother's pregnancy — "Maternal gestational
// diabetes (A2, insulin from 28 weeks)", "Maternal serologies: HIV, hepatitis B surface antigen and syphilis
// negative; rubella immune" — and those are the mother's conditions: on the infant's record a maternal condition
// is coded only as its effect on the newborn (chapter 16, P00–P04, P70), which the dictionary reads from the
// newborn's own diagnoses. So, for a patient aged 0: no O code or Z3A weeks of gestation, and no other code read
// only from sentences about the mother.
import type { Dropped, RuledCandidate } from '../rules.ts';
import type { GuidelineInput, StageResult } from './types.ts';

/** A sentence about the mother: "Maternal …", "mother's …", "to a 34 y/o G3P2 mother", "Mom has …". */
const ABOUT_MOTHER = /\b(?:maternal|mother(?:'s)?|mom(?:'s)?|G\d+P\d+)\b/i;

/** Example: a newborn's "Maternal gestational diabetes (A2)" gives no O24.414; "infant of a mother with gestational diabetes" keeps P70.0. */
export function applyNewbornRecord(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  if (input.note.encounter.patient?.age !== 0) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    if (c.code.startsWith('O') || c.code.startsWith('Z3A')) {
      dropped.push({ code: c.code, reason: 'a pregnancy code on the newborn\'s record: chapter 15 codes are used only on the maternal record (OCG I.C.15.a.2)' });
      return false;
    }
    // An injury found in the stay the infant was born in is a birth injury, chapter 16 (P10–P15: "fracture of the
    // clavicle due to birth injury" is P13.4, never S42.0-; OCG I.C.16.a.1).
    if (c.code.startsWith('S') && input.note.encounter.setting === 'inpatient' && kept.some((o) => o.code.startsWith('Z38'))) {
      dropped.push({ code: c.code, reason: 'an injury in the birth episode is a birth injury: chapter 16 (P10–P15), not chapter 19 (OCG I.C.16.a.1)' });
      return false;
    }
    if (c.code.startsWith('P') || c.code.startsWith('Z38') || c.evidence.length === 0) return true;
    if (!c.evidence.every((m) => ABOUT_MOTHER.test(input.sentences[m.sentenceIndex]?.text ?? ''))) return true;
    dropped.push({ code: c.code, reason: 'read only where the note tells the mother\'s pregnancy: the mother\'s condition, coded on the newborn\'s record only as its effect on the newborn (P00–P04; OCG I.C.15.a.2, I.C.16.a)' });
    return false;
  });
  return { kept: out, dropped };
}
