// OCG I.A.15 ("with") and I.C.4.a — diabetes: the Alphabetic Index lists under "Diabetes, diabetic, <type>,
// with" the conditions the classification presumes linked to diabetes (chronic kidney disease, polyneuropathy,
// hyperglycemia, foot ulcer, gastroparesis …). When the note documents diabetes and such a condition, the
// combination code is reported; the condition's own code stays only when the combination code's tabular
// notes ask for it ("use additional code to identify stage of chronic kidney disease"). The type is the one
// documented anywhere in the note; without one the default is type 2 (OCG I.C.4.a.2).
import { expandAbbreviations } from '../abbreviations.ts';
import { stems } from '../../index/lexical-score.ts';
import type { Knowledge } from '../knowledge.ts';
import { notesFor, titleStems } from '../knowledge.ts';
import { bestMention } from '../learned.ts';
import { namesCode, spanCovers, spansOverlap, type Dropped, type RuledCandidate } from '../rules.ts';
import { categoryOf, derivedCandidate, DIAGNOSTIC_SECTIONS, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** A condition the provider says is not the diabetes's: "not diabetic", "not due to (her) diabetes", "unrelated to diabetes". */
// "diabetic kidney disease not diagnosed per nephrology" (or ruled out, excluded) too.
const NOT_DIABETIC = /\b(?:not|non-?)\s*diabetic\b|\bnot (?:due to|related to|from|caused by|secondary to) (?:his |her |the |their )?diabetes\b|\bunrelated to (?:his |her |the |their )?diabetes\b|\bdiabetic(?: \w+){1,3} (?:not diagnosed|ruled out|excluded|not present)\b/i;

const DIABETES = /^E(0[89]|1[013])\./;
/** Index: "Diabetes, poorly controlled — code to Diabetes, by type, with hyperglycemia"; "uncontrolled, meaning hyperglycemia". */
const HYPERGLYCEMIA_WORDS = /\b(poorly|inadequately|sub-?optimally) controlled\b|\buncontrolled\b|\bout of control\b/gi;
/** Said, not denied: "diabetes not poorly controlled", "not uncontrolled" say the opposite. */
const saysPoorControl = (text: string) => [...text.matchAll(HYPERGLYCEMIA_WORDS)].some((m) => !/\b(?:not|never|no longer)\s+$/i.test(text.slice(Math.max(0, m.index - 12), m.index)));
/** The words a note uses for type 2, so an E11 code read from them is never re-typed. */
const TYPE2_WORDS = /\btype (2|ii)\b|\bt2\s?dm\b|\bdm\s?(2|ii)\b|\bniddm\b/i;

interface WithTerm {
  words: string[];
  code: string;
  text: string;
  /**
   * The codes the Index gives the condition's own entry ("Angiopathy, peripheral" I73.9 for "with, peripheral
   * angiopathy" E11.51): a condition coded so is the one the diabetes is "with", whatever words it was read from ("PAD").
   */
  ownCodes: ReadonlySet<string>;
}

const withTermsCache = new WeakMap<Knowledge, Map<string, WithTerm[]>>();

/** Index subterms "Diabetes, diabetic, <type>, with, <condition>" per diabetes category (E10, E11 …). */
function withTerms(kb: Knowledge): Map<string, WithTerm[]> {
  let byCategory = withTermsCache.get(kb);
  if (byCategory) return byCategory;
  byCategory = new Map();
  const keyOf = (words: readonly string[]) => [...new Set(words)].sort().join(' ');
  const own = new Map<string, Set<string>>();
  const terms: (Omit<WithTerm, 'ownCodes'> & { key: string })[] = [];
  for (const e of kb.dictionary.entries) {
    const path = e.term.path;
    if (e.term.kind !== 'index' || !path || !/^Diabetes/i.test(path[0] ?? '')) continue;
    const at = path.indexOf('with');
    if (at < 0 || at === path.length - 1 || !DIABETES.test(e.term.code) || !isBillable(kb, e.term.code)) continue;
    // "with, kidney complications NEC", "with, coma due to, …": catch-alls, not conditions a note names.
    const sub = path.slice(at + 1).join(' ');
    if (/\bNEC\b|\bdue to\b|\bcomplication\b/i.test(sub)) continue;
    const words = stems(sub.replace(/\([^)]*\)/g, ' '));
    if (words.length === 0) continue;
    const key = keyOf(words);
    own.set(key, new Set());
    terms.push({ words, code: e.term.code, text: e.term.text, key });
  }
  // The conditions' own entries, by their words in any order ("angiopathy peripheral"), read from the compiled
  // slots (already stems; every form of a main term printed with several, "Angiopathia, angiopathy"). Only the
  // entries the dictionary files under one of a "with" term's words are looked at (a full pass cost 0.1 s a process).
  const byId = kb.dictionary.entries;
  const seen = new Set<number>();
  for (const w of new Set(terms.flatMap((t) => t.words))) {
    for (const id of kb.dictionary.byAnchor.get(w) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      const e = byId[id];
      if (!e || (e.term.kind === 'index' && /^Diabetes/i.test(e.term.path?.[0] ?? ''))) continue;
      const [first, ...rest] = e.slots;
      const others = rest.map((sl) => sl.alternatives[0]!).flat();
      for (const alt of first!.alternatives) own.get(keyOf([...alt, ...others]))?.add(e.term.code);
    }
  }
  for (const { key, ...t } of terms) {
    const list = byCategory.get(categoryOf(t.code)) ?? [];
    list.push({ ...t, ownCodes: own.get(key)! });
    byCategory.set(categoryOf(t.code), list);
  }
  withTermsCache.set(kb, byCategory);
  return byCategory;
}

