// Pregnancy (OCG I.C.15).
// - Gestational diabetes (I.C.15.i): O24.4- says how it is controlled — diet, insulin, oral hypoglycemic drugs.
//   "If a patient with gestational diabetes is treated with both diet and insulin, only the code for
//   insulin-controlled is required" (likewise diet and oral drugs); the control is read from the drugs the note
//   documents (the same long-term-use rules as Z79: insulin → insulin-controlled, an oral hypoglycemic →
//   oral-controlled) or a diet-only statement. Z79.4, Z79.84 and Z79.85 "should not be assigned with codes
//   from subcategory O24.4", and no other O24 code goes with O24.4.
// - A condition that complicates the pregnancy is coded to chapter 15 first (I.C.15.a.1: "Chapter 15 codes
//   have sequencing priority"): the Index's "Pregnancy, complicated by, <condition>" subterms that lead to
//   O99 ("Other maternal diseases classifiable elsewhere", whose tabular notes ask for the condition's own code
//   as well: "Use additional code to identify the type of obesity (E66.-)") give the O99 code for a coded
//   condition ("Obesity complicating pregnancy, class 2" → O99.21- beside E66.812).
// - Pre-existing diabetes and hypertension in pregnancy (I.C.15.g, I.C.15.d.1): the chapter-15 subcategory for the
//   type — type 1 O24.01-, type 2 O24.11-, other O24.81-; essential hypertension O10.01- (which includes I10, so
//   I10 is not reported), hypertensive heart / kidney disease O10.11- / O10.21- / O10.31- and secondary O10.41-
//   beside their I11–I15 code ("use additional code"); the diabetes code stays ("use additional code from
//   category E11"). Not beside gestational diabetes: "No other code from category O24 … with O24.4" (I.C.15.i).
// - A previous cesarean in a current pregnancy is maternal care for the uterine scar (Index: "Cesarean delivery,
//   previous, affecting management of pregnancy O34.219; low transverse scar O34.211; classical O34.212"),
//   not a personal-history code (Z87.5-) read from the same words.
// - The trimester character comes from the weeks of gestation (I.C.15.a.3; chapter 15: first trimester less
//   than 14 weeks 0 days, second 14 weeks 0 days to less than 28 weeks 0 days, third 28 weeks 0 days until
//   delivery); "unspecified trimester" only when the note gives none.
import { stems } from '../../index/lexical-score.ts';
import { longTermUseCode } from '../../index/long-term-use.ts';
import type { AnalysedSentence } from '../candidates.ts';
import type { Knowledge } from '../knowledge.ts';
import { titleStems } from '../knowledge.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { gestationalWeeks } from './encounter-reasons.ts';
import { categoryOf, derivedCandidate, derivedMention, inRanges, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const GDM = /^O24\.4[1-3]/;
const NOT_WITH_GDM = /^Z79\.(4|84|85)$/;
/** A drug word the provider negates or stops ("not on insulin", "declined insulin", "off metformin"). */
// The denial reaches each drug of a list it starts: "never required insulin or metformin".
const NEGATED_BEFORE = /\b(no|not|never|declin\w*|refus\w*|without|off|avoid\w*|stopp?ed|discontinued|hold|held)\b(?:\s+\S+){0,2}(?:\s+(?:or|and|nor)(?:\s+\S+)?)*\s*$/i;
/** A drug the plan would start only later or on a condition: "will start insulin if >30% of values above goal". */
const CONTINGENT_BEFORE = /\b(will|would|may|might|plan(?:s|ning)? to|consider\w*|if needed|if)\b(?:\s+\S+){0,2}\s*$/i;
const CONTINGENT_AFTER = /^\s*(?:\S+\s+){0,3}?(?:if|when|should)\b/i;
const DIET_ONLY = /\bdiet[- ]controlled\b|\bA1\s*GDM\b|\bGDM,?\s*A1\b|\bgestational diabetes,?\s*(?:class\s*)?A1\b|\bcontrolled (?:on|with|by) diet\b/i;
const WORD = /[A-Za-z][A-Za-z-]+/g;

/** The control of gestational diabetes the note documents: the O24.4x final characters (4 insulin, 5 oral, 0 diet). */
export function gestationalControl(kb: Knowledge, texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const w of text.matchAll(WORD)) {
      const lower = w[0].toLowerCase();
      const cls = kb.drugClasses.get(lower);
      const z = longTermUseCode(lower, cls ? `${cls}5` : undefined);
      if (z !== 'Z79.4' && z !== 'Z79.84') continue;
      if (NEGATED_BEFORE.test(text.slice(0, w.index!))) continue;
      if (CONTINGENT_BEFORE.test(text.slice(0, w.index!)) || CONTINGENT_AFTER.test(text.slice(w.index! + w[0].length))) continue;
      found.add(z === 'Z79.4' ? '4' : '5');
    }
  }
  if (found.size === 0 && texts.some((t) => DIET_ONLY.test(t))) found.add('0');
  return [...found].sort();
}

