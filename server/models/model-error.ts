import { ApiError } from '../errors.ts';

/**
 * A refused model operation (too few decisions, no such model, a model this engine cannot use): an
 * ApiError, so the API answers its status and the CLI prints its message and exits non-zero.
 */
export class ModelError extends ApiError {}