const isBillable = (kb: Knowledge, code: string) => kb.codes.get(code)?.billable === true;

/** The diabetes category the note documents: type 1, drug-induced … over the type 2 default. */
function documentedType(diabetic: readonly RuledCandidate[]): string {
  const cats = new Set(diabetic.map((c) => categoryOf(c.code)));
  for (const cat of ['E10', 'E13', 'E09', 'E08']) if (cats.has(cat)) return cat;
  return 'E11';
}

/** Right after a condition: the provider's link to the diabetes ("secondary to diabetes mellitus", "due to his T2DM"). */
const LINKED_TO_DIABETES = /^[^.;\n]{0,12}?\b(?:due to|secondary to|caused by|from|related to)\s+(?:(?:his|her|their|the|poorly controlled|uncontrolled|long-?standing|longstanding)\s+)*(?:type [12] )?(?:diabetes|diabetic|DM|T[12]DM|DM[12])\b/i;

/**
 * Example: "T2DM … CKD stage 3b" → E11.22 added, N18.32 kept (E11.22: "use additional code to identify stage
 * of chronic kidney disease"); "Peripheral polyneuropathy" beside T2DM → E11.42 and no G62.9;
 * "T2DM, poorly controlled" → E11.65.
 */
export function applyDiabetes(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const diabetic = kept.filter((c) => DIABETES.test(c.code));
  if (diabetic.length === 0) return { kept, dropped: [] };
  const { kb } = input;
  const type = documentedType(diabetic);
  const dropped: Dropped[] = [];
  let out = [...kept];
  // Re-type complication codes read from "diabetic …" without a type when the note documents another type.
  if (type !== 'E11') {
    out = out.flatMap((c) => {
      if (categoryOf(c.code) !== 'E11' || c.evidence.some((m) => TYPE2_WORDS.test(input.sentences[m.sentenceIndex]?.text ?? ''))) return [c];
      const retyped = `${type}${c.code.slice(3)}`;
      if (!isBillable(kb, retyped)) return [c];
      dropped.push({ code: c.code, reason: `diabetes documented as ${type}: ${retyped} (OCG I.C.4.a.2)` });
      // Already read with its type ("diabetic ketoacidosis" E11.10 beside "type 1 … with diabetic ketoacidosis" E10.10).
      if (out.some((o) => o.code === retyped)) return [];
      return [{ ...c, code: retyped, rules: [...c.rules, { rule: 'diabetes_type', detail: `${c.code} → ${retyped}: the note documents the type (OCG I.C.4.a.2)` }] }];
    });
  }
  const terms = withTerms(kb).get(type) ?? [];
  const added = new Map<string, RuledCandidate>();
  const remove = new Set<RuledCandidate>();
  /** Conditions a combination code was made of. */
  const combined = new Set<RuledCandidate>();
  const base = diabetic.reduce((a, b) => (b.confidence > a.confidence ? b : a));
  const addCombination = (code: string, evidence: RuledCandidate['evidence'], detail: string, from?: RuledCandidate) => {
    const existing = out.find((c) => c.code === code) ?? added.get(code);
    const target = existing ?? derivedCandidate(code, [...base.evidence, ...evidence], base.confidence, 'combination_code', detail);
    if (!existing) added.set(code, target);
    if (from) {
      combined.add(from);
      // Asked for by the combination code's note, or the condition's own "code first" names the combination (K31.84
      // *Gastroparesis*: "Code first underlying disease … diabetes mellitus (… E11.43 …)"): both are reported.
      // Not when the combination's note names other codes of the condition's category instead (E11.621 asks for the
      // ulcer's site, L97.4- or L97.5-: L97.909 *…unspecified part of unspecified lower leg* is not one of them).
      const asks = notesFor(kb, code, ['use_additional', 'code_also']);
      // E11.69 *…with other specified complication*: "Use additional code to identify complication" names no code;
      // the complication is reported beside it (M86.172 for the osteomyelitis).
      const useAdditional =
        asks.some((n) => namesCode(n.text, from.code) || /\bto identify (?:the )?complication\b/i.test(n.text)) ||
        (notesFor(kb, from.code, ['code_first']).some((n) => namesCode(n.text, code)) && !asks.some((n) => new RegExp(`\\b${from.code.slice(0, 3)}`).test(n.text)));
      if (!useAdditional) {
        remove.add(from);
        dropped.push({ code: from.code, reason: `included in the combination code ${code} (OCG I.A.15, I.C.4.a)` });
        noteDrop(target, 'combination_code', `${from.code} included in ${code}: diabetes "with" ${kb.codes.get(from.code)?.title ?? from.code} is presumed linked (OCG I.A.15)`);
      }
    }
  };
  // The provider's "T2DM without complications" in the diagnostic statement says the other conditions are not the
  // diabetes's: no link is presumed (OCG I.A.15, "unless the documentation clearly states the conditions are unrelated").
  const statedUncomplicated = diabetic.some((c) => /\bwithout complications\b/i.test(kb.codes.get(c.code)?.title ?? '') && c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && /\bwithout (?:any )?complications?\b/i.test(input.sentences[m.sentenceIndex]?.text ?? '')));
  /** The "Diabetes, <type>, with" term the condition is, if the Index lists it there (asked of every pair below: remembered). */
  const listed = new Map<RuledCandidate, ReturnType<typeof findListedWith>>();
  const listedWith = (c: RuledCandidate) => {
    if (!listed.has(c)) listed.set(c, findListedWith(c));
    return listed.get(c);
  };
  const findListedWith = (c: RuledCandidate) => {
    // What the title claims, not what it denies: K43.0 *Incisional hernia with obstruction, without gangrene* is no
    // "diabetes with gangrene" (E11.52).
    const claimed = (text: string) => stems(text.replace(/\bwithout\b[^,]*/gi, ' '));
    const titleWords = new Set(claimed(kb.codes.get(c.code)?.title ?? ''));
    // The term's words when the term is the condition itself ("Ketoacidosis", read as E87.29 *Other acidosis*, is
    // the DKA of "with ketoacidosis"); an Index path can lead elsewhere: "Dermatitis, stasis, with varicose veins"
    // is I83.1- *Varicose veins … with inflammation*, no "diabetes with dermatitis".
    const termText = bestMention(c).termText;
    // The term, like the title, claims nothing it denies ("Incisional hernia without obstruction or gangrene").
    const words = new Set([...titleWords, ...(termText.includes(',') ? [] : claimed(termText))]);
    // The condition coded is what the diabetes is "with": a term its title names first ("peripheral neuropathy"
    // read as G62.9 *Polyneuropathy* → "with polyneuropathy" E11.42, not "with neuropathy" E11.40), then the longest.
    const named = (t: { words: readonly string[] }) => (t.words.every((w) => titleWords.has(w)) ? 1 : 0);
    // A manifestation "in" or "due to" the complication is another condition: "Anemia in chronic kidney disease"
    // (D63.1) names CKD, but the anemia is not what the diabetes is "with" (E11.22 codes the CKD itself).
    const head = /^(.+?)\s+(?:in|due to)\s+/i.exec(kb.codes.get(c.code)?.title ?? '')?.[1];
    const headWords = new Set(head ? stems(head) : []);
    const manifestation = (t: { words: readonly string[] }) => head !== undefined && t.words.every((w) => !headWords.has(w));
    return (
      terms.filter((t) => t.words.every((w) => words.has(w)) && !manifestation(t)).sort((a, b) => named(b) - named(a) || b.words.length - a.words.length)[0] ??
      terms.find((t) => t.ownCodes.has(c.code) && !manifestation(t))
    );
  };
  // The words of the sentences that say a condition is not diabetic (below), read once per note.
  const notDiabetic = input.sentences.filter((x) => NOT_DIABETIC.test(x.text)).map((x) => new Set([...stems(x.text), ...stems(expandAbbreviations(x.text).text)]));
  for (const c of statedUncomplicated ? [] : out) {
    if (DIABETES.test(c.code) || /^[ZTVWXY]/.test(c.code) || c.context.uncertain) continue;
    // Read only from inside another condition's longer reading ("dermatitis" in "varicose veins … with stasis
    // dermatitis", I83.1-): that condition is what the words name, and its cause is not the diabetes.
    if (c.evidence.every((m) => out.some((o) => o !== c && !DIABETES.test(o.code) && o.evidence.some((n) => spanCovers(n, m) && n.span.end - n.span.start > m.span.end - m.span.start)))) continue;
    // The provider says where the condition is read that it is not the diabetes's ("CKD 3a, attributed to hypertensive
    // nephrosclerosis, not diabetic"): no link is presumed (OCG I.A.15).
    // Said in any sentence that names it ("PMH: … CKD 3a (…, not diabetic)" beside the statement's "Hypertensive CKD").
    // The mention's abbreviations are read out: "CKD stage 3a" is named by "NOT diabetic kidney disease".
    if (notDiabetic.length && c.evidence.some((m) => [...stems(m.span.quote), ...stems(expandAbbreviations(m.span.quote).text)].some((w) => w.length > 2 && !/\d/.test(w) && notDiabetic.some((said) => said.has(w))))) continue;
    const match = listedWith(c);
    if (match) addCombination(match.code, c.evidence, `diabetes with ${match.text.split(', with ').pop()}: presumed linked (OCG I.A.15, I.C.4.a)`, c);
  }
  // A condition the provider links to the diabetes that the Index does not list under "with": "with other specified
  // complication" (E11.69), and the condition as one "due to diseases classified elsewhere" where its category has
  // that code ("Erectile dysfunction secondary to diabetes mellitus" → E11.69 + N52.1; OCG I.A.15, I.C.4.a).
  const other = `${type}.69`;
  if (isBillable(kb, other)) {
    for (const c of [...out]) {
      if (DIABETES.test(c.code) || /^[RZTVWXY]/.test(c.code) || c.context.uncertain || combined.has(c) || listedWith(c)) continue;
      const linked = c.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section) && LINKED_TO_DIABETES.test(input.note.text.slice(m.span.end, m.span.end + 60)));
      // Already a complication a diabetes code names, or a reading of one ("CKD stage 3b due to diabetes": N18.32,
      // in E11.22; "CKD" also read as N28.9).
      const named = [...out, ...added.values()].filter((o) => o !== c && ((DIABETES.test(o.code) && !/\.(?:9|69)$/.test(o.code)) || combined.has(o) || (!DIABETES.test(o.code) && listedWith(o))));
      if (linked.length === 0 || linked.some((m) => named.some((o) => o.evidence.some((n) => spansOverlap(m, n))))) continue;
      const elsewhere = [...(kb.children.get(kb.codes.get(c.code)?.parent ?? '') ?? [])].find((s) => s !== c.code && isBillable(kb, s) && /\bdue to diseases classified elsewhere\b/i.test(kb.codes.get(s)?.title ?? ''));
      addCombination(other, linked, `diabetes with ${kb.codes.get(c.code)?.title ?? c.code}, linked by the provider: other specified complication (OCG I.A.15, I.C.4.a)`);
      if (elsewhere && !out.some((o) => o.code === elsewhere)) {
        remove.add(c);
        dropped.push({ code: c.code, reason: `due to diabetes, a disease classified elsewhere: ${elsewhere}` });
        added.set(elsewhere, { ...c, code: elsewhere, rules: [...c.rules, { rule: 'combination_code', detail: `${c.code} → ${elsewhere}: the provider links it to the diabetes (code first the diabetes)` }] });
      }
    }
  }
  // "poorly controlled" / "uncontrolled" diabetes: Index, by type, with hyperglycemia.
  const hyper = terms.find((t) => t.words.length === 1 && t.words[0] === 'hyperglycemia');
  const controlled = diabetic.flatMap((c) => c.evidence).filter((m) => saysPoorControl(input.sentences[m.sentenceIndex]?.text ?? ''));
  if (hyper && controlled.length) addCombination(hyper.code, controlled, 'diabetes documented as poorly controlled / uncontrolled: Index "Diabetes, poorly controlled — code to Diabetes, by type, with hyperglycemia"');
  const result = [...out.filter((c) => !remove.has(c)), ...added.values()];
  return { kept: withoutHyperglycemiaBesideCrisis(withoutNephropathyBesideCkd(result, dropped), dropped), dropped };
}

