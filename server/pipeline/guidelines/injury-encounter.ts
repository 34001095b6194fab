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
 * Example: "Nondisplaced fracture of the L lateral malleolus, closed - healing appropriately" → S82.65XD
 * (was …XA); "post-traumatic osteoarthritis, sequela of the old bimalleolar fracture" → S82.841S.
 */
export function applyInjuryEncounter(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    const raw = c.code.replace('.', '');
    if (!/^[ST]/.test(c.code) || raw.length !== 7 || !raw.endsWith('A')) return c;
    const text = c.evidence.map((m) => sentences[m.sentenceIndex]?.text ?? '').join(' ');
    const seventh = SEQUELA.test(text) ? 'S' : ROUTINE_HEALING.test(text) ? 'D' : null;
    if (!seventh) return c;
    const code = `${c.code.slice(0, -1)}${seventh}`;
    const title = kb.codes.get(code)?.title ?? '';
    if (!kb.codes.get(code)?.billable || (seventh === 'D' && !/routine healing|subsequent encounter$/i.test(title))) return c;
    dropped.push({ code: c.code, reason: `7th character ${seventh}: ${seventh === 'S' ? 'sequela' : 'subsequent encounter'} documented (OCG I.C.19.a)` });
    const rules = c.rules.filter((r) => r.rule !== 'seventh_char_assumed');
    const next = { ...c, code, rules };
    noteDrop(next, 'seventh_character', `${c.code} → ${code}: ${seventh === 'S' ? 'a sequela of the injury' : 'an encounter after active treatment, routine healing'} is documented (OCG I.C.19.a)`);
    return next;
  });
  return { kept: out, dropped };
}
