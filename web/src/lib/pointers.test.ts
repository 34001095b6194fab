import { describe, expect, it } from 'vitest';
import { claimDiagnoses, linePointers, pointerFindings } from './pointers.ts';

const dx = (id: string, code: string) => ({ id, system: 'ICD10CM', code, rationale: {} });
const line = (id: string, code: string, pointers: string[]) => ({ id, system: 'CPT', code, rationale: { line: { diagnosisPointers: pointers } } });

describe('diagnosis pointers as the claim stands', () => {
  const sugs = [dx('d1', 'J45.901'), dx('d2', 'R06.2'), line('l1', '96372', ['J45.901']), line('l2', '99214', [])];

  it('an undecided engine line keeps its pointers; an engine line with none warns', () => {
    const decisions = new Map();
    const onClaim = claimDiagnoses(sugs, (id) => decisions.get(id), []);
    expect(linePointers(sugs[2]!, undefined, onClaim)).toEqual(['J45.901']);
    expect(pointerFindings(sugs, (id) => decisions.get(id), onClaim).map((f) => f.code)).toEqual(['99214']);
  });
  it('rejecting the only diagnosis a line points to makes that line warn', () => {
    const decisions = new Map([['d1', { action: 'reject', code: null }], ['d2', { action: 'accept', code: 'R06.2' }]]);
    const onClaim = claimDiagnoses(sugs, (id) => decisions.get(id), [{ system: 'ICD10CM', code: 'R06.2' }]);
    expect([...onClaim]).toEqual(['R06.2']);
    expect(pointerFindings(sugs, (id) => decisions.get(id), onClaim).map((f) => f.code)).toEqual(['96372', '99214']);
  });
  it("the coder's pointers win, in their order; a rejected line does not warn", () => {
    const decisions = new Map<string, { action: string; code: string | null; line?: { diagnosisPointers?: string[] } }>([
      ['l1', { action: 'accept', code: '96372', line: { diagnosisPointers: ['R06.2', 'J45.901'] } }],
      ['l2', { action: 'reject', code: null }],
    ]);
    const onClaim = claimDiagnoses(sugs, (id) => decisions.get(id), []);
    expect(linePointers(sugs[2]!, decisions.get('l1'), onClaim)).toEqual(['R06.2', 'J45.901']);
    expect(pointerFindings(sugs, (id) => decisions.get(id), onClaim)).toEqual([]);
  });
});
