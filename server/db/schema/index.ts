export * from './code-sets.ts';
export * from './code-index.ts';
export * from './learned.ts';
export * from './notes.ts';
export * from './users.ts';
export * from './review.ts';
export * from './evaluation.ts';
