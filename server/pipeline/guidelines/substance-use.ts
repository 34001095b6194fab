// OCG I.C.5.b — psychoactive substance use (F10–F19). Two rules a dictionary reading misses:
// 1. One code for the pattern of use of one substance: dependence (.2-) over abuse (.1-) over use (.9-)
//    (I.C.5.b.2). "Alcohol use disorder, severe" (F10.20) and "alcohol use" (F10.90) in one note → F10.2- only.
// 2. The documented state of the dependence: "in early/sustained remission" is .21 (I.C.5.b.1: a moderate or
//    severe use disorder in remission is dependence in remission); "with withdrawal" is the .23- combination
//    code (uncomplicated .230, delirium .231, perceptual disturbance .232, unspecified .239). The tabular's
//    own children decide which exist for the substance (F11.23 has no fifth character).
import { notesFor } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { FORMER_SMOKER, NEVER_SMOKER } from './history.ts';
import { categoryOf, derivedCandidate, derivedMention, DIAGNOSTIC_SECTIONS, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const SUBSTANCE = /^F1[0-9]\./;
/** Pattern of use by the fourth character: 2 dependence, 1 abuse, 9 use (I.C.5.b.2 hierarchy). */
const RANK: Record<string, number> = { '2': 3, '1': 2, '9': 1 };
const rankOf = (code: string) => (SUBSTANCE.test(code) ? (RANK[code[4] ?? ''] ?? 0) : 0);

// Not "not in remission" nor "no longer in remission": the remission denied.
const REMISSION = /(?<!\b(?:not|no longer|never been)\s+)\bin (?:early |sustained |full |partial )?remission\b/i;
const WITHDRAWAL = /\bwithdrawal\b/i;
const NOT_WITHDRAWAL = /\b(?:no|without|denies)\s+(?:\w+\s+){0,2}withdrawal\b/i;
/** A withdrawal the words next to it say did not happen: "precipitated withdrawal avoided", "to avoid withdrawal". */
const WITHDRAWAL_AVOIDED = /\bwithdrawal\s+(?:was\s+)?(?:avoided|averted|prevented|did not (?:occur|develop))\b|\b(?:avoid\w*|avert\w*|prevent\w*)\s+(?:\w+\s+){0,2}withdrawal\b/i;
const DELIRIUM = /\bdelirium\b/i;
const PERCEPTUAL = /\bperceptual disturbances?\b/i;
const UNCOMPLICATED = /\buncomplicated\b/i;

/**
 * The dependence (pattern "2") or abuse (pattern "1") code the sentence documents, among the substance's billable
 * codes; null when it says no more.
 */
function documentedState(input: GuidelineInput, category: string, sentence: string, pattern: '1' | '2' = '2'): { code: string; why: string } | null {
  const billable = (c: string) => (input.kb.codes.get(c)?.billable ? c : null);
  if (REMISSION.test(sentence)) {
    const code = billable(`${category}.${pattern}1`);
    const why = pattern === '2' ? 'moderate or severe use disorder in remission = dependence in remission (OCG I.C.5.b.1)' : 'mild use disorder in remission = abuse in remission (OCG I.C.5.b.1)';
    return code ? { code, why } : null;
  }
  if (pattern === '1') return null;
  if (WITHDRAWAL.test(sentence) && !NOT_WITHDRAWAL.test(sentence) && !WITHDRAWAL_AVOIDED.test(sentence)) {
    // "uncomplicated (no hallucinations, seizures or delirium)": the negated complications do not count.
    const plain = sentence.replace(/\((?:no|without)[^)]*\)/gi, ' ').replace(/\b(?:no|without)\s+(?:[\w,]+\s+){0,4}(?:delirium|perceptual disturbances?)\b/gi, ' ');
    const fifth = UNCOMPLICATED.test(plain) ? '0' : DELIRIUM.test(plain) ? '1' : PERCEPTUAL.test(plain) ? '2' : '9';
    const code = billable(`${category}.23${fifth}`) ?? billable(`${category}.23`);
    return code ? { code, why: 'dependence with withdrawal: combination code (OCG I.A.15, I.C.5.b)' } : null;
  }
  return null;
}