/** Non-obstetric category → the chapter-15 subcategory for it in pregnancy, and whether the code itself is still reported. */
const PRE_EXISTING: readonly { category: string; subcategory: string; keep: boolean; section: string }[] = [
  { category: 'E10', subcategory: 'O24.01', keep: true, section: 'I.C.15.g' },
  { category: 'E11', subcategory: 'O24.11', keep: true, section: 'I.C.15.g' },
  { category: 'E13', subcategory: 'O24.81', keep: true, section: 'I.C.15.g' },
  { category: 'I10', subcategory: 'O10.01', keep: false, section: 'I.C.15.d.1' },
  { category: 'I11', subcategory: 'O10.11', keep: true, section: 'I.C.15.d.1' },
  { category: 'I12', subcategory: 'O10.21', keep: true, section: 'I.C.15.d.1' },
  { category: 'I13', subcategory: 'O10.31', keep: true, section: 'I.C.15.d.1' },
  { category: 'I15', subcategory: 'O10.41', keep: true, section: 'I.C.15.d.1' },
];

interface SystemRow {
  ranges: (readonly [string, string])[];
  code: string;
  text: string;
  /** The Index says "(pre-existing)": anemia, not the puerperium's (O90.81). */
  preExisting?: boolean;
}
/**
 * Index entries "Pregnancy, complicated by" whose subterm names a body system and no range ("endocrine diseases NEC",
 * "metabolic disorders", "nutritional diseases NEC" O99.28-; "smoking (tobacco)" O99.33-): the ranges of their chapter,
 * less the conditions chapter 15 codes on their own (diabetes O24, malnutrition O25, obesity O99.21).
 */
const SYSTEMS_WITHOUT_RANGES: readonly SystemRow[] = [
  { ranges: [['E00', 'E07'], ['E15', 'E35'], ['E50', 'E64'], ['E67', 'E89']], code: 'O99.28', text: 'Pregnancy, complicated by, endocrine, nutritional or metabolic diseases NEC' },
  { ranges: [['F17', 'F17']], code: 'O99.33', text: 'Pregnancy, complicated by, smoking (tobacco)' },
];
/** The subterm that names the condition before the one that names its range ("smoking" F17 before "drug use" F11-F19). */
const systemCache = new WeakMap<Knowledge, SystemRow[]>();
/**
 * Index entries "Pregnancy, complicated by, <system> (conditions in X-Y, …)": "respiratory condition (conditions in
 * J00-J99)" O99.51-, "anemia (conditions in D50-D64)" O99.01-, "mental disorders (conditions in F01-F09, F20-F52 and
 * F54-F99)" O99.34- … read from the Index's nonessential modifier, then the rows it gives no range.
 */
const complicatedByCache = new WeakMap<Knowledge, { subterm: string; modifier: string; code: string; text: string }[]>();
/** The Index's "Pregnancy, complicated by, <subterm>" entries (one level below "complicated by"), read once per release. */
function complicatedByEntries(kb: Knowledge) {
  let entries = complicatedByCache.get(kb);
  if (entries) return entries;
  entries = [];
  for (const e of kb.dictionary.entries) {
    const { path, modifiers } = e.term;
    if (e.term.kind !== 'index' || !path || path.length !== 3 || !/^Pregnancy\b/i.test(path[0]!) || !/^complicated by/i.test(path[1]!)) continue;
    entries.push({ subterm: path[2]!, modifier: modifiers?.[2] ?? '', code: e.term.code.replace(/[-.]+$/, ''), text: path.join(', ') });
  }
  complicatedByCache.set(kb, entries);
  return entries;
}

function systemRows(kb: Knowledge): SystemRow[] {
  let rows = systemCache.get(kb);
  if (rows) return rows;
  rows = [...SYSTEMS_WITHOUT_RANGES];
  for (const e of complicatedByEntries(kb)) {
    if (!/conditions (?:in|is)/i.test(e.modifier) || !e.code.startsWith('O99')) continue;
    const ranges = [...e.modifier.matchAll(/\b([A-Z]\d\d)-([A-Z]\d\d)\b/g)].map((m) => [m[1]!, m[2]!] as const);
    if (ranges.length) rows.push({ ranges, code: e.code, text: e.text, preExisting: /pre-existing/i.test(e.modifier) });
  }
  systemCache.set(kb, rows);
  return rows;
}

const PREVIOUS_CESAREAN = /\b(previous|prior|history of|h\/o|s\/p|status post|hx of)\b[^.;]{0,40}\b(c-?section|cesarean|LTCS|C\/S)\b/i;

