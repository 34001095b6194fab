// OCG I.C.10.c — influenza due to certain identified influenza viruses. J11 is influenza "due to unidentified
// influenza virus"; a note that names the virus's type or subtype ("Influenza A (confirmed, rapid molecular
// test)", "flu B positive", "H3N2") has identified it, and the same manifestation is coded in J10 (other
// identified influenza virus): J11.1 → J10.1, J11.00 → J10.00. J09 (novel influenza A, avian) needs the provider's
// words for those viruses and is not read here.
// Influenza with a pneumonia whose organism is coded beside it ("Influenza A complicated by secondary MRSA pneumonia":
// J15.212) is influenza "with other specified pneumonia" (J10.08 / J11.08; Index: Influenza, with, pneumonia, specified
// type NEC), not "unspecified type of pneumonia" (J10.00 / J11.00); the J10.08 note "code also other specified type of
// pneumonia" keeps the organism's code.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { recoded, type GuidelineInput, type StageResult } from './types.ts';

/** The type letter in capitals ("flu a few days ago" is no type): "Influenza A", "flu type B", "H3N2"; not "flu A/B" (a panel). */
const IDENTIFIED = /\b(?:[Ii]nfluenza|INFLUENZA|[Ff]lu|FLU)\s*(?:[Tt]ype\s*)?(?:A|B)\b(?!\s*\/)|\bH[1-9]N[1-9]\b/;
const NOT_FOUND = /\b(?:negative|neg|not detected|ruled out)\b/i;

/** Example: "Influenza A (confirmed, rapid molecular test) with fever and cough" read as J11.1 → J10.1. */
export function applyInfluenzaVirus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    if (!c.code.startsWith('J11')) return c;
    const identified = c.evidence.some((m) => {
      const text = input.sentences[m.sentenceIndex]?.text ?? '';
      const found = IDENTIFIED.exec(text);
      return found !== null && !NOT_FOUND.test(text.slice(found.index, found.index + found[0].length + 20));
    });
    const code = `J10${c.code.slice(3)}`;
    if (!identified || !input.kb.codes.get(code)?.billable || kept.some((o) => o.code === code)) return c;
    const why = 'the note names the influenza virus (type or subtype): identified virus, J10 (OCG I.C.10.c)';
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    return recoded(c, code, 'identified_influenza', `${c.code} → ${code}: ${why}`);
  });
  return { kept: out, dropped };
}

/** Pneumonias of another named organism (J13–J16; adenovirus, RSV, parainfluenza, metapneumovirus J12.0–J12.3): not a viral pneumonia that may be the influenza's own (J12.8-, J12.9; J10.01). */
const SPECIFIED_PNEUMONIA = /^(?:J1[3-6]|J12\.[0-3])/;

/** Example: "Influenza A complicated by secondary MRSA pneumonia" read as J10.00 and J15.212 → J10.08 beside J15.212. */
export function applyInfluenzaPneumonia(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const pneumonia = kept.find((c) => SPECIFIED_PNEUMONIA.test(c.code));
  if (!pneumonia) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    if (c.code !== 'J10.00' && c.code !== 'J11.00') return c;
    const code = `${c.code.slice(0, 3)}.08`;
    if (!input.kb.codes.get(code)?.billable || kept.some((o) => o.code === code)) return c;
    const why = `influenza with a pneumonia whose type is coded (${pneumonia.code}): "with other specified pneumonia", ${code} (Index: Influenza, with, pneumonia, specified type NEC; OCG I.C.10.c)`;
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    return recoded(c, code, 'influenza_pneumonia', `${c.code} → ${code}: ${why}`);
  });
  return { kept: out, dropped };
}