/** Psychoactive substance use, unspecified, uncomplicated (F10.90 … F19.90; F17 is nicotine dependence only). */
const UNCOMPLICATED_USE = /^F1[0-689]\.90$/;
/** The provider links the use to a condition: "cannabis use causing hyperemesis", "anxiety due to cocaine use". */
const USE_LINKED = /\b(?:due to|secondary to|caused by|causing|induced|related to|associated with|with (?:\w+[- ])?induced|contribut\w*|worsen\w*|exacerbat\w*)\b/i;

/** A withdrawal the sentence only anticipates: "prevented", "signs … to watch for", "risk of", "precautions". */
const WITHDRAWAL_NOT_PRESENT = /\b(?:prevent\w*|watch for|warning|risk of|precautions?|prophyla\w*|none occurred|did not develop)\b/i;

/** The substance of each category as notes name it in "… withdrawal". */
const SUBSTANCE_WORDS: Record<string, RegExp> = {
  F10: /\b(?:alcohol\w*|ethanol|etoh)\b/i,
  F11: /\b(?:opioids?|opiates?|heroin|fentanyl|oxycodone|methadone)\b/i,
  F12: /\b(?:cannabis|marijuana|cannabinoids?)\b/i,
  F13: /\b(?:benzodiazepines?|sedatives?|hypnotics?|anxiolytics?)\b/i,
  F14: /\bcocaine\b/i,
  F15: /\b(?:amphetamines?|methamphetamine|stimulants?)\b/i,
};

/** "<substance> withdrawal" per category, built once. */
const NAMED_WITHDRAWAL = new Map(Object.entries(SUBSTANCE_WORDS).map(([category, words]) => [category, new RegExp(`${words.source}\\s+withdrawal\\b`, 'i')]));

/**
 * A dependence whose withdrawal the note states in another sentence ("Secondary diagnoses: opioid use disorder,
 * severe" and the course's "Opioid withdrawal managed: buprenorphine induction") is the combination code F11.23
 * (OCG I.C.5.b; Index: Dependence, opioid, with, withdrawal). The sentence names the same substance.
 */
function withdrawalElsewhere(input: GuidelineInput, code: string): { code: string; why: string } | null {
  if (!/\.20$/.test(code)) return null;
  const category = categoryOf(code);
  // Stated as the condition treated ("<substance> withdrawal"), in the statement or the course: not a history's "withdrawal
  // when he stops", nor one prevented, watched for or denied.
  const named = NAMED_WITHDRAWAL.get(category);
  if (!named) return null;
  const said = input.sentences.find((s) => (DIAGNOSTIC_SECTIONS.has(s.section) || s.section === 'hospital_course') && named.test(s.text) && !NOT_WITHDRAWAL.test(s.text) && !WITHDRAWAL_NOT_PRESENT.test(s.text));
  return said ? documentedState(input, category, said.text) : null;
}

/** "Tobacco use" (Z72.0) read out of "tobacco use disorder": the words that follow the reading. */
const DISORDER_AFTER = /^\s*disorders?\b/i;
/** The product the sentence names, as F17.2's fifth character: cigarettes 1, chewing tobacco 2, other 9, unspecified 0. */
// Other products first: "e-cigarette" holds the word "cigarette", and "no cigarettes" names none.
const PRODUCT: readonly [RegExp, string][] = [
  [/\bcigars?\b|\bpipe\b|\bvap\w*|\be-?cig\w*/i, 'F17.290'],
  [/\bchew\w*|\bsnuff\b|\bdip\b|\bsmokeless\b/i, 'F17.220'],
  [/(?<!\bno\s|\be-)\bcig(?:arette)?s?\b|\bppd\b|\bpacks?\b|\bpack-years?\b/i, 'F17.210'],
];

