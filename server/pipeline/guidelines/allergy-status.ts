// OCG I.C.21.c.3: Z88 *Allergy status to drugs, medicaments and biological substances* is a status code. A
// drug allergy the provider lists among the diagnoses ("3. Allergy to penicillin (hives)") is reported as the
// status, by the drug's class as the Alphabetic Index files it ("History, personal, allergy (to), penicillin
// Z88.0 … sulfonamides Z88.2 … narcotic agent Z88.5"); the reaction in the parentheses is the allergy's history,
// not a condition of this encounter (an urticaria read from "(hives)" is not coded). A reaction happening now
// ("allergic reaction to amoxicillin") is an adverse effect, coded from the diagnoses, not here.
// The class is the Table of Drugs' adverse-effect class (kb.drugClasses), as for the Z79 codes.
import type { AnalysedSentence } from '../candidates.ts';
import type { Knowledge } from '../knowledge.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, DIAGNOSTIC_SECTIONS, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** "Allergy to penicillin", "allergic to sulfa drugs", "allergies: codeine". */
const ALLERGY_TO = /\ballerg(?:y|ies|ic)\s*(?:to|:)\s*([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)(\s*\([^)]*\))?/gi;
/** "Penicillin allergy (hives)". */
const DRUG_ALLERGY = /\b([A-Za-z][\w-]*)\s+allerg(?:y|ies)\b(\s*\([^)]*\))?/gi;

/** "No known allergy to …", "denies allergy to …". */
const DENIED_BEFORE = /\b(?:no|not|denies|denied|without|negative for|nkda)\b[^.;,]*$/i;
/** "Penicillin allergy de-labeled - not allergic", "… removed after a negative challenge": no allergy any more. */
const DENIED_AFTER = /^[^.;]*?\b(?:de-?label(?:l)?ed|removed|not allergic|disproven|ruled out|no longer)\b/i;

/** Class words a provider writes for the drug itself, which the Table files under other names. */
const CLASS_WORDS: ReadonlyMap<string, string> = new Map([
  ['penicillin', 'Z88.0'],
  ['penicillins', 'Z88.0'],
  ['pcn', 'Z88.0'],
  ['sulfa', 'Z88.2'],
  ['sulfas', 'Z88.2'],
  ['sulfonamide', 'Z88.2'],
  ['sulfonamides', 'Z88.2'],
  ['antibiotic', 'Z88.1'],
  ['antibiotics', 'Z88.1'],
  ['cephalosporin', 'Z88.1'],
  ['cephalosporins', 'Z88.1'],
  ['opioid', 'Z88.5'],
  ['opioids', 'Z88.5'],
  ['opiate', 'Z88.5'],
  ['opiates', 'Z88.5'],
  ['narcotics', 'Z88.5'],
  ['nsaid', 'Z88.6'],
  ['nsaids', 'Z88.6'],
  ['anesthetics', 'Z88.4'],
]);

/**
 * The Z88 code of a Table of Drugs class (adverse-effect column without its 6th character): the Index's
 * "History, personal, allergy (to)" subterms grouped by the Table's chapters — T36.0 penicillins, other
 * antibiotics T36.1–T36.9, T37.0 sulfonamides, other anti-infectives T37.1–T37.9, T39 non-opioid analgesics,
 * T40.0–T40.4 and T40.6 narcotics, T41 anesthetics, T50.A/B/Z vaccines and biologicals; other drugs Z88.8.
 */
export function allergyStatusOfClass(cls: string): string | null {
  if (!/^T(3[6-9]|4\d|50)/.test(cls)) return null;
  if (cls.startsWith('T36.0')) return 'Z88.0';
  if (cls.startsWith('T36')) return 'Z88.1';
  if (cls.startsWith('T37.0')) return 'Z88.2';
  if (cls.startsWith('T37')) return 'Z88.3';
  if (cls.startsWith('T39')) return 'Z88.6';
  if (/^T40\.[0-46]/.test(cls)) return 'Z88.5';
  if (cls.startsWith('T41')) return 'Z88.4';
  if (/^T50\.[ABZ]/.test(cls)) return 'Z88.7';
  return 'Z88.8';
}

