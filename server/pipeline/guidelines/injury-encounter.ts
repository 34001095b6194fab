// OCG I.C.19.a — the 7th character of injury codes follows the encounter, not the injury: A while the injury
// is actively treated, D for the encounters after it (routine healing, follow-up, cast change), S for a
// sequela (the scar, the post-traumatic arthritis). The engine completes injury codes to A (flagged as
// assumed); this stage reads the provider's statement of the injury for the later encounters.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const ROUTINE_HEALING = /\b(healing (appropriately|well|as expected|normally|on schedule)|routine healing|healed|cast change|follow[- ]up (of|for) (the |his |her )?(fracture|injury)|subsequent encounter)\b/i;
// A condition "following" / "after" / "due to" a healed injury is its late effect ("CRPS type I, right upper limb,
// following healed right distal radius fracture": S52.531S, OCG I.C.19.a, I.B.10).
const SEQUELA = /\b(sequela|sequelae|late effect|residual of (an? )?old)\b|\b(?:following|after|due to|from|secondary to)\s+(?:an?\s+|the\s+|his\s+|her\s+)?(?:old\s+|previously\s+)?healed\b/i;

/**
 * OCG I.C.19.c.1: a fracture not said to be open is closed. One said open ("open type I Colles' fracture", "compound
 * fracture", "Gustilo IIIA") takes the open fracture's 7th character: B / E for type I or II or open NOS, C / F for
 * type IIIA–C (initial encounter / subsequent encounter with routine healing). Not the surgeon's "open reduction".
 */
const OPEN_FRACTURE = /\b(?:open(?!\s+(?:reduction|repair|approach|fixation|wound|biopsy|procedure|surgery))|compound)\b[^.;]{0,60}\bfracture|\bfracture\b[^.;]{0,30}\b(?:open|compound)\b(?!\s+(?:reduction|repair|approach|fixation))|\bGustilo\b/i;
const TYPE_III = /\b(?:type|gustilo)\s*(?:III|3)\s*[abc]?\b|\bIII[ABC]\b/i;
const OPEN_CHARACTER: Record<string, { low: string; high: string }> = { A: { low: 'B', high: 'C' }, D: { low: 'E', high: 'F' } };

function openFractureCode(kb: GuidelineInput['kb'], code: string, text: string): string | null {
  const seventh = code.slice(-1);
  const pair = OPEN_CHARACTER[seventh];
  if (!pair || !/\bfracture\b/i.test(kb.codes.get(code)?.title ?? '') || !OPEN_FRACTURE.test(text) || /\bclosed\b/i.test(text)) return null;
  const open = `${code.slice(0, -1)}${TYPE_III.test(text) ? pair.high : pair.low}`;
  return kb.codes.get(open)?.billable ? open : null;
}

/**
 * Example: "Nondisplaced fracture of the L lateral malleolus, closed - healing appropriately" → S82.65XD
 * (was …XA); "post-traumatic osteoarthritis, sequela of the old bimalleolar fracture" → S82.841S.
 */
export function applyInjuryEncounter(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const dropped: Dropped[] = [];
  const openOf = (c: RuledCandidate, text: string): RuledCandidate => {
    const code = openFractureCode(kb, c.code, text);
    if (!code) return c;
    dropped.push({ code: c.code, reason: 'an open fracture: its own 7th character (OCG I.C.19.c.1)' });
    const next = { ...c, code, rules: c.rules.filter((r) => r.rule !== 'seventh_char_assumed') };
    noteDrop(next, 'open_fracture', `${c.code} → ${code}: the fracture is documented as open (OCG I.C.19.c.1)`);
    return next;
  };
  const out = kept.map((c) => {
    const raw = c.code.replace('.', '');
    if (!/^[ST]/.test(c.code) || raw.length !== 7 || !/[AD]$/.test(raw)) return c;
    const text = c.evidence.map((m) => sentences[m.sentenceIndex]?.text ?? '').join(' ');
    if (raw.endsWith('D')) return openOf(c, text);
    const seventh = SEQUELA.test(text) ? 'S' : ROUTINE_HEALING.test(text) ? 'D' : null;
    if (!seventh) return openOf(c, text);
    const code = `${c.code.slice(0, -1)}${seventh}`;
    const title = kb.codes.get(code)?.title ?? '';
    if (!kb.codes.get(code)?.billable || (seventh === 'D' && !/routine healing|subsequent encounter$/i.test(title))) return c;
    dropped.push({ code: c.code, reason: `7th character ${seventh}: ${seventh === 'S' ? 'sequela' : 'subsequent encounter'} documented (OCG I.C.19.a)` });
    const rules = c.rules.filter((r) => r.rule !== 'seventh_char_assumed');
    const next = { ...c, code, rules };
    noteDrop(next, 'seventh_character', `${c.code} → ${code}: ${seventh === 'S' ? 'a sequela of the injury' : 'an encounter after active treatment, routine healing'} is documented (OCG I.C.19.a)`);
    return seventh === 'D' ? openOf(next, text) : next;
  });
  return { kept: out, dropped };
}