/**
 * A tobacco use disorder is nicotine dependence: F17.2- (Z72.0 *Tobacco use* Excludes1 "tobacco dependence
 * (F17.2-)"; nicotine has no abuse code, so a use disorder of any severity is the dependence, OCG I.C.5.b).
 * "Tobacco use disorder, cigarettes, moderate" → F17.210, not Z72.0.
 */
function tobaccoUseDisorder(kept: RuledCandidate[], input: GuidelineInput, dropped: Dropped[]): RuledCandidate[] {
  return kept.flatMap((c) => {
    if (c.code !== 'Z72.0') return [c];
    const said = c.evidence.filter((m) => DISORDER_AFTER.test(input.note.text.slice(m.span.end, m.span.end + 12)));
    if (said.length === 0) return [c];
    const sentence = said.map((m) => input.sentences[m.sentenceIndex]?.text ?? '').join(' ');
    const code = PRODUCT.find(([re]) => re.test(sentence))?.[1] ?? 'F17.200';
    if (!input.kb.codes.get(code)?.billable) return [c];
    const why = 'a tobacco use disorder is nicotine dependence (Z72.0 Excludes1 tobacco dependence F17.2-; OCG I.C.5.b)';
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    if (kept.some((o) => o.code === code)) return [];
    return [derivedCandidate(code, said, c.confidence, 'substance_use', `${c.code} → ${code}: ${why}`)];
  });
}

/** Someone else's smoking, the patient's exposure to it (Z77.22): "father smokes 1 ppd in the home". */
const SOMEONE_ELSE = /\b(mother|father|mom|dad|parents?|brother|sister|siblings?|grand\w+|caregivers?|household|partner|husband|wife|spouse|roommates?|boyfriend|girlfriend)\b|\bsecond[- ]?hand\b|\bexposure\b/i;

/** The patient smokes now: "current every day smoker", "smokes 1 ppd", "10 cigarettes a day". */
const CURRENT_SMOKER =
  /\b(?:current(?:ly)?|every[- ]day|some[- ]days?|daily|active)\s+(?:cigarette\s+|tobacco\s+)?smoker\b|\bcurrently smokes\b|\bsmokes\s+(?:\d|~|about|approximately|one|half|a pack|cigarettes|cigs)|\b(?:\d+(?:\.\d+)?|one|half a)\s*(?:ppd|packs?\s*(?:per|a|\/)\s*day)\b|\b\d+\s*cig(?:arette)?s?\s*(?:per|a|\/)\s*day\b/i;

/**
 * A current smoker is nicotine dependence by the Index ("Smoker — see Dependence, drug, nicotine"), by the product
 * the note names (packs or cigarettes F17.210, cigars or vaping F17.290), else unspecified (F17.200); a former one is
 * history (history.ts, Z87.891). Not from a relative's smoking, and not when a tobacco code is already read.
 */
function currentSmoker(kept: RuledCandidate[], input: GuidelineInput, dropped: Dropped[]): RuledCandidate[] {
  if (kept.some((c) => c.code.startsWith('F17.2'))) return kept;
  // The provider's own diagnosis is "Tobacco use" (Z72.0, read in the diagnostic statement): use, not dependence.
  if (kept.some((c) => c.code === 'Z72.0' && c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section)))) return kept;
  const said = input.sentences.filter((s) => s.section !== 'family_history' && CURRENT_SMOKER.test(s.text) && !FORMER_SMOKER.test(s.text) && !NEVER_SMOKER.test(s.text) && !SOMEONE_ELSE.test(s.text));
  if (said.length === 0) return kept;
  // The provider says the use is not dependence ("Occasional cigarette use - not daily, no dependence"): tobacco use,
  // Z72.0 (Index: Use, tobacco), not the Index's default reading of a smoker.
  if (input.sentences.some((s) => NOT_DEPENDENT.test(s.text))) return kept;
  const text = said.map((s) => s.text).join(' ');
  const code = PRODUCT.find(([re]) => re.test(text))?.[1] ?? 'F17.200';
  if (!input.kb.codes.get(code)?.billable) return kept;
  const mentions = said.map((s) => {
    const m = CURRENT_SMOKER.exec(s.text)!;
    return derivedMention(s, s.start + m.index, s.start + m.index + m[0].length, input.note.text, 'Smoker — see Dependence, drug, nicotine', code);
  });
  const why = 'a current smoker: Index "Smoker — see Dependence, drug, nicotine" (OCG I.C.5.b)';
  const out = kept.filter((c) => {
    if (c.code !== 'Z72.0') return true;
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    return false;
  });
  return [...out, derivedCandidate(code, mentions, 0.75, 'substance_use', why)];
}

