// NegEx/ConText-style assertion: for each target span in a sentence, is it negated, uncertain,
// historical, about a family member, or hypothetical? Rules live in ./context-rules.ts as data.

import { type ContextCategory, type ContextRule, DEFAULT_CONTEXT_RULES } from './context-rules.ts';
import type { SectionName } from './sections.ts';

export interface Span {
  start: number;
  end: number;
}

export interface ContextTrigger {
  kind: ContextCategory;
  /** Offsets into the sentence. */
  start: number;
  end: number;
  text: string;
}

export interface ContextResult {
  negated: boolean;
  uncertain: boolean;
  historical: boolean;
  family: boolean;
  hypothetical: boolean;
  /** Triggers whose scope covers the target, in sentence order. */
  triggers: ContextTrigger[];
  /** The section that set a flag on its own (family_history → family; pmh, psh → historical), else null. */
  sectionCue: SectionName | null;
}

export interface ContextOptions {
  /** Section the sentence came from; mentions under "Family History" are family, under "PMH" historical. */
  section?: SectionName;
  /**
   * The sentence lists the diagnoses of an inpatient stay (a discharge summary's diagnoses): "resolved" there
   * says the condition resolved during the stay, so it was present and treated and is reported (OCG Section
   * III); elsewhere it makes the condition history.
   */
  stayDiagnoses?: boolean;
  rules?: readonly ContextRule[];
}

interface CompiledRules {
  pattern: RegExp;
  byLiteral: ReadonlyMap<string, ContextRule>;
}

const compiledCache = new WeakMap<readonly ContextRule[], CompiledRules>();

function normalizeLiteral(literal: string): string {
  return literal.toLowerCase().replace(/\s+/g, ' ');
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const escapeLiteral = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, String.raw`\s+`);

function compileRules(rules: readonly ContextRule[]): CompiledRules {
  const cached = compiledCache.get(rules);
  if (cached !== undefined) return cached;
  const byLiteral = new Map(rules.map((rule) => [normalizeLiteral(rule.literal), rule]));
  // Longest literal first, so at any position "no evidence of" wins over "no" and "no change" blocks "no". Grouped
  // by first character ("n(?:o evidence of|o change|o)"): only one group can match at a position, so the winner is
  // the same, and the engine tries one group instead of 230 alternatives at each word start (profiled).
  const groups = new Map<string, string[]>();
  for (const literal of [...byLiteral.keys()].sort((a, b) => b.length - a.length)) {
    const first = literal[0]!.toLowerCase();
    const rest = escapeLiteral(literal.slice(1));
    const list = groups.get(first);
    if (list) list.push(rest);
    else groups.set(first, [rest]);
  }
  const alternativesOf = (wordStart: boolean) =>
    [...groups].filter(([first]) => WORD_CHAR.test(first) === wordStart).map(([first, rests]) => `${escapeLiteral(first)}(?:${rests.join('|')})`);
  // A literal that starts with a word must start a word; one that starts with punctuation (": none") may follow a
  // word directly ("Diabetes: none"), or it could never match where it is written.
  const punctuated = alternativesOf(false);
  const pattern = new RegExp(
    String.raw`(?:(?<![\p{L}\p{N}])(?:${alternativesOf(true).join('|')})${punctuated.length > 0 ? `|${punctuated.join('|')}` : ''})(?![\p{L}\p{N}])`,
    'giu',
  );
  const compiled = { pattern, byLiteral };
  compiledCache.set(rules, compiled);
  return compiled;
}

/**
 * Every trigger in a sentence, including TERMINATE and PSEUDO, leftmost-longest and non-overlapping.
 * Example: "No change in his hypertension" → [{kind:'PSEUDO', start:0, end:9, text:'No change'}]
 */