interface ScarTerm {
  words: string[];
  code: string;
}
const scarCache = new WeakMap<Knowledge, { unspecified: string | null; types: ScarTerm[] }>();
/** Index "Cesarean delivery, previous, affecting management of pregnancy" and its scar-type subterms. */
function cesareanScarTerms(kb: Knowledge) {
  let hit = scarCache.get(kb);
  if (hit) return hit;
  hit = { unspecified: null, types: [] };
  for (const e of kb.dictionary.entries) {
    const path = e.term.path;
    if (e.term.kind !== 'index' || !path || !/^Cesarean delivery, previous/i.test(path[0]!) || !/^O34\.2/.test(e.term.code)) continue;
    if (path.length === 1) hit.unspecified = e.term.code;
    else if (path.length === 2) hit.types.push({ words: stems(path[1]!.replace(/\bscar\b/i, ' ')), code: e.term.code });
  }
  scarCache.set(kb, hit);
  return hit;
}

/** The trimester words of a chapter-15 title for the documented weeks. */
const trimesterWords = (weeks: number) => (weeks < 14 ? 'first trimester' : weeks < 28 ? 'second trimester' : 'third trimester');

/** The child of an O-code subcategory ("O99.21") for the trimester, if the release has one. */
/** The patient delivered in this stay. */
// "Primary low transverse cesarean", "single liveborn male" (the outcome a delivery record states).
export const DELIVERED = /\b(delivered|spontaneous vaginal delivery|SVD|NSVD|cesarean (?:section|delivery) (?:was )?performed|delivery of (?:a |single |twin )?(?:live|liveborn)|gave birth|(?:single|twin|triplet)s? liveborn|(?:primary|repeat|urgent|emergent|emergency|stat) (?:low transverse |classical )?(?:cesarean|c-section))\b/i;
/** An inpatient stay whose note says she delivered (the "in childbirth" codes, OCG I.C.15.a.3). */
const deliveredThisStay = (input: GuidelineInput) => input.note.encounter.setting === 'inpatient' && input.sentences.some((s) => DELIVERED.test(s.text));

/**
 * The billable child of one of `parents` (in order) for the condition present at the delivery: "…complicating childbirth"
 * (O99.284, O10.02) or "…, in childbirth" (O24.12).
 */
function childbirthChild(kb: Knowledge, parents: readonly string[]): string | undefined {
  for (const parent of parents) {
    const found = (kb.children.get(parent) ?? []).find((x) => kb.codes.get(x)?.billable && /\b(?:in|complicating) childbirth\b/i.test(kb.codes.get(x)?.title ?? ''));
    if (found) return found;
  }
  return undefined;
}

function trimesterChild(kb: Knowledge, parent: string, weeks: number | null): string | null {
  const children = (kb.children.get(parent) ?? []).filter((c) => kb.codes.get(c)?.billable);
  const want = weeks === null ? 'unspecified trimester' : trimesterWords(weeks);
  return children.find((c) => (kb.codes.get(c)?.title ?? '').toLowerCase().includes(want)) ?? null;
}

interface ComplicationTerm {
  words: string[];
  code: string;
  text: string;
}
const complicationCache = new WeakMap<Knowledge, ComplicationTerm[]>();

/** Index subterms "Pregnancy, complicated by, <condition>" whose code is an O99 subcategory. */
function complicationTerms(kb: Knowledge): ComplicationTerm[] {
  let terms = complicationCache.get(kb);
  if (terms) return terms;
  terms = [];
  for (const e of complicatedByEntries(kb)) {
    if (!e.code.startsWith('O99') || !kb.children.has(e.code)) continue;
    const words = stems(e.subterm.replace(/\([^)]*\)/g, ' '));
    if (words.length) terms.push({ words, code: e.code, text: e.text });
  }
  complicationCache.set(kb, terms);
  return terms;
}

/** The provider says the patient is not pregnant: "Not pregnant (serum hCG neg)", "urine hCG negative". */
const NOT_PREGNANT = /\b(?:not|non-?)\s*pregnant\b|\b(?:urine |serum |quantitative )?(?:b-?|beta-?|β-?)?hcg\s*(?:is |was |:\s*)?(?:neg(?:ative)?|<\s*\d+)\b|\bpregnancy test\s*(?:is |was |:\s*)?neg(?:ative)?\b|\bnegative (?:urine |serum )?(?:hcg|pregnancy test)\b/gi;
/** …and nothing says she is, or was lately: weeks of gestation, G/P, a delivery, the puerperium. */
// Not any "pregnancy": "barrier contraception until she decides about pregnancy" is a plan, not a pregnancy.
const PREGNANCY_WORDS = /\b(?:(?:is|currently|now)\s+pregnant|pregnant (?:at|with)|pregnancy (?:at|of) \d|intrauterine pregnancy|IUP|gestation\w*|G\d+\s*P\d+|\d{1,2}\s*(?:w|wk|wks|weeks?)\s*\d\s*d\b|trimester|postpartum|post-partum|puerper\w*|deliver\w*|cesarean|c-section|EDD|LMP was|weeks pregnant)/i;

