// HCPCS Level II drug lines with units from the documented dose, and the administration codes
// (96372 IM/SC injection, 96374 first IV push, 96375 each further IV push of a new drug, 94640
// nebulizer treatment) for drugs given during the visit.

import { applyContext } from '../context.ts';
import { splitSections } from '../sections.ts';
import type { EvidenceSpan, NoteInput } from '../types.ts';
import { decisionSentences } from './em-evidence.ts';
import { type DoseUnit, type HcpcsDrug, type HcpcsDrugFile, toDoseUnit } from './hcpcs-file.ts';
import type { ProcedureLine } from './types.ts';

export type AdminRoute = 'im_sc' | 'iv_push' | 'nebulizer' | 'other';

export interface DrugAdministration {
  drug: HcpcsDrug;
  dose: number;
  doseUnit: DoseUnit;
  units: number;
  route: AdminRoute;
  span: EvidenceSpan;
  /** The descriptor's billing unit the units were computed with ("per 15 mg"). */
  perUnit: { amount: number; unit: DoseUnit };
  /** Other codes that matched the drug as well (coder to choose when the note does not say which product). */
  alternatives: string[];
}

const byKeyCache = new WeakMap<readonly HcpcsDrug[], Map<string, HcpcsDrug[]>>();

/** The drugs by the name keys of their descriptors, built once per drug list (not per note). */
function drugsByKey(drugs: readonly HcpcsDrug[]): Map<string, HcpcsDrug[]> {
  let byKey = byKeyCache.get(drugs);
  if (!byKey) {
    byKey = new Map();
    for (const d of drugs) for (const k of d.keys) byKey.set(k, [...(byKey.get(k) ?? []), d]);
    byKeyCache.set(drugs, byKey);
  }
  return byKey;
}

const DOSE_AFTER = /^[^.;\n\d]{0,40}?(\d+(?:\.\d+)?)\s*(mg|mcg|micrograms?|g|gm|units?|ml|meq)\b/i;
const ROUTES: readonly [AdminRoute, RegExp][] = [
  ['iv_push', /\b(?:iv push|ivp|slow iv|intravenous push)\b/i],
  ['im_sc', /\b(?:im|intramuscular(?:ly)?|sc|subq|sub-q|subcut(?:aneous(?:ly)?)?|sq)\b/i],
  ['nebulizer', /\b(?:neb(?:ulizer|ulized|s)?|via nebulizer|inhalation treatment)\b/i],
  ['other', /\b(?:injected|intra-articular|iv|intravenous(?:ly)?)\b/i],
];
// "daily", "BID", "every 4 weeks", "q4h", "PRN", "x 5 days": a prescription or standing order, not a dose given now.
const ORDER_FREQUENCY = /\b(?:daily|bid|tid|qid|qhs|qd|prn|q\d+h|every \d+|weekly|monthly|x ?\d+ days?)\b/i;
const CONVERT: Record<string, number> = { 'mg>mcg': 1000, 'mcg>mg': 0.001, 'g>mg': 1000, 'mg>g': 0.001, 'g>mcg': 1_000_000, 'mcg>g': 0.000001 };
// Salt and form words: present they support a product, absent they say nothing against it.
const NEUTRAL = new Set(['injection', 'per', 'up', 'to', 'mg', 'mcg', 'microgram', 'unit', 'units', 'dose', 'form', 'product', 'fda-approved', 'final', 'noncompounded', 'administered', 'through', 'dme', 'hcl', 'hydrochloride', 'sodium', 'phosphate', 'succinate', 'acetate', 'sulfate', 'tromethamine', 'citrate', 'bromide', 'not', 'otherwise', 'specified', 'nos', 'and', 'inhalation', 'solution', 'use', 'non-esrd', 'alfa', 'of', 'for', 'the', 'a', 'in', 'or', 'milligram']);

// Local anesthetic given with a procedure is part of the procedure, not a separate drug line
// (NCCI Policy Manual, ch. I: anesthesia by the physician performing the procedure is included).
const BUNDLED_DRUGS: ReadonlySet<string> = new Set(['lidocaine', 'bupivacaine', 'ropivacaine', 'mepivacaine', 'chloroprocaine', 'tetracaine']);

/** Converts `dose` from `from` to `to`, or null when the units do not convert (mg vs units). */
export function convertDose(dose: number, from: DoseUnit, to: DoseUnit): number | null {
  if (from === to) return dose;
  const factor = CONVERT[`${from}>${to}`];
  return factor === undefined ? null : dose * factor;
}

