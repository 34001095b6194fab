import { describe, expect, it } from 'vitest';
import { type ProcedureFinding, procedureFindings } from './cpt-procedures.ts';
import { applyProcedureModifiers } from './procedure-modifiers.ts';

/** "code-mod-mod" of each line after the modifier rules. */
const coded = (text: string) => applyProcedureModifiers(procedureFindings(text)).map((f) => [f.code, ...f.modifiers.map((m) => m.code)].join('-'));
const reasons = (text: string) => applyProcedureModifiers(procedureFindings(text)).flatMap((f) => f.modifiers.map((m) => m.reason));

describe('laterality: LT/RT/50', () => {
  it('"R ankle intra-articular injection" → 20605-RT, with the side as its reason', () => {
    expect(coded('PROCEDURE: R ankle (tibiotalar) intra-articular injection, no imaging guidance.')).toEqual(['20605-RT']);
    expect(reasons('PROCEDURE: R ankle (tibiotalar) intra-articular injection, no imaging guidance.')).toEqual(['RT: right side documented (ankle)']);
  });
  it('"bilateral knee intra-articular injections" → one 20610-50 line', () => {
    expect(coded('Procedure: bilateral knee intra-articular injections with triamcinolone.')).toEqual(['20610-50']);
  });
  it('a left and a right knee injection written apart become one line with 50', () => {
    const lines = applyProcedureModifiers(procedureFindings('Procedure: right knee intra-articular injection.\nProcedure: left knee intra-articular injection.'));
    expect(lines.map((f) => [f.code, f.units, f.modifiers.map((m) => m.code)])).toEqual([['20610', 1, ['50']]]);
    expect(lines[0]!.evidence).toHaveLength(2);
  });
  it('cerumen removed from both ears → 69210-50; skin repairs take no side modifier', () => {
    expect(coded('Impacted cerumen removed from both ears with a curette.')).toEqual(['69210-50']);
    expect(coded('Procedure: simple repair of a 2 cm laceration of the left forearm.')).toEqual(['12001']);
  });
  it('a nail avulsion carries its digit modifier instead of LT/RT', () => {
    expect(coded('Procedure: complete nail avulsion of the right great toenail.')).toEqual(['11730-T5']);
  });
});

describe('59/XS: a distinct procedure', () => {
  it('the less complicated repair class carries 59 (intermediate forearm + simple finger)', () => {
    const text = 'Procedure:\n(1) L forearm 6.0 cm - layered closure.\n(2) L index finger 2.0 cm - single-layer closure.';
    expect(coded(text)).toEqual(['12032', '12001-59']);
    expect(reasons(text)).toEqual([expect.stringMatching(/^59: a different repair class from 12032/)]);
  });
  it('destruction of other lesions beside an excision → 17000-XS (17003 is an add-on, unmodified)', () => {
    const text = 'PROCEDURE 1 - Excision, malignant lesion, L ear: lesion 0.8 cm with 3 mm margins.\nPROCEDURE 2 - Destruction: cryotherapy to 3 actinic keratoses of the scalp.';
    expect(coded(text)).toEqual(['11642', '17000-XS', '17003']);
  });
  it('the same joint code at a second joint → XS on the second line', () => {
    expect(coded('Procedure: right shoulder (subacromial) injection and right knee intra-articular injection.')).toEqual(['20610-RT', '20610-RT-XS']);
  });
  it('one repair class alone gets no 59', () => {
    expect(coded('Procedure: 2.5 cm simple laceration repair of the scalp and 3 cm of the forearm.')).toEqual(['12002']);
  });
});

describe('76/77: a procedure repeated the same day', () => {
  const ecg = (repeat?: { byOther: boolean }): ProcedureFinding => ({ code: '93000', units: 1, rule: 'descriptor', reasons: ['ECG'], evidence: [{ start: 0, end: 3, quote: 'ECG' }], modifiers: [], repeat });
  it('a repeat by the same physician → 76, by another → 77, each with its reason', () => {
    const lines = applyProcedureModifiers([ecg(), ecg({ byOther: false }), ecg({ byOther: true })]);
    expect(lines.map((f) => f.modifiers.map((m) => m.code))).toEqual([[], ['76'], ['77']]);
    expect(lines[1]!.modifiers[0]!.reason).toMatch(/same physician/);
  });
  it('the same procedure written twice without "repeat" is one line', () => {
    expect(applyProcedureModifiers([ecg(), ecg()])).toHaveLength(1);
  });
});