/**
 * Chapter 15 codes are for pregnancy, childbirth and the puerperium (OCG I.C.15.a.1: "… codes are to be used only on
 * the maternal record" of a pregnant or postpartum patient). In a note that says she is not pregnant and names no
 * pregnancy or delivery, an O code read from a word ("Galactorrhea" O92.6, the Index's default, where "not
 * associated with childbirth" is N64.3) is not hers.
 */
export function applyNotPregnant(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  if (!kept.some((c) => c.code.startsWith('O'))) return { kept, dropped: [] };
  const text = input.note.text;
  const rest = text.replace(NOT_PREGNANT, ' ');
  if (rest === text || PREGNANCY_WORDS.test(rest)) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.filter((c) => {
    if (!c.code.startsWith('O')) return true;
    dropped.push({ code: c.code, reason: 'the note says she is not pregnant and names no pregnancy or delivery: chapter 15 codes are for the maternal record (OCG I.C.15.a.1)' });
    return false;
  });
  return { kept: out, dropped };
}

/**
 * Examples: "Gestational diabetes, A2 … now requires insulin" read as O24.419 → O24.414; "Obesity complicating
 * pregnancy, class 2 … 30 weeks 4 days" → O99.213 beside E66.812.
 */
export function applyPregnancy(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const pregnancy = kept.filter((c) => c.code.startsWith('O'));
  // A stay in which she delivered is a maternal record whatever was read: its diabetes or hypertension is the
  // chapter 15 code (a scheduled cesarean for macrosomia with "pre-existing type 2 diabetes mellitus on insulin").
  if (pregnancy.length === 0 && !obstetricDelivery(input)) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  let out = [...kept];
  const replace = (from: RuledCandidate, code: string, rule: string, detail: string) => {
    const existing = out.find((c) => c.code === code);
    const target = existing ?? { ...from, code, kind: kb.codes.get(code)?.billable ? ('final' as const) : from.kind, rules: [...from.rules, { rule, detail: `${from.code} → ${code}: ${detail}` }] };
    out = out.filter((c) => c !== from);
    if (!existing) out.push(target);
    else noteDrop(existing, rule, `${from.code} not reported: ${detail}`);
    dropped.push({ code: from.code, reason: `${detail}: ${code}` });
  };

  // "Gestational diabetes mellitus" read as the subcategory's title (O24.4, no code of its own): the Index's
  // "Diabetes, gestational (in pregnancy)" O24.419, or in childbirth O24.429 at the delivery; its control below.
  for (const c of out.filter((o) => o.code === 'O24.4')) {
    replace(c, deliveredThisStay(input) ? 'O24.429' : 'O24.419', 'gestational_diabetes', 'gestational diabetes in pregnancy or childbirth (Index: Diabetes, gestational)');
  }
  // Gestational diabetes: its control.
  const gdm = out.filter((c) => GDM.test(c.code));
  if (gdm.length) {
    const control = gestationalControl(kb, sentences.map((s) => s.text));
    const drugs = control.filter((c) => c !== '0');
    for (const c of gdm) {
      const last = c.code.slice(-1);
      const stays = drugs.length ? drugs : control;
      if (stays.length === 0 || stays.includes(last)) continue;
      // Diet plus a drug: only the drug's control (OCG I.C.15.i). Unspecified control: what the note documents.
      if (last !== '9' && !(last === '0' && drugs.length)) continue;
      const [first, ...more] = stays.map((x) => `${c.code.slice(0, -1)}${x}`).filter((code) => kb.codes.get(code)?.billable);
      if (!first) continue;
      replace(c, first, 'gestational_diabetes_control', 'the note documents how gestational diabetes is controlled (OCG I.C.15.i)');
      for (const code of more) if (!out.some((o) => o.code === code)) out.push(derivedCandidate(code, c.evidence, c.confidence, 'gestational_diabetes_control', 'treated with insulin and oral hypoglycemic drugs: both controls (OCG I.C.15.i)'));
    }
    // No long-term antidiabetic Z79 code, and no other O24 code, with O24.4.
    for (const c of out.filter((o) => NOT_WITH_GDM.test(o.code) || (categoryOf(o.code) === 'O24' && !GDM.test(o.code)))) {
      out = out.filter((o) => o !== c);
      dropped.push({ code: c.code, reason: 'not assigned with gestational diabetes O24.4- (OCG I.C.15.i)' });
    }
  }

  // Pre-existing diabetes and hypertension: the chapter-15 code for the type, trimester from the weeks.
  const weeksNow = gestationalWeeks(sentences)?.weeks ?? null;
  const delivering = deliveredThisStay(input);
  for (const c of [...out]) {
    const row = PRE_EXISTING.find((r) => categoryOf(c.code) === r.category);
    // Diabetes or hypertension already coded to chapter 15 (gestational, pre-eclampsia, another O24 / O10–O16 code): the E/I code is another reading of it.
    if (!row || out.some((o) => (row.subcategory.startsWith('O24') ? categoryOf(o.code) === 'O24' : /^O1[0-6]/.test(o.code)))) continue;
    // At the delivery, the subcategory's childbirth sibling ("Pre-existing type 2 diabetes mellitus, in childbirth", O24.12;
    // "Pre-existing essential hypertension complicating childbirth", O10.02; OCG I.C.15.a.3).
    const atBirth = delivering ? childbirthChild(kb, [kb.codes.get(row.subcategory)?.parent ?? '']) : undefined;
    const code = atBirth ?? trimesterChild(kb, row.subcategory, weeksNow);
    if (!code) continue;
    const detail = `${c.code} in pregnancy: ${code}, sequenced first${row.keep ? `, ${c.code} beside it (use additional code)` : `, which includes ${c.code}`} (OCG ${row.section}, I.C.15.a.1)`;
    const obstetric = derivedCandidate(code, c.evidence, c.confidence, 'pregnancy_complication', detail);
    out.push(obstetric);
    if (!row.keep) {
      out = out.filter((o) => o !== c);
      dropped.push({ code: c.code, reason: `included in ${code} (OCG ${row.section})` });
      noteDrop(obstetric, 'pregnancy_complication', `${c.code} not reported: ${code} includes it`);
    }
  }

  // A history of a pregnancy complication in a current pregnancy, before the delivery, is the supervision code for it
  // (Index: Pregnancy, supervision of, high-risk, due to (history of), pre-term labor O09.21-; poor obstetric history
  // NEC O09.29-; Z87.5 Excludes1 "current pregnancy with history of …"; OCG I.C.15.b.2: O09 only in the prenatal period).
  const postpartum = sentences.some((s) => /\b(postpartum|post-partum|puerper\w*)\b/i.test(s.text));
  if (weeksNow !== null && !delivering && !postpartum) {
    for (const c of out.filter((o) => /^Z87\.5[19]$/.test(o.code))) {
      const code = trimesterChild(kb, c.code === 'Z87.51' ? 'O09.21' : 'O09.29', weeksNow);
      if (!code || !kb.codes.get(code)?.billable) continue;
      const detail = `${c.code} in a current pregnancy: ${code} (Index: Pregnancy, supervision of, high-risk, due to history of …; Z87.5 Excludes1 current pregnancy; OCG I.C.15.b.2)`;
      out = [...out.filter((o) => o !== c), ...(out.some((o) => o.code === code) ? [] : [derivedCandidate(code, c.evidence, c.confidence, 'pregnancy_supervision', detail)])];
      dropped.push({ code: c.code, reason: detail });
    }
  }

  // Group B streptococcus carrier in pregnancy (Index: Carrier, streptococcal, group B, complicating pregnancy or
  // delivery O99.82-; O99.82 Excludes1 "Carrier of streptococcus group B (GBS) in a nonpregnant woman (Z22.330)"):
  // childbirth at a delivery in this stay, the puerperium after one, else the pregnancy.
  for (const c of out.filter((o) => o.code === 'Z22.330')) {
    const code = delivering ? 'O99.824' : postpartum ? 'O99.825' : 'O99.820';
    if (!kb.codes.get(code)?.billable || out.some((o) => o.code === code)) continue;
    const detail = `group B streptococcus carrier in pregnancy: ${code} (Index: Carrier, streptococcal, group B, complicating pregnancy or delivery; O99.82 Excludes1 Z22.330)`;
    out = [...out.filter((o) => o !== c), derivedCandidate(code, c.evidence, c.confidence, 'pregnancy_complication', detail)];
    dropped.push({ code: c.code, reason: detail });
  }

  // A previous cesarean: the uterine scar's maternal-care code, by the type the note gives.
  const scar = cesareanScarTerms(kb);
  const said = sentences.find((x) => PREVIOUS_CESAREAN.test(x.text));
  if (said && scar.unspecified && !out.some((c) => c.code.startsWith('O34.2'))) {
    // "LTCS": low transverse cesarean section, the usual obstetric abbreviation.
    const words = new Set(stems(said.text.replace(/\bLTCS\b/g, 'low transverse cesarean')));
    const typed = scar.types.filter((t) => t.words.length && t.words.every((w) => words.has(w)));
    const code = typed.length === 1 ? typed[0]!.code : scar.unspecified;
    if (kb.codes.get(code)?.billable) {
      const m = PREVIOUS_CESAREAN.exec(said.text)!;
      const detail = 'previous cesarean in this pregnancy: maternal care for the uterine scar (Index: Cesarean delivery, previous, affecting management of pregnancy; OCG I.C.15.a.1)';
      const scarCode = derivedCandidate(code, [derivedMention(said, said.start + m.index, said.start + m.index + m[0].length, input.note.text, detail, code)], 0.7, 'previous_cesarean', detail);
      for (const c of out.filter((o) => /^Z87\.5/.test(o.code) && o.evidence.every((e) => e.sentenceIndex === said.index))) {
        out = out.filter((o) => o !== c);
        dropped.push({ code: c.code, reason: `the previous cesarean affects this pregnancy: ${code} (OCG I.C.15.a.1)` });
        noteDrop(scarCode, 'previous_cesarean', `${c.code} not reported: a previous cesarean in a current pregnancy is ${code}`);
      }
      out.push(scarCode);
    }
  }

  // Conditions complicating the pregnancy: the O99 code, trimester from the weeks.
  const weeks = gestationalWeeks(sentences)?.weeks ?? null;
  for (const c of out.filter((o) => !/^[OZRSTVWXY]/.test(o.code))) {
    const words = new Set(titleStems(kb, c.code));
    const term = complicationTerms(kb).find((t) => t.words.every((w) => words.has(w)));
    if (!term) continue;
    const code = trimesterChild(kb, term.code, weeks);
    if (!code) continue;
    // Read already (the Index's O99 code completed to "unspecified trimester"): its trimester now, before the
    // one-code-per-condition stage would take the unspecified reading for a second code of the condition.
    const read = out.find((o) => o.code.startsWith(term.code));
    if (read) {
      if (read.code !== code && /unspecified trimester/i.test(kb.codes.get(read.code)?.title ?? '')) replace(read, code, 'trimester', `the weeks of gestation give the trimester (OCG I.C.15.a.3)`);
      continue;
    }
    out.push(derivedCandidate(code, c.evidence, c.confidence, 'pregnancy_complication', `${c.code} in pregnancy: ${term.text} → ${code}, sequenced before the condition's own code (OCG I.C.15.a.1, I.C.15.a.3)`));
  }
  // OCG I.C.15.b.4: O80 (full-term uncomplicated delivery) "should not be used with any other code from chapter 15".
  const complicated = out.find((c) => c.code.startsWith('O') && c.code !== 'O80');
  const uncomplicated = out.find((c) => c.code === 'O80');
  if (complicated && uncomplicated) {
    out = out.filter((c) => c !== uncomplicated);
    dropped.push({ code: 'O80', reason: `the delivery is complicated (${complicated.code}): O80 is used with no other chapter 15 code (OCG I.C.15.b.4)` });
    noteDrop(complicated, 'pregnancy_complication', `O80 (uncomplicated delivery) not coded beside ${complicated.code} (OCG I.C.15.b.4)`);
  }
  return { kept: out, dropped };
}

