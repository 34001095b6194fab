// The injury's 7th character follows the encounter (OCG I.C.19.a): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { applyGuidelines } from './apply.ts';
import { codes, GUIDELINE_KB } from './fixture-knowledge.ts';
import type { GuidelineInput } from './types.ts';

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

describe('an open fracture takes its own 7th character (OCG I.C.19.c.1)', () => {
  it('"open type I" is B, "type IIIB" C, open with routine healing E; "open reduction" of a closed one stays A', () => {
    expect(codes("Assessment: Open type I left Colles' fracture, washout today.")).toEqual(['S52.532B']);
    expect(codes("Assessment: Open left Colles' fracture, Gustilo type IIIB.")).toEqual(['S52.532C']);
    expect(codes("Assessment: Open type I left Colles' fracture s/p I&D - healing appropriately.")).toEqual(['S52.532E']);
    expect(codes("Assessment: Left Colles' fracture after a fall today; open reduction internal fixation planned.")).toEqual(['S52.532A']);
  });
});

describe('one suggestion per code', () => {
  it('two readings that stages bring to one code ("Colles\' fracture" completed to D, and A recoded to D) are one suggestion with both spans', () => {
    const text = "Assessment: Left Colles' fracture of the distal radius - healing appropriately.";
    const sentence = { index: 0, start: 0, end: text.length, text, section: 'assessment' as const };
    const input = { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15', patient: { age: 52 } } }, sentences: [sentence], kb: GUIDELINE_KB, scored: [] } as unknown as GuidelineInput;
    const out = applyGuidelines([ruledAt(text, "Colles' fracture", 'S52.532D', 0.7), ruledAt(text, 'distal radius', 'S52.532A', 0.8)], input).kept;
    expect(out.map((c) => c.code)).toEqual(['S52.532D']);
    expect(out[0]!.evidence.map((m) => m.span.quote)).toEqual(["Colles' fracture", 'distal radius']);
    expect(out[0]!.confidence).toBe(0.8);
  });
});