/**
 * Hyperglycemia is part of a hyperosmolar state or ketoacidosis (OCG I.B.5): E1x.65 is not reported beside E1x.0- or
 * E1x.1- ("Hyperosmolar hyperglycemic state (HHS), type 2 diabetes, without coma" is E11.00 alone).
 */
function withoutHyperglycemiaBesideCrisis(kept: RuledCandidate[], dropped: Dropped[]): RuledCandidate[] {
  return kept.filter((c) => {
    if (!DIABETES.test(c.code) || !c.code.endsWith('.65')) return true;
    const crisis = kept.find((o) => categoryOf(o.code) === categoryOf(c.code) && /^\w{3}\.[01]/.test(o.code));
    if (!crisis) return true;
    dropped.push({ code: c.code, reason: `hyperglycemia is part of ${crisis.code} (OCG I.B.5)` });
    noteDrop(crisis, 'integral_symptom', `${c.code} (with hyperglycemia) not reported: hyperglycemia is part of ${crisis.code} (OCG I.B.5)`);
    return false;
  });
}

/**
 * Diabetic nephropathy documented with chronic kidney disease is the diabetic CKD (AHA Coding Clinic 2019 Q2, for
 * OCG I.C.4.a): E1x.22 with its N18 stage, not E1x.21 beside it. E1x.21's evidence stays on E1x.22, so the
 * "nephropathy" it was read from is that code's too.
 */
function withoutNephropathyBesideCkd(kept: RuledCandidate[], dropped: Dropped[]): RuledCandidate[] {
  const nephropathy = kept.filter((c) => DIABETES.test(c.code) && /\.21$/.test(c.code) && kept.some((o) => o.code === `${categoryOf(c.code)}.22`));
  if (nephropathy.length === 0) return kept;
  return kept.flatMap((c) => {
    if (nephropathy.includes(c)) {
      dropped.push({ code: c.code, reason: `diabetic nephropathy with CKD documented: ${categoryOf(c.code)}.22` });
      return [];
    }
    const merged = nephropathy.filter((n) => c.code === `${categoryOf(n.code)}.22`);
    if (merged.length === 0) return [c];
    const evidence = [...c.evidence];
    for (const m of merged.flatMap((n) => n.evidence)) if (!evidence.some((e) => e.span.start === m.span.start && e.span.end === m.span.end)) evidence.push(m);
    const out = { ...c, evidence, rules: [...c.rules] };
    for (const n of merged) noteDrop(out, 'combination_code', `${n.code} (diabetic nephropathy) not reported: with chronic kidney disease documented it is ${c.code} (Coding Clinic 2019 Q2; OCG I.C.4.a)`);
    return [out];
  });
}
