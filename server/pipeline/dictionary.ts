// The term dictionary: Alphabetic Index paths, tabular inclusion terms and code titles compiled into
// word-set patterns, indexed by their rarest word so that matching a sentence looks only at the entries
// that could match it (not every code per sentence).
import { FREE_EXTRAS, isStopword, stems, stemWord } from '../index/lexical-score.ts';
import { NOTE_WORD, withoutPossessives } from './tokens.ts';

export interface DictionaryTerm {
  code: string;
  /** 'index' | 'inclusion' | 'title' (see TERM_KINDS). */
  kind: string;
  text: string;
  path?: string[] | null;
  modifiers?: string[] | null;
  incomplete?: boolean;
}

/** One level of a term: any alternative's words must all be present ("Diabetes, diabetic" → [[diabete], [diabetic]]). */
export interface Slot {
  alternatives: string[][];
}

export interface DictionaryEntry {
  id: number;
  term: DictionaryTerm;
  slots: Slot[];
  /** Nonessential-modifier words: optional, but a sign of a good match when present. */
  optional: string[];
  /** Number of required words in the shortest satisfying reading: how specific the entry is. */
  size: number;
  /**
   * Words whose presence in the sentence rules the entry out: its Index level "not specified as recurrent" is
   * the default reading, met when the note does not say "recurrent" (A04.72 beside A04.71), never by the words.
   */
  unless?: string[];
  /**
   * An inclusion term that links two conditions by "due to" ("Iron deficiency anemia due to inadequate dietary iron
   * intake", D50.8): a note that writes the link spreads the term's words by its two words.
   */
  linkWords?: number;
}

export interface Dictionary {
  entries: DictionaryEntry[];
  /** stem → ids of entries that require it in their anchor slot. */
  byAnchor: Map<string, number[]>;
  /**
   * Stems of one-word Index main terms that carry their own neoplasm code ("Melanoma C43.9", "Lymphoma C85.90",
   * "Lipoma D17.9"). The Index is read before the Neoplasm Table (OCG I.C.2): a table reading over a span
   * that names one of these morphologies ("malignant melanoma … arm" as "arm NEC, malignant") is wrong.
   */
  ownMorphology: Set<string>;
}

/**
 * Words that never make a match: the default words of titles (unspecified, NOS, NEC, initial encounter)
 * and "personal" from the Index's "History, personal (of)" — notes say "history of MI", not "personal";
 * "level(s)" in "Elevation of levels of liver transaminase levels" — notes say "elevated transaminases";
 * "region" in the spine's segments ("Stenosis, spinal, lumbar region", "Radiculopathy, cervical region") —
 * notes say "lumbar spinal stenosis", "cervical radiculopathy".
 */
const FREE = new Set([...FREE_EXTRAS, 'personal', 'level', 'region']);

/**
 * One Index level as slots. Comma-separated forms of one word are alternatives ("Diabetes, diabetic",
 * "femur, femoral": see sameWordFamily); other comma pieces are further required words ("Fracture,
 * pathological"), except, in an injury code's path, the default qualifier "traumatic" (a fracture is traumatic
 * unless stated). Elsewhere "traumatic" is what the code says: "Emphysema, traumatic" is T79.7, not emphysema.
 */
function slotsOf(part: string, injury = false): Slot[] {
  // "due to drug or chemical" (E09): either word, not both.
  const either = /^([^,()]+?)\s+or\s+([^,()]+)$/i.exec(part.trim());
  if (either) {
    const sides = [either[1]!, either[2]!].map((p) => termStems(p).filter((w) => !FREE.has(w) && !(injury && DEFAULT_QUALIFIERS.has(w))));
    // One word a side: "Ludwig's angina or disease" is Ludwig's angina or Ludwig's disease, not any disease. And no
    // generic word: "History, personal, disease or disorder" (Z87.898) is no reading of every "disease".
    if (sides.every((w) => w.length === 1 && !GENERIC_CONDITION.has(w[0]!))) return [{ alternatives: sides }];
  }
  // "neuritis, radiculitis or radiculopathy" (M50.1- under "Displacement, intervertebral disc, cervical"): a list of
  // disease names that ends in "or" names alternatives, not words all required. Disease names only (-itis, -pathy,
  // -algia, -osis, sciatica): "failed, difficult or …" lists of other words are read as before.
  const listed = /^[^,()]+(?:,\s*[^,()]+)+\s+or\s+[^,()]+$/i.test(part.trim()) ? part.trim().split(/\s*,\s*|\s+or\s+/) : null;
  if (listed && listed.every((w) => /^[a-z]+(?:itis|pathy|algia|osis|ica)$/i.test(w))) return [{ alternatives: listed.map((w) => [stemWord(w.toLowerCase())]) }];
  const pieces = part.split(',').map((p) => termStems(p.replace(/\([^)]*\)/g, ' ')).filter((w) => !FREE.has(w) && !(injury && DEFAULT_QUALIFIERS.has(w))));
  const slots: Slot[] = [];
  let current: string[][] = [];
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const head = current[0];
    if (head && sameWordFamily(head, piece)) current.push(piece);
    else {
      if (current.length) slots.push({ alternatives: current });
      current = [piece];
    }
  }
  if (current.length) slots.push({ alternatives: current });
  return slots.map(withHyphenatedPrefixes);
}

