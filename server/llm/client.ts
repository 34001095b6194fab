// The one LLM edge: an OpenAI-compatible Chat Completions client with an explicit per-attempt timeout and a
// bounded, visible retry loop. The SDK's own retries are off (maxRetries: 0) because its defaults are long
// (10-minute timeout, retries on timeouts) and hidden; here every attempt is counted and logged without content.
//
// Works with anything that speaks /chat/completions through the `openai` package: OpenAI (key only),
// Azure OpenAI v1 (`OPENAI_BASE_URL=https://<resource>.openai.azure.com/openai/v1`), vLLM, Ollama and
// llama.cpp (`OPENAI_BASE_URL=http://host:port/v1`, key optional).

import OpenAI from 'openai';
import type { Config } from '../config.ts';
import { logger } from '../logger.ts';

export interface LlmConfig {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Per attempt, covering connect, headers and body. */
  timeoutMs: number;
  /** Retries after the first attempt for timeouts, network errors, 429 and 5xx. */
  maxRetries: number;
  /** First backoff delay; doubles per retry with jitter, capped at 8 s. Default 500 ms. */
  backoffBaseMs?: number;
  /** Upper bound on a server's Retry-After wait. Default 10 s. */
  maxRetryAfterMs?: number;
  /** Sampling temperature. Default 0, so a rerun on the same note is as repeatable as the server allows. */
  temperature?: number;
}

/** LLM settings from configuration, or null (offline only) when neither an API key nor a base URL is set. */
export function llmConfigFrom(config: Config): LlmConfig | null {
  if (config.OPENAI_API_KEY === undefined && config.OPENAI_BASE_URL === undefined) return null;
  return {
    ...(config.OPENAI_API_KEY !== undefined && { apiKey: config.OPENAI_API_KEY }),
    ...(config.OPENAI_BASE_URL !== undefined && { baseURL: config.OPENAI_BASE_URL }),
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  };
}

export interface LlmRequest {
  system: string;
  user: string;
  /** JSON Schema of the reply, sent as structured output (`strict: true`) where the server supports it. */
  jsonSchema: { name: string; schema: object };
  /** Called once per HTTP attempt, so callers can record the real number of requests made. */
  onAttempt?: () => void;
}

export interface LlmClient {
  model: string;
  /** The reply's message content ('' when the server sent none). Throws LlmError once retries are spent. */
  complete(req: LlmRequest): Promise<string>;
}

export const LLM_ERROR_REASONS = ['timeout', 'rate_limited', 'server_error', 'bad_request', 'network'] as const;
export type LlmErrorReason = (typeof LLM_ERROR_REASONS)[number];

/** A failed completion. The message never holds prompt, note or server error text (which can echo input). */
export class LlmError extends Error {
  constructor(
    readonly reason: LlmErrorReason,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(`LLM request failed: ${reason}${status !== undefined ? ` (HTTP ${status})` : ''} after ${attempts} attempt(s)`);
    this.name = 'LlmError';
  }
}

const DEFAULT_BACKOFF_BASE_MS = 500;
const MAX_BACKOFF_MS = 8_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;

type ResponseFormatMode = 'json_schema' | 'json_object';

interface AttemptFailure {
  reason: LlmErrorReason;
  status?: number;
  retryable: boolean;
  /** Server-requested wait (Retry-After / retry-after-ms), uncapped. */
  retryAfterMs?: number;
}

/**
 * Client over the `openai` package with its retries off and our own loop: timeouts, network errors, 429 and
 * 5xx are retried up to `maxRetries` times; a 400 while sending a json_schema response format is taken to
 * mean the server lacks structured outputs, and the request is repeated with `json_object` (with its own
 * retry budget, so at most 2 × (maxRetries + 1) attempts), remembered for later calls once it works.
 */
