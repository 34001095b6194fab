// Rule-based sentence splitting inside section bodies. Offsets index the original note text.

import { type Section, type SectionName, splitSections, trimRange } from './sections.ts';

export interface Sentence {
  /** Position in the note, 0-based, counting across sections. */
  index: number;
  /** Range [start, end) in the original text, trimmed of whitespace (and of a leading list marker). */
  start: number;
  end: number;
  text: string;
  section: SectionName;
}

// Sections whose bodies are usually one item per line ("HTN\nDM2\nCKD 3"), even without bullets.
const LINE_PER_ITEM: ReadonlySet<SectionName> = new Set([
  'pmh',
  'psh',
  'medications',
  'allergies',
  'diagnoses',
  'discharge_diagnoses',
  'procedures',
]);

// Words whose trailing period is not a sentence end when the next word is capitalised:
// "Seen by Dr. Smith", "CHF vs. COPD". Units such as "mg." are left out on purpose: "mg. Start" is
// almost always a real sentence end, and "2.5 mg. daily" never splits because "daily" is lowercase.
const NO_SPLIT_WORDS: ReadonlySet<string> = new Set([
  'dr',
  'drs',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
  'vs',
  'approx',
  'appt',
  'dept',
  'fig',
  'inc',
  'jr',
  'sr',
]);

// "- item", "• item", "1. item", "2) item", "(3) item", "a) item": the marker must be followed by a space.
const LIST_MARKER =
  /^(?:[^\S\r\n]|[\u200B-\u200D\u2060\uFEFF])*(?:[-*•·▪◦‣–—]|\(?\d{1,3}[.)]|\(?[A-Za-z]\))[^\S\r\n]+/u;
// "Gen: NAD", "CV: RRR", "BP: 130/80" — a short label at line start begins a new item.
const LINE_LABEL = /^\s*\p{L}[\p{L}\p{N} /&()'-]{0,30}:(?=\s|$)/u;
const BLANK = /^[\s\u200B-\u200D\u2060\uFEFF]*$/;
const SENTENCE_END = /[.!?]+["'”’)\]]*/g;
const NEXT_STARTS_SENTENCE = /^[^\S\r\n]+["'“‘(\[]?\p{Lu}/u;
const DOTTED_ABBREVIATION = /^(?:\p{L}\.)+\p{L}$/u; // e.g, i.e, q.d, b.i.d, p.o
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

/** True when the period ending at `dotIndex` in `line` belongs to an abbreviation such as "Dr." or "e.g.". */
function isAbbreviationPeriod(line: string, dotIndex: number): boolean {
  let wordStart = dotIndex;
  while (wordStart > 0 && !/\s/.test(line[wordStart - 1] ?? '')) wordStart--;
  const word = line.slice(wordStart, dotIndex).replace(/^["'“‘(\[]+/u, '');
  if (word.length === 0) return false;
  if (NO_SPLIT_WORDS.has(word.toLowerCase())) return true;
  if (DOTTED_ABBREVIATION.test(word)) return true;
  return /^\p{Lu}$/u.test(word); // an initial: "J. Smith"
}

/**
 * Splits section bodies into sentences: at . ! ? followed by a capitalised word or a line end, at blank
 * lines, and at list items (bullets, "1.", "Gen:" labels, or any line in list-like sections).
 * Example: "HPI: Seen by Dr. Lee. Pain 2.5/10." → ["Seen by Dr. Lee.", "Pain 2.5/10."]
 */
export function splitSentences(text: string, sections: readonly Section[] = splitSections(text)): Sentence[] {
  const sentences: Sentence[] = [];

  for (const section of sections) {
    let open: number | null = null;
    const flush = (end: number): void => {
      if (open === null) return;
      const range = trimRange(text, open, end);
      open = null;
      const sentenceText = text.slice(range.start, range.end);
      if (!HAS_WORD_CHAR.test(sentenceText)) return;
      sentences.push({ index: sentences.length, ...range, text: sentenceText, section: section.name });
    };

    let lineStart = section.start;
    while (lineStart < section.end) {
      const newline = text.indexOf('\n', lineStart);
      const nextLineStart = newline === -1 || newline >= section.end ? section.end : newline + 1;
      const lineEnd = nextLineStart > lineStart && text[nextLineStart - 1] === '\n' ? nextLineStart - 1 : nextLineStart;
      const line = text.slice(lineStart, lineEnd);

      if (BLANK.test(line)) {
        flush(lineStart);
      } else {
        const marker = LIST_MARKER.exec(line);
        const contentOffset = marker?.[0].length ?? 0;
        if (marker !== null || LINE_LABEL.test(line) || LINE_PER_ITEM.has(section.name)) flush(lineStart);
        if (open === null) open = lineStart + contentOffset;

        for (const end of line.slice(contentOffset).matchAll(SENTENCE_END)) {
          const afterInLine = contentOffset + end.index + end[0].length;
          const rest = line.slice(afterInLine);
          const atLineEnd = BLANK.test(rest);
          if (!atLineEnd && !NEXT_STARTS_SENTENCE.test(rest)) continue;
          // Abbreviation periods only hold a sentence together mid-line; "q.d.\nFollow up" still splits.
          if (!atLineEnd && end[0] === '.' && isAbbreviationPeriod(line, contentOffset + end.index)) continue;
          flush(lineStart + afterInLine);
          open = lineStart + afterInLine;
        }
      }
      lineStart = nextLineStart;
    }
    flush(section.end);
  }
  return sentences;
}