/**
 * The Index writes "intraarticular", "extraarticular", "intraabdominal" as one word; notes write "intra-articular", which
 * reads as two words. A one-word alternative with such a prefix also reads as its two parts.
 */
const PREFIXED = /^(intra|extra)([a-z]{5,})$/;
function withHyphenatedPrefixes(slot: Slot): Slot {
  const split = slot.alternatives.flatMap((a) => (a.some((w) => PREFIXED.test(w)) ? [a.flatMap((w) => (PREFIXED.test(w) ? termStems(w.replace(PREFIXED, '$1 $2')) : [w]))] : []));
  return split.length ? { alternatives: [...slot.alternatives, ...split] } : slot;
}

const DEFAULT_QUALIFIERS = new Set(['traumatic']);
const GENERIC_CONDITION = new Set(['disease', 'disorder', 'condition', 'syndrome', 'state', 'problem', 'illness', 'complication', 'abnormality', 'other', 'type', 'site']);
/**
 * An eponym's main term ("Kawasaki's syndrome", "Graves' disease"): notes write the other noun as often
 * ("Kawasaki disease"), and it names the same condition.
 */
const EPONYM = /^[A-Z][a-z]+(?:-[A-Z][a-z]+)?['’]s? (?:syndrome|disease)$/;
const OTHER_NOUN: Record<string, string> = { syndrome: 'disease', disease: 'syndrome' };
const eitherEponymNoun = (slot: Slot): Slot => ({ alternatives: [...slot.alternatives, ...slot.alternatives.map((a) => a.map((w) => OTHER_NOUN[w] ?? w))] });
/** An Index level "with current pathologic(al) fracture" (Osteoporosis, … M80.-). */
const CURRENT_PATHOLOGIC_FRACTURE = /^with current pathologic(?:al)? fracture$/i;
/** An Index level naming radiation treatment: "irradiation therapy", "radiation therapy". */
const RADIATION_THERAPY = /^(?:ir)?radiation therapy$/i;
/** Melanoma of skin (C43), other skin cancers (C44), melanoma in situ (D03), carcinoma in situ of skin (D04), nevi (D22, D23). */
const SKIN_LESION_CODES = /^(?:C43|C44|D03|D04|D22|D23)/;
/** Injuries by body region (S00–T14): their main terms ("Fracture", "Dislocation") are traumatic unless stated otherwise. */
const isInjuryByRegion = (code: string) => /^(S|T0\d|T1[0-4])/.test(code);
/**
 * Main terms that name an injury themselves: under them "traumatic" is the default. Under "Hemorrhage" it is not
 * ("Hemorrhage, intracranial, subarachnoid, traumatic" S06.6 is no reading of "subarachnoid hemorrhage", I60.9).
 */
const INJURY_MAIN_TERM = /^\s*(?:fracture|dislocation|subluxation|sprain|strain|laceration|contusion|abrasion|avulsion|puncture|crush|injury|wound|bite|blister|concussion)\b/i;

/**
 * Main terms whose comma forms are one word spelled two ways the shared-prefix test cannot see: "Tear, torn" (87
 * subterms, rotator cuff and meniscus tears among them), "Atresia, atretic", "Tendinitis, tendonitis", … Read as
 * two required words, none of those subterms could ever match a note.
 */
const IRREGULAR_FAMILIES: readonly (readonly [string, string])[] = (
  [
    ['tear', 'torn'], ['wear', 'worn'], ['atresia', 'atretic'], ['tendinitis', 'tendonitis'], ['discitis', 'diskitis'],
    ['hyperhidrosis', 'hyperidrosis'], ['mycosis', 'mycotic'], ['keloid', 'cheloid'], ['listeriosis', 'listerellosis'],
    ['diminished', 'diminution'], ['scurvy', 'scorbutic'], ['vision', 'visual'], ['recession', 'receding'], ['pseudarthrosis', 'pseudoarthrosis'],
  ] as const
).map(([x, y]) => [stemWord(x), stemWord(y)] as const);

/** "femur"/"femoral", "infection"/"infective": a shared stem of at least 3 letters and 60% of the shorter word. */
function sameWordFamily(a: string[], b: string[]): boolean {
  if (a.length !== 1 || b.length !== 1) return false;
  const [x, y] = [a[0]!, b[0]!];
  if (IRREGULAR_FAMILIES.some(([p, q]) => (x === p && y === q) || (x === q && y === p))) return true;
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n >= 3 && n >= 0.6 * Math.min(x.length, y.length);
}

/**
 * The Neoplasm Table's columns as note words (ICD-10-CM Index: "Carcinoma — see Neoplasm, malignant, by
 * site", "Metastasis — see Neoplasm, secondary, by site", "Adenoma — see Neoplasm, benign, by site",
 * "Tumor — see Neoplasm, unspecified behavior, by site"). Stems; several words = all required. "Uncertain
 * behavior" is a pathologist's statement, not a note's word: not matched.
 */
const NEOPLASM_BEHAVIOUR: Record<string, string[][]> = {
  'malignant primary': [['cancer'], ['carcinoma'], ['adenocarcinoma'], ['malignancy'], ['malignant'], ['sarcoma'], ['malignant', 'tumor'], ['malignant', 'neoplasm'], ['malignant', 'neoplasia']],
  'malignant secondary': [['metastasis'], ['metastatic'], ['metastatic', 'tumor'], ['metastatic', 'carcinoma'], ['metastatic', 'disease']],
  'ca in situ': [['carcinoma', 'situ']],
  benign: [['adenoma'], ['benign', 'tumor'], ['benign', 'neoplasm'], ['benign', 'neoplasia']],
  'unspecified behavior': [['tumor'], ['tumour'], ['neoplasm'], ['neoplasia'], ['tumoration']],
};

/**
 * The adjective a note writes for the noun of an Index level: organs ("hepatic metastases" → liver, "renal
 * infarction" → kidney), bones ("R fibular shaft" → fibula) and a few conditions ("hyperosmolar" → hyperosmolarity).
 * Used on Neoplasm Table sites and on subterms, where the noun is the whole level (withSiteAdjectives).
 */
const SITE_ADJECTIVES: Record<string, string[]> = {
  liver: ['hepatic'], lung: ['pulmonary'], kidney: ['renal'], stomach: ['gastric'], bladder: ['vesical'], prostate: ['prostatic'],
  pancrea: ['pancreatic'], ovary: ['ovarian'], testis: ['testicular'], colon: ['colonic'], rectum: ['rectal'], uterus: ['uterine'],
  brain: ['cerebral'], cerebellum: ['cerebellar'], bone: ['osseous', 'bony'], skin: ['cutaneous'], breast: ['mammary'], esophagus: ['esophageal'], duodenum: ['duodenal'],
  larynx: ['laryngeal'], pharynx: ['pharyngeal'], tongue: ['lingual'], spleen: ['splenic'], urethra: ['urethral'], ureter: ['ureteral'],
  peritoneum: ['peritoneal'], pleura: ['pleural'], adrenal: ['suprarenal'], thyroid: [], cecum: ['cecal'], ileum: ['ileal'], jejunum: ['jejunal'],
  // Bones, as fracture notes name them ("R fibular shaft", "distal radial fracture", "L lateral malleolar").
  fibula: ['fibular'], tibia: ['tibial'], femur: ['femoral'], humerus: ['humeral'], radius: ['radial'], ulna: ['ulnar'],
  malleolus: ['malleolar'], clavicle: ['clavicular'], scapula: ['scapular'], patella: ['patellar'], calcaneus: ['calcaneal'],
  phalanx: ['phalangeal'], pelvis: ['pelvic'], sacrum: ['sacral'], vertebra: ['vertebral'],
  // The joints notes name by their bones: the glenohumeral joint is the shoulder's.
  shoulder: ['glenohumeral'],
  // Digestive sites notes name by adjective ("pyloric stenosis" is "Stenosis, pylorus").
  pylorus: ['pyloric'], appendix: ['appendiceal'],
  // Not a site, the same kind of noun level: "Hyperosmolar hyperglycemic state" is "Diabetes, with, hyperosmolarity" (E1x.0-).
  hyperosmolarity: ['hyperosmolar'],
};

/**
 * A spinal level names its vertebra: "current pathological fracture of T12" is of a vertebra (M80.08-). Not S1–S5: "S1"
 * is as often the first heart sound. Not on the Neoplasm Table: "metastatic carcinoma to bone (T8)" read through
 * "Neoplasm, bone, vertebra" would take the primary column too.
 */
// Nor T3, T4 (thyroid hormones) or C3, C4 (complement levels).
const SPINAL_LEVELS = (['c', 't', 'l'] as const).flatMap((r) => Array.from({ length: { c: 7, t: 12, l: 5 }[r] }, (_, i) => `${r}${i + 1}`)).filter((l) => !['t3', 't4', 'c3', 'c4'].includes(l));

/**
 * Noun and adjective of each site as stems, both ways ("sacrum" → "sacral", "sacral" → "sacrum"): completion reads a
 * title's "Pressure ulcer of sacral region" in "Pressure ulcer of sacrum" (candidates.ts completionStems).
 */
export const SITE_FORMS: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  const add = (a: string, b: string) => out.set(a, [...(out.get(a) ?? []), b]);
  for (const [noun, adjectives] of Object.entries({ ...SITE_ADJECTIVES, vertebra: [...SITE_ADJECTIVES.vertebra!, ...SPINAL_LEVELS] })) {
    for (const adjective of adjectives) {
      add(stemWord(noun), stemWord(adjective));
      add(stemWord(adjective), stemWord(noun));
    }
  }
  return out;
})();