export function createLlmClient(cfg: LlmConfig): LlmClient {
  const openai = new OpenAI({
    // Local servers (Ollama, llama.cpp, vLLM) need no key, but the SDK refuses to start without one.
    apiKey: cfg.apiKey ?? 'not-needed',
    ...(cfg.baseURL !== undefined && { baseURL: cfg.baseURL }),
    maxRetries: 0,
    timeout: cfg.timeoutMs,
  });
  const log = logger.child({ component: 'llm', model: cfg.model });
  const backoffBaseMs = cfg.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const maxRetryAfterMs = cfg.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  let mode: ResponseFormatMode = 'json_schema';

  async function attempt(req: LlmRequest, format: ResponseFormatMode): Promise<string> {
    const controller = new AbortController();
    let timedOut = false;
    // Our own timer covers reading the body too; the SDK's timeout stops once headers arrive.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, cfg.timeoutMs);
    try {
      const completion = await openai.chat.completions.create(
        {
          model: cfg.model,
          messages: [
            { role: 'system', content: req.system },
            { role: 'user', content: req.user },
          ],
          temperature: cfg.temperature ?? 0,
          response_format:
            format === 'json_schema'
              ? { type: 'json_schema', json_schema: { name: req.jsonSchema.name, schema: { ...req.jsonSchema.schema }, strict: true } }
              : { type: 'json_object' },
        },
        { signal: controller.signal, timeout: cfg.timeoutMs, maxRetries: 0 },
      );
      return completion.choices?.[0]?.message?.content ?? '';
    } catch (err) {
      throw timedOut ? new AttemptError({ reason: 'timeout', retryable: true }) : new AttemptError(classify(err));
    } finally {
      clearTimeout(timer);
    }
  }

  /** One response format, retried on transient faults; throws the last attempt's failure. */
  async function retryLoop(req: LlmRequest, format: ResponseFormatMode): Promise<string> {
    for (let retries = 0; ; retries++) {
      req.onAttempt?.();
      try {
        return await attempt(req, format);
      } catch (err) {
        if (!(err instanceof AttemptError)) throw err;
        const failure = err.failure;
        if (!failure.retryable || retries >= cfg.maxRetries) throw err;
        const delayMs =
          failure.retryAfterMs !== undefined
            ? Math.min(Math.max(0, failure.retryAfterMs), maxRetryAfterMs)
            : backoffDelay(backoffBaseMs, retries);
        log.warn({ reason: failure.reason, status: failure.status, retry: retries + 1, delayMs }, 'LLM attempt failed; retrying');
        await sleep(delayMs);
      }
    }
  }

  function toLlmError(err: AttemptError, attempts: number): LlmError {
    log.warn({ attempts, reason: err.failure.reason, status: err.failure.status }, 'LLM request failed');
    return new LlmError(err.failure.reason, attempts, err.failure.status);
  }

  return {
    model: cfg.model,
    async complete(req) {
      let attempts = 0;
      const counted: LlmRequest = {
        ...req,
        onAttempt: () => {
          attempts++;
          req.onAttempt?.();
        },
      };
      const format = mode;
      try {
        return await retryLoop(counted, format);
      } catch (err) {
        if (!(err instanceof AttemptError)) throw err;
        // A 400 to json_schema usually means "structured outputs not supported" (older vLLM, llama.cpp,
        // Ollama builds); json_object still gets JSON, and the reply is zod-checked either way.
        if (format !== 'json_schema' || err.failure.status !== 400) throw toLlmError(err, attempts);
        log.warn({ attempts }, 'server rejected json_schema response format; retrying with json_object');
        try {
          const content = await retryLoop(counted, 'json_object');
          mode = 'json_object';
          return content;
        } catch (second) {
          if (!(second instanceof AttemptError)) throw second;
          throw toLlmError(second, attempts);
        }
      }
    },
  };
}

class AttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.reason);
  }
}

/** Maps an SDK error to a reason; anything that is not an HTTP or connection fault is a bug and rethrown. */
function classify(err: unknown): AttemptFailure {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return { reason: 'timeout', retryable: true };
  if (err instanceof OpenAI.APIUserAbortError) return { reason: 'timeout', retryable: true };
  if (err instanceof OpenAI.APIConnectionError) return { reason: 'network', retryable: true };
  if (err instanceof OpenAI.APIError && err.status !== undefined) {
    const status = err.status;
    const retryAfterMs = parseRetryAfter(err.headers);
    if (status === 429) return { reason: 'rate_limited', status, retryable: true, ...(retryAfterMs !== undefined && { retryAfterMs }) };
    if (status === 408) return { reason: 'timeout', status, retryable: true };
    if (status >= 500) return { reason: 'server_error', status, retryable: true, ...(retryAfterMs !== undefined && { retryAfterMs }) };
    return { reason: 'bad_request', status, retryable: false };
  }
  // A 200 whose body is not a JSON completion envelope.
  if (err instanceof SyntaxError) return { reason: 'server_error', retryable: true };
  throw err;
}

/** `retry-after-ms` (non-standard, sent by OpenAI) or `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers?.get('retry-after');
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter in [50%, 100%] of base·2^retry, capped. */
function backoffDelay(baseMs: number, retry: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
