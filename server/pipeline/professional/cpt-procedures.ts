// CPT procedures read from a note by rule: wound repair by summed length and class, lesion excision by
// excised diameter and site, destruction of premalignant lesions, joint injection, IV infusion/hydration
// hours, and a few in-office procedures (I&D, nail avulsion, cerumen removal, splinting). Pure: the codes
// come from ./cpt-table.ts (code numbers only); whether a code is in the customer's licensed CPT file, and
// its descriptor, is decided by ./cpt-file.ts.

import type { Sentence } from '../sentences.ts';
import type { EvidenceSpan } from '../types.ts';
import { officeTestFindings } from './cpt-office-tests.ts';
import {
  bandFor,
  DIGIT_MODIFIERS,
  EXCISION,
  INFUSION,
  JOINT_CODES,
  JOINT_WORDS,
  OFFICE,
  REPAIR,
  REPAIR_RANK,
  type RepairClass,
  type Site,
  SITE_WORDS,
} from './cpt-table.ts';
import { performed, sentencesOf, span } from './procedure-text.ts';

export type Side = 'left' | 'right' | 'bilateral';

/** A procedure the note documents, before the licensed file is consulted. */
export interface ProcedureFinding {
  code: string;
  units: number;
  /** Which rule produced it (the line's match kind). */
  rule: 'repair' | 'excision' | 'excision_repair' | 'destruction' | 'joint_injection' | 'infusion' | 'incision_drainage' | 'nail_avulsion' | 'cerumen' | 'splint' | 'office_test' | 'descriptor';
  /** What the rule read, in our words ("simple repair, 2.5 cm scalp + 3.0 cm forearm = 5.5 cm"). */
  reasons: string[];
  evidence: EvidenceSpan[];
  /** Side documented for a paired organ or limb (laterality modifiers). */
  side?: Side;
  /** Where it was done, to tell distinct sites apart (modifier XS). */
  site?: string;
  /** Modifiers the rule itself decides (digit modifiers on a nail), each with its reason. */
  modifiers: { code: string; reason: string }[];
  /** Documented as done again the same day (modifier 76, or 77 by another physician). */
  repeat?: { byOther: boolean };
}

const LENGTH = /(\d+(?:\.\d+)?)\s*-?\s*(cm|mm)\b/gi;
const toCm = (value: string, unit: string): number => (unit.toLowerCase() === 'mm' ? Number(value) / 10 : Number(value));