/**
 * A site level of an Index path also matches the note's organ adjective: "Abscess, liver" meets "hepatic
 * abscess", "Infarct, kidney" meets "renal infarction". Only subterms (never the main term), and only
 * where the site noun is the whole level.
 */
function withSiteAdjectives(slot: Slot, levels = true): Slot {
  const has = new Set(slot.alternatives.map((a) => a.join(' ')));
  const formsOf = (noun: string) => [...(SITE_ADJECTIVES[noun] ?? []), ...(levels && noun === 'vertebra' ? SPINAL_LEVELS : [])];
  const extra = slot.alternatives.flatMap((a) => (a.length === 1 ? formsOf(a[0]!).filter((w) => !has.has(w)).map((w) => [w]) : []));
  return extra.length ? { alternatives: [...slot.alternatives, ...extra] } : slot;
}

/**
 * The parts of the large and small intestine notes name instead of them: "sigmoid diverticulitis" is diverticulitis of
 * the large intestine, "Crohn's disease of the terminal ileum" regional enteritis of the small intestine. (Not the
 * duodenum, which the Index lists on its own: "duodenal obstruction" is K31.5.)
 */
const INTESTINE_PARTS: Record<'large' | 'small', string[][]> = {
  large: ['colon', 'colonic', 'sigmoid', 'rectosigmoid', 'cecum', 'cecal'].map((w) => [w]),
  small: ['ileum', 'ileal', 'jejunum', 'jejunal'].map((w) => [w]),
};

