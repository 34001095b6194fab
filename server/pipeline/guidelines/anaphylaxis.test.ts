// Anaphylaxis by the cause the provider names (Index: Shock, anaphylactic, due to food / drug): one sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('anaphylaxis by its cause (Index: Shock, anaphylactic)', () => {
  it('a food named as the cause gives its kind: shrimp is shellfish (T78.02XA), cashew a tree nut (T78.05XA), not T78.2XXA', () => {
    expect(codes('Assessment:\n1. Anaphylaxis due to shellfish (shrimp) ingestion, with hypotension.', 'outpatient')).toEqual(['T78.02XA']);
    expect(codes('Assessment:\n1. Anaphylaxis due to cashew ingestion.', 'outpatient')).toEqual(['T78.05XA']);
    // Peanuts are their own kind, before nuts.
    expect(codes('Assessment:\n1. Anaphylaxis from peanuts.', 'outpatient')).toEqual(['T78.01XA']);
  });

  it('a drug taken as prescribed is T88.6; no cause named stays T78.2XXA, with the reason recorded on the new code', () => {
    const out = suggest('Assessment:\n1. Anaphylaxis due to amoxicillin, taken as prescribed.', 'outpatient');
    expect(out.map((s) => s.code)).toContain('T88.6XXA');
    expect(out.map((s) => s.code)).not.toContain('T78.2XXA');
    expect(out.find((s) => s.code === 'T88.6XXA')!.rationale.rules.map((r) => r.rule)).toContain('anaphylaxis_cause');
    expect(codes('Assessment:\n1. Anaphylaxis, trigger unknown.', 'outpatient')).toEqual(['T78.2XXA']);
  });

  it('hypotension written with the anaphylaxis is its own sign (I95.9 not coded beside it); elsewhere it stays', () => {
    expect(codes('Assessment:\n1. Anaphylaxis due to shellfish (shrimp) ingestion, with hypotension and bronchospasm.', 'outpatient')).toEqual(['T78.02XA']);
    expect(codes('Assessment:\n1. Hypotension after hemodialysis.', 'outpatient')).toEqual(['I95.9']);
  });
});
