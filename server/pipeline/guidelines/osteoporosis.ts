// OCG I.C.13.d.2 — "A code from category M80, not a traumatic fracture code, should be used for any patient
// with known osteoporosis who suffers a fracture, even if the patient had a minor fall or trauma, if that
// fall or trauma would not usually break a normal, healthy bone." M81 is osteoporosis *without* a current
// pathological fracture (I.C.13.d.1), so it is not reported beside the M80 code either. The M80 code keeps
// what the traumatic code read: the fracture's site (M80 sites are the fracture's, not the osteoporosis's),
// side and encounter (7th character).
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** The provider calls the fracture one of bone weakness, or the trauma one a healthy bone survives. */
const FRAGILITY = /\b(fragility|osteoporotic|osteoporosis|low[- ]energy|insufficiency|pathologic(?:al)?|(?:ground[- ]level|standing[- ]height|minor) fall|fall from standing)\b/i;

/** Traumatic fracture categories → M80 site character (M80.01- shoulder … M80.08- vertebra). */
const SITE: readonly [RegExp, string][] = [
  [/^S42\.[0-2]/, '1'],
  [/^S42\.[3-4]/, '2'],
  [/^S52/, '3'],
  [/^S62/, '4'],
  [/^S72/, '5'],
  [/^S82/, '6'],
  [/^S92/, '7'],
  [/^(S12|S22\.0|S32\.0)/, '8'],
];

/** Fracture 7th characters (open/closed variants) → M80's: initial, routine/delayed healing, nonunion, malunion, sequela. */
const SEVENTH: Record<string, string> = { A: 'A', B: 'A', C: 'A', D: 'D', E: 'D', F: 'D', G: 'G', H: 'G', J: 'G', K: 'K', M: 'K', N: 'K', P: 'P', Q: 'P', R: 'P', S: 'S' };

/** The M80 code for a traumatic fracture code in a patient with osteoporosis coded `osteoporosis` (M81.x, or M80.x already). */
export function pathologicalFractureCode(fracture: string, fractureTitle: string, osteoporosis: string): string | null {
  const site = SITE.find(([re]) => re.test(fracture))?.[1];
  const seventh = SEVENTH[fracture.at(-1) ?? ''];
  if (!site || !seventh || fracture.length < 8) return null;
  const type = /^M8[01]\.0/.test(osteoporosis) ? '0' : '8';
  if (site === '8') return `M80.${type}8X${seventh}`;
  const side = /\bright\b/i.test(fractureTitle) ? '1' : /\bleft\b/i.test(fractureTitle) ? '2' : '9';
  return `M80.${type}${site}${side}${seventh}`;
}

/** Example: "Colles-type fragility fracture of the L distal radius" with osteoporosis (M81.0) → M80.032A, not S52.532A + M81.0. */
export function applyOsteoporoticFractures(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  // The statement may already name the pathological fracture ("Age-related osteoporosis with current pathological
  // fracture, right femoral neck", M80.051A) beside the story's traumatic reading of it ("Fragility fracture of the
  // right femoral neck", S72.011A): the same fracture, coded once.
  const osteoporosis = kept.find((c) => c.code.startsWith('M81.')) ?? kept.find((c) => c.code.startsWith('M80.'));
  if (!osteoporosis) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  const added = new Map<string, RuledCandidate>();
  /** The M80 codes the fractures became, for the same fracture read again below. */
  const converted = new Set<string>();
  const out = kept.filter((c) => {
    const title = kb.codes.get(c.code)?.title ?? '';
    if (!c.code.startsWith('S') || !/fracture/i.test(title)) return true;
    if (!c.evidence.some((m) => FRAGILITY.test(sentences[m.sentenceIndex]?.text ?? ''))) return true;
    const code = pathologicalFractureCode(c.code, title, osteoporosis.code);
    if (!code || !kb.codes.get(code)?.billable) return true;
    dropped.push({ code: c.code, reason: `fracture with minor trauma in known osteoporosis: ${code}, not a traumatic fracture code (OCG I.C.13.d.2)` });
    const detail = `${c.code} → ${code}: a fracture from trauma that would not break a healthy bone, in known osteoporosis (${osteoporosis.code}), is coded to M80 by the fracture's site (OCG I.C.13.d.2)`;
    converted.add(code);
    const existing = kept.find((k) => k.code === code);
    if (existing) noteDrop(existing, 'osteoporotic_fracture', detail);
    else if (!added.has(code)) added.set(code, derivedCandidate(code, c.evidence, Math.max(c.confidence, osteoporosis.confidence), 'osteoporotic_fracture', detail));
    return false;
  });
  if (dropped.length === 0) return { kept, dropped: [] };
  // The same fracture read again where its sentence says nothing of the fall ("XR: displaced intertrochanteric fracture
  // of the L femur" beside "L intertrochanteric hip fracture due to osteoporosis"): its site and side give the same M80
  // code, one fracture coded once.
  const bone = osteoporosis.code;
  const same = out.filter((c) => {
    const title = kb.codes.get(c.code)?.title ?? '';
    if (!c.code.startsWith('S') || !/fracture/i.test(title)) return false;
    const code = pathologicalFractureCode(c.code, title, bone);
    return !!code && converted.has(code);
  });
  for (const c of same) dropped.push({ code: c.code, reason: `the fracture coded to M80 in known osteoporosis, read again (OCG I.C.13.d.2)` });
  const rest = out.filter((c) => !same.includes(c));
  if (osteoporosis.code.startsWith('M80.')) return { kept: [...rest, ...added.values()], dropped };
  dropped.push({ code: osteoporosis.code, reason: 'osteoporosis with a current pathological fracture is M80, which includes it (OCG I.C.13.d.1)' });
  return { kept: [...rest.filter((c) => c !== osteoporosis), ...added.values()], dropped };
}
