// A device's mechanical failure is the Index's "Complication, <device>, mechanical, breakdown" (T82–T85): "Insulin pump
// failure (mechanical breakdown) with underdosing of insulin" is T85.614A (OCG I.C.4.a.5.a puts it first in DKA from a
// failed pump, with the underdosing). Notes name the device and the failure, never "complication", so the Index's
// paths are read here by their device words (found in the dictionary, not listed). The device's status code (Z96.41
// *Presence of insulin pump*) goes beside it: the complication code identifies the device (OCG I.C.21.c.3).
import type { Knowledge } from '../knowledge.ts';
import { stems } from '../../index/lexical-score.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const FAILURE = /\b(?:mechanical\s+)?(?:breakdown|failure|malfunction(?:ing|ed)?|broke|broken|stopped working)\b/i;
/** Denied in its clause: "no malfunction found", "not due to underdosing or pump failure", "no missed doses or pump failure". */
const DENIED = /\b(?:no|not|without|denies|ruled out|never)\b[^.;:]{0,50}?\b(?:breakdown|failure|malfunction\w*)\b|\b(?:breakdown|failure|malfunction\w*)\b[^.;:]{0,20}?\b(?:ruled out|excluded|unlikely)\b/i;
/** The Index's device words that say nothing by themselves. */
const GENERIC = new Set(stems('device implant prosthetic specified NEC'));

interface DeviceBreakdown {
  words: string[];
  code: string;
}
const cache = new WeakMap<Knowledge, DeviceBreakdown[]>();
/** "Complication, insulin pump, mechanical, breakdown" T85.614 → {words: [insulin, pump], code}: devices of two words or more. */
function breakdowns(kb: Knowledge): DeviceBreakdown[] {
  let list = cache.get(kb);
  if (!list) {
    list = [];
    for (const e of kb.dictionary.entries) {
      const path = e.term.path;
      if (e.term.kind !== 'index' || !path || path.length < 4 || path.length > 5 || !/^complication/i.test(path[0]!) || !/^mechanical$/i.test(path.at(-2)!) || !/^breakdown$/i.test(path.at(-1)!)) continue;
      const words = stems(path.slice(1, -2).join(' ').replace(/\([^)]*\)/g, ' ')).filter((w) => !GENERIC.has(w));
      if (words.length >= 2) list.push({ words, code: e.term.code });
    }
    cache.set(kb, list);
  }
  return list;
}

/** The initial-encounter code of a T code header ("T85.614" → "T85.614A"), if billable. */
function initialEncounter(kb: Knowledge, code: string): string | null {
  const full = code.length === 7 ? `${code}A` : `${code.padEnd(7, 'X')}A`;
  return kb.codes.get(full)?.billable ? full : kb.codes.get(code)?.billable ? code : null;
}

/** Example: "Insulin pump failure (mechanical breakdown)" → T85.614A, and Z96.41 read from "insulin pump" goes. */
export function applyDeviceBreakdown(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const devices = breakdowns(input.kb);
  if (devices.length === 0) return { kept, dropped: [] };
  for (const s of input.sentences) {
    // The failure said of the device, not an "acute respiratory failure" elsewhere in the sentence; denied in its clause.
    const failure = FAILURE.exec(s.text);
    if (!failure) continue;
    // Its clause, a few words each side ("insulin pump failure", "breakdown of the insulin pump"), not across a comma.
    const before = s.text.slice(Math.max(0, failure.index - 25), failure.index).split(/[,;]/).at(-1)!;
    const after = s.text.slice(failure.index + failure[0].length, failure.index + failure[0].length + 30).split(/[,;]/)[0]!;
    const near = `${before}${failure[0]}${after}`;
    const clause = `${s.text.slice(Math.max(0, failure.index - 60), failure.index).split(/[,;]/).at(-1)!}${failure[0]}${after}`;
    if (DENIED.test(clause)) continue;
    const words = new Set(stems(near));
    const device = devices.filter((d) => d.words.every((w) => words.has(w))).sort((a, b) => b.words.length - a.words.length)[0];
    if (!device) continue;
    const code = initialEncounter(input.kb, device.code);
    if (!code) continue;
    const start = s.start + failure.index;
    const why = `mechanical failure of the ${device.words.join(' ')}: Index "Complication, ${device.words.join(' ')}, mechanical, breakdown" ${code} (OCG I.C.4.a.5.a, I.C.19)`;
    // Read already (the Index's own path): that reading takes the status code's drop.
    const derived =
      kept.find((c) => c.code === code) ??
      derivedCandidate(code, [derivedMention(s, start, start + failure[0].length, input.note.text, `Complication, ${device.words.join(' ')}, mechanical, breakdown`, code)], 0.8, 'device_breakdown', why);
    // The device's status code: the complication names the device (OCG I.C.21.c.3).
    const status = kept.filter((c) => /^Z9[5-7]/.test(c.code) && device.words.every((w) => stems(input.kb.codes.get(c.code)?.title ?? '').includes(w)));
    const dropped: Dropped[] = status.map((c) => ({ code: c.code, reason: `the complication code ${code} identifies the device (OCG I.C.21.c.3)` }));
    for (const c of status) noteDrop(derived, 'device_breakdown', `${c.code} not reported: ${code} identifies the device (OCG I.C.21.c.3)`);
    return { kept: [...kept.filter((c) => !status.includes(c) && c !== derived), derived], dropped };
  }
  return { kept, dropped: [] };
}
