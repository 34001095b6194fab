import type { Encounter } from '../pipeline/types.ts';

/** A note parsed from a request, not yet stored. */
export interface NoteDraft {
  text: string;
  encounter: Encounter;
  externalId: string | null;
  format: 'json' | 'fhir';
  /** Where the text was in the request (e.g. "entry.2.resource.content.0.attachment.data"), for error messages. */
  field: string;
  /** Assumptions made while reading it (e.g. a defaulted setting), returned to the caller. */
  warnings: string[];
}

/** A note's text is over MAX_NOTE_BYTES (UTF-8 bytes, after base64 decoding). */
export class NoteTooLargeError extends Error {
  constructor(
    readonly field: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`${field}: the note is ${bytes} bytes of UTF-8 text; the limit is ${limit} bytes (MAX_NOTE_BYTES)`);
    this.name = 'NoteTooLargeError';
  }
}

/** Throws NoteTooLargeError for the first draft whose text is over `maxBytes` UTF-8 bytes. */
export function checkNoteSizes(drafts: NoteDraft[], maxBytes: number): void {
  for (const d of drafts) {
    const bytes = Buffer.byteLength(d.text, 'utf8');
    if (bytes > maxBytes) throw new NoteTooLargeError(d.field, bytes, maxBytes);
  }
}