const NOT_DEPENDENT = /\b(?:no|not|without|denies)\s+(?:\w+\s+)?(?:dependence|dependent|addiction|addicted)\b/i;

/**
 * The provider says the tobacco use is not dependence ("Occasional cigarette use - not daily, no dependence"): no
 * F17.2 reading stands (the learned layer reads "cigarette" as F17.21-), and no smoker's default is derived.
 */
function notDependent(kept: RuledCandidate[], input: GuidelineInput, dropped: Dropped[]): RuledCandidate[] {
  const said = input.sentences.find((s) => NOT_DEPENDENT.test(s.text) && TOBACCO_WORDS.test(s.text));
  if (!said) return kept;
  return kept.filter((c) => {
    if (!c.code.startsWith('F17.2')) return true;
    dropped.push({ code: c.code, reason: `"${NOT_DEPENDENT.exec(said.text)![0]}": the provider documents tobacco use without dependence (OCG I.C.5.b)` });
    return false;
  });
}

/** An electronic product named where "cigarette" is read: "e-cigarette", "electronic cigarette", "vaping". */
const E_CIGARETTE = /\be-?cig\w*|\belectronic cig\w*|\bvap(?:e|es|ed|ing)\b/i;
const E_CIGARETTES = new RegExp(E_CIGARETTE.source, 'gi');
const CIGARETTE = /\bcig(?:arette)?s?\b|\bppd\b|\bpacks?\b/i;

/**
 * "Nicotine dependence, e-cigarette (vaping)" reads the title of F17.21- *cigarettes* from its last word: an
 * electronic product is "other tobacco product", F17.29- (the product rule above), unless the sentence also
 * names real cigarettes.
 */
function electronicProduct(kept: RuledCandidate[], input: GuidelineInput, dropped: Dropped[]): RuledCandidate[] {
  return kept.flatMap((c) => {
    if (!c.code.startsWith('F17.21')) return [c];
    const sentences = c.evidence.map((m) => input.sentences[m.sentenceIndex]?.text ?? '');
    if (!sentences.every((t) => E_CIGARETTE.test(t) && !CIGARETTE.test(t.replace(E_CIGARETTES, ' ')))) return [c];
    const code = `F17.29${c.code.slice(6)}`;
    if (!input.kb.codes.get(code)?.billable) return [c];
    dropped.push({ code: c.code, reason: `${code}: the product is electronic (other tobacco product; OCG I.C.5.b)` });
    if (kept.some((o) => o.code === code)) return [];
    return [{ ...c, code, rules: [...c.rules, { rule: 'substance_use', detail: `${c.code} → ${code}: an e-cigarette is an "other tobacco product"` }] }];
  });
}

/** A sentence about the patient's own tobacco or nicotine use (the social history's "vapes nicotine daily"). */
const TOBACCO_WORDS = /\b(?:smok\w*|cig\w*|vap\w*|tobacco|nicotine|ppd|packs?|chew\w*|snuff|cigars?|pipe)\b/i;