/**
 * The Index's "…, intestine, large, …" and "…, intestine, small, …" levels (K57.2-/K57.3- diverticulitis, K56.69-
 * obstruction, K50.0- Crohn's) as one site: "large intestine" / "large bowel" written together, or a part of it
 * ("sigmoid", "colon", "terminal ileum"). In place.
 */
function intestineByPart(slots: Slot[]): void {
  const only = (slot: Slot | undefined, word: string) => slot?.alternatives.length === 1 && slot.alternatives[0]!.length === 1 && slot.alternatives[0]![0] === word;
  for (const part of ['large', 'small'] as const) {
    const i = slots.findIndex((slot, k) => only(slot, 'intestine') && only(slots[k + 1], part));
    if (i >= 0) slots.splice(i, 2, { alternatives: [[part, 'intestine'], [part, 'bowel'], ...INTESTINE_PARTS[part]] });
    // The level written as one ("Enteritis, regional, small intestine (duodenum) (ileum) (jejunum)").
    const j = slots.findIndex((slot) => slot.alternatives.length === 1 && slot.alternatives[0]!.join(' ') === `${part} intestine`);
    if (j >= 0) slots[j] = { alternatives: [[part, 'intestine'], [part, 'bowel'], ...INTESTINE_PARTS[part]] };
  }
}

/**
 * Table sites printed with their adjective, which is a word of its own elsewhere: "nasal" in the Index is also the
 * nasal side of an eye ("upper nasal sector"), so it is no general alternative of "nose" (SITE_ADJECTIVES).
 */
const TABLE_SITE_FORMS: Record<string, string[]> = { nose: ['nasal'] };

/** A Neoplasm Table site level an upper, middle or lower lobe: the lung's (the liver's and thyroid's are right and left). */
const LUNG_LOBE = /^\s*(?:upper|middle|lower) lobe\b/i;

