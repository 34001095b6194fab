import { describe, expect, it } from 'vitest';
import { orderDiagnoses } from './sequence.ts';

const d = (id: string, rank: number | null, engineRank: number | null) => ({ id, rank, engineRank });

describe('orderDiagnoses', () => {
  it("accepting I10 before I50.23 keeps the engine's order (I50.23 first), added codes last", () => {
    const accepted = [d('I10', null, 2), d('E78.2', null, null), d('I50.23', null, 1)];
    expect(orderDiagnoses(accepted).map((x) => x.id)).toEqual(['I50.23', 'I10', 'E78.2']);
  });

  it("the coder's order wins; codes kept after it follow in the engine's order", () => {
    const kept = [d('I50.23', 2, 1), d('I10', 1, 2), d('N18.3', null, 4), d('E11.9', null, 3)];
    expect(orderDiagnoses(kept).map((x) => x.id)).toEqual(['I10', 'I50.23', 'E11.9', 'N18.3']);
  });

  it('handles no diagnoses', () => {
    expect(orderDiagnoses([])).toEqual([]);
  });
});
