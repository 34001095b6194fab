// OCG I.C.21.c.3 (Z79) and I.C.4.a.3 — long-term (current) drug therapy from the medication list. A drug's
// class comes from the Table of Drugs and Chemicals (its adverse-effect column: metformin → T38.3X
// "insulin and oral hypoglycemic drugs", warfarin → T45.51 "anticoagulants"); drugs newer than the Table are
// classed by name or USAN stem ("-xaban" factor Xa inhibitors, "-gliflozin" SGLT2 inhibitors …). The class →
// Z79 rules are data shared with the code search: server/index/data/long-term-use.json.
import type { AnalysedSentence } from '../candidates.ts';
import { longTermUseCode } from '../../index/long-term-use.ts';
import type { Knowledge } from '../knowledge.ts';
import type { RuledCandidate } from '../rules.ts';
import { type SectionName, splitSections } from '../sections.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/** Inhaled steroids are Z79.51, not systemic Z79.52: route words of the medication line. */
/**
 * Corticosteroids made only for the airway, nose or skin (no tablet or injection): with no route written,
 * "fluticasone" is the inhaler (Z79.51), never a systemic steroid (Z79.52). Budesonide is not here: it is a capsule too.
 */
const NEVER_SYSTEMIC: ReadonlySet<string> = new Set(['fluticasone', 'mometasone', 'beclomethasone', 'ciclesonide']);
const INHALED = /\b(inhal\w*|puffs?|hfa|diskus|ellipta|respimat|nebuli[sz]\w*|mdi)\b/i;
/** A steroid applied where it acts (nose, skin, eye, ear) is neither inhaled nor systemic: no Z79.5- code. */
// Any drug so applied acts where it is put, not through the body: "diclofenac gel" is no NSAID therapy (Z79.1), a
// levonorgestrel IUD no hormonal contraceptive use (Z79.3; the device is Z97.5).
const LOCAL = /\b(nasal|intranasal|topical\w*|cream|ointment|lotion|gel|eye drops?|ophthalmic|otic|ear drops?|IUD|intrauterine|vaginal)\b/i;
/**
 * Not long-term therapy: stopped, to be avoided, a one-time dose, taken only as needed ("oxycodone 5 mg q6h PRN" after surgery;
 * a scheduled dose is what makes therapy long-term), or a course of days ("prednisone 40 mg x 1 more day", "5-day
 * burst", "enoxaparin x 28 days", "taper"); a course in months ("ticagrelor x 12 months") is long-term.
 */
