// A bite is its site's open bite, not also a puncture or laceration (Index: Bite — see Wound, open, by site, bite).
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('a bite is coded once, as the open bite of its site', () => {
  it('"Dog bite of right upper arm, puncture wounds" → S41.151A, not S41.131A beside it', () => {
    expect(codes('Impression:\n1. Dog bite of right upper arm, two puncture wounds of right upper arm.', 'outpatient')).toEqual(['S41.151A']);
  });

  it('a puncture with no bite stays', () => {
    expect(codes('Impression:\n1. Puncture wound of right upper arm from a nail.', 'outpatient')).toEqual(['S41.131A']);
  });
});

describe('two or more ribs are multiple fractures of ribs (Index: Fracture, rib, multiple)', () => {
  it('"Fractures of the left 8th and 9th ribs" → S22.42XA; "fracture of the left 8th rib" stays S22.32XA', () => {
    expect(codes('Impression:\n1. Fracture of left rib: the left 8th and 9th ribs.', 'outpatient')).toEqual(['S22.42XA']);
    expect(codes('Impression:\n1. Fracture of left rib, the 8th.', 'outpatient')).toEqual(['S22.32XA']);
  });

  it('the ribs read again as one rib beside the multiple fractures the statement codes are those fractures: S22.42XA alone', () => {
    expect(codes('Impression:\n1. Multiple fractures of ribs, left side.\nCT: fracture of left rib: the 7th and 8th ribs.', 'outpatient')).toEqual(['S22.42XA']);
  });
});
