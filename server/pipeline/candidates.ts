// Stages 1–5 up to candidate codes: sections → sentences → abbreviation expansion → dictionary mentions
// → context → completion to a reportable code. One candidate per (code); evidence from every mention.
import { expandAbbreviations, toOriginal } from './abbreviations.ts';
import { applyContext } from './context.ts';
import type { Knowledge } from './knowledge.ts';
import { findMentions, findMinedMentions } from './mentions.ts';
import { splitSections, type SectionName } from './sections.ts';
import { splitSentences } from './sentences.ts';
import { completeCode } from './specificity.ts';
import { INDEX_SYNONYMS } from './synonyms.ts';
import { listBoundaries, tokenize } from './tokens.ts';
import type { ContextStatus, EvidenceSpan, RuleNote } from './types.ts';

export interface CandidateMention {
  span: EvidenceSpan;
  sentenceIndex: number;
  section: SectionName;
  context: ContextStatus;
  /** The dictionary term that matched, its kind and how specific it is. */
  termText: string;
  termKind: string;
  termCode: string;
  size: number;
  gaps: number;
  optionalHits: number;
  /** Inside a longer mention of the same sentence (see Mention.subsumed). */
  subsumed: boolean;
}

export interface Candidate {
  code: string;
  kind: 'final' | 'needs_specificity';
  mentions: CandidateMention[];
  rules: RuleNote[];
}

export interface AnalysedSentence {
  index: number;
  start: number;
  end: number;
  text: string;
  section: SectionName;
}

const NO_CONTEXT: ContextStatus = { negated: false, uncertain: false, historical: false, family: false, hypothetical: false };

/** Finds every code the note's words point to, with evidence spans into the original text. */
export function generateCandidates(
  text: string,
  kb: Knowledge,
  mined?: ReadonlyMap<string, readonly string[]>,
): { candidates: Candidate[]; sentences: AnalysedSentence[] } {
  const sentences = splitSentences(text, splitSections(text));
  const byCode = new Map<string, Candidate>();
  for (const s of sentences) {
    const expanded = expandAbbreviations(s.text);
    const tokens = tokenize(expanded.text);
    if (tokens.length === 0) continue;
    const sentenceStems = new Set(tokens.flatMap((t) => [t.stem, ...(INDEX_SYNONYMS.get(t.stem) ?? [])]));
    const mentions = [...findMentions(tokens, kb.dictionary, listBoundaries(expanded.text, tokens)), ...(mined ? findMinedMentions(tokens, mined) : [])];
    if (mentions.length === 0) continue;
    const spans = mentions.map((m) => {
      const first = tokens[m.tokens[0]!]!;
      const last = tokens[m.tokens[m.tokens.length - 1]!]!;
      return toOriginal(expanded.map, first.start, last.end);
    });
    const contexts = applyContext(s.text, spans, { section: s.section });
    mentions.forEach((m, i) => {
      const completion = completeCode(kb, m.entry.term.code, sentenceStems);
      if (!completion) return;
      const span = spans[i]!;
      const ctx = contexts[i];
      const mention: CandidateMention = {
        span: { start: s.start + span.start, end: s.start + span.end, quote: text.slice(s.start + span.start, s.start + span.end) },
        sentenceIndex: s.index,
        section: s.section,
        context: ctx
          ? { negated: ctx.negated, uncertain: ctx.uncertain, historical: ctx.historical, family: ctx.family, hypothetical: ctx.hypothetical }
          : NO_CONTEXT,
        termText: m.entry.term.text,
        termKind: m.entry.term.kind,
        termCode: m.entry.term.code,
        size: m.entry.size,
        gaps: m.gaps,
        optionalHits: m.optionalHits,
        subsumed: m.subsumed ?? false,
      };
      const existing = byCode.get(completion.code);
      if (existing) {
        existing.mentions.push(mention);
        for (const r of completion.rules) if (!existing.rules.some((x) => x.rule === r.rule)) existing.rules.push(r);
      } else byCode.set(completion.code, { code: completion.code, kind: completion.kind, mentions: [mention], rules: [...completion.rules] });
    });
  }
  dropAncestors(byCode, kb);
  return { candidates: [...byCode.values()], sentences };
}

/**
 * A code whose descendant is also a candidate from an overlapping span is the less specific reading of the
 * same words (E11.9 from "diabetes" beside E11.65 from "diabetes with hyperglycemia"): keep the specific one.
 */
function dropAncestors(byCode: Map<string, Candidate>, kb: Knowledge): void {
  const overlaps = (a: Candidate, b: Candidate) =>
    a.mentions.some((m) => b.mentions.some((n) => m.span.start < n.span.end && n.span.start < m.span.end));
  for (const [code, cand] of byCode) {
    const category = code.slice(0, 3);
    for (const [other, oc] of byCode) {
      if (other === code || other.slice(0, 3) !== category) continue;
      if (isLessSpecific(kb, cand, oc) && overlaps(cand, oc) && cand.mentions.every((m) => oc.mentions.some((n) => n.span.start <= m.span.start && n.span.end >= m.span.end))) {
        byCode.delete(code);
        break;
      }
    }
  }
}

/**
 * True when `a` is an ancestor of `b`, or an "unspecified"/"without …"/"uncomplicated" code in the same
 * category that matched fewer words: "Hepatitis C" (B19.20, titled "Unspecified viral hepatitis C…") is not
 * less specific than "hepatitis … virus" (B19.9).
 */
function isLessSpecific(kb: Knowledge, a: Candidate, b: Candidate): boolean {
  for (let p = kb.codes.get(b.code)?.parent; p; p = kb.codes.get(p)?.parent) if (p === a.code) return true;
  const title = kb.codes.get(a.code)?.title ?? '';
  const size = (c: Candidate) => Math.max(...c.mentions.map((m) => m.size));
  return /\b(unspecified|without|uncomplicated)\b/i.test(title) && size(a) < size(b);
}
