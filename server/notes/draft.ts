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

/** A loaded release's span (effectiveTo null = in force until a newer one is loaded). */
export interface ReleaseSpan {
  version: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/**
 * Why a draft's date of service cannot be coded with the loaded ICD-10-CM releases: it is after the newest
 * one ends (coding a 2099 note with FY2026 would look right and be wrong). Names the date, the note within
 * the request and the loaded releases; undefined when every date is covered or nothing is loaded yet. A date before the oldest
 * release needs no check here: the engine finds no release for it and marks the note failed, saying so.
 */
export function serviceDateProblem(drafts: NoteDraft[], releases: ReleaseSpan[]): string | undefined {
  if (releases.length === 0 || releases.some((r) => r.effectiveTo === null)) return undefined;
  const lastDay = releases.reduce((a, r) => (r.effectiveTo! > a ? r.effectiveTo! : a), releases[0]!.effectiveTo!);
  const at = drafts.findIndex((d) => d.encounter.dateOfService > lastDay);
  if (at < 0) return undefined;
  const loaded = releases.map((r) => `${r.version} (${r.effectiveFrom} – ${r.effectiveTo})`).join(', ');
  const which = drafts.length > 1 ? ` (note ${at + 1} of ${drafts.length})` : '';
  return `Date of service ${drafts[at]!.encounter.dateOfService}${which} is after the newest loaded ICD-10-CM release ends (${lastDay}); loaded: ${loaded}. Load the release in force on that date`;
}