/** A Neoplasm Table row ("Neoplasm, liver, malignant secondary" → C78.7) as site slots plus a behaviour slot. */
function neoplasmSlots(path: readonly string[], code: string): Slot[] | null {
  const behaviour = NEOPLASM_BEHAVIOUR[path.at(-1) ?? ''];
  if (!behaviour || path.length < 3) return null;
  const slots: Slot[] = [];
  for (const [i, part] of path.slice(1, -1).entries()) {
    // "Neoplasm, lung, lower lobe" (C34.3-): notes write "carcinoma of the left lower lobe"; the lobe names the lung, so
    // the lung level is implied (compileTerm keeps "lung" as an optional word, a sign of a good match when written).
    if (/^lung$/i.test(part.trim()) && LUNG_LOBE.test(path[i + 2] ?? '')) continue;
    // "Neoplasm, nose, skin, basal cell carcinoma" (C44.311): a skin morphology names the skin, as in the Index's
    // "Melanoma, skin, arm" (compileTerm): "basal cell carcinoma of nose" is C44.311, not C44.91.
    if (/^skin$/i.test(part.trim()) && SKIN_LESION_CODES.test(code) && slots.length > 0) continue;
    for (const slot of slotsOf(part)) {
      // A site printed with its adjective ("nose, nasal") is one site, met by either word.
      const last = slots.at(-1);
      const previous = last?.alternatives[0];
      const word = slot.alternatives.length === 1 && slot.alternatives[0]!.length === 1 ? slot.alternatives[0]![0]! : null;
      if (last && word && previous?.length === 1 && (SITE_ADJECTIVES[previous[0]!] ?? TABLE_SITE_FORMS[previous[0]!])?.includes(word)) {
        if (!last.alternatives.some((a) => a.length === 1 && a[0] === word)) slots[slots.length - 1] = { alternatives: [...last.alternatives, [word]] };
        continue;
      }
      slots.push(withSiteAdjectives(slot, false));
    }
  }
  if (slots.length === 0) return null;
  slots.push({ alternatives: behaviour });
  return slots;
}

