// Vaccines given at the visit and their claim lines: immunization administration counted as CPT counts it
// (90460/90461 per vaccine and component through age 18 with physician/QHP counselling, else 90471/90472 per
// injected vaccine and 90473/90474 per intranasal/oral one; Medicare's G0008/G0009/G0010 for influenza,
// pneumococcal and hepatitis B when the payer is Medicare; 90480 per COVID-19 dose), and the vaccine products:
// HCPCS Level II where a product code exists, otherwise the CPT product from the licensed file's descriptors.
// Pure; tables in ./vaccine-table.ts.

import { DEFAULT_CONTEXT_RULES } from '../context-rules.ts';
import type { EvidenceSpan, NoteInput } from '../types.ts';
import type { CptKnowledge } from './cpt-file.ts';
import type { HcpcsDrugFile } from './hcpcs-file.ts';
import { performed, sentencesOf, span } from './procedure-text.ts';
import type { ProcedureLine } from './types.ts';
import { IMMUNIZATION_ADMIN, VACCINE_PRODUCT_CODE, VACCINES, type Vaccine, type VaccineRoute } from './vaccine-table.ts';

/** OCG I.C.21.c.2: Z23 identifies an encounter for a vaccine; the claim's vaccine lines point to it. */
export const IMMUNIZATION_DX = { code: 'Z23', description: 'Encounter for immunization', guideline: 'OCG I.C.21.c.2' } as const;

export interface VaccineGiven {
  vaccine: Vaccine;
  route: VaccineRoute;
  /** The vaccine's name as written. */
  name: string;
  span: EvidenceSpan;
}

const boundary = (source: string): string => String.raw`(?<![\p{L}\p{N}])(?:${source})(?![\p{L}\p{N}])`;
const NAME_RES = VACCINES.map((v) => ({ vaccine: v, re: new RegExp(v.names.map(boundary).join('|'), v.caseSensitive ? 'gu' : 'giu') }));
// Every name in one case-insensitive pattern without the boundaries: a superset of the matches above, and one
// scan of a clause instead of one per vaccine. Most clauses name no vaccine (5.7 % of a CodiEsp pass, profiled).
const ANY_NAME = new RegExp(VACCINES.flatMap((v) => v.names).join('|'), 'iu');