/** The billable code of the same category whose title is this one's with "in childbirth" for "in pregnancy". */
function childbirthTwin(kb: GuidelineInput['kb'], code: string): string | null {
  const title = kb.codes.get(code)?.title ?? '';
  if (!code.startsWith('O') || !/\bin pregnancy\b/i.test(title)) return null;
  const wanted = title.replace(/\bin pregnancy\b/i, 'in childbirth').toLowerCase();
  const queue = [code.slice(0, 3)];
  while (queue.length) {
    const next = queue.shift()!;
    for (const child of kb.children.get(next) ?? []) {
      if (kb.codes.get(child)?.billable && kb.codes.get(child)!.title.toLowerCase() === wanted) return child;
      queue.push(child);
    }
  }
  return null;
}

const AFTER_DELIVERY = /\breadmi(?:tted|ssion)\b|\b(?:postoperative|postpartum) day \d+ (?:from|after)\b|\bPOD ?\d+ (?:from|after)\b|\b(?:status post|s\/p)\s+(?:\w+\s+){0,3}(?:delivery|cesarean|c-section)\b/i;
/** A condition the note places after the delivery ("acute postpartum blood loss anemia" is O90.81, not pre-existing). */
const AFTER_BIRTH = /\b(postpartum|post-partum|puerper\w*|blood loss|after (?:the )?delivery)\b/i;

