// OCG I.C.10.a — COPD and asthma, and I.C.10.b — acute respiratory failure.
// - "An acute exacerbation is a worsening or a decompensation of a chronic condition": COPD or asthma the
//   provider documents as exacerbated is the category's "with (acute) exacerbation" code (J44.1, J45.x1), not
//   the unspecified / uncomplicated one; the sibling is found by its title, not listed.
// - COPD "with" lower respiratory infection (Index: Disease, lung, obstructive, with, lower respiratory
//   infection / acute bronchitis J44.0; "with" presumes the link, I.A.15): J44.0 beside the infection's own
//   code ("use additional code to identify the infection").
// - Respiratory failure (J96) is coded from the provider's words "respiratory failure": its acuity (acute J96.0-,
//   chronic J96.1-, acute on chronic J96.2-) and type (with hypoxia -1, with hypercapnia -2) from the adjectives
//   the provider puts on it ("acute hypoxic respiratory failure" → J96.01). "Chronic" read out of "chronic
//   obstructive pulmonary disease" is not the failure's acuity, and hypoxia alone is not respiratory failure.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { categoryOf, derivedCandidate, inRanges, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const OBSTRUCTIVE = /^J4[45]\./;
const EXACERBATION = /\bexacerbat\w*\b|\bflare\b|\bdecompensat\w*\b/i;
/** None now: denied, resolved, or a past one ("last exacerbation >1 yr ago"). */
// "Mild intermittent asthma - not exacerbated", "non-exacerbated".
const NO_EXACERBATION = /\bnon-?exacerbat\w*|\b(no|without|not|not in|denies|rule out)\s+(?:\w+\s+){0,3}(exacerbat\w*|flare|decompensat\w*)\b|\b(exacerbat\w*|flare)\s+(?:has\s+)?(resolved|ruled out)\b|\b(last|prior|previous)\s+(?:\w+\s+)?(exacerbat\w*|flare)\b|\b(exacerbat\w*|flare)\w*\s+(?:\S+\s+){0,4}ago\b/i;
/**
 * Acute lower respiratory infections (influenza and pneumonia, acute bronchitis and bronchiolitis, J09–J22) — not
 * influenza "with other respiratory manifestations" (J09.X2, J10.1, J11.1: its laryngitis, pharyngitis, upper
 * respiratory infection) nor with only other manifestations (J09.X3/X9, J10.2/J10.8-, J11.2/J11.8-): "COPD, stable;
 * influenza A, no pneumonia on CXR" is J44.9 with J10.1, not J44.0.
 */
const LOWER_RESPIRATORY_INFECTION: readonly (readonly [string, string])[] = [['J09.X1', 'J09.X1'], ['J10.0', 'J10.0'], ['J11.0', 'J11.0'], ['J12', 'J18'], ['J20', 'J22']];
const UNRELATED = /\b(unrelated|not (?:due to|related to) (?:his |her |the )?copd)\b/i;
/** Allergic rhinitis J30.1–J30.9 (J30.0 is vasomotor rhinitis). */
const ALLERGIC_RHINITIS = /^J30\.[1-9]/;

const FAILURE = /\b(?:(acute[- ]on[- ]chronic|acute|chronic)\s+)?((?:(?:hypoxic|hypoxemic|hypercapnic|hypercarbic|and|,)\s*){0,3})respiratory failure\b((?:\s+(?:with|and)\s+(?:hypoxia|hypoxemia|hypercapnia|hypercarbia))*)/gi;
const HYPOXIA = /hypox/i;
const HYPERCAPNIA = /hypercap|hypercarb/i;

const sentenceText = (input: GuidelineInput, m: RuledCandidate['evidence'][number]) => input.sentences[m.sentenceIndex]?.text ?? '';

/** "Parapneumonic pleural effusion", "effusion due to the pneumonia". */
const PARAPNEUMONIC = /\bparapneumonic\b|\b(?:due to|from|secondary to|complicating)\s+(?:the\s+|his\s+|her\s+)?(?:\w+\s+){0,2}pneumonia\b/i;

/** The "with (acute) exacerbation" sibling of a COPD / asthma code, if its category has one. */
function exacerbationSibling(input: GuidelineInput, code: string): string | null {
  const parent = input.kb.codes.get(code)?.parent;
  if (!parent) return null;
  const siblings = input.kb.children.get(parent) ?? [];
  return siblings.find((s) => s !== code && input.kb.codes.get(s)?.billable && /\bexacerbation\b/i.test(input.kb.codes.get(s)?.title ?? '')) ?? null;
}

/** The J96 codes the provider's words support: acuity × type for each "… respiratory failure" phrase. */
export function failureCodes(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(FAILURE)) {
    const acuity = m[1] ? (/acute[- ]on/i.test(m[1]) ? '2' : /acute/i.test(m[1]) ? '0' : '1') : '9';
    const kinds = `${m[2] ?? ''} ${m[3] ?? ''}`;
    const types = [HYPOXIA.test(kinds) ? '1' : '', HYPERCAPNIA.test(kinds) ? '2' : ''].filter(Boolean);
    for (const t of types.length ? types : ['0']) out.add(`J96.${acuity}${t}`);
  }
  return [...out];
}

/**
 * Examples: "COPD with acute exacerbation" read as J44.9 → J44.1; "COPD … Pneumococcal pneumonia" → J44.0
 * beside J13; "Acute hypoxic respiratory failure" read as J96.00 (and J96.10 from "chronic obstructive") → J96.01.
 */
