import { isStopword, stemWord } from '../index/lexical-score.ts';

/** A content word of a text with its offsets and stem (stopwords are skipped but keep positions apart). */
export interface Token {
  stem: string;
  start: number;
  end: number;
  /** Index among all words of the text, stopwords included: distance between tokens is measured in words. */
  position: number;
}

/** Side letters of US notes: "L wrist", "Rt knee". */
const SIDE_LETTERS: Record<string, string> = { L: 'left', Lt: 'left', lt: 'left', R: 'right', Rt: 'right', rt: 'right' };

/**
 * "L" / "R" (or "Lt" / "Rt") before a lower-case word is the side ("L index finger" meets the Index's
 * "Laceration, finger, index, left"); after a number it is a unit or a level ("2 L nasal cannula").
 */
function sideLetter(text: string, word: string, start: number): string | null {
  const side = SIDE_LETTERS[word];
  if (!side || !/^\s+[a-z]/.test(text.slice(start + word.length, start + word.length + 3))) return null;
  return /[\d.]\s?$/.test(text.slice(Math.max(0, start - 2), start)) ? null : side;
}

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6' };

/** The number a Roman numeral I–VI writes, written all in capitals or all in lower case ("IV", "iii"); else null. */
export function romanValue(word: string): string | null {
  const n = ROMAN[word.toLowerCase()];
  return n && (word === word.toUpperCase() || word === word.toLowerCase()) ? n : null;
}

/**
 * A Roman numeral after "class", "stage", "grade", "type" or "phase" is the number the titles write in
 * digits: "Obesity class II" meets "Obesity, class 2" (E66.812), "type I diabetes" meets "Type 1 diabetes
 * mellitus". Elsewhere "I" and "V" are a pronoun and a letter. ("Stage IIIa" is one word, not read here.)
 */
function romanNumber(text: string, word: string, start: number): string | null {
  const n = romanValue(word);
  if (!n) return null;
  return /\b(class|stage|grade|type|phase)\s+$/i.test(text.slice(Math.max(0, start - 7), start)) ? n : null;
}

/** A note's word: a decimal number, or letters and digits joined by hyphens ("COVID-19", "75-year-old"). The dictionary reads its terms' hyphenated compounds by the same pattern (dictionary.ts termStems). */
export const NOTE_WORD = String.raw`\d+\.\d+|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*`;

/**
 * Content words of `text`, stemmed the same way as the code search. Hyphens split words ("pre-existing" →
 * pre, existing) and digits stay ("type 2" → type, 2), so Index terms and notes meet on the same stems.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // A hyphenated compound with a digit ("75-year-old", "COVID-19") is one word: its parts are not findings. So is a
  // decimal number, read as its whole part ("BMI 36.1" has no "1" to make "Obesity, class 2 (BMI 36.1)" class 1).
  const re = new RegExp(NOTE_WORD, 'g');
  let position = 0;
  const push = (word: string, start: number) => {
    const side = sideLetter(text, word, start);
    if (side) {
      out.push({ stem: side, start, end: start + word.length, position: position++ });
      return;
    }
    const roman = romanNumber(text, word, start);
    if (roman) {
      out.push({ stem: roman, start, end: start + word.length, position: position++ });
      return;
    }
    const lower = word.toLowerCase();
    // A capital "A" after another word names something ("hepatitis A"): the dictionary keeps it too.
    const namedA = word === 'A' && position > 0 && out.at(-1)?.position === position - 1;
    if (!isStopword(lower) || namedA) out.push({ stem: stemWord(lower), start, end: start + word.length, position });
    position++;
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // A possessive "'s" is not a word: "cow's milk" has no "S" to meet the Index's "Hemoglobin, S" (the
    // dictionary drops it from its terms too, so "Crohn's disease" still meets "Crohn's disease").
    if (isPossessive(text, m.index, m[0])) continue;
    // A decimal reads as its whole number: "19.6 weeks" meets "19 weeks", "BMI 36.1" has no "1".
    if (/^\d+\.\d+$/.test(m[0])) {
      push(m[0].slice(0, m[0].indexOf('.')), m.index);
      continue;
    }
    if (!m[0].includes('-') || !/\d/.test(m[0])) {
      let offset = m.index;
      for (const part of m[0].split('-')) {
        push(part, offset);
        offset += part.length + 1;
      }
    } else push(m[0], m.index);
  }
  return out;
}

/**
 * List boundaries of a sentence, as word positions: in a list ("COPD, hypertension and
 * hypercholesterolemia") a comma separates findings, so a match must not join words across it
 * ("pulmonary … hypertension" is not pulmonary hypertension). Outside lists commas are kept
 * ("diabetes mellitus, type 2"). Semicolons always separate. A boundary is the position of the first
 * token after the separator, so a match crosses it when it has tokens on both sides.
 */