export function findTriggers(
  sentence: string,
  rules: readonly ContextRule[] = DEFAULT_CONTEXT_RULES,
): ContextTrigger[] {
  const { pattern, byLiteral } = compileRules(rules);
  const triggers: ContextTrigger[] = [];
  for (const match of sentence.matchAll(pattern)) {
    const rule = byLiteral.get(normalizeLiteral(match[0]));
    if (rule === undefined) continue;
    triggers.push({ kind: rule.category, start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return triggers;
}

/** Index of the first element >= x in a sorted array (array length if none). */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? Number.POSITIVE_INFINITY) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Scoped {
  trigger: ContextTrigger;
  forward: Span | null;
  backward: Span | null;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
/** A word a two-way uncertainty cue qualifies after it: not a reason ("given", "due to", "because", "as", "based on"). */
const QUALIFIED_WORD = /^\s*(?!(?:given|due|because|as|based|per|from|with|by|in|on|at|but|and|or|since|considering|secondary|related|to|the|a|an)\b)[\p{L}\p{N}]/iu;

/** Works out each modifying trigger's scope: up to a terminator, a ";", the sentence edge or maxScope tokens. */
function scopeTriggers(sentence: string, triggers: readonly ContextTrigger[], rules: CompiledRules): Scoped[] {
  const tokenStarts: number[] = [];
  const tokenEnds: number[] = [];
  for (const token of sentence.matchAll(TOKEN)) {
    tokenStarts.push(token.index);
    tokenEnds.push(token.index + token[0].length);
  }
  // Hard boundaries: terminators and semicolons (clause breaks the sentence splitter leaves in place).
  const stops: Span[] = triggers.filter((t) => t.kind === 'TERMINATE').map((t) => ({ start: t.start, end: t.end }));
  for (const semicolon of sentence.matchAll(/;/g)) stops.push({ start: semicolon.index, end: semicolon.index + 1 });
  // An em dash between spaces sets a comment after a diagnosis: "COPD with acute exacerbation — viral trigger
  // suspected" (the trigger is the comment's, not the exacerbation's).
  // Not a dash right before a status of the diagnosis itself ("GERD — resolved, not treated", "UTI — ruled out").
  const statusAt = (at: number) =>
    triggers.some((t) => t.start === at && (t.kind === 'NEGATED' || t.kind === 'HISTORICAL') && rules.byLiteral.get(normalizeLiteral(t.text))?.direction === 'BACKWARD');
  for (const dash of sentence.matchAll(/ \u2014 /g)) if (!statusAt(dash.index + dash[0].length)) stops.push({ start: dash.index, end: dash.index + dash[0].length });
  const stopStarts = stops.map((s) => s.start).sort((a, b) => a - b);
  const stopEnds = stops.map((s) => s.end).sort((a, b) => a - b);

  const scoped: Scoped[] = [];
  for (const trigger of triggers) {
    if (trigger.kind === 'TERMINATE' || trigger.kind === 'PSEUDO') continue;
    const rule = rules.byLiteral.get(normalizeLiteral(trigger.text));
    if (rule === undefined) continue;

    let forward: Span | null = null;
    if (rule.direction !== 'BACKWARD') {
      let end = stopStarts[lowerBound(stopStarts, trigger.end)] ?? sentence.length;
      if (rule.maxScope !== undefined) {
        const limit = tokenEnds[lowerBound(tokenStarts, trigger.end) + rule.maxScope - 1];
        if (limit !== undefined) end = Math.min(end, limit);
      }
      // A forward cue inside parentheses qualifies the aside only: "pulmonary emboli (…, not saddle) with acute cor
      // pulmonale" does not deny the cor pulmonale. (A backward one may still look out: "Pneumonia (ruled out)".)
      const close = closingParenAfter(sentence, trigger.start);
      if (close !== -1) end = Math.min(end, close);
      forward = { start: trigger.end, end };
    }
    let backward: Span | null = null;
    // A two-way uncertainty cue with words after it in its clause qualifies them: "Acute viral gastroenteritis - likely
    // norovirus", "Chest pain, likely musculoskeletal" (the organism or cause is uncertain, the condition stated);
    // "UTI likely." looks back. Not "vs": both sides of a differential are uncertain.
    // Only after a separator and before a content word: "Septic arthritis unlikely given the aspirate", "Pneumonia,
    // likely given the fever" look back.
    const qualifiesAfter =
      rule.direction === 'BIDIRECTIONAL' && rule.category === 'POSSIBLE' && rule.maxScope === undefined && forward !== null &&
      /[,\-\u2013\u2014:]\s*$/.test(sentence.slice(0, trigger.start)) && QUALIFIED_WORD.test(sentence.slice(forward.start, forward.end));
    if (rule.direction !== 'FORWARD' && !qualifiesAfter) {
      let start = stopEnds[lowerBound(stopEnds, trigger.start + 1) - 1] ?? 0;
      if (rule.maxScope !== undefined) {
        const limit = tokenStarts[lowerBound(tokenEnds, trigger.start + 1) - rule.maxScope];
        if (limit !== undefined) start = Math.max(start, limit);
      }
      backward = { start, end: trigger.start };
    }
    scoped.push({ trigger, forward, backward });
  }
  return scoped;
}

/** The ")" that closes a parenthesis open at `at`, or -1 when `at` is not inside one. */
function closingParenAfter(sentence: string, at: number): number {
  const open = sentence.lastIndexOf('(', at);
  if (open === -1 || sentence.lastIndexOf(')', at) > open) return -1;
  return sentence.indexOf(')', at);
}

function covers(scoped: Scoped, target: Span): boolean {
  const { trigger, forward, backward } = scoped;
  // A trigger overlapping the target is part of the mention, not a modifier of it; except a forward uncertainty cue
  // inside a reading gathered across it, whose last words lie in its scope: "Lesion of right nasal ala, r/o basal cell
  // carcinoma" read as "Neoplasm, nose, skin, basal cell carcinoma" is the carcinoma ruled out (OCG IV.H).
  // And the mirror: a backward negation inside a reading gathered across it, whose first words lie in its scope: "R
  // ankle sprain ruled out as separate injury" read as "Injury, ankle, sprain" is the sprain ruled out.
  if (target.start < trigger.end && trigger.start < target.end) {
    if (trigger.kind === 'NEGATED' && forward === null && backward !== null && trigger.start > target.start) return target.start >= backward.start;
    // ("… - likely norovirus" read whole as "Enteritis, norovirus": a two-way cue's forward scope decides too.)
    return trigger.kind === 'POSSIBLE' && trigger.start > target.start && forward !== null && target.end > forward.start && target.end <= forward.end;
  }
  if (forward !== null && target.start >= forward.start && target.start < forward.end) return true;
  return backward !== null && target.end <= backward.end && target.end > backward.start;
}

/**
 * Forward triggers that a longer trigger running into the target swallowed: "No history of kidney stones" reads
 * as the trigger "no history of", but when the mention is the Index term "history of kidney stones" (Z87.442)
 * the trigger is part of the mention (see covers) and the "no" before it must still negate it.
 */
function swallowedBefore(sentence: string, target: Span, scoped: readonly Scoped[], compiled: CompiledRules, rules: readonly ContextRule[]): ContextTrigger[] {
  const out: ContextTrigger[] = [];
  for (const { trigger } of scoped) {
    if (!(trigger.start < target.start && target.start < trigger.end)) continue;
    for (const inner of findTriggers(sentence.slice(trigger.start, target.start), rules)) {
      const rule = compiled.byLiteral.get(normalizeLiteral(inner.text));
      if (!rule || rule.direction === 'BACKWARD' || inner.kind === 'PSEUDO' || inner.kind === 'TERMINATE') continue;
      out.push({ ...inner, start: inner.start + trigger.start, end: inner.end + trigger.start });
    }
  }
  return out;
}

/**
 * Assertion status of each target span (offsets into `sentence`), in target order.
 * Example: applyContext("Patient has diabetes but no retinopathy", [{start:12,end:20},{start:28,end:39}])
 * → diabetes not negated ("but" ends nothing before it), retinopathy negated by "no".
 */
/**
 * A sentence's scoped triggers, remembered for the last sentences read: the engine asks about the same sentence
 * many times (its mentions, then each guideline stage's drug, vaccine or procedure cue), and finding the triggers
 * is one pass of a 230-literal pattern (5 % of a note, profiled). Pure: the same sentence and rules, the same scopes.
 */
function scopedTriggersOf(sentence: string, rules: readonly ContextRule[], compiled: CompiledRules): Scoped[] {
  let memo = scopedMemo.get(rules);
  if (!memo) scopedMemo.set(rules, (memo = new Map()));
  let scoped = memo.get(sentence);
  if (!scoped) {
    scoped = scopeTriggers(sentence, findTriggers(sentence, rules), compiled);
    if (memo.size >= SCOPED_MEMO) memo.clear();
    memo.set(sentence, scoped);
  }
  return scoped;
}
const scopedMemo = new WeakMap<readonly ContextRule[], Map<string, Scoped[]>>();
const SCOPED_MEMO = 2_000;

export function applyContext(
  sentence: string,
  targets: readonly Span[],
  options: ContextOptions = {},
): ContextResult[] {
  for (const { start, end } of targets) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > sentence.length) {
      throw new RangeError(`target [${start}, ${end}) is outside the sentence (length ${sentence.length})`);
    }
  }
  if (targets.length === 0) return [];

  const rules = options.rules ?? DEFAULT_CONTEXT_RULES;
  const compiled = compileRules(rules);
  const scoped = scopedTriggersOf(sentence, rules, compiled);
  const sectionFamily = options.section === 'family_history';
  const sectionHistorical = options.section === 'pmh' || options.section === 'psh';
  const historicalCue = (t: ContextTrigger) => t.kind === 'HISTORICAL' && !(options.stayDiagnoses && /^resolved$/i.test(t.text));

  return targets.map((target) => {
    const applied = [...scoped.filter((s) => covers(s, target)).map((s) => s.trigger), ...swallowedBefore(sentence, target, scoped, compiled, rules)];
    const has = (kind: ContextCategory): boolean => applied.some((t) => t.kind === kind);
    const historical = applied.some(historicalCue);
    const sectionDecides = (sectionFamily && !has('FAMILY')) || (sectionHistorical && !historical);
    return {
      negated: has('NEGATED'),
      uncertain: has('POSSIBLE'),
      historical: historical || sectionHistorical,
      family: has('FAMILY') || sectionFamily,
      hypothetical: has('HYPOTHETICAL'),
      triggers: applied,
      sectionCue: sectionDecides ? (options.section ?? null) : null,
    };
  });
}