export function applyRespiratory(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  let out = [...kept];
  /** Adds `code` (or finds it) and replaces the codes `from` by it, recording each on it. */
  const add = (code: string, from: RuledCandidate[], evidence: RuledCandidate['evidence'], detail: string, rule: string, confidence: number) => {
    if (!input.kb.codes.get(code)?.billable) return null;
    let target = out.find((c) => c.code === code);
    if (!target) {
      target = derivedCandidate(code, evidence, confidence, rule, detail);
      out.push(target);
    }
    for (const c of from) {
      if (c === target || !out.includes(c)) continue;
      out = out.filter((o) => o !== c);
      dropped.push({ code: c.code, reason: `${detail}: ${code}` });
      noteDrop(target, rule, `${c.code} → ${code}: ${detail}`);
    }
    return target;
  };

  // COPD / asthma with exacerbation documented in the condition's own sentences.
  for (const c of kept.filter((k) => OBSTRUCTIVE.test(k.code) && !/exacerbation|status asthmaticus|infection/i.test(input.kb.codes.get(k.code)?.title ?? ''))) {
    const said = c.evidence.filter((m) => EXACERBATION.test(sentenceText(input, m)) && !NO_EXACERBATION.test(sentenceText(input, m)));
    const sibling = exacerbationSibling(input, c.code);
    if (said.length && sibling) add(sibling, [c], said, 'exacerbation documented (OCG I.C.10.a)', 'copd_exacerbation', c.confidence);
  }
  // COPD with a lower respiratory infection.
  const copd = out.filter((c) => categoryOf(c.code) === 'J44');
  const infection = out.filter((c) => inRanges(c.code, LOWER_RESPIRATORY_INFECTION));
  if (copd.length && infection.length && !infection.some((c) => c.evidence.some((m) => UNRELATED.test(sentenceText(input, m))))) {
    const unspecified = copd.filter((c) => c.code === 'J44.9');
    // An exacerbation read beside it stays: COPD with both a lower respiratory infection and an exacerbation is J44.0
    // and J44.1, each the Index's "with" of what the note documents (J44.0 "code also" the infection; J44.1 its own).
    add('J44.0', unspecified, [...copd.flatMap((c) => c.evidence), ...infection.flatMap((c) => c.evidence)], 'COPD with a lower respiratory infection: presumed linked (Index: Disease, lung, obstructive, with; OCG I.A.15, I.C.10.a)', 'combination_code', Math.max(...copd.map((c) => c.confidence)));
  }
  const withInfection = out.find((c) => c.code === 'J44.0');
  if (withInfection && !out.some((c) => c.code === 'J44.1')) {
    const said = withInfection.evidence.filter((m) => categoryOf(m.termCode) === 'J44' && EXACERBATION.test(sentenceText(input, m)) && !NO_EXACERBATION.test(sentenceText(input, m)));
    if (said.length) add('J44.1', [], said, 'COPD with an exacerbation as well as the infection: J44.1 beside J44.0 (OCG I.C.10.a)', 'copd_exacerbation', withInfection.confidence);
  }

  // A parapneumonic effusion is a pleural effusion in a condition classified elsewhere, J91.8 (Index: Effusion, pleura,
  // in conditions classified elsewhere; J90 Excludes1 J91.-), beside the pneumonia's own code.
  for (const c of out.filter((k) => k.code === 'J90')) {
    const said = c.evidence.filter((m) => PARAPNEUMONIC.test(sentenceText(input, m)));
    if (said.length) add('J91.8', [c], said, 'a pleural effusion of the pneumonia (parapneumonic): J91.8, not J90 (J90 Excludes1 J91.-)', 'pleural_effusion', c.confidence);
  }

  // Allergic rhinitis with asthma is classified to asthma: J45's Includes note lists "allergic rhinitis with
  // asthma" and J30's Excludes1 sends it there (OCG I.A.12.a). Vasomotor rhinitis (J30.0) is not allergic.
  const asthma = out.find((c) => categoryOf(c.code) === 'J45');
  if (asthma) {
    for (const c of out.filter((k) => ALLERGIC_RHINITIS.test(k.code))) {
      out = out.filter((o) => o !== c);
      dropped.push({ code: c.code, reason: `allergic rhinitis with asthma is included in ${asthma.code} (J45 Includes; J30 Excludes1)` });
      noteDrop(asthma, 'excludes1', `${c.code} not coded: allergic rhinitis with asthma is included in J45 (J45 Includes note, J30 Excludes1; OCG I.A.12.a)`);
    }
  }

  // Respiratory failure: from the provider's own phrase, acuity and type included.
  const failures = out.filter((c) => categoryOf(c.code) === 'J96');
  if (failures.length) {
    const supported = new Map<string, RuledCandidate['evidence']>();
    for (const c of failures) for (const m of c.evidence) for (const code of failureCodes(sentenceText(input, m))) supported.set(code, [...(supported.get(code) ?? []), m]);
    const codes = [...supported.keys()].filter((code) => input.kb.codes.get(code)?.billable);
    if (codes.length === 0) {
      for (const c of failures) dropped.push({ code: c.code, reason: 'respiratory failure is not documented in words ("hypoxia" alone is not respiratory failure; OCG I.C.10.b)' });
      out = out.filter((c) => !failures.includes(c));
    } else {
      const confidence = Math.max(...failures.map((c) => c.confidence));
      const replaced = failures.filter((c) => !codes.includes(c.code));
      for (const code of codes) add(code, replaced, supported.get(code)!, 'respiratory failure coded from the provider\'s words: acuity and hypoxia / hypercapnia (OCG I.C.10.b)', 'respiratory_failure', confidence);
    }
  }
  return { kept: out, dropped };
}
