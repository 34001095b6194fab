// LLM stage: given numbered sentences and, per mention, the retrieved candidate codes, the model chooses
// which candidates the note supports and quotes the supporting text. The model is never trusted: a code
// outside that mention's candidates, a quote that is not in the note, an unknown mention id or a malformed
// item is dropped and counted. Faults (timeouts, 429/5xx past the retry budget, malformed output twice)
// return a fallback marker with the reason, so the caller keeps the offline result and records why.

import { z } from 'zod';
import { formatIcd10cm } from '../codes/types.ts';
import { type LlmClient, LlmError, type LlmErrorReason } from '../llm/client.ts';
import { parseJsonReply } from '../llm/json-reply.ts';
import { type PromptTemplate, loadPromptTemplate, renderPrompt } from '../llm/prompts.ts';
import { logger } from '../logger.ts';
import type { Setting } from './types.ts';

export interface LlmCandidate {
  system: string;
  code: string;
  description: string;
  notes?: string[];
}

export interface LlmMention {
  id: string;
  sentenceIndex: number;
  start: number;
  end: number;
  quote: string;
  candidates: LlmCandidate[];
}

export interface LlmSelectInput {
  text: string;
  sentences: { index: number; start: number; end: number; text: string }[];
  mentions: LlmMention[];
  setting: Setting;
}

export interface LlmSelection {
  mentionId: string;
  /** The candidate's system and code as given (not the model's spelling of it). */
  system: string;
  code: string;
  /** Real offsets of the quote in the note: quote === text.slice(start, end). */
  start: number;
  end: number;
  quote: string;
  rationale: string;
  confidence: number;
}

export interface LlmDropped {
  notACandidate: number;
  quoteNotInNote: number;
  unknownMention: number;
  /** Items that failed the reply schema, had no word character in the quote, or repeated a choice. */
  invalid: number;
}

export interface LlmPromptRef {
  name: string;
  version: string;
  /** sha256 of the rendered system and user messages. */
  hash: string;
  /** sha256 of the template file. */
  templateHash: string;
}

export type LlmFallbackReason = LlmErrorReason | 'malformed_output' | 'empty_output';

export type LlmSelectResult =
  | { status: 'ok'; selections: LlmSelection[]; dropped: LlmDropped; prompt: LlmPromptRef; model: string; attempts: number }
  | { status: 'fallback'; reason: LlmFallbackReason; prompt: LlmPromptRef; model: string; attempts: number };

export const SELECT_PROMPT = { name: 'select-codes', version: 1 } as const;

/** Above this many characters of sentence text, only sentences near a mention are sent. */
export const MAX_PROMPT_SENTENCE_CHARS = 40_000;
const SENTENCE_WINDOW = 2;

let defaultTemplate: PromptTemplate | undefined;
function selectCodesTemplate(): PromptTemplate {
  defaultTemplate ??= loadPromptTemplate(SELECT_PROMPT.name, SELECT_PROMPT.version);
  return defaultTemplate;
}

/**
 * Asks the model to choose among each mention's candidates and keeps only choices that name one of them and
 * quote the note. Example: mention "NSTEMI" with candidates I21.4 and I21.9, reply {code:"I21.4",
 * quote:"NSTEMI"} → one selection with the quote's offsets in the note.
 */
export async function selectWithLlm(
  input: LlmSelectInput,
  client: LlmClient,
  template: PromptTemplate = selectCodesTemplate(),
): Promise<LlmSelectResult> {
  const log = logger.child({ component: 'llm-select', model: client.model });
  const prompt = buildSelectPrompt(input, template);
  const promptRef: LlmPromptRef = {
    name: template.name,
    version: template.version,
    hash: prompt.rendered.hash,
    templateHash: template.templateHash,
  };
  const base = { prompt: promptRef, model: client.model };

  if (prompt.mentionCount === 0) {
    return { status: 'ok', selections: [], dropped: emptyDropped(), ...base, attempts: 0 };
  }

  let attempts = 0;
  let problem: 'malformed_output' | 'empty_output' = 'malformed_output';
  // Malformed or empty output is asked for once more; a second failure falls back.
  for (let call = 0; call < 2; call++) {
    let content: string;
    try {
      content = await client.complete({
        system: prompt.rendered.system,
        user: prompt.rendered.user,
        jsonSchema: prompt.jsonSchema,
        onAttempt: () => attempts++,
      });
    } catch (err) {
      if (!(err instanceof LlmError)) throw err;
      log.warn({ reason: err.reason, attempts }, 'LLM stage fell back to offline result');
      return { status: 'fallback', reason: err.reason, ...base, attempts };
    }
    const reply = parseSelectReply(content);
    if (reply.ok) {
      const { selections, dropped } = checkSelections(reply.items, input);
      log.info({ attempts, selections: selections.length, dropped }, 'LLM selections checked');
      return { status: 'ok', selections, dropped, ...base, attempts };
    }
    problem = reply.problem;
    log.warn({ problem, call: call + 1 }, 'LLM reply unusable');
  }
  log.warn({ reason: problem, attempts }, 'LLM stage fell back to offline result');
  return { status: 'fallback', reason: problem, ...base, attempts };
}

