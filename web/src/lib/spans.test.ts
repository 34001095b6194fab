import { describe, expect, it } from 'vitest';
import { segmentText } from './spans.ts';

describe('segmentText', () => {
  it('splits overlapping marks into runs with every covering mark', () => {
    expect(segmentText(10, [{ key: 'a', start: 0, end: 6 }, { key: 'b', start: 4, end: 10 }])).toEqual([
      { start: 0, end: 4, keys: ['a'] },
      { start: 4, end: 6, keys: ['a', 'b'] },
      { start: 6, end: 10, keys: ['b'] },
    ]);
  });

  it('keeps a nested mark inside its container and plain text around', () => {
    // "Type 2 diabetes mellitus with hyperglycemia." — the whole phrase and "hyperglycemia" inside it.
    const text = 'Dx: type 2 diabetes mellitus with hyperglycemia.';
    const outer = text.indexOf('type 2');
    const inner = text.indexOf('hyperglycemia');
    const segs = segmentText(text.length, [
      { key: 'E11.65', start: outer, end: inner + 13 },
      { key: 'R73.9', start: inner, end: inner + 13 },
    ]);
    expect(segs.map((s) => [text.slice(s.start, s.end), s.keys])).toEqual([
      ['Dx: ', []],
      ['type 2 diabetes mellitus with ', ['E11.65']],
      ['hyperglycemia', ['E11.65', 'R73.9']],
      ['.', []],
    ]);
  });

  it('covers the whole text exactly once, clips marks outside it and drops empty ones', () => {
    const segs = segmentText(5, [{ key: 'x', start: 3, end: 99 }, { key: 'y', start: 2, end: 2 }, { key: 'z', start: -4, end: 1 }]);
    expect(segs).toEqual([
      { start: 0, end: 1, keys: ['z'] },
      { start: 1, end: 3, keys: [] },
      { start: 3, end: 5, keys: ['x'] },
    ]);
    expect(segmentText(0, [])).toEqual([]);
  });
});