function statusCodeOf(kb: Knowledge, words: string): string | null {
  const [first = '', second] = words.toLowerCase().split(/\s+/);
  const two = second ? `${first} ${second}` : null;
  for (const name of two ? [two, first] : [first]) {
    const byWord = CLASS_WORDS.get(name);
    if (byWord) return byWord;
    const cls = kb.drugClasses.get(name);
    if (cls) return allergyStatusOfClass(cls);
  }
  return null;
}

interface AllergyClause {
  sentence: AnalysedSentence;
  start: number;
  end: number;
  drugStart: number;
  drugEnd: number;
  code: string;
}

/** Drug allergies named anywhere in the note (the status is coded only from the diagnoses; see below). */
function allergyClauses(input: GuidelineInput): AllergyClause[] {
  const out: AllergyClause[] = [];
  for (const s of input.sentences) {
    for (const re of [ALLERGY_TO, DRUG_ALLERGY]) {
      for (const m of s.text.matchAll(re)) {
        if (DENIED_BEFORE.test(s.text.slice(Math.max(0, m.index - 24), m.index)) || DENIED_AFTER.test(s.text.slice(m.index + m[0].length))) continue;
        const code = statusCodeOf(input.kb, m[1]!);
        if (!code || !input.kb.codes.get(code)?.billable) continue;
        const drugStart = s.start + m.index + m[0].indexOf(m[1]!);
        out.push({ sentence: s, start: s.start + m.index, end: s.start + m.index + m[0].length, drugStart, drugEnd: drugStart + m[1]!.split(/\s+/)[0]!.length, code });
      }
    }
  }
  return out;
}

/**
 * Example: "Discharge diagnoses: … 3. Allergy to penicillin (hives)" → Z88.0, and no L50.0 from "allergy …
 * hives"; "Sulfa allergy" → Z88.2.
 */
export function applyAllergyStatus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const clauses = allergyClauses(input);
  if (clauses.length === 0) return { kept, dropped: [] };
  const added = new Map<string, RuledCandidate>();
  // The reaction of an allergy is its history wherever the note names it ("Penicillin allergy (hives)" in the
  // course too); the status is what the provider lists among this encounter's diagnoses (OCG IV.J).
  for (const c of clauses) {
    if (!DIAGNOSTIC_SECTIONS.has(c.sentence.section)) continue;
    const title = input.kb.codes.get(c.code)?.title ?? c.code;
    const mention = derivedMention(c.sentence, c.drugStart, c.drugEnd, input.note.text, title, c.code);
    const existing = added.get(c.code) ?? kept.find((k) => k.code === c.code);
    if (existing) existing.evidence.push(mention);
    else added.set(c.code, derivedCandidate(c.code, [mention], 0.8, 'allergy_status', `${mention.span.quote}: ${title} (OCG I.C.21.c.3)`));
  }
  const inClause = (m: RuledCandidate['evidence'][number]) => clauses.some((c) => m.span.start >= c.start && m.span.end <= c.end);
  const dropped: Dropped[] = [];
  const out = kept.filter((k) => {
    if (k.code.startsWith('Z88') || k.evidence.length === 0 || !k.evidence.every(inClause)) return true;
    const status = added.get(clauses.find((c) => k.evidence.some((m) => m.span.start >= c.start && m.span.end <= c.end))!.code) ?? [...added.values()][0];
    dropped.push({ code: k.code, reason: 'read from a listed drug allergy: the allergy is coded as its status (Z88), its past reaction is not a condition of this encounter (OCG I.C.21.c.3)' });
    if (status) noteDrop(status, 'allergy_reaction', `${k.code} (${input.kb.codes.get(k.code)?.title ?? k.code}) not reported: the reaction of a listed allergy, not a current condition`);
    return false;
  });
  return { kept: [...out, ...added.values()], dropped };
}
