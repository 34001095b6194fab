// OCG I.C.10.c — influenza due to certain identified influenza viruses. J11 is influenza "due to unidentified
// influenza virus"; a note that names the virus's type or subtype ("Influenza A (confirmed, rapid molecular
// test)", "flu B positive", "H3N2") has identified it, and the same manifestation is coded in J10 (other
// identified influenza virus): J11.1 → J10.1, J11.00 → J10.00. J09 (novel influenza A, avian) needs the provider's
// words for those viruses and is not read here.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

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
    const replaced = { ...c, code, rules: [...c.rules] };
    noteDrop(replaced, 'identified_influenza', `${c.code} → ${code}: ${why}`);
    return replaced;
  });
  return { kept: out, dropped };
}