/**
 * "Nicotine dependence" read as F17.20- (*unspecified product*) when the note names the product where it tells the
 * patient's use ("Nicotine dependence, cigarettes: 1 ppd"; "SH: vapes nicotine daily"): the product's code, the
 * complication character kept (F17.200 → F17.210 / F17.290). The coder reads the whole record (OCG I.B.18).
 */
function nicotineProduct(kept: RuledCandidate[], input: GuidelineInput, dropped: Dropped[]): RuledCandidate[] {
  return kept.flatMap((c) => {
    if (!/^F17\.20\d$/.test(c.code)) return [c];
    const own = c.evidence.map((m) => input.sentences[m.sentenceIndex]?.text ?? '').join(' ');
    const told = input.sentences.filter((s) => s.section !== 'family_history' && TOBACCO_WORDS.test(s.text) && !SOMEONE_ELSE.test(s.text) && !NEVER_SMOKER.test(s.text) && !FORMER_SMOKER.test(s.text));
    const product = PRODUCT.find(([re]) => re.test(own))?.[1] ?? PRODUCT.find(([re]) => told.some((s) => re.test(s.text)))?.[1];
    if (!product) return [c];
    const code = `${product.slice(0, 6)}${c.code.slice(6)}`;
    if (code === c.code || !input.kb.codes.get(code)?.billable) return [c];
    const why = `the note names the product (${input.kb.codes.get(code)!.title}; OCG I.C.5.b)`;
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    const existing = kept.find((o) => o.code === code);
    if (existing) return [];
    return [{ ...c, code, rules: [...c.rules, { rule: 'substance_use', detail: `${c.code} → ${code}: ${why}` }] }];
  });
}

/** Someone smoking where the patient lives: "Father smokes cigarettes, sometimes indoors", "mom vapes in the car". */
const SMOKES = /\b(?:smok(?:es|ing|er|ers)|vap(?:es|ing))\b/i;
/** Who lives with the patient (not "exposure", which is also the patient's own "exposure to wildfire smoke"). */
const HOUSEHOLD = /\b(?:mother|father|mom|dad|parents?|brother|sister|siblings?|grand(?:mother|father|parents?)|caregivers?|household|partner|husband|wife|spouse|roommates?|boyfriend|girlfriend)\b/i;
/** "No smokers in the home", "father quit smoking", "smokes outside only". */
const NO_EXPOSURE = /\b(?:no|non-?|denies|never|quit|former|outside only|only outside|outdoors only)\b/i;

/**
 * A condition whose tabular note asks for it ("Use additional code, where applicable, to identify: exposure to
 * environmental tobacco smoke (Z77.22)": asthma, otitis media, bronchiolitis …) with a household member's smoking in
 * the note: Z77.22 (OCG I.A.12 "use additional code"; I.C.21.c.1 contact/exposure). Not when the note says nobody
 * smokes at home or the smoker quit.
 */
function secondhandSmoke(kept: RuledCandidate[], input: GuidelineInput): RuledCandidate[] {
  if (kept.some((c) => c.code === 'Z77.22') || !input.kb.codes.get('Z77.22')?.billable) return kept;
  const asks = kept.find((c) => notesFor(input.kb, c.code, ['use_additional', 'code_also']).some((n) => namesCode(n.text, 'Z77.22')));
  if (!asks) return kept;
  const said = input.sentences.find((s) => HOUSEHOLD.test(s.text) && SMOKES.test(s.text) && !NO_EXPOSURE.test(s.text));
  if (!said) return kept;
  const m = SMOKES.exec(said.text)!;
  const mention = derivedMention(said, said.start + m.index, said.start + m.index + m[0].length, input.note.text, 'Exposure, tobacco smoke', 'Z77.22');
  return [...kept, derivedCandidate('Z77.22', [mention], 0.75, 'use_additional', `${asks.code} "use additional code … exposure to environmental tobacco smoke (Z77.22)": a household member smokes (OCG I.A.12)`)];
}