/**
 * Any other condition of a current pregnancy (weeks documented, or the delivery in this stay) is coded to chapter 15
 * first, by its body system, with its own code beside it (O99 "use additional code to identify the specific
 * condition"): OCG I.C.15.a.1 — "It is the provider's responsibility to state that the condition being treated is not
 * affecting the pregnancy. Otherwise, a code from the obstetric chapter is required." Runs after the one-code and
 * symptom stages, so that only a condition still coded is mapped; not a condition the Index gives its own chapter 15
 * code ("Pregnancy, complicated by, varicose veins" O22.0-), nor a "pre-existing" one (anemia) the note places after
 * the birth. Example: "Hypothyroidism … spontaneous vaginal delivery" → O99.284 beside E03.9.
 */
export function applyPregnancySystems(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  if (!kept.some((c) => c.code.startsWith('O'))) return { kept, dropped: [] };
  const weeksNow = gestationalWeeks(sentences)?.weeks ?? null;
  const delivering = deliveredThisStay(input);
  if (weeksNow === null && !delivering) return { kept, dropped: [] };
  const out = [...kept];
  const ownTerms = ownComplicationTerms(kb);
  for (const c of kept) {
    if (/^[OZRSTVWXY]/.test(c.code) || c.context.historical || c.context.uncertain) continue;
    const row = systemRows(kb).find((r) => inRanges(c.code, r.ranges));
    if (!row || out.some((o) => o.code.startsWith(row.code))) continue;
    const words = new Set(titleStems(kb, c.code));
    if (ownTerms.some((t) => t.every((w) => words.has(w)))) continue;
    if (row.preExisting && (c.code === 'D62' || out.some((o) => o.code.startsWith('O90.8')) || c.evidence.some((m) => AFTER_BIRTH.test(sentences[m.sentenceIndex]?.text ?? '')))) continue;
    // At the delivery, the subcategory's "complicating childbirth" code (O99.284 a child of O99.28; O99.52 a sibling of O99.51).
    const childbirth = delivering ? childbirthChild(kb, [row.code, kb.codes.get(row.code)?.parent ?? '']) : undefined;
    const code = kb.codes.get(row.code)?.billable ? row.code : (childbirth ?? trimesterChild(kb, row.code, weeksNow));
    if (!code) continue;
    out.push(derivedCandidate(code, c.evidence, c.confidence, 'pregnancy_complication', `${c.code} in pregnancy: ${row.text} → ${code}, sequenced before the condition's own code (OCG I.C.15.a.1, I.C.15.a.3)`));
  }
  // OCG I.C.15.b.4: no O80 beside another chapter 15 code.
  if (out.length === kept.length || !out.some((c) => c.code === 'O80')) return { kept: out, dropped: [] };
  const reason = 'the delivery is complicated: O80 is used with no other chapter 15 code (OCG I.C.15.b.4)';
  return { kept: out.filter((c) => c.code !== 'O80'), dropped: [{ code: 'O80', reason }] };
}