// ---------------------------------------------------------------------------------------------------------
// Prompt

interface SelectPrompt {
  rendered: ReturnType<typeof renderPrompt>;
  jsonSchema: { name: string; schema: object };
  /** Mentions sent to the model (those with at least one candidate). */
  mentionCount: number;
}

/** Renders the prompt and the reply schema; deterministic, so equal input gives an equal hash. */
export function buildSelectPrompt(input: LlmSelectInput, template: PromptTemplate): SelectPrompt {
  const seen = new Set<string>();
  for (const m of input.mentions) {
    if (seen.has(m.id)) throw new Error(`duplicate mention id "${m.id}"`);
    seen.add(m.id);
  }
  const mentions = input.mentions.filter((m) => m.candidates.length > 0);

  const allChars = input.sentences.reduce((n, s) => n + s.text.length, 0);
  const near = new Set(mentions.map((m) => m.sentenceIndex));
  const shown =
    allChars <= MAX_PROMPT_SENTENCE_CHARS
      ? input.sentences
      : input.sentences.filter((s) => [...near].some((i) => Math.abs(s.index - i) <= SENTENCE_WINDOW));
  const sentences = shown.map((s) => `[${s.index}] ${collapseWhitespace(s.text)}`).join('\n');
  const mentionLines = mentions
    .map((m) =>
      JSON.stringify({
        mention_id: m.id,
        sentence: m.sentenceIndex,
        quote: collapseWhitespace(m.quote),
        candidates: m.candidates.map((c) => ({
          system: c.system,
          code: c.code,
          description: c.description,
          ...(c.notes !== undefined && c.notes.length > 0 && { notes: c.notes }),
        })),
      }),
    )
    .join('\n');

  const rendered = renderPrompt(template, {
    setting: input.setting,
    fence: fenceFor(sentences, mentionLines),
    sentences,
    mentions: mentionLines,
  });

  const codes = [...new Set(mentions.flatMap((m) => m.candidates.map((c) => c.code)))];
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['selections'],
    properties: {
      selections: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['mention_id', 'code', 'quote', 'rationale', 'confidence'],
          properties: {
            // Enums let servers with constrained decoding (OpenAI strict, vLLM, llama.cpp) rule out unknown
            // ids and codes up front; the per-mention check below still applies.
            mention_id: { type: 'string', ...(mentions.length > 0 && { enum: mentions.map((m) => m.id) }) },
            code: { type: 'string', ...(codes.length > 0 && { enum: codes }) },
            quote: { type: 'string' },
            rationale: { type: 'string' },
            confidence: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
    },
  };
  return { rendered, jsonSchema: { name: 'code_selections', schema }, mentionCount: mentions.length };
}

