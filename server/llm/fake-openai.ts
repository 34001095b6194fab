// Test support: a local HTTP server that speaks POST /v1/chat/completions, scripted per test, so the LLM
// client is exercised over real HTTP (status codes, headers, delays, malformed bodies) without a network.

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  /** Parsed JSON request body (the raw string when it was not JSON). */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** 0-based position of this request among all requests to the server. */
  index: number;
}

export interface FakeResponse {
  status: number;
  /** An object is sent as JSON; a string is sent as is (for broken envelopes). */
  body?: unknown;
  /** Wait before answering, e.g. longer than the client's timeout. */
  delayMs?: number;
  headers?: Record<string, string>;
}

export type FakeStep = (req: FakeRequest) => FakeResponse;

export interface FakeOpenAI {
  /** Base URL to hand to the client, ending in /v1. */
  baseURL: string;
  /** Request bodies received on /v1/chat/completions, in order. */
  requests: unknown[];
  close(): Promise<void>;
}

/** The Chat Completions envelope around one assistant message. */
export function chatCompletion(content: string | null, model = 'fake-model') {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

/** A step that answers 200 with `content` as the assistant message. */
export const reply =
  (content: string | null, extra: Partial<FakeResponse> = {}): FakeStep =>
  () => ({ status: 200, body: chatCompletion(content), ...extra });

/** A step that answers with an OpenAI-style error body. */
export const fail =
  (status: number, extra: Partial<FakeResponse> = {}): FakeStep =>
  () => ({ status, body: { error: { message: `fake error ${status}`, type: 'fake_error', code: null } }, ...extra });

/**
 * Starts the server on 127.0.0.1 (random port). Request n is answered by script[n]; a request beyond the
 * script gets 500 "script exhausted", so a test that sends too many requests fails on its expectations.
 */
export async function startFakeOpenAI(script: FakeStep[]): Promise<FakeOpenAI> {
  const requests: unknown[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      const index = requests.length;
      requests.push(body);
      const step = script[index];
      const response: FakeResponse = step
        ? step({ body, headers: req.headers, index })
        : { status: 500, body: { error: { message: 'script exhausted', type: 'fake_error', code: null } } };

      const send = () => {
        if (res.destroyed || res.writableEnded) return;
        const payload =
          response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
        res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers }).end(payload);
      };
      if (response.delayMs !== undefined && response.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, response.delayMs);
        timers.add(timer);
      } else {
        send();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