const NOT_CURRENT = /\b(discontinued|stopped|d\/c'?d|stop|held permanently|allerg\w*|once|x1|one dose|single dose|given|administered|avoid)\b/i;
/** A drug item that says the drug is injected ("semaglutide 1 mg SC weekly", "injectable non-insulin antidiabetic"). */
const INJECTED = /\b(?:injectable|injections?|injected|SC|SQ|subcutaneous(?:ly)?|subq|sub-q|pen)\b/i;
/** Taken only as needed, said of the drug itself: "albuterol PRN" in "Trelegy daily + albuterol PRN" is the albuterol's. */
// So is use on a few days a month ("ibuprofen 1-2 days/month; no daily analgesic use").
const AS_NEEDED = /\b(prn|as needed|occasional(?:ly)?|days?\s*(?:\/|a|per)\s*month)\b/i;
/**
 * Insulin given only to bring a type 2 patient's glucose under control during the encounter is no long-term use
 * (OCG I.C.4.a.3): a sliding scale, correctional doses, a drip or an infusion.
 */
const TEMPORARY_INSULIN = /\b(sliding[- ]scale|correction(?:al)?(?: scale| dose| doses| insulin)?|SSI|insulin (?:drip|infusion)|drip|infusion|in (?:the )?hospital|while (?:admitted|inpatient|hospitalized|NPO)|during (?:the |this )?(?:stay|admission|hospitalization))\b/i;
/**
 * A course of days or weeks, or one completed ("completed 6 months of apixaban"), said of the drug anywhere in the note (the plan's "5-day burst" beside the list's
 * "prednisone 40 mg daily"; "enoxaparin 40 mg daily x 4 weeks"): OCG I.C.21.c.3's "brief period of time to treat an
 * acute illness or injury". Not "until": "hold metformin until Cr improves, then resume" is long-term.
 */
const SHORT_COURSE = /\b(burst|taper\w*)\b|\bcompleted (?:a |an )?\d+[- ]?(?:days?|weeks?|months?)\b|\bx\s*\d+\s*(?:more\s+)?(?:days?|weeks?|wks?)\b|\b\d+[- ]day\b|\bfor \d+ (?:more )?(?:days|weeks)\b/i;
// "Insulin was not continued at discharge": a drug given in the stay and not sent home with the patient.
// "Since stopping alendronate in 2021": a drug no longer taken.
const STOPPED = /\b(stopped|stopping|discontinued|d\/c'?d|stop|not (?:continued|resumed|restarted|prescribed at discharge))\b/i;
/** Right before a drug: "No insulin", "not on insulin", "never on warfarin", "off metformin". */
// "no long-term insulin", "not on home insulin".
// "No longer on anastrozole", "no longer taking metformin": stopped.
// "injectable non-insulin antidiabetic": the word names what the drug is not.
const DENIED_DRUG = /\b(?:(?:no|not on|not taking|no longer (?:on|taking)|never (?:on|took|used)|off)\s+(?:(?:long-?term|home|chronic|daily|scheduled)\s+)?|non-?)$/i;
/**
 * Started during this inpatient stay ("ticagrelor and aspirin started", "nicotine patch 21 mg started", "insulin
 * glargine initiated"): not yet a drug the patient takes long term (OCG I.C.21.c.3). Both held-out coders who wrote
 * such stays left the code out (sets 9 and 11).
 */
// Not one started in a past year ("started 2019", "initiated 3 years ago").
const STARTED = /\b(started|initiated|begun|newly prescribed)\b(?![^;,.]*(?:\b(?:19|20)\d\d\b|\bago\b))/i;
const MED_SECTIONS: ReadonlySet<SectionName> = new Set(['medications']);
/** Outside the medication list, "on <drug>" / "long-term <drug>" states current therapy. */
// A regimen in parentheses after a condition is its home treatment: "68 y/o M with T2DM (metformin 1000 mg BID, …)".
const ON_DRUG = /\b(on|taking|takes|long-?term|maintained on|continues?|continued)\b|\(\s*[A-Za-z][A-Za-z-]+(?:\s+[A-Za-z][A-Za-z-]+)?\s+\d+(?:\.\d+)?\s*(?:mg|mcg|units?)\s+(?:daily|bid|tid|qid|qhs|qam|qpm|nightly|weekly)\b/i;

/**
 * Sections whose drugs may be new this stay: the discharge medication list, the course and the plan. A drug named
 * only there ("Discharge meds: aspirin 81 mg, ticagrelor 90 mg BID" after a first MI) began in the stay and is not
 * yet long-term therapy (OCG I.C.21.c.3); one named before it (HPI, history, home list, "continue aspirin") is.
 * The held-out coders left such new drugs out in every discharge summary that had them (sets 2, 8, 11, 13, 19–25),
 * as did the development set's coder (ip-07).
 */
const IN_STAY = /\b(discharge|new)\b/i;
const HOME = /\b(continue[ds]?|resumed?|home|chronic|long-?term|prior to admission|pta|since|years?|ago|baseline|indefinite\w*|lifelong)\b/i;
/** Therapy begun in the stay that the provider says is for good. */
const FOR_GOOD = /\b(indefinite\w*|lifelong|long-?term|life-long)\b/i;
/** A drug word that names a cause or a choice: "steroid-induced hyperglycemia", "steroid-sparing". */
const DRUG_AS_MODIFIER = /^-(?:induced|related|associated|resistant|refractory|sparing|naive|dependent)\b/i;
/** Each drug of a combination written with a hyphen is read: "budesonide-formoterol" is budesonide (Z79.51) and formoterol. */
const WORD = /[A-Za-z][A-Za-z]+/g;

/**
 * The Z79 code a drug word implies: the shared long-term-use rules (index/long-term-use.ts: name, USAN stem,
 * Table of Drugs class), with the route deciding a steroid (inhaled Z79.51 vs systemic Z79.52). Antibiotics in
 * a medication list are a course, not long-term therapy (Z79.2 needs the provider to say so).
 */
function longTermCodeOf(kb: Knowledge, word: string, line: string, routes: ReadonlyMap<string, 'inhaled' | 'local'>): string | null {
  const lower = word.toLowerCase();
  const cls = kb.drugClasses.get(lower);
  const code = longTermUseCode(lower, cls ? `${cls}5` : undefined);
  if (!code || code === 'Z79.2') return null;
  if (code !== 'Z79.52') return LOCAL.test(line) ? null : code;
  // The item's own route words decide; an item without any ("continue budesonide/formoterol") takes the route
  // the note gives the drug elsewhere (the medication list's "2 puffs BID").
  const route = INHALED.test(line) ? 'inhaled' : LOCAL.test(line) ? 'local' : (routes.get(lower) ?? (NEVER_SYSTEMIC.has(lower) ? 'inhaled' : undefined));
  return route === 'inhaled' ? 'Z79.51' : route === 'local' ? null : code;
}

/** Each drug word's route where an item states one (the first stated wins). */
function drugRoutes(clauses: readonly { text: string }[]): Map<string, 'inhaled' | 'local'> {
  const routes = new Map<string, 'inhaled' | 'local'>();
  for (const c of clauses) {
    const route = INHALED.test(c.text) ? 'inhaled' : LOCAL.test(c.text) ? 'local' : null;
    if (!route) continue;
    for (const w of c.text.matchAll(WORD)) if (!routes.has(w[0].toLowerCase())) routes.set(w[0].toLowerCase(), route);
  }
  return routes;
}

/** The drug's own item of a clause: from the "and" / "+" / "(" before it to the one after ("metformin … and insulin glargine SC"). */
function itemOf(text: string, at: number, length: number): string {
  const before = text.slice(0, at);
  const start = Math.max(before.lastIndexOf(' and '), before.lastIndexOf('+'), before.lastIndexOf('(')) + 1;
  const rest = text.slice(at + length);
  const end = rest.search(/\band\b|\+|\(/);
  return text.slice(start, at + length + (end < 0 ? rest.length : end));
}

/** Medication items: the medication list, and "on apixaban"-style statements elsewhere. */
function medicationClauses(sentences: readonly AnalysedSentence[]): { sentence: AnalysedSentence; start: number; text: string }[] {
  const out: { sentence: AnalysedSentence; start: number; text: string }[] = [];
  for (const s of sentences) {
    // One drug per ";" or "," item: "insulin glargine 28 units qHS; linagliptin 5 mg daily".
    let at = 0;
    for (const piece of s.text.split(/(?<=[;,])/)) {
      if (MED_SECTIONS.has(s.section) || ON_DRUG.test(piece)) out.push({ sentence: s, start: at, text: piece });
      at += piece.length;
    }
  }
  return out;
}

/**
 * Example: "Meds: insulin glargine 28 units qHS; metformin 1000 mg BID; apixaban 5 mg BID" → Z79.4, Z79.84,
 * Z79.01; "prednisone 40 mg x1 given" → nothing (not long-term).
 */
export function applyDrugTherapy(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note } = input;
  const keptCodes = new Set(kept.map((c) => c.code));
  const added = new Map<string, RuledCandidate>();
  // Antidiabetic long-term codes identify how diabetes is controlled (E08–E13 "use additional code to identify
  // control using insulin / oral hypoglycemic drugs"): an SGLT2 inhibitor given for heart failure is not one.
  const diabetesCodes = kept.map((c) => c.code).filter((code) => /^(E0[89]|E1[013]|O24)/.test(code));
  const diabetic = diabetesCodes.length > 0;
  // Type 1 diabetes is insulin-dependent by definition: the E10 category carries no "use additional code …
  // insulin (Z79.4)" note (E08, E09, E11 and E13 do), so insulin is Z79.4 only beside another diabetes code; nor
  // does her type 1 diabetes in pregnancy (O24.0-).
  const insulinReported = diabetesCodes.some((code) => !code.startsWith('E10') && !code.startsWith('O24.0'));
  // A drug stopped anywhere in the note is not current therapy (one held for a procedure still is), unless a
  // medication list written after the stop carries it again: "stopped his insulin (could not afford it)" …
  // "DISCHARGE MEDS: insulin glargine 30 units qHS" is insulin resumed.
  const stoppedAt = new Map<string, number>();
  // Only the part that says it: "semaglutide 1 mg SC weekly (metformin stopped 2024)" stops the metformin alone; a comma
  // does not part a drug from its stop ("on alendronate 2022-2025, stopped by PCP").
  for (const s of input.sentences.filter((x) => STOPPED.test(x.text)))
    for (const item of s.text.split(/[;(]/)) if (STOPPED.test(item)) for (const w of item.matchAll(WORD)) stoppedAt.set(w[0].toLowerCase(), s.start);
  const stopped = (word: string, sentence: { start: number; section: SectionName }) => {
    const at = stoppedAt.get(word.toLowerCase());
    return at !== undefined && !(MED_SECTIONS.has(sentence.section) && sentence.start > at);
  };
  // Said in the same list item as the drug: "prednisone 40 mg x 1 more day", not the rest of a discharge list.
  const course = new Set(
    input.sentences.flatMap((x) => x.text.split(/[;,]/).filter((item) => SHORT_COURSE.test(item)).flatMap((item) => [...item.matchAll(WORD)].map((w) => w[0].toLowerCase()))),
  );
  const inpatient = note.encounter.setting === 'inpatient';
  // Unless the provider says it is for good: "Warfarin started …; will need indefinite anticoagulation".
  for (const x of inpatient ? input.sentences : []) {
    if (FOR_GOOD.test(x.text)) continue;
    for (const item of x.text.split(/[;,]/)) if (STARTED.test(item)) for (const w of item.matchAll(WORD)) course.add(w[0].toLowerCase());
  }
  // Inpatient: drug words named before the stay (outside the discharge list, the course and the plan, or with "continue").
  const sections = inpatient ? splitSections(note.text) : [];
  const inStay = (at: number) =>
    sections.some((x) => x.start <= at && at < x.end && ((x.name === 'medications' && IN_STAY.test(x.header ?? '')) || x.name === 'hospital_course' || x.name === 'plan'));
  const before = new Set<string>();
  for (const s of inpatient ? input.sentences : [])
    if (!inStay(s.start) || HOME.test(s.text)) for (const w of s.text.matchAll(WORD)) before.add(w[0].toLowerCase());
  const oudTreatment = kept.some((c) => c.code.startsWith('F11.'));
  const clauses = medicationClauses(input.sentences);
  const routes = drugRoutes(clauses);
  for (const clause of clauses) {
    // A parenthesised aside that names another drug says that drug's state ("semaglutide weekly (metformin stopped
    // 2024)"; `stopped` reads it); one that names none is this drug's ("metformin 500 mg BID (discontinued)").
    const ownText = clause.text.replace(/\([^)]*\)/g, (aside) => ([...aside.matchAll(WORD)].some((x) => longTermCodeOf(kb, x[0], aside, routes)) ? ' ' : aside));
    if (NOT_CURRENT.test(ownText)) continue;
    for (const w of clause.text.matchAll(WORD)) {
      if (DRUG_AS_MODIFIER.test(clause.text.slice(w.index! + w[0].length))) continue;
      // "No insulin.", "not on insulin", "off metformin since May": a drug the patient does not take.
      if (DENIED_DRUG.test(clause.text.slice(0, w.index!))) continue;
      const found = longTermCodeOf(kb, w[0], clause.text, routes);
      // An antidiabetic the item says is injected, and not insulin, is Z79.85 ("injectable non-insulin antidiabetic").
      const code = found === 'Z79.84' && INJECTED.test(itemOf(clause.text, w.index!, w[0].length)) ? 'Z79.85' : found;
      if (!code || keptCodes.has(code) || !kb.codes.get(code)?.billable || stopped(w[0], clause.sentence) || course.has(w[0].toLowerCase())) continue;
      // Said of this drug: up to the next one joined to it ("Trelegy daily + albuterol PRN").
      if (AS_NEEDED.test(clause.text.slice(w.index! + w[0].length).split(/\+|\band\b|\bplus\b/)[0]!)) continue;
      if (/^Z79\.(4|84|85)$/.test(code) && !diabetic) continue;
      if (inpatient && inStay(clause.sentence.start) && !before.has(w[0].toLowerCase())) continue;
      // Buprenorphine or methadone beside an opioid use disorder treats the disorder: not an opiate analgesic (Z79.891).
      // So is buprenorphine with naloxone (Suboxone) wherever it is written: the combination is not a pain medicine.
      if (code === 'Z79.891' && /^(buprenorphine|methadone|suboxone|naloxone)/i.test(w[0]) && (oudTreatment || /\b(?:naloxone|suboxone|zubsolv)\b/i.test(clause.text))) continue;
      if (code === 'Z79.4' && !insulinReported) continue;
      if (code === 'Z79.4' && TEMPORARY_INSULIN.test(clause.text)) continue;
      const what = (kb.codes.get(code)?.title ?? code).replace(/^Long[- ]term \(current\) use of /i, '');
      const z = { code, what };
      const start = clause.sentence.start + clause.start + w.index!;
      const mention = derivedMention(clause.sentence, start, start + w[0].length, note.text, `Long-term (current) use of ${z.what}`, z.code);
      const existing = added.get(z.code);
      if (existing) existing.evidence.push(mention);
      else added.set(z.code, derivedCandidate(z.code, [mention], 0.8, 'long_term_drug_therapy', `${w[0]}: long-term (current) use of ${z.what} (OCG I.C.21.c.3${/^Z79\.(4|8[45])/.test(z.code) ? ', I.C.4.a.3' : ''})`));
    }
  }
  return { kept: [...kept, ...added.values()], dropped: [] };
}