const ownTermsCache = new WeakMap<Knowledge, string[][]>();
/** "Pregnancy, complicated by, <condition>" subterms coded outside O99 (varicose veins O22.0-): the condition's words. */
function ownComplicationTerms(kb: Knowledge): string[][] {
  let terms = ownTermsCache.get(kb);
  if (terms) return terms;
  terms = complicatedByEntries(kb)
    .filter((e) => e.code.startsWith('O') && !e.code.startsWith('O99'))
    .map((e) => stems(e.subterm.replace(/\([^)]*\)/g, ' ')))
    .filter((words) => words.length > 0);
  ownTermsCache.set(kb, terms);
  return terms;
}

const TWINS = /\btwins?\b|\btwin [AB]\b/i;
const STILLBORN = /\b(stillborn|stillbirth|fetal demise|IUFD|intrauterine fetal death)\b/i;

/**
 * The sentence that says she delivered in this stay, on the mother's inpatient record; null for another record or a
 * stay after the delivery's own ("Readmitted … postoperative day 6 from a primary cesarean").
 */
function deliveryStay(input: GuidelineInput): AnalysedSentence | null {
  const { note, sentences } = input;
  const patient = note.encounter.patient;
  if (note.encounter.setting !== 'inpatient' || patient?.sex === 'male' || (patient?.age !== undefined && patient.age < 10)) return null;
  if (AFTER_DELIVERY.test(note.text)) return null;
  return sentences.find((s) => DELIVERED.test(s.text)) ?? null;
}

/**
 * A delivery said in obstetric words ("primary cesarean delivery", "NSVD of a liveborn male"), not after a lapse ("19 days
 * after a repeat cesarean delivery"), by a woman of childbearing age: a maternal record even when nothing obstetric was
 * read. Stricter than DELIVERED, which a chapter 15 code already vouches for: a pump "delivered no insulin", a goiter's
 * "substernal component delivered", "home equipment delivered".
 */
const OBSTETRIC_DELIVERY = /\b(?:spontaneous vaginal delivery|N?SVD|cesarean (?:section|delivery)|c-section|(?:primary|repeat) (?:low transverse |classical )?cesarean|gave birth|delivered (?:a |an )?(?:liveborn|live|healthy|viable|term|preterm|male|female|baby|infant|twins?)\b)/i;
const LAPSE_BEFORE = /\b(?:after|ago|since|s\/p|status post|following|prior|previous|history of|h\/o)\b[^.;]*$/i;
function obstetricDelivery(input: GuidelineInput): boolean {
  const age = input.note.encounter.patient?.age;
  if (!deliveryStay(input) || (age !== undefined && age > 55)) return false;
  return input.sentences.some((s) => {
    const m = OBSTETRIC_DELIVERY.exec(s.text);
    return m !== null && !LAPSE_BEFORE.test(s.text.slice(0, m.index));
  });
}

/**
 * OCG I.C.15.b.5: "A code from category Z37, Outcome of delivery, should be included on every maternal record when a
 * delivery has occurred." The mother's stay (an inpatient record with a chapter 15 code, not the newborn's) in which
 * she delivered gets Z37.0 single liveborn, Z37.2 twins both liveborn, Z37.1 single stillborn, unless one is read.
 */
