// Re-scores full-text candidates the way a coder reads a code title against a query: every query word
// should be covered, and every extra specific word in the title is a claim the query did not make.
// Written by hand because it is domain logic: ICD-10-CM conventions decide which extra words are free.

/** Function words that carry no coding meaning. "without" is NOT here: it changes the code. */
const STOPWORDS = new Set(['a', 'an', 'and', 'or', 'of', 'the', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'as', 'is', 'was', 'from', 'due']);

/**
 * Extra title words that do not make a code more specific than the query: "unspecified"/"NOS" are the
 * default when nothing more is documented, and the 7th-character default for an injury is the initial
 * encounter for a closed fracture (OCG I.C.19.a, I.C.19.c.1).
 */
export const FREE_EXTRAS = new Set(['unspecified', 'nos', 'initial', 'encounter', 'closed', 'site', 'elsewhere', 'classified', 'nec']);

/** Lower-case word stems: a light suffix strip, enough to meet "fractures"/"fracture", "femoral"/"femur" is left to the Index. */
export function stems(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words.filter((w) => !STOPWORDS.has(w)).map(stemWord);
}

export const isStopword = (lowerWord: string) => STOPWORDS.has(lowerWord);

/**
 * British spellings written the American way: "Haemophilus influenzae pneumonia" meets "Pneumonia, Hemophilus
 * influenzae" (J14). The Index itself writes both ("Haemophilus" 7 times, "Hemophilus" 13), and notes and case
 * reports use either (haematoma, anaemia, ischaemia, oedema, oesophagus, diarrhoea, paediatric, foetal, coeliac,
 * tumour, anaesthesia).
 */
const BRITISH: readonly [RegExp, string][] = [
  [/aem/, 'em'],
  [/^oe(?=d|soph|str)/, 'e'],
  [/rhoea/, 'rhea'],
  [/^(ortho)?paed/, '$1ped'],
  [/^foet/, 'fet'],
  [/^coeli/, 'celi'],
  [/^tumour/, 'tumor'],
  [/anaesth/, 'anesth'],
];
const MAYBE_BRITISH = /ae|oe/;
function americanSpelling(w: string): string {
  if (!MAYBE_BRITISH.test(w) && !w.startsWith('tumour')) return w;
  let out = w;
  for (const [re, to] of BRITISH) out = out.replace(re, to);
  return out;
}

/** Latin "-ae" plurals of clinical nouns that stemWord reads as their singular (see there). */
const LATIN_AE: ReadonlySet<string> = new Set(['sequelae', 'vertebrae', 'bullae', 'fistulae', 'papillae', 'maculae', 'scapulae', 'tibiae', 'fibulae', 'ulnae', 'conjunctivae', 'striae', 'lacunae', 'fasciae', 'pleurae', 'tracheae', 'bursae']);

/**
 * Latin plurals in "-i" / "-a" of clinical nouns, read as their singular: "pulmonary emboli" meets the Index's
 * "Embolism, pulmonary" through "embolus" (its "see" reference), "renal calculi" "Calculus, kidney", "bilateral
 * thrombi" "Thrombus". A list, as for "-ae": "-i" also ends words that are no plural (bacteriuria's "coli", "uteri").
 */
const LATIN_PLURALS: ReadonlyMap<string, string> = new Map([
  ['emboli', 'embolus'],
  ['thrombi', 'thrombus'],
  ['calculi', 'calculus'],
  ['bronchi', 'bronchus'],
  ['bacilli', 'bacillus'],
  ['fungi', 'fungus'],
  ['nuclei', 'nucleus'],
  ['foci', 'focus'],
  ['alveoli', 'alveolus'],
  ['glomeruli', 'glomerulus'],
  ['nevi', 'nevus'],
  ['naevi', 'nevus'],
  ['villi', 'villus'],
  ['diverticula', 'diverticulum'],
  ['condylomata', 'condyloma'],
  ['ganglia', 'ganglion'],
]);

/** The one word stemmer of medcode (code search and note matching must agree). Input: lower case. */
export function stemWord(word: string): string {
  const w = americanSpelling(word);
  // Greek plurals of "-sis" nouns: "stenoses", "metastases", "dialyses", "prostheses" meet the Index's singular.
  if (w.length >= 8 && /(?:[oye]|ta)ses$/.test(w)) return `${w.slice(0, -3)}sis`;
  // Latin plurals in "-ae" of clinical nouns: "sequelae", "vertebrae", "bullae" meet the singular ("as sequela of prior
  // stroke" reads the Index's "Sequelae, stroke NOS, aphasia"). A list, not the ending: the organisms' epithets
  // ("Streptococcus pneumoniae", "Haemophilus influenzae") would read as pneumonia and influenza.
  if (LATIN_AE.has(w)) return w.slice(0, -1);
  const singular = LATIN_PLURALS.get(w);
  if (singular) return singular;
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(ches|shes|sses|xes)$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** Words inside parentheses are nonessential modifiers (ICD-10-CM convention I.A.7): present or not, same code. */
function withoutNonessential(text: string): string {
  return text.replace(/\([^)]*\)/g, ' ');
}

/**
 * Match quality in [0, 1]: the share of the query's words the text covers, less a small cost for each
 * specific word the text adds. Example: query "fracture of left femur" scores "Unspecified fracture of left
 * femur, initial encounter for closed fracture" 1.0 and "Stress fracture, left femur" 0.94.
 */
export function lexicalScore(queryStems: readonly string[], text: string): number {
  if (queryStems.length === 0) return 0;
  return stemCoverageScore(new Set(queryStems), termStemSets(text));
}

/** A code text's distinct stems: all of them, and the essential ones (outside parentheses). Arrays: a few words each, and compact when held for every term of a release. */
export interface TermStems {
  all: readonly string[];
  essential: readonly string[];
}

export const termStemSets = (text: string): TermStems => ({ all: [...new Set(stems(text))], essential: [...new Set(stems(withoutNonessential(text)))] });

/** lexicalScore over precomputed stems (the note retrieval scores many terms per note). */
export function stemCoverageScore(q: ReadonlySet<string>, term: TermStems): number {
  if (q.size === 0) return 0;
  let covered = 0;
  for (const w of q) if (term.all.includes(w)) covered++;
  let extras = 0;
  for (const w of term.essential) if (!q.has(w) && !FREE_EXTRAS.has(w)) extras++;
  return Math.max(0, covered / q.size - 0.06 * extras);
}
