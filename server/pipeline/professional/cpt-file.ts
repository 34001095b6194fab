// The customer's licensed CPT file (imported with `codes import-cpt`) as the engine reads it: its codes and
// descriptors, and a term index over the descriptors so a procedure named in the note is matched the way
// ICD-10-PCS titles are (server/pipeline/term-index.ts). medcode ships no CPT descriptors (AMA copyright):
// without this file there are no CPT procedure lines, and the coder is told why.

import { splitSections } from '../sections.ts';
import { buildTermIndex, lexicalCandidates, type TermIndex } from '../term-index.ts';
import type { EvidenceSpan } from '../types.ts';
import { decisionSentences } from './em-evidence.ts';
import type { ProcedureFinding } from './procedure-text.ts';

export interface CptKnowledge {
  version: string;
  descriptors: ReadonlyMap<string, string>;
  index: TermIndex;
}

/** The codes and descriptors of one imported CPT release. */
export function buildCptKnowledge(version: string, rows: readonly { code: string; descriptor: string }[]): CptKnowledge {
  return {
    version,
    descriptors: new Map(rows.map((r) => [r.code, r.descriptor])),
    index: buildTermIndex(rows.map((r) => ({ code: r.code, kind: 'title', text: r.descriptor }))),
  };
}

/** A procedure named by the note and found among the file's descriptors. */
export interface DescriptorMatch {
  code: string;
  /** Lexical coverage of the descriptor by the note's phrase, in [0, 1]. */
  score: number;
  phrase: string;
  evidence: EvidenceSpan[];
  /** The phrase says it was done again the same day ("repeat ECG"); by another physician when `byOther`. */
  repeat?: { byOther: boolean };
}

/** A labelled procedure line ("PROCEDURE:", "Procedure 2 -", "Procedures performed:") and its name phrase. */
const PROCEDURE_LABEL = /^[ \t]*(?:procedures?(?: performed| done)?(?: #?\d+)?|in-office procedure)\s*[-:–]\s*/i;
const REPEAT = /^\s*(?:repeat(?:ed)?|second)\b/i;
/** Below it a phrase shares too few words with the descriptor to name it. */
const MIN_SCORE = 0.6;

/** The procedure name of a phrase: up to the first clause mark (", -:;(." or " x2"). */
function namePart(text: string): string {
  const end = text.search(/[,:;(]|\s[-–]\s|\.(?:\s|$)|\sx\s?\d/i);
  return (end < 0 ? text : text.slice(0, end)).trim();
}

/**
 * Procedures named in the note's procedure lines, and "repeat X" sentences, matched against the licensed
 * descriptors with the engine's term index. Example: "PROCEDURE: electrocardiogram with interpretation" →
 * the file's 93000 when its descriptor shares those words.
 */
export function matchDescriptors(text: string, cpt: CptKnowledge): DescriptorMatch[] {
  const out: DescriptorMatch[] = [];
  const phrases: { phrase: string; start: number; repeat?: { byOther: boolean } }[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const label = PROCEDURE_LABEL.exec(line);
    if (label) phrases.push({ phrase: namePart(line.slice(label[0].length)), start: offset + label[0].length });
    offset += line.length + 1;
  }
  for (const s of decisionSentences(text, splitSections(text))) {
    // A list under a "Procedures:" header, one short item a line ("- Spirometry pre and post bronchodilator").
    const line = text.slice(text.lastIndexOf('\n', s.start - 1) + 1, text.indexOf('\n', s.start) < 0 ? text.length : text.indexOf('\n', s.start));
    if (s.section === 'procedures' && s.text.length <= 60 && line.trim().replace(/^(?:[-*•]|\d+[.)])\s*/, '').replace(/\.$/, '') === s.text.replace(/\.$/, '')) {
      phrases.push({ phrase: namePart(s.text), start: s.start });
    }
    const rep = REPEAT.exec(s.text);
    if (rep) phrases.push({ phrase: namePart(s.text.slice(rep[0].length)), start: s.start + rep[0].length, repeat: { byOther: /\bby (?:dr\.?|another|a different|the (?:covering|on-call))\b/i.test(s.text) } });
  }
  const seen = new Set<number>();
  for (const p of phrases) {
    if (!p.phrase || seen.has(p.start)) continue;
    seen.add(p.start);
    const [best] = lexicalCandidates(cpt.index, p.phrase, 1);
    if (!best || best.score < MIN_SCORE) continue;
    const at = text.indexOf(p.phrase, p.start);
    out.push({ code: best.term.code, score: best.score, phrase: p.phrase, evidence: [{ start: at, end: at + p.phrase.length, quote: p.phrase }], repeat: p.repeat });
  }
  return out;
}

/** A finding whose code is in the licensed file, with the file's descriptor; or the reason it is not. */
export function licensedFinding(f: ProcedureFinding, cpt: CptKnowledge): { descriptor: string } | { missing: string } {
  const descriptor = cpt.descriptors.get(f.code);
  return descriptor ? { descriptor } : { missing: `${f.code} (${f.reasons[0]}) is not in the licensed CPT file ${cpt.version}: no line suggested.` };
}