export function applyDeliveryOutcome(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences, note } = input;
  if (!kept.some((c) => c.code.startsWith('O')) || kept.some((c) => /^Z3[78]/.test(c.code))) return { kept, dropped: [] };
  const said = deliveryStay(input);
  if (!said) return { kept, dropped: [] };
  const text = note.text;
  const code = STILLBORN.test(text) ? (TWINS.test(text) ? null : 'Z37.1') : TWINS.test(text) ? 'Z37.2' : 'Z37.0';
  if (!code || !kb.codes.get(code)?.billable) return { kept, dropped: [] };
  const m = DELIVERED.exec(said.text)!;
  const detail = `a delivery in this stay: outcome of delivery on the maternal record, ${kb.codes.get(code)?.title ?? code} (OCG I.C.15.b.5)`;
  const mention = derivedMention(said, said.start + m.index, said.start + m.index + m[0].length, text, detail, code);
  return { kept: [...kept, derivedCandidate(code, [mention], 0.75, 'delivery_outcome', detail)], dropped: [] };
}

/**
 * OCG I.C.15.a.3 — an "unspecified trimester" chapter-15 code beside documented weeks of gestation becomes its
 * trimester sibling. Runs after the one-code-per-condition stage, which judges the code as read.
 * Example: "Obesity complicating pregnancy" read as O99.210 at "30 weeks 4 days" → O99.213.
 */
export function applyTrimester(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  if (!kept.some((c) => c.code.startsWith('O'))) return { kept, dropped: [] };
  const weeks = gestationalWeeks(sentences)?.weeks ?? null;
  // A delivery in this stay: a condition that has a "complicating childbirth" code takes it, not the trimester's
  // (OCG I.C.15.a.3: "… the character for 'in childbirth' is assigned when the condition is present at delivery").
  const delivered = deliveredThisStay(input);
  if (weeks === null && !delivered) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    // "Gestational diabetes mellitus in pregnancy, insulin controlled" (O24.414) at a delivery is its "in childbirth"
    // twin (O24.424), the title with "childbirth" for "pregnancy".
    // Also when the twin is read already (the Index's "insulin" level and the subcategory's title): one condition, which
    // the stages' end merges into one suggestion (apply.ts).
    const inChildbirth = delivered ? childbirthTwin(kb, c.code) : null;
    if (inChildbirth) {
      const detail = 'present at the delivery of this stay: "in childbirth" (OCG I.C.15.a.3)';
      dropped.push({ code: c.code, reason: `${detail}: ${inChildbirth}` });
      return { ...c, code: inChildbirth, rules: [...c.rules, { rule: 'trimester', detail: `${c.code} → ${inChildbirth}: ${detail}` }] };
    }
    // At a delivery any trimester reading ("Obesity complicating pregnancy, third trimester") is the "complicating
    // childbirth" sibling; otherwise only the unspecified trimester is completed from the weeks.
    const title = kb.codes.get(c.code)?.title ?? '';
    // A trimester the weeks of this encounter contradict was read from other words ("DCDA twins, confirmed on
    // first-trimester US" at 37 weeks): the encounter's weeks decide it (OCG I.C.15.a.3), at a delivery too when the
    // category has no "complicating childbirth" code (O30 twin pregnancy).
    const parent = kb.codes.get(c.code)?.parent ?? '';
    if (c.code.startsWith('O') && weeks !== null && /\b(?:first|second|third) trimester\b/i.test(title) && !(delivered && childbirthChild(kb, [parent]))) {
      const code = trimesterChild(kb, parent, weeks);
      if (!code || code === c.code || kept.some((o) => o.code === code)) return c;
      const detail = `${weeks} weeks of gestation: ${trimesterWords(weeks)} (OCG I.C.15.a.3)`;
      dropped.push({ code: c.code, reason: `${detail}: ${code}` });
      return { ...c, code, rules: [...c.rules, { rule: 'trimester', detail: `${c.code} → ${code}: ${detail}` }] };
    }
    if (!c.code.startsWith('O') || !(/unspecified trimester/i.test(title) || (delivered && /\btrimester\b/i.test(title)))) return c;
    const childbirth = delivered ? childbirthChild(kb, [parent]) : undefined;
    if (!childbirth && !/unspecified trimester/i.test(title)) return c;
    const code = childbirth ?? (weeks === null ? null : trimesterChild(kb, parent, weeks));
    if (!code || kept.some((o) => o.code === code)) return c;
    const detail = childbirth ? 'present at the delivery of this stay: complicating childbirth (OCG I.C.15.a.3)' : `${weeks} weeks of gestation: ${trimesterWords(weeks!)} (OCG I.C.15.a.3)`;
    dropped.push({ code: c.code, reason: `${detail}: ${code}` });
    return { ...c, code, rules: [...c.rules, { rule: 'trimester', detail: `${c.code} → ${code}: ${detail}` }] };
  });
  return { kept: out, dropped };
}
