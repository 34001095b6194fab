// CPT skin procedures read from a note: wound repair by summed length and class (12001–13153), lesion excision
// by excised diameter and site (11400–11646) with the repair of its defect, and destruction of premalignant
// lesions (17000/17003/17004). Code numbers come from ./cpt-table.ts.

import type { Sentence } from '../sentences.ts';
import type { EvidenceSpan } from '../types.ts';
import { bandFor, EXCISION, REPAIR, REPAIR_RANK, type RepairClass, type Site } from './cpt-table.ts';
import { LENGTH, lineAround, performed, type ProcedureFinding, sentencesOf, type Side, sideIn, siteWords, span, toCm } from './procedure-text.ts';

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