/** Compiles one term; null when it has no required word (e.g. a path of only "NEC"). */
export function compileTerm(term: DictionaryTerm, id: number): DictionaryEntry | null {
  if (term.kind === 'neoplasm') {
    const slots = term.path ? neoplasmSlots(term.path, term.code) : null;
    if (!slots) return null;
    const optional = [...new Set((term.modifiers ?? []).flatMap((m) => stems(m)).concat(term.path!.some((p) => LUNG_LOBE.test(p)) ? stems('lung') : []))];
    return { id, term, slots, optional, size: slots.reduce((n, s) => n + Math.min(...s.alternatives.map((a) => a.length)), 0) };
  }
  // "Secondary to" is how a term says "due to" ("Iron deficiency anemia secondary to blood loss (chronic)", D50.0):
  // a note's "due to chronic GI blood loss" says the same, so the linking words are not required words.
  const parts = (term.kind === 'index' && term.path?.length ? term.path : [term.text]).map((p) => p.replace(/\bsecondary to\b/gi, 'due to'));
  const slots: Slot[] = [];
  let unless: string[] | undefined;
  const impliedWords: string[] = [];
  for (const [i, part] of parts.entries()) {
    const notSpecified = term.kind === 'index' && i > 0 ? /^not specified as\s+(.+)$/i.exec(part) : null;
    if (notSpecified) {
      unless = termStems(notSpecified[1]!);
      continue;
    }
    // "Melanoma, skin, arm" (C43.6-), "Nevus, skin, arm" (D22.6-): notes write "melanoma of the R upper arm";
    // a skin lesion's morphology names the skin, so the level is implied (a sign of a good match when written).
    if (term.kind === 'index' && i === 1 && parts.length > 2 && /^skin$/i.test(part.trim()) && SKIN_LESION_CODES.test(term.code)) {
      impliedWords.push('skin');
      continue;
    }
    // "Fracture, femur, upper end, neck" (S72.00-): notes write "femoral neck fracture"; the end of the bone is the
    // region the next level lies in, so it is implied by that level (and a sign of a good match when written). So is
    // the group "cerebrovascular disease" of "Hemiplegia, following, cerebrovascular disease, stroke NOS" (I69.35-):
    // "hemiparesis following stroke".
    // And "due to food" of "Shock, anaphylactic, due to food, peanuts" (T78.01): the food is named by the next level
    // ("anaphylaxis due to peanut ingestion").
    // So is the bone group of "Fracture, traumatic, tarsal bone, calcaneus, intraarticular" (S92.06-): "calcaneal fracture".
    if (term.kind === 'index' && i > 0 && i < parts.length - 1 && (/^due to food$/i.test(part.trim()) || /^(?:tarsal|carpal) bones?$/i.test(part.trim()) || (i > 1 && /^(?:(?:upper|lower|proximal|distal) end|cerebrovascular disease)$/i.test(part.trim())))) {
      impliedWords.push(...termStems(part));
      continue;
    }
    // "Hypothyroidism, due to irradiation therapy" (E89.0): notes write "due to prior neck irradiation", "after
    // radiotherapy"; the treatment's name is the level, "therapy" a sign of a good match when written.
    if (term.kind === 'index' && i > 0 && RADIATION_THERAPY.test(part.trim())) {
      // Radioactive iodine (RAI) is radiation given inside the body: "hypothyroidism after radioactive iodine" is E89.0.
      slots.push({ alternatives: ['irradiation', 'radiation', 'radiotherapy', 'radioiodine', 'radioactive iodine', 'RAI'].map((w) => termStems(w)) });
      impliedWords.push(...termStems('therapy'));
      continue;
    }
    // "Osteoporosis, age-related, with current pathologic fracture, vertebra" (M80.08-): notes write "osteoporosis with
    // pathologic L1 vertebral fracture"; a fracture the note states is current (its history is another code, Z87.31-),
    // so "current" is implied, and the site may stand between the two words.
    if (term.kind === 'index' && i > 0 && CURRENT_PATHOLOGIC_FRACTURE.test(part.trim())) {
      slots.push({ alternatives: [['pathologic'], ['pathological']] }, { alternatives: [termStems('fracture')] });
      impliedWords.push(...termStems('current'));
      continue;
    }
    // "Displacement, intervertebral disc" and "Hernia, intervertebral cartilage or disc" (M50–M51): notes write "cervical
    // disc herniation", "herniated L4-5 disc"; the disc of the spine is intervertebral, so that word is implied.
    // A displaced disc is what notes call herniated ("Herniation, nucleus pulposus — see Displacement, intervertebral disc"):
    // the main term reads those words too.
    if (term.kind === 'index' && i > 0 && /^\s*intervertebral (?:cartilage or )?disc(?: NEC)?\s*$/i.test(part)) {
      if (i === 1 && /^displacement\b/i.test(parts[0] ?? '') && slots[0]) slots[0] = { alternatives: [...slots[0].alternatives, ...['herniation', 'herniated', 'hernia', 'protrusion'].map((w) => [stemWord(w)])] };
      slots.push({ alternatives: [['disc'], ['disk']].map((w) => w.map(stemWord)) });
      impliedWords.push(...termStems('intervertebral'));
      continue;
    }
    // "Dysphagia, oropharyngeal phase" (R13.12): notes write "oropharyngeal dysphagia"; the phase is the level's noun,
    // its adjective names it, so "phase" is a sign of a good match when written, not a word it needs.
    if (term.kind === 'index' && i > 0 && /^\s*[a-z-]+ phase\s*$/i.test(part)) {
      slots.push(...slotsOf(part.replace(/\s+phase\s*$/i, ''), false));
      impliedWords.push(...termStems('phase'));
      continue;
    }
    // "Enteritis, regional, large intestine, with, complication, fistula" (K50.113), "Colitis, ulcerative, with,
    // complication, rectal bleeding" (K51.911): notes write "Crohn's colitis with perianal fistula"; the level groups
    // the named complications under "with", so a named one implies it. Not before "specified NEC", which names none.
    if (term.kind === 'index' && i > 1 && i < parts.length - 1 && /^\s*complications?\s*$/i.test(part) && /^\s*with\s*$/i.test(parts[i - 1]!) && !/\bspecified\b/i.test(parts[i + 1]!)) {
      impliedWords.push(...termStems(part));
      continue;
    }
    // A level that is a calendar year alone ("Pneumonia, 2019 (novel)" J12.82, "Coronavirus, 2019" U07.1) would
    // read a note's dates ("quit 2019") as COVID-19; the same codes are indexed under "coronavirus" and "COVID-19".
    if (term.kind === 'index' && i > 0 && /^\s*(?:19|20)\d\d\s*$/.test(part)) return null;
    // Titles and inclusion terms are one level whose commas are not alternatives: every word is required.
    if (term.kind === 'index') {
      const injury = isInjuryByRegion(term.code) && INJURY_MAIN_TERM.test(parts[0] ?? '');
      const level = i > 0 ? slotsOf(part, injury).map((slot) => withSiteAdjectives(slot)) : EPONYM.test(part) ? slotsOf(part, injury).map(eitherEponymNoun) : slotsOf(part, injury);
      // A last level of only function words ("due to") lost its object in the Index file: the path would
      // match on its main term alone and claim a specific code ("Hypotension, due to" → I95.3).
      if (level.length === 0 && i === parts.length - 1 && i > 0 && onlyFunctionWords(part)) return null;
      // The same loss inside a path: "Gout, in (due to), knee" (M10.36-) lost "renal impairment" after "in (due to)",
      // and would read every "gout of right knee" as gout due to renal impairment. A connective level with a
      // modifier of only function words is that lost object's stub ("with, hyperglycemia" has no modifier).
      // The object is there when the next level names a condition, not a site: "Varix, esophagus, in (due to), portal
      // hypertension" (I85.10) is whole.
      if (level.length === 0 && i > 0 && onlyFunctionWords(part) && term.modifiers?.[i] && onlyFunctionWords(term.modifiers[i]!.replace(/[()]/g, ' ')) && (i === parts.length - 1 || BODY_SITE.test(parts[i + 1]!))) return null;
      slots.push(...level);
    } else {
      const slot = wholeSlot(part);
      if (slot) slots.push(slot);
    }
  }
  if (slots.length === 0) return null;
  if (term.kind === 'index') intestineByPart(slots);
  const optional = [...new Set((term.modifiers ?? []).flatMap((m) => stems(m)).concat(parenthesized(term.text), impliedWords))];
  const size = slots.reduce((n, s) => n + Math.min(...s.alternatives.map((a) => a.length)), 0);
  // A title or inclusion term is one level whose words stand at most one word apart (mentions.ts); its own function
  // words spread it further: "Crohn's disease of both small and large intestine" (K50.8) has two, "of" and "and",
  // and a note that writes the title word for word spreads it as far.
  // Only a title that reads as one phrase: a title in parts ("…, subsequent encounter for fracture with routine healing")
  // is not written word for word.
  const ownSpread = term.kind === 'index' || term.text.includes(',') ? 0 : functionWordsWithin(term.text) - 1;
  const linkWords = Math.max(term.kind === 'inclusion' && /\bdue to\b/i.test(term.text) ? 2 : 0, ownSpread);
  return { id, term, slots, optional, size, ...(unless ? { unless } : {}), ...(linkWords ? { linkWords } : {}) };
}

