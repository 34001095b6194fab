import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error type routes throw: an HTTP status and a message that is safe to show (no PHI). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; id?: string; current?: unknown };
}

/**
 * A one-line description of an unexpected error that is safe to log: database errors carry the failed
 * query and its parameters (which can hold note text) in their message, so the driver's cause is used.
 */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { message?: string } };
  const message = e.cause?.message ?? e.message ?? String(err);
  return `${e.name ?? 'Error'}: ${message.split('\n')[0]!.slice(0, 300)}`;
}
