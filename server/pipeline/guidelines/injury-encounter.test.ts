// The injury's 7th character follows the encounter (OCG I.C.19.a): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('7th character: active treatment A, routine healing D, sequela S (OCG I.C.19.a)', () => {
  it('a new fracture is A; "healing appropriately" is D', () => {
    expect(codes("Assessment: Left Colles' fracture after a fall today, splinted.")).toContain('S52.532A');
    expect(codes("Assessment: Left Colles' fracture - healing appropriately, cast removed.")).toContain('S52.532D');
  });

  it('a condition "following" a healed fracture is its late effect: the fracture is S, not D', () => {
    const out = codes("Assessment: Complex regional pain syndrome, left upper limb, following healed left Colles' fracture.");
    expect(out).toContain('S52.532S');
    expect(out).not.toContain('S52.532D');
  });
});