export function listBoundaries(text: string, tokens: readonly Token[]): number[] {
  const isList = (text.match(/,/g)?.length ?? 0) >= 2 || /,[^,.;]*\b(and|or)\b/i.test(text);
  const out: number[] = [];
  const re = isList ? /[;,]/g : /;/g;
  let t = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    while (t < tokens.length && tokens[t]!.start < m.index) t++;
    // "Obesity, class 1", "MDD, recurrent, moderate", "CKD, stage 3b": a comma before a qualifier of the
    // item it follows (US problem-list style) does not start a new item.
    if (m[0] === ',' && QUALIFIER_AFTER_COMMA.test(text.slice(m.index + 1))) continue;
    if (t < tokens.length) out.push(tokens[t]!.position);
  }
  return out;
}

/** A causal link between two conditions in the note's words, at the word position after it. */
export interface CausalLink {
  position: number;
  /** The link's first word ("due", "secondary"): a term whose own text has it reads across the link by design. */
  word: string;
  /** Position of that word: the link's, not a condition's ("secondary to diabetes" is no "Diabetes, secondary"). */
  wordPosition: number;
}

const CAUSAL_LINK = /\b(due|secondary|attributed|attributable|caused|because|owing)\s+(?:to|by|of)\b/gi;

/**
 * "AKI secondary to septic shock" names two conditions, each coded on its own (OCG I.A.15, I.B.9): which
 * matches may still read across the link is mentions.ts's crossesLink.
 */
export function causalLinks(text: string, tokens: readonly Token[]): CausalLink[] {
  const out: CausalLink[] = [];
  let t = 0;
  for (const m of text.matchAll(CAUSAL_LINK)) {
    const after = m.index + m[0].length;
    const wordToken = tokens.find((x) => x.start === m.index);
    while (t < tokens.length && tokens[t]!.start < after) t++;
    if (t < tokens.length) out.push({ position: tokens[t]!.position, word: m[1]!.toLowerCase(), wordPosition: wordToken?.position ?? -1 });
  }
  return out;
}

// "Bipolar I disorder, current episode depressed, moderate", "Fracture of the left radius, initial encounter, displaced",
// "Right breast cancer, upper-outer quadrant, ER positive", "Secondary adrenal insufficiency, drug-induced", "Atopic
// dermatitis, flexural" (L20.82).
// Not "intractable": "Migraine with aura, intractable, without status migrainosus" would read "migraine … without aura".
// "Right ankle sprain, anterior talofibular ligament, grade II": a side of the part (S93.49-).
// "Gestational diabetes mellitus, insulin controlled, 30 weeks": how it is controlled (O24.414).
const QUALIFIER_AFTER_COMMA = /^\s*((?:insulin|diet|oral (?:drug|agent|hypoglycemic)s?)[- ](?:controlled|requiring|treated)|class|stage|type|grade|mild|moderate|severe|recurrent|single|left|right|anterior|posterior|medial|lateral|bilateral|lumbar|thoracic|cervical|sacral|lumbosacral|thoracolumbar|cervicothoracic|controlled|uncontrolled|persistent|paroxysmal|permanent|with|without|in remission|current episode|(?:upper|lower)[- ](?:outer|inner) quadrant|(?:drug|medication|steroid|alcohol)[- ]induced|flexural|initial encounter|subsequent encounter|sequela|uncomplicated|displaced|nondisplaced|non-displaced)\b/i;

/** The "s" of "cow's" / "Crohn’s". */
export const isPossessive = (text: string, index: number, word: string) => (word === 's' || word === 'S') && index > 1 && /[A-Za-z]['’]$/.test(text.slice(index - 2, index));

/** `text` without possessive "'s" (the form tokenize reads), for the stems of dictionary terms. */
export const withoutPossessives = (text: string) => text.replace(/([A-Za-z])['’][sS]\b/g, '$1');
