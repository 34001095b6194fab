import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { type LlmConfig, LlmError, createLlmClient, llmConfigFrom, parseRetryAfter } from './client.ts';
import { type FakeOpenAI, type FakeStep, fail, reply, startFakeOpenAI } from './fake-openai.ts';

const REQUEST = {
  system: 'You are a test.',
  user: 'Reply with JSON.',
  jsonSchema: { name: 'answer', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } },
};

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(script: FakeStep[], overrides: Partial<LlmConfig> = {}) {
  fake = await startFakeOpenAI(script);
  return createLlmClient({ baseURL: fake.baseURL, model: 'test-model', timeoutMs: 2_000, maxRetries: 2, backoffBaseMs: 1, ...overrides });
}

async function llmError(promise: Promise<unknown>): Promise<LlmError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

type ChatBody = { model: string; messages: { role: string; content: string }[]; response_format: { type: string; json_schema?: unknown }; temperature: number };

describe('llmConfigFrom', () => {
  it('is null (offline only) when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set', () => {
    expect(llmConfigFrom(loadConfig({}))).toBeNull();
    expect(llmConfigFrom(loadConfig({ OPENAI_API_KEY: '' }))).toBeNull();
  });

  it('enables the stage with a key alone (OpenAI) and with a base URL alone (Ollama, llama.cpp, vLLM)', () => {
    expect(llmConfigFrom(loadConfig({ OPENAI_API_KEY: 'sk-test' }))).toEqual({
      apiKey: 'sk-test',
      model: 'gpt-4o-mini',
      timeoutMs: 30_000,
      maxRetries: 2,
    });
    expect(
      llmConfigFrom(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', LLM_MODEL: 'llama3.1', LLM_TIMEOUT_MS: '5000', LLM_MAX_RETRIES: '0' })),
    ).toEqual({ baseURL: 'http://localhost:11434/v1', model: 'llama3.1', timeoutMs: 5_000, maxRetries: 0 });
  });
});

describe('createLlmClient against a fake Chat Completions server', () => {
  it('sends the model, both messages, temperature 0 and a strict json_schema response format; returns the content', async () => {
    const client = await clientFor([reply('{"ok":true}')]);
    await expect(client.complete(REQUEST)).resolves.toBe('{"ok":true}');
    const body = fake!.requests[0] as ChatBody;
    expect(body.model).toBe('test-model');
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a test.' },
      { role: 'user', content: 'Reply with JSON.' },
    ]);
    expect(body.temperature).toBe(0);
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema: REQUEST.jsonSchema.schema, strict: true } });
  });

  it('sends the API key as a bearer token', async () => {
    let auth: string | undefined;
    const client = await clientFor(
      [
        (req) => {
          auth = req.headers.authorization;
          return reply('{}')(req);
        },
      ],
      { apiKey: 'sk-secret' },
    );
    await client.complete(REQUEST);
    expect(auth).toBe('Bearer sk-secret');
  });

  it('retries a 429 after its Retry-After and counts each attempt', async () => {
    const client = await clientFor([fail(429, { headers: { 'retry-after': '0' } }), reply('{"ok":true}')]);
    let attempts = 0;
    await expect(client.complete({ ...REQUEST, onAttempt: () => attempts++ })).resolves.toBe('{"ok":true}');
    expect(fake!.requests).toHaveLength(2);
    expect(attempts).toBe(2);
  });

  it('caps a long Retry-After at maxRetryAfterMs', async () => {
    const client = await clientFor([fail(429, { headers: { 'retry-after': '3600' } }), reply('{"ok":true}')], { maxRetryAfterMs: 20 });
    const started = Date.now();
    await expect(client.complete(REQUEST)).resolves.toBe('{"ok":true}');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('retries 5xx twice, then succeeds', async () => {
    const client = await clientFor([fail(500), fail(503), reply('{"ok":true}')]);
    await expect(client.complete(REQUEST)).resolves.toBe('{"ok":true}');
    expect(fake!.requests).toHaveLength(3);
  });

  it('gives up on 5xx after maxRetries + 1 attempts with reason server_error', async () => {
    const client = await clientFor([fail(500), fail(502), fail(500), reply('{"ok":true}')]);
    const err = await llmError(client.complete(REQUEST));
    expect([err.reason, err.attempts, err.status]).toEqual(['server_error', 3, 500]);
    expect(fake!.requests).toHaveLength(3);
  });

  it('gives up on 429 after the retry budget with reason rate_limited', async () => {
    const client = await clientFor([fail(429), fail(429)], { maxRetries: 1 });
    const err = await llmError(client.complete(REQUEST));
    expect([err.reason, err.attempts]).toEqual(['rate_limited', 2]);
  });

  it('times out each attempt at timeoutMs and reports reason timeout once retries are spent', async () => {
    const slow = reply('{"ok":true}', { delayMs: 1_000 });
    const client = await clientFor([slow, slow], { timeoutMs: 50, maxRetries: 1 });
    const started = Date.now();
    const err = await llmError(client.complete(REQUEST));
    expect([err.reason, err.attempts]).toEqual(['timeout', 2]);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('does not retry 401/404 (bad_request)', async () => {
    const client = await clientFor([fail(401), reply('{}')]);
    const err = await llmError(client.complete(REQUEST));
    expect([err.reason, err.attempts, err.status]).toEqual(['bad_request', 1, 401]);
    expect(fake!.requests).toHaveLength(1);
  });

  it('reports a refused connection as network after retrying', async () => {
    const closed = await startFakeOpenAI([]);
    await closed.close();
    const client = createLlmClient({ baseURL: closed.baseURL, model: 'm', timeoutMs: 1_000, maxRetries: 1, backoffBaseMs: 1 });
    const err = await llmError(client.complete(REQUEST));
    expect([err.reason, err.attempts]).toEqual(['network', 2]);
  });

  it('retries a 200 whose body is not a completion envelope', async () => {
    const client = await clientFor([() => ({ status: 200, body: '<html>proxy error' }), reply('{"ok":true}')]);
    await expect(client.complete(REQUEST)).resolves.toBe('{"ok":true}');
  });

  it('returns "" when the message has no content (a refusal)', async () => {
    const client = await clientFor([reply(null)]);
    await expect(client.complete(REQUEST)).resolves.toBe('');
  });

  it('falls back to json_object when the server rejects json_schema with 400, and keeps using it', async () => {
    const client = await clientFor([fail(400), reply('{"ok":true}'), reply('{"ok":false}')]);
    let attempts = 0;
    await expect(client.complete({ ...REQUEST, onAttempt: () => attempts++ })).resolves.toBe('{"ok":true}');
    await expect(client.complete(REQUEST)).resolves.toBe('{"ok":false}');
    expect(attempts).toBe(2);
    expect((fake!.requests as ChatBody[]).map((r) => r.response_format.type)).toEqual(['json_schema', 'json_object', 'json_object']);
  });

  it('reports bad_request when json_object is rejected too, and keeps trying json_schema next time', async () => {
    const client = await clientFor([fail(400), fail(400), reply('{"ok":true}')]);
    const err = await llmError(client.complete(REQUEST));
    expect([err.reason, err.attempts, err.status]).toEqual(['bad_request', 2, 400]);
    await client.complete(REQUEST);
    expect((fake!.requests as ChatBody[]).map((r) => r.response_format.type)).toEqual(['json_schema', 'json_object', 'json_schema']);
  });

  it('never puts server error text (which can echo the prompt) in the error message', async () => {
    const client = await clientFor([() => ({ status: 400, body: { error: { message: 'bad input: Patient has HIV' } } }), fail(400)]);
    const err = await llmError(client.complete(REQUEST));
    expect(err.message).toBe('LLM request failed: bad_request (HTTP 400) after 2 attempt(s)');
  });
});

describe('parseRetryAfter', () => {
  const h = (entries: Record<string, string>) => new Headers(entries);
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter(h({ 'retry-after': '2' }))).toBe(2_000);
    expect(parseRetryAfter(h({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 21 Oct 2015 07:28:05 GMT' }), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5_000);
  });
  it('ignores absent and unparseable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});