/**
 * Stems of a term as the note's tokenizer reads them (tokens.ts): a hyphenated compound with a digit stays one word
 * ("COVID-19"), and the rest is read by plainStems.
 */
function termStems(raw: string): string[] {
  const text = withoutPossessives(raw);
  if (!/\d/.test(text) || !text.includes('-')) return plainStems(text);
  // A hyphenated compound with a digit ("COVID-19", "21-hydroxylase") is one word, as the note's tokenizer reads it
  // (tokens.ts): split here, "COVID-19" (U07.1) never met a note's "COVID-19".
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(NOTE_WORD, 'g'))) {
    if (!m[0].includes('-') || !/\d/.test(m[0])) continue;
    out.push(...plainStems(text.slice(last, m.index)), stemWord(m[0].toLowerCase()));
    last = m.index + m[0].length;
  }
  out.push(...plainStems(text.slice(last)));
  return out;
}
/**
 * Stems of a term, keeping a capital "A" after a word ("Hepatitis A", "vitamin A"): it is a name, not the
 * article, and without it "Hepatitis A (acute)(viral) NOS" would match every hepatitis (tokenize keeps it too).
 */
const plainStems = (text: string) => (NAMED_A.test(text) ? stems(text.replace(NAMED_A_ALL, '$1 namedletter')).map((w) => (w === 'namedletter' ? 'a' : w)) : stems(text));
const NAMED_A = /(\w\s+)A\b/;
const NAMED_A_ALL = /(\w)\s+A\b/g;

/** A body site as an Index level ("knee", "multiple site", "vertebrae"): the subterm of a lost condition, not one. */
const BODY_SITE = /^\s*(?:ankle|elbow|foot|feet|hand|hip|knee|shoulder|wrist|toe|finger|thumb|vertebra\w*|spine|multiple sites?|site|joint|upper|lower|right|left|unspecified)\b/i;

function onlyFunctionWords(part: string): boolean {
  const words = part.replace(/\([^)]*\)/g, ' ').toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words.length > 0 && words.every((w) => isStopword(w));
}

/**
 * A title or inclusion term: every word outside parentheses and square brackets is required. Brackets enclose
 * synonyms, alternative wording or explanatory phrases (OCG I.A.7): "Heterozygous familial hypercholesterolemia
 * [HeFH]" is met by the words without "HeFH" (acronymAlias adds the acronym's own reading where it can).
 */
/**
 * The function words of a title or inclusion term (parentheses aside) between its first and last word: "of", "and".
 * Not words a note would not write ("classified elsewhere", "unspecified"): J17 *Pneumonia in diseases classified
 * elsewhere* stands no looser than it did.
 */
function functionWordsWithin(text: string): number {
  const plain = withoutPossessives(text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')).toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return plain.slice(1, -1).filter((w) => isStopword(w)).length;
}

function wholeSlot(text: string): Slot | null {
  const words = termStems(text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')).filter((s) => !FREE.has(s));
  return words.length ? { alternatives: [[...new Set(words)]] } : null;
}

function parenthesized(text: string): string[] {
  return (text.match(/\([^)]*\)|\[[^\]]*\]/g) ?? []).flatMap((m) => stems(m));
}

/**
 * Notes say "HIV", titles say "Human immunodeficiency virus [HIV] disease": when a bracketed acronym
 * follows words whose initials spell it, the acronym alone is an alias of those words.
 * "Human immunodeficiency virus [HIV] disease" → "HIV disease".
 */