/** The whole note line(s) a range sits in. */
function lineAround(text: string, start: number, end: number): string {
  return text.slice(text.lastIndexOf('\n', start - 1) + 1, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
}

/** The side written in a piece of text: "L", "left", "R", "right", "bilateral", "both". */
export function sideIn(text: string): Side | undefined {
  if (/\b(?:bilateral(?:ly)?|both|b\/l)\b/i.test(text)) return 'bilateral';
  const left = /\b(?:left|lt)\b|\bL\b/.test(text) || /\bleft\b/i.test(text);
  const right = /\b(?:right|rt)\b|\bR\b/.test(text) || /\bright\b/i.test(text);
  if (left && right) return 'bilateral';
  return left ? 'left' : right ? 'right' : undefined;
}

/** Site words of a text with their offsets ("forearms" reads as forearm). */
function siteWords(text: string): { word: string; site: Site; start: number; end: number }[] {
  const out: { word: string; site: Site; start: number; end: number }[] = [];
  for (const m of text.matchAll(/[A-Za-z]+/g)) {
    const w = m[0].toLowerCase();
    const word = Object.hasOwn(SITE_WORDS, w) ? w : Object.hasOwn(SITE_WORDS, w.replace(/s$/, '')) ? w.replace(/s$/, '') : null;
    if (!word) continue;
    // "came back", "back to work": "back" names the body part only after a side, a level or an article.
    if (word === 'back' && !/\b(?:upper|lower|mid|middle|low|left|right|l|r|the|his|her|their|of|to|on|across)\s+$/i.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    out.push({ word, site: SITE_WORDS[word]!, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// ---------------------------------------------------------------- wound repair

const REPAIR_DONE = /\b(?:repair(?:ed)?|closure|closed (?:with|in|using|primarily)|sutur\w*|staple[sd]?|tissue adhesive|dermabond)\b/i;
const WOUND_CUE = /\b(?:lacerations?|lac|wounds?|repair(?:ed)?|closure|sutur\w*|staple[sd]?)\b/i;
// Lines about an excision (read with it), a burn, or a repair of deeper or other structures (a vessel, tendon,
// nerve, the eye) that the skin repair codes do not describe.
const NOT_A_WOUND = /\b(?:excis\w*|margins?|biops\w*|ellipse|shave|burns?|vascular|anastomos[ie]s|graft|tendon|nerve|vessel|artery|scleral?|corneal?|conjunctival?|globe|hernia|fascia|bone defect|cranioplast\w*|acrylic|dural?)\b/i;

/** The repair class a piece of text states, if any ("simple interrupted" names a suture technique, not a class). */
export function repairClassIn(text: string): RepairClass | undefined {
  if (/\bcomplex (?:repair|closure)\b|\bextensive undermining\b|\bretention sutures?\b|\bdebridement of (?:the )?wound (?:edges|margins)\b/i.test(text)) return 'complex';
  if (/\b(?:intermediate|layered|(?:two|2|multi)[- ]?layer\w*|deep (?:dermal )?sutures?|subcutaneous sutures?|subcuticular)\b/i.test(text)) return 'intermediate';
  if (/\bsimple(?! interrupted| running)\b|\bsingle[- ]layer\b|\bsuperficial\b|\bstaple[sd]?\b|\btissue adhesive\b|\bdermabond\b/i.test(text)) return 'simple';
  return undefined;
}

interface Wound {
  site: Site;
  word: string;
  cm: number;
  side?: Side;
  cls?: RepairClass;
  /** A mention of this wound says it was repaired. */
  repaired: boolean;
  evidence: EvidenceSpan[];
}

/** Splits a sentence into one window per length: at the last "and", ";", "," or "(n)" between two lengths. */
function lengthWindows(text: string): { cm: number; start: number; end: number; lenStart: number; lenEnd: number }[] {
  const lengths = [...text.matchAll(LENGTH)].filter((m) => {
    const before = text.slice(Math.max(0, m.index - 4), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 4);
    return !/\d\s*x\s*$/i.test(before) && !/^\s*x\s*\d/i.test(after) && !/^\s*(?:margin|rim|from|away)/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 10));
  });
  const cut = (from: number, to: number): number => {
    let at = -1;
    for (const m of text.slice(from, to).matchAll(/\band\b|[;,]|\(\d\)/gi)) at = from + m.index;
    return at < 0 ? to : at;
  };
  return lengths.map((m, i) => {
    const prev = lengths[i - 1];
    const next = lengths[i + 1];
    return {
      cm: toCm(m[1]!, m[2]!),
      start: prev ? cut(prev.index + prev[0].length, m.index) : 0,
      end: next ? cut(m.index + m[0].length, next.index) : text.length,
      lenStart: m.index,
      lenEnd: m.index + m[0].length,
    };
  });
}

/** The class a line states for its only wound ("4 cm laceration of the palm. Closed in two layers."). */
function lineClass(text: string, s: Sentence): RepairClass | undefined {
  const line = lineAround(text, s.start, s.end);
  return lengthWindows(line).length === 1 ? repairClassIn(line) : undefined;
}

function woundsOf(text: string, sentences: readonly Sentence[]): Wound[] {
  const wounds: Wound[] = [];
  for (const s of sentences) {
    // The closure of an excision defect is read with its excision (excisionFindings), not as a wound.
    if (!WOUND_CUE.test(s.text) || NOT_A_WOUND.test(lineAround(text, s.start, s.end))) continue;
    for (const w of lengthWindows(s.text)) {
      const window = s.text.slice(w.start, w.end);
      // "Two lacerations of the forehead, 1.5 cm and 2 cm": a length with no site of its own takes the sentence's.
      const own = siteWords(window).map((x) => ({ ...x, start: x.start + w.start }));
      const sites = own.length ? own : siteWords(s.text);
      if (sites.length === 0) continue;
      const nearest = sites.reduce((a, b) => (Math.abs(b.start - w.lenStart) < Math.abs(a.start - w.lenStart) ? b : a));
      if (!performed(s, w.lenStart, w.lenEnd)) continue;
      wounds.push({ site: nearest.site, word: nearest.word, cm: w.cm, side: sideIn(window), cls: repairClassIn(window) ?? repairClassIn(s.text) ?? lineClass(text, s), repaired: REPAIR_DONE.test(s.text) || REPAIR_DONE.test(lineAround(text, s.start, s.end)), evidence: [span(text, s.start + w.start, s.start + w.end)] });
    }
  }
  // One wound written in the exam, the procedure and the assessment: same site group and length.
  const merged: Wound[] = [];
  for (const w of wounds) {
    const same = merged.find((m) => m.site === w.site && Math.abs(m.cm - w.cm) < 0.05 && (!m.side || !w.side || m.side === w.side));
    if (!same) merged.push({ ...w, evidence: [...w.evidence] });
    else {
      same.side ??= w.side;
      same.repaired ||= w.repaired;
      if (w.cls && (!same.cls || REPAIR_RANK[w.cls] > REPAIR_RANK[same.cls])) same.cls = w.cls;
      same.evidence.push(...w.evidence);
    }
  }
  return merged;
}

/**
 * Wound repair lines: lengths of one class in one anatomic group are summed into one code. Example:
 * "2.5 cm simple laceration repair of the scalp and 3 cm of the forearm" → 12002 (5.5 cm), units 1.
 */
export function repairFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const repairs = sentences.filter((s) => REPAIR_DONE.test(s.text) && !NOT_A_WOUND.test(lineAround(text, s.start, s.end)));
  if (repairs.length === 0) return [];
  // A repair written without a length ("laceration repaired with 4-0 nylon") covers the wounds measured elsewhere.
  const unmeasured = repairs.some((s) => lengthWindows(s.text).length === 0 && WOUND_CUE.test(s.text.replace(REPAIR_DONE, '')));
  const groups = new Map<string, { cls: RepairClass; ladder: (typeof REPAIR)[RepairClass][Site]; wounds: Wound[] }>();
  for (const w of woundsOf(text, sentences)) {
    if (!w.repaired && !unmeasured) continue; // a wound dressed, or left for the operating room, is not repaired here
    let cls = w.cls ?? 'simple';
    // CPT: a complex repair of 1.0 cm or less is reported as an intermediate (or simple) repair.
    if (cls === 'complex' && w.cm <= 1.0) cls = 'intermediate';
    const ladder = REPAIR[cls][w.site];
    const key = `${cls}|${ladder.group}`;
    const g = groups.get(key) ?? { cls, ladder, wounds: [] };
    g.wounds.push(w);
    groups.set(key, g);
  }
  const out: ProcedureFinding[] = [];
  for (const g of groups.values()) {
    const total = Math.round(g.wounds.reduce((sum, w) => sum + w.cm, 0) * 10) / 10;
    const band = bandFor(g.ladder, total);
    if (!band) continue;
    const parts = g.wounds.map((w) => `${w.cm} cm ${w.word}`).join(' + ');
    const reason = `${g.cls} repair, ${g.ladder.group}: ${parts}${g.wounds.length > 1 ? ` = ${total} cm (lengths of one class and site group are summed)` : ''}`;
    const evidence = g.wounds.flatMap((w) => w.evidence);
    const site = [...new Set(g.wounds.map((w) => w.word))].join('+');
    out.push({ code: band.code, units: 1, rule: 'repair', reasons: [reason], evidence, site, modifiers: [] });
    if (band.addOnUnits > 0 && g.ladder.addOn) out.push({ code: g.ladder.addOn.code, units: band.addOnUnits, rule: 'repair', reasons: [`${reason}; each further ${g.ladder.addOn.step} cm past ${g.ladder.bands.at(-1)!.max} cm`], evidence, site, modifiers: [] });
  }
  return out.sort((a, b) => rankOf(b) - rankOf(a));
}

const rankOf = (f: ProcedureFinding): number => (f.reasons[0]?.startsWith('complex') ? 2 : f.reasons[0]?.startsWith('intermediate') ? 1 : 0);

// ---------------------------------------------------------------- lesion excision and destruction

const MALIGNANT = /(?<!pre)(?<!pre-)\b(?:malignan\w*|carcinoma|melanoma|bcc|scc|lentigo maligna|dermatofibrosarcoma)\b/i;
const LESION_WORDS = /\b(?:lesion|papule|nodule|cyst|scar|macule|nevus|lipoma|carcinoma|melanoma|bcc|scc|keratosis|tumou?r|mass)\b/i;

/** The site of an excision: in its own line, else the assessment's line naming the lesion. */
function excisionSite(line: string, text: string, sentences: readonly Sentence[]): { word: string; site: Site; side?: Side } | undefined {
  const own = siteWords(line)[0];
  if (own) return { word: own.word, site: own.site, side: sideIn(line) };
  const ordered = [...sentences.filter((s) => s.section === 'assessment' || s.section === 'assessment_plan' || s.section === 'diagnoses'), ...sentences];
  for (const s of ordered) {
    if (!LESION_WORDS.test(s.text)) continue;
    const w = siteWords(s.text)[0];
    if (w) return { word: w.word, site: w.site, side: sideIn(s.text) };
  }
  return undefined;
}

/**
 * Excision lines by excised diameter (greatest lesion diameter + twice the narrowest margin) and site;
 * an intermediate or complex closure of the defect is its own repair line (a simple one is included).
 * Example: "Lesion 0.8 cm outlined with 3 mm margins" on the ear, malignant → 11642 (1.4 cm).
 */
export function excisionFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const cue = /\bexcis(?:ion|ed)\b/i.exec(line);
    if (!cue || /\b(?:shave|biopsy)\b[^.]*\bexcis/i.test(line.slice(0, cue.index + cue[0].length))) continue;
    const inSentence = sentences.find((s) => s.start <= lineStart + cue.index && s.end >= lineStart + cue.index + cue[0].length);
    if (!inSentence || !performed(inSentence, lineStart + cue.index - inSentence.start, lineStart + cue.index + cue[0].length - inSentence.start)) continue;
    const stated = /excised diameter(?: of| was| is|:)?\s*(\d+(?:\.\d+)?)\s*(cm|mm)\b/i.exec(line);
    const margin = /(\d+(?:\.\d+)?)\s*(cm|mm)\s*(?:\w+\s){0,2}margins?\b|margins? of\s*(\d+(?:\.\d+)?)\s*(cm|mm)\b/i.exec(line);
    const lesion = /(?:\b(?:lesion|papule|nodule|cyst|scar|macule|nevus|lipoma)\b[^.;]{0,40}?\(?(\d+(?:\.\d+)?)\s*(cm|mm)\b)|(?:(\d+(?:\.\d+)?)\s*(cm|mm)\s+(?:\w+\s){0,3}(?:lesion|papule|nodule|cyst|scar|macule|nevus|lipoma))/i.exec(line);
    let diameter: number | undefined;
    let how = '';
    if (stated) {
      diameter = toCm(stated[1]!, stated[2]!);
      how = `excised diameter ${diameter} cm as documented`;
    } else if (margin && lesion) {
      const m = margin[1] ? toCm(margin[1], margin[2]!) : toCm(margin[3]!, margin[4]!);
      const l = lesion[1] ? toCm(lesion[1], lesion[2]!) : toCm(lesion[3]!, lesion[4]!);
      diameter = Math.round((l + 2 * m) * 100) / 100;
      how = `lesion ${l} cm + 2 × ${m} cm margins = ${diameter} cm excised diameter`;
    }
    if (diameter === undefined) continue;
    const where = excisionSite(line, text, sentences);
    if (!where) continue;
    const assessment = sentences.filter((s) => s.section === 'assessment' || s.section === 'assessment_plan').map((s) => s.text).join(' ');
    const behaviour = MALIGNANT.test(line) || MALIGNANT.test(assessment) ? 'malignant' : 'benign';
    const ladder = EXCISION[behaviour][where.site];
    const band = bandFor(ladder, diameter)!;
    const evidence = [span(text, lineStart, lineStart + line.length)];
    out.push({
      code: band.code,
      units: 1,
      rule: 'excision',
      reasons: [`excision, ${behaviour} lesion, ${ladder.group} (${where.word}): ${how}`, ...(behaviour === 'benign' ? ['Benign by the note: code the final pathology (malignant lesions are 116xx).'] : [])],
      evidence,
      site: `${where.word}|${where.side ?? ''}`,
      side: where.side,
      modifiers: [],
    });
    // The closure of the defect: intermediate or complex repair is reported separately (CPT excision guidelines).
    const cls = repairClassIn(line);
    const closed = /(?:closed length|closure length|final (?:closed )?length|repair length|length of (?:the )?(?:closure|repair))\D{0,10}(\d+(?:\.\d+)?)\s*(cm|mm)\b/i.exec(line);
    if (cls && cls !== 'simple' && closed) {
      const repairCm = toCm(closed[1]!, closed[2]!);
      const repair = bandFor(REPAIR[cls][where.site], repairCm);
      if (repair) out.push({ code: repair.code, units: 1, rule: 'excision_repair', reasons: [`${cls} repair of the excision defect, ${REPAIR[cls][where.site].group}: ${repairCm} cm (separately reported with an excision; simple closure is included)`], evidence, site: `${where.word}|${where.side ?? ''}`, modifiers: [] });
    }
  }
  return out;
}

const WORD_NUMBERS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/**
 * Destruction of premalignant lesions (actinic keratoses): 17000 for the first, 17003 for each of the 2nd–14th,
 * 17004 alone for 15 or more. Example: "cryotherapy to 3 actinic keratoses" → 17000 + 17003 × 2.
 */
export function destructionFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  for (const s of sentences) {
    const cue = /\b(?:cryotherapy|cryosurgery|liquid nitrogen|destruction|destroyed|curettage and electrodesiccation)\b/i.exec(s.text);
    const count = /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s)?(?:actinic keratos[ie]s|aks?|premalignant lesions?)\b/i.exec(s.text) ?? /\b(?:actinic keratos[ie]s|aks)\s*(?:x|×)\s*(\d+)\b/i.exec(s.text);
    if (!cue || !count || !performed(s, cue.index, cue.index + cue[0].length)) continue;
    const n = /^\d+$/.test(count[1]!) ? Number(count[1]) : WORD_NUMBERS[count[1]!.toLowerCase()]!;
    const evidence = [span(text, s.start, s.end)];
    const site = siteWords(s.text)[0]?.word ?? 'skin';
    if (n >= 15) return [{ code: '17004', units: 1, rule: 'destruction', reasons: [`destruction of ${n} premalignant lesions (15 or more: one code)`], evidence, site, modifiers: [] }];
    const first: ProcedureFinding = { code: '17000', units: 1, rule: 'destruction', reasons: [`destruction of premalignant lesions: first of ${n}`], evidence, site, modifiers: [] };
    return n > 1 ? [first, { code: '17003', units: n - 1, rule: 'destruction', reasons: [`destruction of premalignant lesions: lesions 2–${n}, each`], evidence, site, modifiers: [] }] : [first];
  }
  return [];
}

