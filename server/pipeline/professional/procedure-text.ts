// Reading a note for procedures: today's sentences, whether a procedure cue was performed, evidence spans.
// Shared by the CPT procedure rules (./cpt-procedures.ts) and the in-office tests (./cpt-office-tests.ts).

import { applyContext } from '../context.ts';
import { splitSections } from '../sections.ts';
import type { Sentence } from '../sentences.ts';
import type { EvidenceSpan } from '../types.ts';
import { decisionSentences } from './em-evidence.ts';

/** An evidence span of the note, its quote read from the offsets. */
export function span(text: string, start: number, end: number): EvidenceSpan {
  return { start, end, quote: text.slice(start, end) };
}

/** The sentences about today's visit (history sections left out, labelled decision blocks kept). */
export function sentencesOf(text: string): Sentence[] {
  return decisionSentences(text, splitSections(text));
}

/** True when the cue at [start, end) of the sentence is performed today: not negated, planned, historical or a relative's. */
export function performed(s: Sentence, start: number, end: number): boolean {
  const [c] = applyContext(s.text, [{ start, end }], { section: s.section });
  if (c!.negated || c!.hypothetical || c!.historical || c!.family) return false;
  // Plans the context rules do not read: "will obtain spirometry", "at the next visit", "options discussed".
  return !/\b(?:scheduled|planned|will (?:\w+ )?(?:return|undergo|need|obtain|order|get|perform|do|schedule|repeat|arrange)|to be performed|consider(?:ed|ing)?|discussed|options?)\b/i.test(s.text.slice(0, start)) && !/\b(?:at|during|on) (?:the |a |her |his |their )?(?:next|future|follow-?up) visit\b/i.test(s.text);
}
