import type { EvidenceSpan } from '../pipeline/types.ts';

export class SpanError extends Error {}

/**
 * Turns offsets a client selected in a note into evidence spans whose quote is taken from the stored
 * text (never trusted from the client). Each span must be non-empty, within the text and not blank.
 * Example: quoteSpans("Fall with left femur fracture.", [{ start: 10, end: 29 }]) → quote "left femur fracture".
 */
export function quoteSpans(text: string, spans: readonly { start: number; end: number }[]): EvidenceSpan[] {
  return spans.map(({ start, end }, i) => {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > text.length) {
      throw new SpanError(`span ${i} (${start}–${end}) is not within the note (length ${text.length})`);
    }
    const quote = text.slice(start, end);
    if (quote.trim() === '') throw new SpanError(`span ${i} (${start}–${end}) is only whitespace`);
    return { start, end, quote };
  });
}