export function acronymAlias(text: string): string | null {
  // Most titles have no bracketed capital at all; this test skips the backtracking match below for them
  // (0.66 s of every engine start over the release's titles, profiled).
  if (!/[([][A-Z]/.test(text)) return null;
  const m = text.match(/^(.*?)([A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){1,6})\s*[([]([A-Z][A-Z0-9]{1,6})[)\]](.*)$/);
  if (!m) return null;
  const [, before, words, acronym, after] = m as unknown as [string, string, string, string, string];
  const list = words.split(/\s+/);
  const letters = acronym.replace(/[0-9]/g, '');
  const tail = list.slice(-letters.length);
  if (tail.length !== letters.length || tail.map((w) => w[0]!.toUpperCase()).join('') !== letters) return null;
  const kept = list.slice(0, list.length - letters.length).join(' ');
  return `${before}${kept ? `${kept} ` : ''}${acronym}${after}`.replace(/\s+/g, ' ').trim();
}

/**
 * Entries with one copy of each stem, word list, slot and Index path level (none is ever modified): 186k
 * entries of a release repeat the same main-term levels ("Diabetes, diabetic") and words thousands of times,
 * and each copy was its own string and arrays (the dictionary was 170 MB of heap, profiled).
 */
function sharing(): (e: DictionaryEntry) => DictionaryEntry {
  const words = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const slots = new Map<string, Slot>();
  const word = (w: string) => words.get(w) ?? (words.set(w, w), w);
  const list = (l: string[]): string[] => {
    const key = l.join('\u0000');
    let one = lists.get(key);
    if (!one) lists.set(key, (one = l.map(word)));
    return one;
  };
  return (e) => {
    const term: DictionaryTerm = { ...e.term, code: word(e.term.code), kind: word(e.term.kind) };
    // A path is its term's own (79.6k distinct of 79.6k Index and Neoplasm Table paths in FY2026): only its
    // levels are shared; a key per path only added old-space garbage at start-up (profiled).
    if (term.path) term.path = term.path.map(word);
    if (term.modifiers) term.modifiers = list(term.modifiers);
    const shared = e.slots.map((slot) => {
      const key = slot.alternatives.map((a) => a.join(' ')).join('|');
      let one = slots.get(key);
      if (!one) slots.set(key, (one = { alternatives: slot.alternatives.map(list) }));
      return one;
    });
    return { ...e, term, slots: shared, optional: list(e.optional) };
  };
}

/** Builds the dictionary; each entry is filed under the rarest word of its most selective slot. */
export function buildDictionary(terms: readonly DictionaryTerm[]): Dictionary {
  const builder = dictionaryBuilder();
  for (const t of terms) builder.add(t);
  return builder.finish();
}

export interface DictionaryBuilder {
  add(term: DictionaryTerm): void;
  finish(): Dictionary;
}

/**
 * The dictionary built one term at a time (buildDictionary, in the terms' order), so that the loader can feed
 * it a release's term rows page by page and drop each page: 190k rows held at once until the build ended were
 * promoted to the old space and were the largest part of the start-up's RSS peak (profiled).
 */
export function dictionaryBuilder(): DictionaryBuilder {
  const entries: DictionaryEntry[] = [];
  const ownMorphology = new Set<string>();
  const shared = sharing();
  const compile = (t: DictionaryTerm) => {
    const e = compileTerm(t, entries.length);
    if (e) entries.push(shared(e));
  };
  const add = (t: DictionaryTerm) => {
    compile(t);
    const alias = t.kind === 'index' ? null : acronymAlias(t.text);
    if (alias) compile({ ...t, text: alias });
    if (t.kind !== 'index' || (t.path?.length ?? 1) !== 1 || !/^(?:C\d|D[0-4]\d)/.test(t.code)) return;
    const words = termStems(t.text.replace(/\([^)]*\)/g, ' '));
    if (words.length === 1) ownMorphology.add(words[0]!);
  };
  return { add, finish: () => fileByAnchor(entries, ownMorphology) };
}

/** Files each entry under the rarest word of each alternative of its most selective slot (byAnchor). */
function fileByAnchor(entries: DictionaryEntry[], ownMorphology: Set<string>): Dictionary {
  const df = new Map<string, number>();
  for (const e of entries) for (const s of e.slots) for (const a of s.alternatives) for (const w of a) df.set(w, (df.get(w) ?? 0) + 1);
  const rarest = (alt: string[]) => alt.reduce((best, w) => ((df.get(w) ?? 0) < (df.get(best) ?? 0) ? w : best), alt[0]!);
  const byAnchor = new Map<string, number[]>();
  for (const e of entries) {
    // The anchor slot: the one whose alternatives' rarest words are rarest overall (fewest entries to check).
    let anchorSlot = e.slots[0]!;
    let anchorCost = Infinity;
    for (const s of e.slots) {
      const cost = s.alternatives.reduce((n, a) => n + (df.get(rarest(a)) ?? 0), 0);
      if (cost < anchorCost) {
        anchorCost = cost;
        anchorSlot = s;
      }
    }
    for (const anchor of new Set(anchorSlot.alternatives.map(rarest))) {
      const list = byAnchor.get(anchor);
      if (list) list.push(e.id);
      else byAnchor.set(anchor, [e.id]);
    }
  }
  return { entries, byAnchor, ownMorphology };
}