// ---------------------------------------------------------------- injections and infusions

const JOINT_LIST = Object.keys(JOINT_WORDS).join('|');
const JOINT_NAMED = new RegExp(String.raw`\b(?:${JOINT_LIST})\s+(?:injection|aspiration)\b|\b(?:injection|aspiration) of (?:the )?(?:(?:left|right|l|r)\s+)?(?:${JOINT_LIST})\b`, 'i');
const JOINT_INJECTION = /\b(?:intra-?articular|arthrocentesis|joint (?:injection|aspiration)|(?:aspirat|inject)\w*)\b/i;

/**
 * Arthrocentesis / joint or bursa injection by joint size, with or without ultrasound guidance.
 * Example: "R ankle (tibiotalar) intra-articular injection, landmark-guided" → 20605, side right.
 */
export function jointFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  for (const s of sentences) {
    const cue = JOINT_INJECTION.exec(s.text);
    // "Knee aspiration" names a joint procedure; "IM injection in the left shoulder" (deltoid) does not.
    const named = /\b(?:intra-?articular|arthrocentesis|joint|bursa|bursal|subacromial|trochanteric)\b/i.test(s.text) || JOINT_NAMED.test(s.text);
    if (!cue || !named || /\b(?:im|intramuscular\w*|deltoid|vaccine)\b/i.test(s.text)) continue;
    if (!performed(s, cue.index, cue.index + cue[0].length)) continue;
    const guided = /\b(?:ultrasound|us|sonograph\w*)[- ](?:guid\w*)|\b(?:under|with) (?:ultrasound|us)\b/i.test(s.text) && !/\b(?:no|without) (?:ultrasound|imaging)/i.test(s.text);
    // Each joint in its own clause ("right shoulder injection and left knee aspiration": two joints, two sides).
    const clauses = [...s.text.matchAll(/[^;,]+?(?=\band\b|[;,]|$)/gi)].map((m) => ({ text: m[0], start: m.index }));
    for (const clause of clauses) {
      const joint = [...clause.text.matchAll(/[A-Za-z]+/g)].map((m) => m[0].toLowerCase()).find((w) => Object.hasOwn(JOINT_WORDS, w));
      if (!joint) continue;
      const size = JOINT_WORDS[joint]!;
      const code = guided ? JOINT_CODES[size].ultrasound : JOINT_CODES[size].plain;
      const side = sideIn(clause.text) ?? sideIn(s.text);
      if (out.some((f) => f.code === code && f.site === joint && f.side === side)) continue; // the same injection written twice
      out.push({ code, units: 1, rule: 'joint_injection', reasons: [`arthrocentesis/injection, ${size} joint (${joint}), ${guided ? 'with' : 'without'} ultrasound guidance`], evidence: [span(text, s.start, s.end)], side, site: joint, modifiers: [] });
    }
  }
  return out;
}

