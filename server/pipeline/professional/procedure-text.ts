// Reading a note for procedures: today's sentences, whether a procedure cue was performed, evidence spans,
// lengths, sides and body sites, and the shape of a procedure finding. Shared by the CPT procedure rules
// (./cpt-skin.ts, ./cpt-procedures.ts) and the in-office tests (./cpt-office-tests.ts).

import { applyContext } from '../context.ts';
import type { ContextRule } from '../context-rules.ts';
import { splitSections } from '../sections.ts';
import type { Sentence } from '../sentences.ts';
import type { EvidenceSpan } from '../types.ts';
import { type Site, SITE_WORDS } from './cpt-table.ts';
import { decisionSentences } from './em-evidence.ts';

/** An evidence span of the note, its quote read from the offsets. */
export function span(text: string, start: number, end: number): EvidenceSpan {
  return { start, end, quote: text.slice(start, end) };
}

/** The sentences about today's visit (history sections left out, labelled decision blocks kept). */
export function sentencesOf(text: string): Sentence[] {
  return decisionSentences(text, splitSections(text));
}

/**
 * True when the cue at [start, end) of the sentence is performed today: not negated, planned, historical or a
 * relative's. `rules`: the ConText rules to read it with (default: the engine's).
 */
export function performed(s: Sentence, start: number, end: number, rules?: readonly ContextRule[]): boolean {
  const [c] = applyContext(s.text, [{ start, end }], { section: s.section, rules });
  if (c!.negated || c!.hypothetical || c!.historical || c!.family) return false;
  // Plans the context rules do not read: "will obtain spirometry", "at the next visit", "options discussed".
  return !/\b(?:scheduled|planned|will (?:\w+ )?(?:return|undergo|need|obtain|order|get|perform|do|schedule|repeat|arrange)|to be performed|consider(?:ed|ing)?|discussed|options?)\b/i.test(s.text.slice(0, start)) && !/\b(?:at|during|on) (?:the |a |her |his |their )?(?:next|future|follow-?up) visit\b/i.test(s.text);
}

export type Side = 'left' | 'right' | 'bilateral';

/** A procedure the note documents, before the licensed file is consulted. */
export interface ProcedureFinding {
  code: string;
  units: number;
  /** Which rule produced it (the line's match kind). */
  rule: 'repair' | 'excision' | 'excision_repair' | 'destruction' | 'joint_injection' | 'infusion' | 'incision_drainage' | 'nail_avulsion' | 'cerumen' | 'splint' | 'office_test' | 'descriptor';
  /** What the rule read, in our words ("simple repair, 2.5 cm scalp + 3.0 cm forearm = 5.5 cm"). */
  reasons: string[];
  evidence: EvidenceSpan[];
  /** Side documented for a paired organ or limb (laterality modifiers). */
  side?: Side;
  /** Where it was done, to tell distinct sites apart (modifier XS). */
  site?: string;
  /** Modifiers the rule itself decides (digit modifiers on a nail), each with its reason. */
  modifiers: { code: string; reason: string }[];
  /** Documented as done again the same day (modifier 76, or 77 by another physician). */
  repeat?: { byOther: boolean };
}

export const LENGTH = /(\d+(?:\.\d+)?)\s*-?\s*(cm|mm)\b/gi;
export const toCm = (value: string, unit: string): number => (unit.toLowerCase() === 'mm' ? Number(value) / 10 : Number(value));

/** The whole note line(s) a range sits in. */
export function lineAround(text: string, start: number, end: number): string {
  return text.slice(text.lastIndexOf('\n', start - 1) + 1, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
}

/** The side written in a piece of text: "L", "left", "R", "right", "bilateral", "both". */
export function sideIn(text: string): Side | undefined {
  if (/\b(?:bilateral(?:ly)?|both|b\/l)\b/i.test(text)) return 'bilateral';
  const left = /\b(?:left|lt)\b|\bL\b/.test(text) || /\bleft\b/i.test(text);
  const right = /\b(?:right|rt)\b|\bR\b/.test(text) || /\bright\b/i.test(text);
  if (left && right) return 'bilateral';
  return left ? 'left' : right ? 'right' : undefined;
}

/** Site words of a text with their offsets ("forearms" reads as forearm). */
export function siteWords(text: string): { word: string; site: Site; start: number; end: number }[] {
  const out: { word: string; site: Site; start: number; end: number }[] = [];
  for (const m of text.matchAll(/[A-Za-z]+/g)) {
    const w = m[0].toLowerCase();
    const word = Object.hasOwn(SITE_WORDS, w) ? w : Object.hasOwn(SITE_WORDS, w.replace(/s$/, '')) ? w.replace(/s$/, '') : null;
    if (!word) continue;
    // "came back", "back to work": "back" names the body part only after a side, a level or an article.
    if (word === 'back' && !/\b(?:upper|lower|mid|middle|low|left|right|l|r|the|his|her|their|of|to|on|across)\s+$/i.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    out.push({ word, site: SITE_WORDS[word]!, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