// Given at this visit: a verb of administration, or "immunizations today:".
const GIVEN = /\b(?:given|administered|admin(?:istere)?d|injected|vaccinated|immunized|(?:immunizations?|vaccines?|vaccinations?) today)\b/i;
// Not given, whatever else the clause says.
const NOT_GIVEN = /\b(?:declin\w*|refus\w*|defer\w*|not (?:given|administered|done)|held|postpone\w*|contraindicat\w*|unavailable|out of stock)\b/i;
// Elsewhere or at another time: not this visit's unless the clause says "today".
// "Tdap given at 28 weeks / prenatally / in the third trimester" in a delivery record, "influenza vaccine already given
// this season", "given in October", "to be given at follow-up", "hepatitis B vaccine given to the infant" (the newborn's,
// not the mother's): no immunization at this encounter (OCG I.C.21.c.2). Not a bare date or year: "hepatitis B vaccine
// given 2/28" is the stay's, and "Tdap given (last Td 2016)" dates the last dose.
const ELSEWHERE_OR_LATER = /\b(?:due|overdue|recommend\w*|advised|offered|order(?:ed)? for|next visit|at (?:the |a |her |his |their )?(?:pharmacy|health department|school)|last (?:week|month|year|fall|season|visit)|ago|previously|prior|before|up to date|utd|series complete|in (?:19|20)\d\d|already|prenatal(?:ly)?|antepartum|antenatal(?:ly)?|(?:in|during|this) (?:the |her )?pregnancy|at \d{1,2} ?(?:weeks?|wks?)|in the (?:first|second|third) trimester|to be given|at follow-?up|after recovery|to (?:the )?(?:infant|newborn|baby)|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b/i;
const TODAY = /\btoday\b/i;
const NASAL = /\b(?:intranasal(?:ly)?|nasal spray|IN)\b/;
const ORAL = /\b(?:oral(?:ly)?|PO|by mouth)\b/;
// CPT 90460: counselling by the physician or other QHP, not by clinical staff.
const COUNSELLED = /\bcounsell?(?:ed|ing)\b/i;
const STAFF = /\b(?:by (?:the )?(?:nurse|RN|LPN|MA|medical assistant|staff|pharmacist))\b/i;

/** The clauses of a sentence: "…; Tdap declined" and "flu shot declined but Tdap given" are two clauses each. */
function clauses(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  for (const m of text.matchAll(/;|\.\s|\s[-–]\s|,?\s+but\s+/g)) {
    out.push({ start, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  out.push({ start, text: text.slice(start) });
  return out;
}

/** Vaccine names in a text, a combination's name winning over the parts it contains. */
function vaccineNames(text: string): { vaccine: Vaccine; index: number; name: string }[] {
  const found: { vaccine: Vaccine; index: number; name: string }[] = [];
  if (!ANY_NAME.test(text)) return found;
  for (const { vaccine, re } of NAME_RES) {
    for (const m of text.matchAll(re)) {
      if (found.some((f) => m.index < f.index + f.name.length && f.index < m.index + m[0].length)) continue;
      found.push({ vaccine, index: m.index, name: m[0] });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

// The engine's ConText rules make the diseases of a vaccine list hypothetical ("Immunizations today: MMR,
// varicella" does not document measles); read as a vaccine, the same list is what was given, so those triggers
// do not count here. Declined, deferred and dated vaccines are still caught (NOT_GIVEN, ELSEWHERE_OR_LATER).
const VACCINE_CUE_RULES = DEFAULT_CONTEXT_RULES.filter((r) => !(r.category === 'HYPOTHETICAL' && /^(?:vaccin|immuniz)/i.test(r.literal)));

/**
 * Vaccines given at this visit, one per vaccine (named again in the assessment it is the same dose).
 * Example: "Tdap 0.5 mL IM R deltoid administered by MA" → Tdap, injection; "Influenza vaccine declined" → none.
 */
export function findVaccinesGiven(text: string): VaccineGiven[] {
  const byKey = new Map<string, VaccineGiven>();
  for (const s of sentencesOf(text)) {
    // The cue may sit in another clause of the sentence: "Immunizations today: MMR, varicella", "Tdap - administered";
    // each clause must still not decline, defer or date the vaccine.
    if (!GIVEN.test(s.text)) continue;
    for (const c of clauses(s.text)) {
      if (NOT_GIVEN.test(c.text) || (ELSEWHERE_OR_LATER.test(c.text) && !TODAY.test(c.text))) continue;
      const names = vaccineNames(c.text);
      for (const [i, n] of names.entries()) {
        const at = c.start + n.index;
        if (byKey.has(n.vaccine.key) || !performed(s, at, at + n.name.length, VACCINE_CUE_RULES)) continue;
        // The route written after this vaccine's name, before the next one ("rotavirus orally and DTaP IM").
        const own = c.text.slice(n.index, names[i + 1]?.index ?? c.text.length);
        const route: VaccineRoute = n.vaccine.route !== 'injection' ? n.vaccine.route : NASAL.test(own) ? 'intranasal' : ORAL.test(own) ? 'oral' : 'injection';
        byKey.set(n.vaccine.key, { vaccine: n.vaccine, route, name: n.name, span: span(text, s.start + at, s.start + at + n.name.length) });
      }
    }
  }
  return [...byKey.values()];
}

/** True when the physician/QHP counselled on the vaccines (CPT 90460/90461), read from the vaccine sentences. */
function counselledByPhysician(text: string, given: readonly VaccineGiven[]): boolean {
  return sentencesOf(text).some((s) => COUNSELLED.test(s.text) && !STAFF.test(s.text) && (given.some((g) => g.span.start >= s.start && g.span.end <= s.end) || /\bvaccin|\bimmuniz|\bVIS\b/i.test(s.text)));
}

/** The payer the note or encounter names: "Medicare" decides G0008–G0010 over 90471/90472. */
export function payerOf(note: NoteInput): { medicare: boolean; named: boolean } {
  const written = note.encounter.payer ?? /\b(?:insurance|payer|payor)\s*:\s*([^\n;]+)/i.exec(note.text)?.[1] ?? (/\bMedicare\b/.test(note.text) ? 'Medicare' : undefined);
  return { medicare: written !== undefined && /\bmedicare\b/i.test(written), named: written !== undefined };
}

function line(system: ProcedureLine['system'], code: string, units: number, description: string, evidence: EvidenceSpan[], rule: string, reminders: string[] = []): ProcedureLine {
  return { system, code, units, description, evidence, reminders, modifiers: [], diagnosisPointers: [], rule, pointTo: [IMMUNIZATION_DX.code] };
}

const labels = (g: readonly VaccineGiven[]): string => g.map((x) => x.vaccine.label).join(', ');

/**
 * Administration lines, counted as CPT counts them. Example: two injected vaccines for an adult → 90471 × 1 +
 * 90472 × 1; MMR + varicella for a 1-year-old with the physician's counselling → 90460 × 2 + 90461 × 2.
 */
export function administrationLines(note: NoteInput, given: readonly VaccineGiven[]): ProcedureLine[] {
  const lines: ProcedureLine[] = [];
  const own = new Map<string, VaccineGiven[]>();
  for (const g of given) if (g.vaccine.ownAdmin) own.set(g.vaccine.ownAdmin, [...(own.get(g.vaccine.ownAdmin) ?? []), g]);
  for (const [code, gs] of own) lines.push(line('CPT', code, gs.length, `Immunization administration, COVID-19 vaccine (${gs.length} dose${gs.length > 1 ? 's' : ''})`, gs.map((g) => g.span), 'vaccine_admin'));
  const rest = given.filter((g) => !g.vaccine.ownAdmin);
  if (rest.length === 0) return lines;

  const payer = payerOf(note);
  const gCoded = payer.medicare ? rest.filter((g) => g.vaccine.medicareAdmin) : [];
  for (const g of gCoded) lines.push(line('HCPCS', g.vaccine.medicareAdmin!, 1, `Medicare administration of the ${g.vaccine.label} vaccine`, [g.span], 'vaccine_admin', ['Medicare Part B: the administration of this vaccine is G0008/G0009/G0010, not 90471/90472 (CMS Claims Processing Manual ch. 18 §10).']));
  const counted = rest.filter((g) => !gCoded.includes(g));
  if (counted.length === 0) return lines;
  const gEligible = counted.filter((g) => g.vaccine.medicareAdmin);
  const payerNote = !payer.named && gEligible.length
    ? [`The payer decides the ${labels(gEligible)} administration code: Medicare Part B uses ${[...new Set(gEligible.map((g) => g.vaccine.medicareAdmin))].join('/')} instead of 90471/90472; the note names no payer (set encounter.payer).`]
    : [];

  const age = note.encounter.patient?.age;
  const counselled = counselledByPhysician(note.text, counted);
  const { counselled: c, injection: inj, nasalOral: no } = IMMUNIZATION_ADMIN;
  if (counselled && age !== undefined && age <= c.maxAge) {
    const extra = counted.reduce((n, g) => n + g.vaccine.components - 1, 0);
    const parts = counted.map((g) => `${g.vaccine.label} ${g.vaccine.components}`).join(', ');
    lines.push(line('CPT', c.first, counted.length, `Immunization administration with physician/QHP counselling, through age 18, first component of each vaccine (${labels(counted)})`, counted.map((g) => g.span), 'vaccine_admin', [`${counted.length} vaccine(s), counselling by the physician/QHP documented, age ${age}; components: ${parts}.`, ...payerNote]));
    if (extra > 0) lines.push(line('CPT', c.additionalComponent, extra, 'Immunization administration with counselling, each additional vaccine component', counted.filter((g) => g.vaccine.components > 1).map((g) => g.span), 'vaccine_admin', [`Components past the first of each vaccine: ${extra}.`]));
    return lines;
  }
  const why = counselled && age === undefined ? ['Counselling is documented but the age is not: 90460/90461 apply through age 18 (set encounter.patient.age).'] : [];
  const injected = counted.filter((g) => g.route === 'injection');
  const nasalOral = counted.filter((g) => g.route !== 'injection');
  if (injected.length) {
    lines.push(line('CPT', inj.first, 1, `Immunization administration by injection, first vaccine (${injected[0]!.vaccine.label})`, [injected[0]!.span], 'vaccine_admin', [...why, ...payerNote]));
    if (injected.length > 1) lines.push(line('CPT', inj.additional, injected.length - 1, `Immunization administration by injection, each additional vaccine (${labels(injected.slice(1))})`, injected.slice(1).map((g) => g.span), 'vaccine_admin'));
  }
  if (nasalOral.length) {
    // 90473 is the first vaccine only when no injection is reported; beside one, each nasal/oral vaccine is 90474.
    const first = injected.length ? undefined : nasalOral[0];
    const additional = first ? nasalOral.slice(1) : nasalOral;
    if (first) lines.push(line('CPT', no.first, 1, `Immunization administration, intranasal or oral, first vaccine (${first.vaccine.label})`, [first.span], 'vaccine_admin', [...why, ...payerNote]));
    if (additional.length) lines.push(line('CPT', no.additional, additional.length, `Immunization administration, intranasal or oral, each additional vaccine (${labels(additional)})`, additional.map((g) => g.span), 'vaccine_admin'));
  }
  return lines;
}

/** The ages (years) a licensed descriptor's product is for, read from its wording ("7 years or older"). */
export function descriptorAges(descriptor: string): { min?: number; max?: number } {
  const d = descriptor.toLowerCase();
  const n = (v: string, unit: string): number => (unit.startsWith('month') ? Number(v) / 12 : Number(v));
  const range = /(\d+) (months?|years?)(?: of age)? (?:through|to|-) (\d+) (months?|years?)/.exec(d);
  if (range) return { min: n(range[1]!, range[2]!), max: n(range[3]!, range[4]!) };
  const older = /(\d+) (months?|years?)(?: of age)? (?:or|and) older/.exec(d);
  const younger = /(?:younger than|under|less than) (\d+) (months?|years?)/.exec(d);
  // "Pediatric/adolescent dosage" is for patients through 18, "adult dosage" from 19 (the vaccine schedules' split).
  const pediatric = /\b(?:pediatric|adolescent)\b/.test(d) && !/\badult\b/.test(d);
  const adult = /\badult dosage\b/.test(d) && !/\b(?:pediatric|adolescent)\b/.test(d);
  const min = older ? n(older[1]!, older[2]!) : adult ? 19 : undefined;
  const max = younger ? n(younger[1]!, younger[2]!) - 1e-6 : pediatric ? 18 : undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

const hasPhrase = (descriptor: string, phrase: string): boolean => new RegExp(`(?<![\\p{L}\\p{N}])${phrase.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu').test(descriptor);

/**
 * The licensed file's vaccine products that name this vaccine and fit the patient's age and the route, those
 * whose descriptor also carries the name as written ("PCV20" → the descriptor that says PCV20) ahead of the rest,
 * which are then dropped.
 */
export function productCandidates(cpt: CptKnowledge, g: VaccineGiven, age: number | undefined): string[] {
  const out: { code: string; named: number }[] = [];
  const written = [g.name, ...g.name.split(/[^\p{L}\p{N}]+/u)].filter((w) => w.length >= 2);
  for (const [code, descriptor] of cpt.descriptors) {
    if (!VACCINE_PRODUCT_CODE.test(code)) continue;
    if (!g.vaccine.descriptorWords.every((group) => group.some((w) => hasPhrase(descriptor, w)))) continue;
    if (g.vaccine.descriptorNot?.some((w) => hasPhrase(descriptor, w))) continue;
    const nasal = /\b(?:intranasal|nasal)\b/i.test(descriptor);
    const oral = /\boral\b/i.test(descriptor) && !/\b(?:intramuscular|subcutaneous)\b/i.test(descriptor);
    if ((g.route === 'intranasal') !== nasal || (g.route === 'oral') !== oral) continue;
    const ages = descriptorAges(descriptor);
    if (age !== undefined && ((ages.min !== undefined && age < ages.min) || (ages.max !== undefined && age > ages.max))) continue;
    out.push({ code, named: written.filter((w) => hasPhrase(descriptor, w)).length });
  }
  const sorted = out.sort((a, b) => b.named - a.named || a.code.localeCompare(b.code));
  // Products the note's wording tells apart from the first are not alternatives to it.
  return sorted.filter((x) => x.named === sorted[0]!.named).map((x) => x.code);
}

export const NO_CPT_FILE_VACCINES = 'Vaccine product lines need the licensed CPT file (medcode ships no AMA descriptors; import one with `medcode codes import-cpt <file>`): the product code and its descriptor come from it. The administration lines do not need it.';

/**
 * Product lines: a HCPCS Level II product code when the note names a product that has one (Q2035 for
 * Afluria, age 3 and up), else the licensed CPT file's product whose descriptor names the vaccine and fits
 * the patient; without a file, a notice naming the vaccines given.
 */
export function productLines(note: NoteInput, given: readonly VaccineGiven[], hcpcs: HcpcsDrugFile, cpt: CptKnowledge | null | undefined): { lines: ProcedureLine[]; notices: string[] } {
  const lines: ProcedureLine[] = [];
  const needCpt: VaccineGiven[] = [];
  const age = note.encounter.patient?.age;
  for (const g of given) {
    const product = g.vaccine.hcpcsProducts?.find((p) => g.name.toLowerCase().includes(p.name) && (p.minAge === undefined || age === undefined || age >= p.minAge));
    const description = product ? hcpcs.immunization.get(product.code) : undefined;
    if (product && description) lines.push(line('HCPCS', product.code, 1, description, [g.span], 'vaccine_product', [`HCPCS Level II product code for ${g.name} (${hcpcs.version}).`]));
    else needCpt.push(g);
  }
  if (needCpt.length === 0) return { lines, notices: [] };
  if (!cpt) return { lines, notices: [`${NO_CPT_FILE_VACCINES} Given today: ${labels(needCpt)}.`] };
  const notices: string[] = [];
  for (const g of needCpt) {
    const [code, ...others] = productCandidates(cpt, g, age);
    if (!code) {
      notices.push(`No vaccine product in the licensed CPT file ${cpt.version} names ${g.vaccine.label}${age === undefined ? '' : ` for age ${age}`}: add its product line by hand.`);
      continue;
    }
    lines.push(line('CPT', code, 1, cpt.descriptors.get(code)!, [g.span], 'vaccine_product', [
      `"${g.name}" matches the licensed descriptor (${cpt.version}).`,
      ...(others.length ? [`Also matches ${others.join(', ')}; check the product, dose and schedule given.`] : []),
    ]));
  }
  return { lines, notices };
}

export interface VaccineLines {
  given: VaccineGiven[];
  lines: ProcedureLine[];
  notices: string[];
}

/**
 * Vaccine product and administration lines for a professional or outpatient note. A facility (ED, hospital)
 * supplies and gives its vaccines, so its professional claim carries neither (`facilitySupplied`).
 */
export function suggestVaccineLines(note: NoteInput, hcpcs: HcpcsDrugFile, cpt: CptKnowledge | null | undefined, options: { facilitySupplied?: boolean } = {}): VaccineLines {
  const given = findVaccinesGiven(note.text);
  if (given.length === 0 || options.facilitySupplied || note.encounter.setting === 'inpatient') return { given, lines: [], notices: [] };
  const products = productLines(note, given, hcpcs, cpt);
  return { given, lines: [...products.lines, ...administrationLines(note, given)], notices: products.notices };
}