/**
 * Example: "Alcohol use disorder, severe, with alcohol withdrawal - uncomplicated" → F10.230 (not F10.20);
 * "Alcohol use disorder, severe, in early remission" → F10.21; "alcohol use" beside either → not reported.
 */
export function applySubstanceUse(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  let out = secondhandSmoke(nicotineProduct(electronicProduct(currentSmoker(notDependent(tobaccoUseDisorder(kept, input, dropped), input, dropped), input, dropped), input, dropped), input, dropped), input);
  // 1. The documented state of a dependence or abuse read without it (F1x.20, F1x.10 "uncomplicated"): "Alcohol use
  // disorder, mild, in early remission" read by the inclusion "Alcohol use disorder, mild" is F10.11.
  const byCode = new Map(out.map((c) => [c.code, c]));
  out = out.flatMap((c) => {
    if (!SUBSTANCE.test(c.code) || !/\.[12]0$/.test(c.code)) return [c];
    const pattern = c.code.endsWith('.10') ? '1' : '2';
    const state =
      c.evidence.map((m) => documentedState(input, categoryOf(c.code), input.sentences[m.sentenceIndex]?.text ?? '', pattern)).find((s) => s) ??
      withdrawalElsewhere(input, c.code);
    if (!state) return [c];
    dropped.push({ code: c.code, reason: `${state.code} documents the use disorder's state more specifically: ${state.why}` });
    const existing = byCode.get(state.code);
    if (existing) {
      noteDrop(existing, 'substance_use', `${c.code} not reported: ${state.why}`);
      return [];
    }
    const derived = derivedCandidate(state.code, c.evidence, c.confidence, 'substance_use', `${c.code} → ${state.code}: ${state.why}`);
    byCode.set(state.code, derived);
    return [derived];
  });
  // 2. Use, unspecified and uncomplicated (F1x.90), only where the provider links it to a disorder or a condition
  // (OCG I.C.5.b.3): "Cannabis use - occasional, no use disorder" is not reported; "cannabis use causing
  // hyperemesis" is.
  out = out.filter((c) => {
    if (!UNCOMPLICATED_USE.test(c.code) || c.evidence.some((m) => USE_LINKED.test(input.sentences[m.sentenceIndex]?.text ?? ''))) return true;
    dropped.push({ code: c.code, reason: 'substance use without a disorder or condition the provider links to it is not coded (OCG I.C.5.b.3); add it back if the provider documents one' });
    return false;
  });
  // 3. One pattern of use per substance: the highest documented — in the diagnostic statement when it states one
  // ("Alcohol use disorder, mild, in sustained remission" is F10.11, whatever "previously binge drinking" in the HPI
  // reads as; OCG I.B.2, IV.J).
  const stated = (c: RuledCandidate) => c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section));
  const best = new Map<string, RuledCandidate>();
  for (const c of out) {
    if (rankOf(c.code) === 0) continue;
    const b = best.get(categoryOf(c.code));
    if (!b || (stated(c) && !stated(b)) || (stated(c) === stated(b) && rankOf(c.code) > rankOf(b.code))) best.set(categoryOf(c.code), c);
  }
  out = out.filter((c) => {
    const b = best.get(categoryOf(c.code));
    if (!b || c === b || rankOf(c.code) === 0) return true;
    if (rankOf(c.code) > rankOf(b.code) && stated(b) && !stated(c)) {
      dropped.push({ code: c.code, reason: `the diagnostic statement codes the pattern of use as ${b.code}; ${c.code} is read only outside it (OCG I.B.2, IV.J)` });
      return false;
    }
    if (rankOf(c.code) >= rankOf(b.code)) return true;
    dropped.push({ code: c.code, reason: `${b.code} codes the higher pattern of use of the same substance (OCG I.C.5.b.2)` });
    noteDrop(b, 'substance_use', `${c.code} not reported: only the highest documented pattern of use (dependence > abuse > use) is coded (OCG I.C.5.b.2)`);
    return false;
  });
  return { kept: out, dropped };
}