/** Billing units: the dose divided by the descriptor's amount, rounded up (CMS: bill the next whole unit). */
export function billingUnits(dose: number, unit: DoseUnit, per: { amount: number; unit: DoseUnit }): number | null {
  const converted = convertDose(dose, unit, per.unit);
  if (converted === null || per.amount <= 0) return null;
  return Math.max(1, Math.ceil(converted / per.amount - 1e-9));
}

function score(drug: HcpcsDrug, sentence: string): number {
  const lower = sentence.toLowerCase();
  let s = 0;
  for (const w of drug.words) {
    if (NEUTRAL.has(w) || /^\d/.test(w)) {
      if (!NEUTRAL.has(w) || w.length < 5) continue;
      if (lower.includes(w)) s += 1;
      continue;
    }
    s += lower.includes(w) ? 1 : -0.5;
  }
  return s;
}

/**
 * Brand names written in notes → the generic words of the HCPCS descriptor (first word is the lookup key).
 * Data, not code: extend it as brands show up; each entry names one product family.
 */
export const DRUG_BRANDS: Readonly<Record<string, string>> = {
  toradol: 'ketorolac tromethamine',
  rocephin: 'ceftriaxone sodium',
  kenalog: 'triamcinolone acetonide',
  'depo-medrol': 'methylprednisolone acetate',
  'solu-medrol': 'methylprednisolone sodium succinate',
  decadron: 'dexamethasone sodium phosphate',
  zofran: 'ondansetron hydrochloride',
  phenergan: 'promethazine hcl',
  benadryl: 'diphenhydramine hcl',
  lasix: 'furosemide',
  pepcid: 'famotidine',
  duoneb: 'albuterol ipratropium bromide',
  'depo-provera': 'medroxyprogesterone acetate',
  bicillin: 'penicillin g benzathine',
  'vitamin b12': 'vitamin b-12 cyanocobalamin',
  cyanocobalamin: 'vitamin b-12 cyanocobalamin',
  b12: 'vitamin b-12 cyanocobalamin',
  adrenalin: 'epinephrine',
  'solu-cortef': 'hydrocortisone sodium succinate',
  ativan: 'lorazepam',
  dilaudid: 'hydromorphone',
  narcan: 'naloxone hydrochloride',
  reglan: 'metoclopramide hcl',
  celestone: 'betamethasone acetate',
};
const squash = (name: string): string => name.toLowerCase().replace(/[- ]/g, '');
const BRAND_BY_NAME = new Map(Object.entries(DRUG_BRANDS).map(([brand, generic]) => [squash(brand), generic]));
// "Depo-Medrol", "Depo Medrol" and "DepoMedrol" are one brand.
const BRAND_RE = new RegExp(String.raw`(?<![\p{L}\p{N}-])(?:${Object.keys(DRUG_BRANDS).map((b) => b.replace(/[- ]/g, '[- ]?')).join('|')})(?![\p{L}\p{N}])`, 'giu');

