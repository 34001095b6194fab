import { isStopword, stemWord } from '../index/lexical-score.ts';

/** A content word of a text with its offsets and stem (stopwords are skipped but keep positions apart). */
export interface Token {
  stem: string;
  start: number;
  end: number;
  /** Index among all words of the text, stopwords included: distance between tokens is measured in words. */
  position: number;
}

/**
 * Content words of `text`, stemmed the same way as the code search. Hyphens split words ("pre-existing" →
 * pre, existing) and digits stay ("type 2" → type, 2), so Index terms and notes meet on the same stems.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[A-Za-z0-9]+/g;
  let position = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lower = m[0].toLowerCase();
    if (!isStopword(lower)) out.push({ stem: stemWord(lower), start: m.index, end: m.index + m[0].length, position });
    position++;
  }
  return out;
}
