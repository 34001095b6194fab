// From an Index or title hit to the code a coder would report: a billable code as is; a header (or an
// Index code ending in "-") completed to the billable descendant the sentence supports — laterality,
// 7th character — or, when the sentence does not say, to its "unspecified" default (OCG I.B.18).
import { FREE_EXTRAS } from '../index/lexical-score.ts';
import type { RuleNote } from './types.ts';
import { nearestExistingPrefix, titleStems, type Knowledge } from './knowledge.ts';

export interface Completion {
  code: string;
  kind: 'final' | 'needs_specificity';
  rules: RuleNote[];
}

const MAX_DESCENDANTS = 400;

/** Words in a 7th-character title tail that the sentence must support for a non-default encounter. */
const ENCOUNTER_WORDS = /\b(subsequent|sequela|delayed|nonunion|malunion|routine healing)\b/i;

/**
 * Completes `code` against the words of its sentence. Example: "S72.9" + "fracture of the left femur"
 * → S72.92XA (left documented; 7th character A, initial encounter, flagged as assumed).
 */
export function completeCode(kb: Knowledge, code: string, sentenceStems: ReadonlySet<string>): Completion | null {
  const info = kb.codes.get(code);
  if (info?.billable) return { code, kind: 'final', rules: [] };
  const root = info ? code : nearestExistingPrefix(kb, code);
  if (!root) return null;
  const leaves = billableDescendants(kb, root);
  if (leaves.length === 0) return null;
  const base = new Set(titleStems(kb, root));
  let best: { code: string; supported: number; unsupported: number; unspecified: boolean } | null = null;
  for (const leaf of leaves) {
    const extra = new Set(titleStems(kb, leaf).filter((w) => !base.has(w) && !FREE_EXTRAS.has(w)));
    let supported = 0;
    for (const w of extra) if (sentenceStems.has(w)) supported++;
    const unsupported = extra.size - supported;
    const unspecified = /unspecified/i.test(kb.codes.get(leaf)!.title);
    const better =
      !best ||
      supported - unsupported > best.supported - best.unsupported ||
      (supported - unsupported === best.supported - best.unsupported && unspecified && !best.unspecified);
    if (better) best = { code: leaf, supported, unsupported, unspecified };
  }
  if (!best) return null;
  const rules: RuleNote[] = [];
  if (best.unsupported > 0) {
    return {
      code: root,
      kind: 'needs_specificity',
      rules: [{ rule: 'needs_specificity', detail: `${root} is a header; the text does not say which of its ${leaves.length} codes applies` }],
    };
  }
  rules.push({ rule: 'completed_to_billable', detail: `${code} → ${best.code}: ${best.supported ? 'detail documented in the sentence' : 'unspecified default (nothing more documented)'}` });
  const seventh = seventhCharacterRule(kb, best.code);
  if (seventh) rules.push(seventh);
  return { code: best.code, kind: 'final', rules };
}

/** OCG I.C.19.a: 7th character "A" (initial encounter) is for active treatment; it is assumed here, so flag it. */
function seventhCharacterRule(kb: Knowledge, code: string): RuleNote | null {
  const raw = code.replace('.', '');
  if (raw.length !== 7 || !/^[ST]/.test(raw)) return null;
  const title = kb.codes.get(code)?.title ?? '';
  if (raw.endsWith('A') && !ENCOUNTER_WORDS.test(title)) {
    return { rule: 'seventh_char_assumed', detail: '7th character A (initial encounter) assumed: confirm active treatment' };
  }
  return null;
}

function billableDescendants(kb: Knowledge, code: string): string[] {
  const out: string[] = [];
  const queue = [code];
  while (queue.length && out.length < MAX_DESCENDANTS) {
    const c = queue.shift()!;
    for (const child of kb.children.get(c) ?? []) {
      if (kb.codes.get(child)?.billable) out.push(child);
      queue.push(child);
    }
  }
  return out;
}