/** Drug names in a sentence: descriptor words as written, and brand names read as their generic words. */
function drugMentions(sentence: string): { index: number; length: number; key: string; extra: string }[] {
  const out: { index: number; length: number; key: string; extra: string }[] = [];
  for (const m of sentence.matchAll(BRAND_RE)) {
    const generic = BRAND_BY_NAME.get(squash(m[0]));
    // The descriptor's lookup key is the generic's first word ("vitamin b-12 cyanocobalamin" → vitamin).
    if (generic) out.push({ index: m.index, length: m[0].length, key: generic.split(' ')[0]!, extra: generic });
  }
  for (const m of sentence.matchAll(/[A-Za-z]+/g)) {
    if (out.some((b) => m.index >= b.index && m.index < b.index + b.length)) continue;
    out.push({ index: m.index, length: m[0].length, key: m[0].toLowerCase(), extra: '' });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Drugs given during the visit, each with its HCPCS code and units.
 * Example: "ketorolac 30 mg IM given" → J1885 (per 15 mg) × 2, route im_sc.
 */
export function findDrugAdministrations(text: string, drugs: readonly HcpcsDrug[]): DrugAdministration[] {
  const byKey = drugsByKey(drugs);
  const found: DrugAdministration[] = [];
  for (const s of decisionSentences(text, splitSections(text))) {
    for (const m of drugMentions(s.text)) {
      const key = m.key;
      const candidates = NEUTRAL.has(key) || BUNDLED_DRUGS.has(key) ? undefined : byKey.get(key);
      if (!candidates) continue;
      const dose = DOSE_AFTER.exec(s.text.slice(m.index + m.length));
      if (!dose) continue;
      const clauseEnd = s.text.slice(m.index).search(/[;\n]|\.\s|\s[-–]\s\d/);
      const clause = s.text.slice(m.index, clauseEnd === -1 ? s.text.length : m.index + clauseEnd);
      if (ORDER_FREQUENCY.test(clause)) continue;
      // The route may be written before the drug ("injected triamcinolone 40 mg"), so the sentence is read.
      const route = ROUTES.find(([, re]) => re.test(s.text))?.[0];
      if (!route) continue;
      const [status] = applyContext(s.text, [{ start: m.index, end: m.index + m.length }], { section: s.section });
      if (status!.negated || status!.hypothetical || status!.historical || status!.family) continue;
      const routeOk = candidates.filter((c) => (route === 'nebulizer') === (c.route === 'inhalation'));
      const ranked = routeOk.map((c) => ({ c, s: score(c, `${s.text} ${m.extra}`) })).sort((a, b) => b.s - a.s || a.c.code.localeCompare(b.c.code));
      const best = ranked[0];
      if (!best) continue;
      const doseUnit = toDoseUnit(dose[2]!)!;
      const perUnit = best.c.unitByKey[key] ?? Object.values(best.c.unitByKey)[0]!;
      const units = billingUnits(Number(dose[1]), doseUnit, perUnit);
      if (units === null) continue;
      const start = s.start + m.index;
      const end = s.start + m.index + m.length + dose.index + dose[0].length;
      found.push({
        drug: best.c,
        dose: Number(dose[1]),
        doseUnit,
        units,
        perUnit,
        route,
        span: { start, end, quote: text.slice(start, end) },
        alternatives: ranked.slice(1).filter((r) => r.s === best.s).map((r) => r.c.code),
      });
    }
  }
  // One line per code: a drug named twice ("ordered … administered") is one administration.
  const byCode = new Map<string, DrugAdministration>();
  for (const f of found) if (!byCode.has(f.drug.code)) byCode.set(f.drug.code, f);
  return [...byCode.values()];
}

function line(system: ProcedureLine['system'], code: string, units: number, description: string, evidence: EvidenceSpan[], reminders: string[] = []): ProcedureLine {
  return { system, code, units, description, evidence, reminders, modifiers: [], diagnosisPointers: [] };
}

/**
 * HCPCS drug lines and their administration lines for a note. Drugs given in a hospital or ED are supplied
 * by the facility, so a professional claim from those places carries neither (`facilitySupplied`).
 */
export function suggestDrugLines(note: NoteInput, file: HcpcsDrugFile, options: { facilitySupplied?: boolean } = {}): ProcedureLine[] {
  if (options.facilitySupplied || note.encounter.setting === 'inpatient') return [];
  const given = findDrugAdministrations(note.text, file.drugs);
  const lines: ProcedureLine[] = given.map((g) =>
    line('HCPCS', g.drug.code, g.units, g.drug.description, [g.span], [
      `${g.dose} ${g.doseUnit} ÷ ${g.perUnit.amount} ${g.perUnit.unit} per unit = ${g.units} (${file.version})`,
      ...(g.alternatives.length ? [`Also matches ${g.alternatives.join(', ')}; check the product given.`] : []),
    ]),
  );
  const imSc = given.filter((g) => g.route === 'im_sc');
  const ivPush = given.filter((g) => g.route === 'iv_push');
  const neb = given.filter((g) => g.route === 'nebulizer');
  if (imSc.length) lines.push(line('CPT', '96372', imSc.length, 'Therapeutic, prophylactic or diagnostic injection, intramuscular or subcutaneous', imSc.map((g) => g.span)));
  if (ivPush.length) lines.push(line('CPT', '96374', 1, 'IV push, single or first drug', [ivPush[0]!.span]));
  if (ivPush.length > 1) lines.push(line('CPT', '96375', ivPush.length - 1, 'IV push, each further sequential new drug', ivPush.slice(1).map((g) => g.span)));
  if (neb.length) lines.push(line('CPT', '94640', 1, 'Inhaled treatment by nebulizer', [neb[0]!.span]));
  return lines;
}
