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
  error: { code: string; message: string; details?: unknown; id?: string };
}
