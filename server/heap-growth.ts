// How far V8 lets the heap grow past what the last full collection kept, for a process that codes notes.
import v8 from 'node:v8';

/**
 * The old space may grow this much (percent) past the live heap of the last mark-compact before the next one.
 * V8's own factor is up to 4× when the program allocates fast, as the knowledge load does: a mark-compact
 * early in the load (~100–150 MB live) let the heap reach 450–530 MB before the next, and the worker's peak
 * RSS swung between ~600 and ~700 MB with the timing of that one collection. With 50% the cold extract bench
 * peaked at 534–547 MB, at the same CPU time per note (~10 full collections instead of ~4, most during the load).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's heap growing factor for this process (--heap-growing-percent; not allowed in NODE_OPTIONS). V8
 * reads the flag each time it computes the next collection's limit (heap/heap-controller.cc, GrowingFactor),
 * so setting it at run time takes effect from the next full collection.
 */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