/** A backtick fence longer than any backtick run in the fenced text, so the note cannot close it. */
export function fenceFor(...texts: string[]): string {
  let longest = 0;
  for (const t of texts) for (const run of t.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

// Same whitespace class as sections.ts trimRange: Unicode spaces plus zero-width characters.
const WHITESPACE = /[\s\u200B-\u200D\u2060\uFEFF]/;
const WHITESPACE_RUN = /[\s\u200B-\u200D\u2060\uFEFF]+/g;

function collapseWhitespace(text: string): string {
  return text.replace(WHITESPACE_RUN, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------
// Reply

const SelectReplySchema = z.object({ selections: z.array(z.unknown()) });

const SelectionItemSchema = z.object({
  mention_id: z.string(),
  code: z.string(),
  quote: z.string().regex(/[\p{L}\p{N}]/u, 'quote must contain a letter or digit'),
  rationale: z.string().max(2000),
  confidence: z.number().min(0).max(1),
});

/** JSON → `{selections: unknown[]}`; items are checked one by one later so one bad item does not sink the rest. */
export function parseSelectReply(
  content: string,
): { ok: true; items: unknown[] } | { ok: false; problem: 'malformed_output' | 'empty_output' } {
  const reply = parseJsonReply(content);
  if (!reply.ok) return reply;
  const json = reply.json;
  const parsed = SelectReplySchema.safeParse(json);
  return parsed.success ? { ok: true, items: parsed.data.selections } : { ok: false, problem: 'malformed_output' };
}

function emptyDropped(): LlmDropped {
  return { notACandidate: 0, quoteNotInNote: 0, unknownMention: 0, invalid: 0 };
}

/** Comparison key: ICD-10-CM codes compare with or without the dot ("I214" = "I21.4"); others as written. */
function codeKey(system: string, code: string): string {
  return system === 'ICD10CM' ? formatIcd10cm(code) : code.trim().toUpperCase();
}

/** Keeps the items that name a given mention, one of its candidates and a quote found in the note. */
export function checkSelections(items: readonly unknown[], input: LlmSelectInput): { selections: LlmSelection[]; dropped: LlmDropped } {
  const dropped = emptyDropped();
  const selections: LlmSelection[] = [];
  const mentions = new Map(input.mentions.filter((m) => m.candidates.length > 0).map((m) => [m.id, m]));
  const locate = quoteLocator(input.text);
  const chosen = new Set<string>();

  for (const item of items) {
    const parsed = SelectionItemSchema.safeParse(item);
    if (!parsed.success) {
      dropped.invalid++;
      continue;
    }
    const s = parsed.data;
    const mention = mentions.get(s.mention_id);
    if (mention === undefined) {
      dropped.unknownMention++;
      continue;
    }
    // Only this mention's candidates: a code retrieved for another mention is not evidence for this one.
    const candidate = mention.candidates.find((c) => codeKey(c.system, c.code) === codeKey(c.system, s.code));
    if (candidate === undefined) {
      dropped.notACandidate++;
      continue;
    }
    const span = locate(s.quote, mention.start);
    if (span === null) {
      dropped.quoteNotInNote++;
      continue;
    }
    const key = `${mention.id}\u0000${candidate.system}\u0000${candidate.code}`;
    if (chosen.has(key)) {
      dropped.invalid++;
      continue;
    }
    chosen.add(key);
    selections.push({
      mentionId: mention.id,
      system: candidate.system,
      code: candidate.code,
      start: span.start,
      end: span.end,
      quote: input.text.slice(span.start, span.end),
      rationale: s.rationale,
      confidence: s.confidence,
    });
  }
  return { selections, dropped };
}

/**
 * Finds a quote in the note, exactly or with whitespace runs matched as one space (the model saw sentences
 * with collapsed whitespace). Returns real offsets of the occurrence nearest `near`, or null.
 * Example: note "Seen by Dr. Patel\n  in clinic", quote "Patel in clinic" → the span "Patel\n  in clinic".
 */
export function quoteLocator(text: string): (quote: string, near: number) => { start: number; end: number } | null {
  // normalised[i] came from text[origin[i]]; a whitespace run becomes one space at the run's first index.
  const origin: number[] = [];
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (WHITESPACE.test(ch)) {
      if (parts[parts.length - 1] === ' ') continue;
      parts.push(' ');
    } else {
      parts.push(ch);
    }
    origin.push(i);
  }
  const normalised = parts.join('');

  return (quote, near) => {
    const q = collapseWhitespace(quote);
    if (q === '') return null;
    let best: { start: number; end: number } | null = null;
    for (let at = normalised.indexOf(q); at !== -1; at = normalised.indexOf(q, at + 1)) {
      const start = origin[at]!;
      const end = origin[at + q.length - 1]! + 1;
      if (best === null || Math.abs(start - near) < Math.abs(best.start - near)) best = { start, end };
    }
    return best;
  };
}
