// Modifiers on CPT procedure lines beyond 25 (see ./modifiers.ts), each with its reason:
// - LT/RT, or 50 when both sides were done, for procedures on a paired joint, ear or limb (CMS MPFS bilateral
//   indicator; skin repairs and excisions take no side modifier);
// - 59/XS where a distinct procedure must be shown: a second repair class (CPT repair guidelines: the less
//   complicated repair carries 59), destruction of a lesion other than the one excised, and the same code
//   again at a separate joint (NCCI Policy Manual ch. I.E: XS = separate structure);
// - 76/77 for a procedure repeated the same day by the same or another physician.

import type { ProcedureFinding } from './procedure-text.ts';

const SIDED: ReadonlySet<ProcedureFinding['rule']> = new Set(['joint_injection', 'cerumen', 'splint', 'descriptor']);
/** Procedures CMS pays as bilateral with 50 (one line, units 1); others get RT and LT. */
const BILATERAL_50: ReadonlySet<ProcedureFinding['rule']> = new Set(['joint_injection', 'cerumen']);

const withModifier = (f: ProcedureFinding, code: string, reason: string): ProcedureFinding =>
  f.modifiers.some((m) => m.code === code) ? f : { ...f, modifiers: [...f.modifiers, { code, reason }] };

/** LT/RT/50 from the side the note documents; a left and a right line of one code become one line with 50. */
export function applyLaterality(findings: readonly ProcedureFinding[]): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  for (const f of findings) {
    if (!SIDED.has(f.rule) || !f.side || f.modifiers.some((m) => /^[FT][A1-9]$/.test(m.code))) {
      out.push(f);
      continue;
    }
    const other = out.find((o) => o.code === f.code && o.site === f.site && o.side && o.side !== f.side && o.side !== 'bilateral' && BILATERAL_50.has(f.rule));
    if (other) {
      const i = out.indexOf(other);
      out[i] = { ...withModifier({ ...other, modifiers: other.modifiers.filter((m) => m.code !== 'LT' && m.code !== 'RT') }, '50', `50: done on both sides (${other.side} and ${f.side} documented)`), side: 'bilateral', evidence: [...other.evidence, ...f.evidence] };
      continue;
    }
    if (f.side === 'bilateral') {
      out.push(BILATERAL_50.has(f.rule) ? withModifier(f, '50', '50: bilateral procedure documented') : withModifier(withModifier(f, 'RT', 'RT: right side documented'), 'LT', 'LT: left side documented'));
    } else {
      out.push(withModifier(f, f.side === 'left' ? 'LT' : 'RT', `${f.side === 'left' ? 'LT' : 'RT'}: ${f.side} side documented${f.site ? ` (${f.site})` : ''}`));
    }
  }
  return out;
}

/** 59 on a less complicated repair class, XS on a distinct lesion or a second joint with the same code. */
export function applyDistinct(findings: readonly ProcedureFinding[]): ProcedureFinding[] {
  const repairs = findings.filter((f) => f.rule === 'repair' && f.units === 1);
  const primaryRepair = repairs[0];
  const excised = findings.filter((f) => f.rule === 'excision');
  return findings.map((f, i) => {
    if (f.rule === 'repair' && primaryRepair && f !== primaryRepair && f.units === 1 && f.reasons[0]?.split(' ')[0] !== primaryRepair.reasons[0]?.split(' ')[0]) {
      return withModifier(f, '59', `59: a different repair class from ${primaryRepair.code}, reported separately rather than summed (CPT wound repair guidelines)`);
    }
    if (f.rule === 'destruction' && f.code !== '17003' && excised.length > 0) {
      return withModifier(f, 'XS', `XS: destruction of a lesion other than the one excised (${excised.map((e) => e.code).join(', ')}); 59 for payers that do not accept X{EPSU} modifiers`);
    }
    const earlier = findings.slice(0, i).find((o) => o.code === f.code && o.site !== f.site && o.rule !== 'descriptor' && !o.repeat);
    if (earlier && f.rule === 'joint_injection' && !f.modifiers.some((m) => m.code === '50')) {
      return withModifier(f, 'XS', `XS: ${f.code} again at a separate joint (${f.site}, besides ${earlier.site}); 59 for payers that do not accept X{EPSU} modifiers`);
    }
    return f;
  });
}

/** 76 (same physician) or 77 (another physician) on a procedure repeated the same day. */
export function applyRepeats(findings: readonly ProcedureFinding[]): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  for (const f of findings) {
    const first = out.find((o) => o.code === f.code);
    if (f.repeat && first) {
      out.push(f.repeat.byOther ? withModifier(f, '77', `77: ${f.code} repeated the same day by another physician`) : withModifier(f, '76', `76: ${f.code} repeated the same day by the same physician`));
    } else if (!first || f.rule !== 'descriptor') out.push(f);
    // A descriptor match of a code already on the claim, not marked as a repeat, is the same procedure written twice.
  }
  return out;
}

/** All procedure modifiers, in order: repeats, laterality, distinct procedures. */
export function applyProcedureModifiers(findings: readonly ProcedureFinding[]): ProcedureFinding[] {
  return applyDistinct(applyLaterality(applyRepeats(findings)));
}
