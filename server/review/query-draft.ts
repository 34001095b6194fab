// LLM-drafted physician queries: the model proposes clinical indicators, a question and options; nothing
// it says is trusted. Indicators are kept only when they quote the note (and get the quote's real offsets),
// the wording goes through the same compliance check as a hand-written query, and the coder edits the
// draft before anything is sent. A fault (timeout, 429/5xx past retries, malformed output twice) is an error
// the composer shows; the coder writes the query by hand as before.
import { z } from 'zod';
import { type LlmClient, LlmError } from '../llm/client.ts';
import { loadPromptTemplate, renderPrompt, type PromptTemplate } from '../llm/prompts.ts';
import { parseJsonReply } from '../llm/json-reply.ts';
import { fenceFor, quoteLocator } from '../pipeline/llm-select.ts';
import { QUERY_KINDS, type QueryKind } from '../db/schema/index.ts';
import { checkQuery, STANDARD_OPTIONS, type QueryPurpose } from './query-rules.ts';

export const DRAFT_PROMPT = { name: 'draft-query', version: 1 } as const;
/** A draft cites at most this many indicators (the composer allows more by hand). */
const MAX_INDICATORS = 6;

export interface QueryDraftSuggestion {
  kind: QueryKind;
  question: string;
  /** Clinical options only; the standard ones are added on send. */
  options: string[];
  indicators: { start: number; end: number; quote: string }[];
  /** Leading wording or refusals found by checkQuery: the coder must fix these before sending. */
  warnings: string[];
  errors: string[];
  /** Indicators the model quoted that are not in the note (dropped). */
  droppedIndicators: number;
  prompt: { name: string; version: string; hash: string };
  model: string;
}

export class QueryDraftError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryDraftError';
  }
}

const ReplySchema = z.object({
  indicators: z.array(z.string().max(1000)).max(20),
  question: z.string().trim().min(1).max(2000),
  kind: z.enum(QUERY_KINDS),
  options: z.array(z.string().trim().max(300)).max(10),
});

let template: PromptTemplate | undefined;

export async function draftQuery(
  llm: LlmClient,
  input: { text: string; purpose: QueryPurpose; focus: { start: number; end: number } | null },
): Promise<QueryDraftSuggestion> {
  template ??= loadPromptTemplate(DRAFT_PROMPT.name, DRAFT_PROMPT.version);
  const focus = input.focus ? input.text.slice(input.focus.start, input.focus.end) : 'the whole note';
  const rendered = renderPrompt(template, { purpose: input.purpose.replace(/_/g, ' '), focus, fence: fenceFor(input.text), note: input.text });
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['indicators', 'question', 'kind', 'options'],
    properties: {
      indicators: { type: 'array', items: { type: 'string' } },
      question: { type: 'string' },
      kind: { type: 'string', enum: [...QUERY_KINDS] },
      options: { type: 'array', items: { type: 'string' } },
    },
  };
  let reply: z.infer<typeof ReplySchema> | null = null;
  // Malformed output is asked for once more, as in the code-selection stage.
  for (let call = 0; call < 2 && !reply; call++) {
    let content: string;
    try {
      content = await llm.complete({ system: rendered.system, user: rendered.user, jsonSchema: { name: 'query_draft', schema } });
    } catch (err) {
      if (err instanceof LlmError) throw new QueryDraftError(err.reason, `The LLM could not draft a query (${err.reason})`);
      throw err;
    }
    const parsed = parseJsonReply(content);
    const checked = parsed.ok ? ReplySchema.safeParse(parsed.json) : null;
    if (checked?.success) reply = checked.data;
  }
  if (!reply) throw new QueryDraftError('malformed_output', 'The LLM did not return a usable draft; write the query by hand');

  const locate = quoteLocator(input.text);
  const near = input.focus?.start ?? 0;
  const indicators: QueryDraftSuggestion['indicators'] = [];
  let dropped = 0;
  for (const quote of reply.indicators) {
    const at = /[\p{L}\p{N}]/u.test(quote) ? locate(quote, near) : null;
    if (!at) {
      dropped++;
      continue;
    }
    if (!indicators.some((i) => i.start === at.start && i.end === at.end)) indicators.push({ ...at, quote: input.text.slice(at.start, at.end) });
  }
  const options = reply.kind === 'multiple_choice' ? reply.options.filter((o) => !(STANDARD_OPTIONS as readonly string[]).includes(o)) : [];
  const check = checkQuery({ kind: reply.kind, purpose: input.purpose, question: reply.question, options });
  return {
    kind: reply.kind,
    question: reply.question,
    options,
    indicators: indicators.slice(0, MAX_INDICATORS),
    warnings: check.warnings,
    errors: check.errors,
    droppedIndicators: dropped,
    prompt: { name: template.name, version: template.version, hash: rendered.hash },
    model: llm.model,
  };
}
