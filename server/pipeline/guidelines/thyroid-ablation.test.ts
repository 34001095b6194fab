// Hyperthyroidism treated by ablation, now hypothyroid: E89.0 alone (OCG IV.J): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe("Graves' disease ablated, now hypothyroid", () => {
  it('"Postablative hypothyroidism (s/p RAI for Graves\' disease)" → E89.0, not E05.00 beside it; the drop is on E89.0\'s rationale', () => {
    const out = suggest("PMH: Graves' disease s/p RAI 2019.\nAssessment:\n1. Postablative hypothyroidism (s/p RAI for Graves' disease) - euthyroid on levothyroxine.");
    expect(out.map((s) => s.code)).toEqual(['E89.0']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'thyroid_ablation' && /^E05\.00 /.test(r.detail))).toBe(true);
  });

  it("Graves' disease without an ablation stays coded", () => {
    expect(codes("Assessment:\n1. Graves' disease - continue methimazole.")).toContain('E05.00');
  });

  it("active Graves' orbitopathy keeps E05.00 beside the postablative hypothyroidism", () => {
    expect(codes("Assessment:\n1. Postablative hypothyroidism.\n2. Graves' disease with active orbitopathy - on teprotumumab.")).toEqual(expect.arrayContaining(['E89.0', 'E05.00']));
  });
});