const INFUSION_CUE = /\b(?:infusion|infused|(?:iv|intravenous) hydration|iv fluids?|(?:normal saline|ns|lactated ringer'?s?|lr) (?:bolus|infusion))\b/i;
// "0.4 mg/kg over 60 min in daily sessions", "oral hydration": a regimen or not an IV administration.
const NOT_AN_INFUSION_TODAY = /\b(?:daily|every \d+|per day|sessions?|weekly|oral hydration|po hydration)\b/i;
const FLUIDS_ONLY = /^(?:\s|normal|saline|ns|0\.9%|lactated|ringer'?s?|lr|d5w|iv|fluids?|bolus|hydration|infusion|infused|of|ml|l|liters?|litres?|\d+(?:\.\d+)?|mL|cc|over|for|given|started|at|hours?|hrs?|minutes?|mins?|h|the|a|an|with|and|via|peripheral|line|\/|,|-|\(|\))*$/i;

function minutesIn(text: string): number | undefined {
  const over = /\b(?:over|for|infused over|infusion time|duration)\s*(?:of\s*)?(\d+(?:\.\d+)?)\s*(minutes?|mins?|hours?|hrs?|h)\b/i.exec(text);
  if (over) return /^h/i.test(over[2]!) ? Number(over[1]) * 60 : Number(over[1]);
  const times = /\b(?:start(?:ed)?|from)\s*(?:at\s*)?(\d{1,2}):(\d{2})\b.*?\b(?:stop(?:ped)?|end(?:ed)?|to|until|completed)\s*(?:at\s*)?(\d{1,2}):(\d{2})\b/i.exec(text);
  if (!times) return undefined;
  const diff = Number(times[3]) * 60 + Number(times[4]) - (Number(times[1]) * 60 + Number(times[2]));
  return diff > 0 ? diff : undefined;
}

/**
 * IV infusion (a drug) or hydration (fluids only) by documented minutes: the initial hour, then each
 * additional hour once more than 30 minutes past the hour. Example: "ceftriaxone infusion over 100 minutes"
 * → 96365 + 96366 × 1. Not in a facility (ED, inpatient): the facility bills its infusions.
 */
export function infusionFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  for (const s of sentences) {
    const cue = INFUSION_CUE.exec(s.text);
    if (!cue || NOT_AN_INFUSION_TODAY.test(s.text) || !performed(s, cue.index, cue.index + cue[0].length)) continue;
    const minutes = minutesIn(s.text);
    if (minutes === undefined) continue;
    const kind = FLUIDS_ONLY.test(s.text.replace(/[.:;]/g, ' ')) ? 'hydration' : 'therapeutic';
    const codes = INFUSION[kind];
    if (out.some((f) => f.code === codes.initial)) continue;
    if (minutes < codes.minMinutes) continue; // 15 minutes or less is a push; hydration needs more than 30
    const additional = minutes <= 90 ? 0 : Math.ceil((minutes - 90) / 60 - 1e-9);
    const evidence = [span(text, s.start, s.end)];
    out.push({ code: codes.initial, units: 1, rule: 'infusion', reasons: [`IV ${kind === 'hydration' ? 'hydration' : 'infusion'}, ${minutes} min: initial hour`], evidence, modifiers: [] });
    if (additional > 0) out.push({ code: codes.additional, units: additional, rule: 'infusion', reasons: [`${minutes} min: ${additional} additional hour(s), each counted once more than 30 minutes past the hour`], evidence, modifiers: [] });
  }
  return out;
}

// ---------------------------------------------------------------- in-office procedures

const DIGITS: Readonly<Record<string, number>> = { great: 1, big: 1, hallux: 1, thumb: 1, first: 1, second: 2, index: 2, '2nd': 2, third: 3, middle: 3, '3rd': 3, fourth: 4, ring: 4, '4th': 4, fifth: 5, little: 5, small: 5, pinky: 5, '5th': 5 };

/** Each digit a sentence names ("left great toenail and right second toenail"), with its CMS digit modifier. */
function digitModifiers(text: string): { code: string; side: Side; reason: string }[] {
  const out: { code: string; side: Side; reason: string }[] = [];
  for (const m of text.matchAll(/\b(great|big|second|third|fourth|fifth|2nd|3rd|4th|5th|index|middle|ring|little|small|pinky|first)\s+(toe|finger)(?:nail)?\b|\b(hallux|thumb)(?:nail)?\b/gi)) {
    // The side written just before this digit, else the sentence's.
    const side = sideIn(text.slice(Math.max(0, m.index - 12), m.index)) ?? sideIn(text);
    if (side !== 'left' && side !== 'right') continue;
    const kind = m[3] ? (m[3].toLowerCase() === 'thumb' ? 'finger' : 'toe') : (m[2]!.toLowerCase() as 'finger' | 'toe');
    const digit = DIGITS[(m[1] ?? m[3])!.toLowerCase()]!;
    const code = DIGIT_MODIFIERS[kind][side][digit - 1]!;
    if (!out.some((o) => o.code === code)) out.push({ code, side, reason: `${side} ${m[0].toLowerCase()}: digit modifier ${code} (CMS ${kind === 'toe' ? 'TA, T1–T9' : 'FA, F1–F9'})` });
  }
  return out;
}

/** I&D of an abscess, nail avulsion, cerumen removal and splint application, one cue each. */
export function officeFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  const add = (f: ProcedureFinding) => {
    if (!out.some((o) => o.code === f.code && o.site === f.site && o.side === f.side)) out.push(f);
  };
  for (const s of sentences) {
    const ev = [span(text, s.start, s.end)];
    const id = /\b(?:incision and drainage|i\s?&\s?d|incised and drained)\b/i.exec(s.text);
    if (id && /\babscess|boil|furuncle|carbuncle|paronychia|cyst\b/i.test(text) && performed(s, id.index, id.index + id[0].length)) {
      const complicated = /\b(?:complicated|multiple (?:abscesses|sites|incisions)|loculations? (?:broken|disrupted)|several abscesses)\b/i.test(s.text);
      add({ code: complicated ? OFFICE.incisionDrainage.complicated : OFFICE.incisionDrainage.simple, units: 1, rule: 'incision_drainage', reasons: [`incision and drainage of an abscess, ${complicated ? 'complicated or multiple' : 'simple or single'}`], evidence: ev, site: siteWords(s.text)[0]?.word, modifiers: [] });
    }
    const nail = /\b(?:(?:partial |complete |total )?(?:nail(?: plate)?|toenail|fingernail) (?:avulsion|removal|removed|avulsed)|avulsion of (?:the )?(?:\w+ ){0,3}(?:nail|toenail|fingernail)(?: plate)?)\b/i.exec(s.text);
    if (nail && performed(s, nail.index, nail.index + nail[0].length)) {
      const digits = digitModifiers(s.text);
      if (digits.length === 0) add({ code: OFFICE.nailAvulsion.first, units: 1, rule: 'nail_avulsion', reasons: ['avulsion of a nail plate, partial or complete, first nail'], evidence: ev, side: sideIn(s.text), site: 'nail', modifiers: [] });
      digits.forEach((d, i) => {
        const first = i === 0 && !out.some((o) => o.code === OFFICE.nailAvulsion.first);
        const code = first ? OFFICE.nailAvulsion.first : OFFICE.nailAvulsion.additional;
        add({ code, units: 1, rule: 'nail_avulsion', reasons: [first ? 'avulsion of a nail plate, partial or complete, first nail' : 'avulsion of a nail plate, each additional nail'], evidence: ev, side: d.side, site: d.code, modifiers: [{ code: d.code, reason: d.reason }] });
      });
    }
    const wax = /\b(?:cerumen|ear ?wax)\b/i.exec(s.text);
    if (wax && /\b(?:remov\w*|disimpact\w*|curett\w*|irrigat\w*|lavage|extract\w*)\b/i.test(s.text) && performed(s, wax.index, wax.index + wax[0].length)) {
      const instrument = /\b(?:curette?\w*|forceps|suction|loop|instrument\w*|alligator)\b/i.test(s.text);
      const side = sideIn(s.text) ?? (/\bears\b/i.test(s.text) ? 'bilateral' : undefined);
      const code = instrument ? OFFICE.cerumen.instrumentation : OFFICE.cerumen.irrigation;
      add({ code, units: 1, rule: 'cerumen', reasons: [`removal of impacted cerumen ${instrument ? 'with instrumentation' : 'by irrigation/lavage'}, per ear`], evidence: ev, side, site: 'ear', modifiers: [] });
    }
    const splint = /\bsplint(?:ed|ing)?\b/i.exec(s.text);
    if (splint && /\b(?:applied|placed|application|fitted|splinted)\b/i.test(s.text) && performed(s, splint.index, splint.index + splint[0].length)) {
      const type = /\blong[- ]arm\b/i.test(s.text)
        ? 'long_arm'
        : /\b(?:short[- ]arm|volar|forearm|ulnar gutter|radial gutter|thumb spica|wrist)\b/i.test(s.text)
          ? 'short_arm'
          : /\b(?:finger|digit|mallet)\b/i.test(s.text)
            ? 'finger'
            : /\blong[- ]leg\b/i.test(s.text)
              ? 'long_leg'
              : /\b(?:short[- ]leg|posterior (?:leg|ankle)|ankle stirrup|stirrup|lower leg)\b/i.test(s.text)
                ? 'short_leg'
                : null;
      if (type) add({ code: OFFICE.splint[type], units: 1, rule: 'splint', reasons: [`static splint application, ${type.replace('_', ' ')}`], evidence: ev, side: sideIn(s.text), site: type, modifiers: [] });
    }
  }
  return out;
}

/** Every rule-based CPT procedure of a note, in note order of their first evidence. */
export function procedureFindings(text: string, options: { facilitySupplied?: boolean } = {}): ProcedureFinding[] {
  const sentences = sentencesOf(text);
  return [
    ...repairFindings(text, sentences),
    ...excisionFindings(text, sentences),
    ...destructionFindings(text, sentences),
    ...jointFindings(text, sentences),
    ...(options.facilitySupplied ? [] : infusionFindings(text, sentences)),
    ...officeFindings(text, sentences),
    ...(options.facilitySupplied ? [] : officeTestFindings(text, sentences)),
  ];
}
