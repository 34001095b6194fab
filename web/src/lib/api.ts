// The typed API client: request and response types come from the server's AppType (hono/client), never
// copied. The CSRF token lives in memory only (from login or /api/auth/me) and goes on every request;
// the session itself is the HTTP-only cookie the browser sends.
import { hc, type ClientResponse, type InferResponseType } from 'hono/client';
import type { AppType } from '../../../server/app.ts';
import type { RunConfig, RunMetrics } from '../../../server/db/schema/evaluation.ts';
import type { QaDashboard } from '../../../server/evaluation/qa-service.ts';

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (the session ended): the app shows the sign-in page. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export const client = hc<AppType>(location.origin, {
  headers: (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {}),
  init: { credentials: 'same-origin' },
});

/** The server's one error shape (server/errors.ts); `current` is the note as it is now on a 409 "stale". */
export interface ErrorDetail {
  code: string;
  message: string;
  details?: unknown;
  current?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
  ) {
    super(detail.message);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.detail.code;
  }
}

type Success<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 | 202 ? T : never) : never;

/** Awaits a client call: the success body, typed by the route, or an ApiError carrying the server's error. */
export async function call<R extends ClientResponse<unknown, number, 'json'>>(request: Promise<R>): Promise<Success<R>> {
  const res = await request;
  if (res.ok) return (await res.json()) as Success<R>;
  let detail: ErrorDetail = { code: `http_${res.status}`, message: res.statusText || `HTTP ${res.status}` };
  try {
    const body = (await res.json()) as { error?: ErrorDetail };
    if (body.error) detail = body.error;
  } catch {
    // not JSON (a proxy's error page): keep the status line
  }
  if (res.status === 401 && detail.code === 'unauthenticated') onUnauthorized();
  throw new ApiError(res.status, detail);
}

export type Session = InferResponseType<typeof client.api.auth.me.$get, 200>;
export type SessionUser = Session['user'];
export type Role = SessionUser['role'];
export type NotePage = InferResponseType<typeof client.api.notes.$get, 200>;
export type NoteListItem = NotePage['notes'][number];
export type NoteStatus = NoteListItem['status'];
export type Note = InferResponseType<(typeof client.api.notes)[':id']['$get'], 200>;
export type Suggestion = Note['suggestions'][number];
export type Decision = Note['decisions'][number];
export type RejectReason = NonNullable<Decision['reason']>;
/** The reasons a new rejection may give (stored decisions may carry older ones, see RejectReason). */
export type RejectChoice = Extract<Parameters<(typeof client.api.notes)[':id']['decisions']['$post']>[0]['json'], { action: 'reject' }>['reason'];
export type CodeSystem = Suggestion['system'];
export type PhysicianQuery = Note['queries'][number];
export type EvidenceSpan = Suggestion['evidence'][number];
export type SearchHit = InferResponseType<typeof client.api.search.$get, 200>['hits'][number];
export type QueryTemplate = InferResponseType<(typeof client.api)['query-templates']['$get'], 200>['templates'][number];
export type QueryCheck = InferResponseType<typeof client.api.queries.check.$post, 200>;
export type Physician = InferResponseType<typeof client.api.physicians.$get, 200>['physicians'][number];
export type CodeDetail = InferResponseType<(typeof client.api.codes)[':system'][':code']['$get'], 200>;
export type CodeRef = CodeDetail['siblings'][number];
export type User = InferResponseType<typeof client.api.users.$get, 200>['users'][number];

// Evaluation loop and QA (server/routes/evaluation.ts, server/routes/qa.ts).
export type Dataset = InferResponseType<typeof client.api.datasets.$get, 200>['datasets'][number];
export type LearnedModel = InferResponseType<typeof client.api.models.$get, 200>['models'][number];
export type DatasetVersion = Dataset['versions'][number];
export type DrillNote = InferResponseType<typeof client.api.qa.drill.$get, 200>['notes'][number];
export type SecondCoding = InferResponseType<(typeof client.api)['second-codings']['$get'], 200>['assignments'][number];
export type SecondCodingDetail = InferResponseType<(typeof client.api)['second-codings'][':id']['$get'], 200>;
export type AuditSubject = InferResponseType<(typeof client.api.qa.audits)[':id']['$get'], 200>;
type RawRun = InferResponseType<typeof client.api.runs.$get, 200>['runs'][number];
/** A run with its `config` and `metrics` typed as the server stores them (see `typedRun`). */
export type EvalRun = Omit<RawRun, 'config' | 'metrics'> & { config: RunConfig; metrics: RunMetrics | null };
export type RunComparison = Omit<InferResponseType<typeof client.api.runs.compare.$get, 200>, 'a' | 'b'> & { a: EvalRun; b: EvalRun };
export type { QaDashboard };

/**
 * GET /api/qa/dashboard, typed. The route declares its body as a loose record in OpenAPI (the QaDashboard
 * tree is built by pure functions, not restated in zod), so this is the one place the web casts it to the
 * server's own type; the import is type-only, no server code reaches the bundle.
 */
export async function fetchDashboard(query: { from?: string; to?: string; fresh?: 'true' }): Promise<QaDashboard> {
  return (await call(client.api.qa.dashboard.$get({ query }))) as unknown as QaDashboard;
}

/** Runs declare `config` / `metrics` as loose records in OpenAPI too; their shapes are the schema's RunConfig / RunMetrics. */
export function typedRun(run: RawRun): EvalRun {
  return run as unknown as EvalRun;
}

/** A user-facing message for any failure. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
