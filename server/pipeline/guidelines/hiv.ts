// HIV infection status (OCG I.C.1.a.2.d–f): a patient with no documented HIV-related illness whose provider
// writes "asymptomatic HIV", "HIV positive" or "HIV+" is coded Z21 (asymptomatic HIV infection status), not B20
// (HIV disease). The Index's "Virus, human immunodeficiency" reads every "HIV" as B20; the words around it decide.
// Once AIDS or an HIV-related condition is documented, B20 stands for good (I.C.1.a.2.f): the note's own "AIDS"
// keeps B20.
// Only confirmed cases are coded (I.C.1.a.1): "HIV" named as a test (a negative or nonreactive result, a lab ordered)
// is no case at all. A case report without a diagnostic statement (CodiEsp) is not judged so: this stage runs only
// where the provider states the diagnoses (apply.ts), and CodiEsp's coders report the serologies it lists.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

type Mention = RuledCandidate['evidence'][number];

/** The status words, before or after the "HIV" read as B20: "asymptomatic HIV", "known HIV", "HIV positive", "HIV+", "HIV-positive". */
const STATUS_BEFORE = /\b(?:asymptomatic|known)\s+(?:HIV|human immunodeficiency virus)\b[^.;\n]*$/i;
const STATUS_AFTER = /^\s*(?:[-\s]?positive\b|\+|\s*seropositive\b)/i;
/** AIDS written as such, or an HIV-related illness the provider names so, unless denied ("never had … any HIV-related illness"). */
const HIV_DISEASE = /\bAIDS\b|\bHIV[- ](?:related|associated)\b|\bHIV disease\b/g;
const DENIED_BEFORE = /\b(?:never|no|not|without|denies|free of)\b[^.;:]*$/i;
const documentsHivDisease = (text: string) => [...text.matchAll(HIV_DISEASE)].some((m) => !DENIED_BEFORE.test(text.slice(Math.max(0, m.index - 50), m.index)));

/**
 * Only the names of other tests (and list words) may stand between "HIV" and its result or order: "HIV, HBsAg and
 * syphilis negative", "HIV Ag/Ab non-reactive", "HIV and HBV labs ordered", "Repeat CBC, B12/folate, HIV/HCV". Anything
 * else is a known case's own story ("HIV on Biktarvy, CD4 pending"; "HIV, well controlled, HCV negative").
 */
const TEST_LIST = String.raw`(?:[\s,/:()]|\b(?:and|or|ag|ab|antibod\w*|antigen|serolog\w*|HBsAg|anti-HBs|HBV|HCV|hepatitis|hep|[ABC]|syphilis|RPR|VDRL|treponemal|GBS|rubella|varicella|gonorrhea|chlamydia|GC|CT|TB|quantiferon|QFT|CBC|B12|folate|TSH|lipids?|labs?|panel|testing|tests?|screens?|screening|4th|generation|combo|was|were|is|are|all|both|\d+)\b)*`;
const NEGATIVE_AFTER = new RegExp(String.raw`^${TEST_LIST}(?:negative|non-?reactive|neg)\b`, 'i');
const ORDERED_AFTER = new RegExp(String.raw`^${TEST_LIST}(?:ordered|pending|sent|to be drawn)\b`, 'i');
const ORDERED_BEFORE = new RegExp(String.raw`\b(?:check|order|ordered|obtain|send|repeat|draw|screen(?:ing)?\s+for)\b${TEST_LIST}$`, 'i');

/** Example: "Prenatal labs: HIV, HBsAg and syphilis negative" — a test result, not an HIV case. */
function namedAsTest(text: string, m: Mention): boolean {
  const after = text.slice(m.span.end, m.span.end + 80);
  return NEGATIVE_AFTER.test(after) || ORDERED_AFTER.test(after) || ORDERED_BEFORE.test(text.slice(Math.max(0, m.span.start - 60), m.span.start));
}

/** Example: "Asymptomatic HIV infection, virologically suppressed on ART" → Z21, not B20. */
export function applyHivStatus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const b20 = kept.find((c) => c.code === 'B20');
  if (!b20) return { kept, dropped: [] };
  const text = input.note.text;
  if (b20.evidence.every((m) => namedAsTest(text, m)) && !documentsHivDisease(text)) {
    const reason = 'HIV is named only as a test (a negative result or a lab ordered): only confirmed HIV cases are coded (OCG I.C.1.a.1)';
    return { kept: kept.filter((c) => c !== b20), dropped: [{ code: 'B20', reason }] };
  }
  const dropped: Dropped[] = [];
  // "HIV infection": its "infection" is the HIV's, not an unspecified infectious disease (B99.9) beside it.
  const infectionOfHiv = (c: RuledCandidate) =>
    c.code === 'B99.9' && c.evidence.every((m) => b20.evidence.some((h) => m.span.start >= h.span.end && /^\s*infection$/i.test(text.slice(h.span.end, m.span.end))));
  for (const c of kept.filter(infectionOfHiv)) dropped.push({ code: c.code, reason: `the "infection" of "HIV infection" (${b20.code} codes it)` });
  let out = kept.filter((c) => !infectionOfHiv(c));
  const status = (m: Mention) => STATUS_BEFORE.test(text.slice(Math.max(0, m.span.start - 40), m.span.end)) || STATUS_AFTER.test(text.slice(m.span.end, m.span.end + 14));
  if (documentsHivDisease(text) || !b20.evidence.some(status) || !input.kb.codes.get('Z21')?.billable) return { kept: out, dropped };
  const why = 'HIV documented as asymptomatic / positive, with no HIV-related illness: Z21, not B20 (OCG I.C.1.a.2.e)';
  const existing = out.find((c) => c.code === 'Z21');
  const z21 = existing ?? derivedCandidate('Z21', b20.evidence.filter(status), b20.confidence, 'hiv_status', why);
  noteDrop(z21, 'hiv_status', `B20 (Human immunodeficiency virus [HIV] disease) not reported: ${why}`);
  dropped.push({ code: 'B20', reason: why });
  out = out.filter((c) => c !== existing).map((c) => (c === b20 ? z21 : c));
  return { kept: out, dropped };
}
