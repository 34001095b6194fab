// What is embedded for an index row: its text without the boilerplate that ICD-10-CM titles repeat across
// thousands of codes. For a static word-vector model those words dilute the meaning ("Unspecified fracture
// of left femur, initial encounter for closed fracture" lands far from "fracture of left femur"); the
// 7th character is chosen by rules and lexical match, not by meaning.

/** Bump when embeddingText changes: the index is rebuilt (it is part of the stored model id). */
export const EMBEDDING_TEXT_VERSION = 'et1';

const ENCOUNTER_SUFFIX = /,\s*(initial encounter|subsequent encounter|sequela)\b.*$/i;
const UNSPECIFIED = /^unspecified\s+|,\s*unspecified$/i;

/** "Unspecified fracture of left femur, initial encounter for closed fracture" → "fracture of left femur". */
export function embeddingText(text: string): string {
  const core = text.replace(ENCOUNTER_SUFFIX, '').replace(UNSPECIFIED, '').trim();
  return core || text;
}

export const indexModelId = (embedderModelId: string) => `${embedderModelId}+${EMBEDDING_TEXT_VERSION}`;
