// OCG I.C.21.c.3 — status codes: "the presence of prosthetic or mechanical devices resulting from past
// treatment" (Z95–Z97). The patient's device is coded when the note states it as a fact of the patient
// ("s/p primary-prevention ICD (2023)", "on an insulin pump", "CAD s/p drug-eluting stent to the LAD"), not
// when this encounter places it (the procedure is coded instead) and not beside a complication of the device
// (T82–T85), whose code already says the device is there. Which code is read from the Alphabetic Index's
// own "Presence (of)" entries; the table below only says which words of a note name which entry (device
// abbreviations the Index does not list: DES, AICD, PPM).
import type { AnalysedSentence } from '../candidates.ts';
import { codeAtPath, type Knowledge } from '../knowledge.ts';
import type { RuledCandidate } from '../rules.ts';
import type { SectionName } from '../sections.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';
import { writtenDates } from './written-dates.ts';

interface Device {
  /** Words that name the device (or, with `stated`, the patient's status itself: "on hemodialysis"). */
  cue: RegExp;
  /** The cue says the device or treatment is the patient's: no separate status word is needed. */
  stated?: boolean;
  /** Words the sentence must also have (a stent is coronary only beside a coronary word). */
  with?: RegExp;
  /** The Index entry under "Presence (of)". */
  path: readonly string[];
}

const DEVICES: readonly Device[] = [
  {
    cue: /\b(drug[- ]eluting stents?|DES|bare[- ]metal stents?|BMS|coronary stents?|stents?)\b/,
    with: /\b(LAD|RCA|LCx|circumflex|coronary|diagonal|obtuse marginal|PCI|CAD|N?STEMI|MI)\b/,
    path: ['Presence', 'intravascular implant', 'coronary artery'],
  },
  { cue: /\b(CABG|coronary artery bypass|aortocoronary bypass)\b/i, path: ['Presence', 'aortocoronary'] },
  // "ICD" is also the classification ("ICD-10"): only the device reading, without a version after it.
  { cue: /\b(AICD|ICD(?![- ]?(?:9|10|11)\b)|CRT-D|(?:implantable |automatic )?(?:cardioverter[- ])?defibrillator)\b/, path: ['Presence', 'cardiac', 'defibrillator'] },
  { cue: /\b(pacemaker|PPM)\b/i, path: ['Presence', 'cardiac', 'pacemaker'] },
  { cue: /\binsulin pump\b/i, path: ['Presence', 'insulin pump'] },
  { cue: /\b((?:prosthetic|mechanical|bioprosthetic|tissue) (?:aortic |mitral )?valve|TAVR|TAVI|SAVR)\b/i, path: ['Presence', 'heart valve implant'] },
  // Joint replacements: the Index's entry is a subcategory (Z96.65-); the side written beside it picks the code.
  { cue: /\b(TKA|TKR|(?:total |partial |unicompartmental )?knee (?:arthroplasty|replacement))\b/i, path: ['Presence', 'knee-joint implant'] },
  { cue: /\b(THA|THR|(?:total |partial )?hip (?:arthroplasty|replacement))\b/i, path: ['Presence', 'hip-joint implant'] },
  { cue: /\b(TSA|(?:total |reverse )?shoulder (?:arthroplasty|replacement))\b/i, path: ['Presence', 'shoulder-joint implant'] },
  // Dependence on a machine or treatment (Z99): what the note says the patient is on ("ESRD on hemodialysis",
  // "2 L home oxygen continuously"). "HD" is also "hospital day" ("HD 2"): only "on HD".
  { cue: /\bon (?:chronic |maintenance |outpatient |home )?(?:hemodialysis|HD(?![\s-]?\d)|peritoneal dialysis|PD(?![\s-]?\d)|dialysis)\b|\b(?:hemodialysis|dialysis)[- ]dependent\b/i, stated: true, path: ['Dependence', 'on', 'renal dialysis'] },
  { cue: /\bhome (?:oxygen|O2)\b|\b(?:oxygen|O2)\b[^.;]{0,25}\b(?:at home|continuous(?:ly)?|long[- ]term|at baseline)\b/i, stated: true, path: ['Dependence', 'oxygen'] },
];

/** The side written in the sentence, as a joint implant's sixth character (Z96.651 right knee … Z96.653 bilateral). */
function sideChild(kb: Knowledge, code: string, sentence: string): string | undefined {
  if (kb.codes.get(code)?.billable) return code;
  const side = /\bbilateral\b|\bboth\b/i.test(sentence) ? 'bilateral' : /\b(?:right|R|rt)\b/.test(sentence) ? 'right' : /\b(?:left|L|lt)\b/.test(sentence) ? 'left' : 'unspecified';
  return (kb.children.get(code) ?? []).find((c) => kb.codes.get(c)?.billable && new RegExp(`\\b${side}\\b`, 'i').test(kb.codes.get(c)?.title ?? ''));
}

/** The device is the patient's: a past procedure, or a device the patient has or uses. */
const STATUS = /\b(s\/p|status post|h\/o|history of|prior|previous|previously|in place|on an?|has an?|with an?|wears?|\(?(?:19|20)\d\d\)?|\d{1,2}\/(?:19|20)\d\d)\b/i;
/** Placed: at this encounter unless the sentence dates it before (placedNow). */
const PLACED = /\b(placed|inserted|implanted|performed|deployed|underwent)\b/i;
/** A stay is at most this long before its discharge date of service. */
const STAY_DAYS = 30;

/**
 * Placed at this encounter: its procedure is coded, not a status. "ICD implanted 2019" is a past placement; "Dual-chamber
 * permanent pacemaker implanted 08/17/2026" in a discharge summary dated 08/19/2026 is this stay's.
 */
function placedNow(text: string, dateOfService: string): boolean {
  const verb = PLACED.exec(text);
  if (!verb) return false;
  const dos = Date.parse(dateOfService);
  // A year or a month ("2019", "3/2024") dates a past placement; only a full date within the stay is this one's.
  for (const d of writtenDates(text.slice(verb.index).split('.')[0]!)) {
    if (Number.isNaN(dos) || d.day === undefined) return false;
    const days = (dos - Date.UTC(d.year, d.month! - 1, d.day)) / 86_400_000;
    if (days < 0 || days > STAY_DAYS) return false;
  }
  return true;
}
const NOT_STATUS_SECTIONS: ReadonlySet<SectionName> = new Set(['procedures', 'family_history', 'ros']);
/** "admitted electively for left", right before the device's name: the stay's own procedure. */
const ADMITTED_FOR = /\badmitted\b[^.;]{0,30}\bfor\s+(?:(?:an?|the|elective|planned|right|left|bilateral|R|L|total|primary)\s+)*$/i;
const JOINT = /joint implant/i;
const NEGATED = /\b(no|denies|without|not a candidate for|declines?d?|refuses?d?)\b[^.;]{0,30}$|\b(?:not|never)\b[^.;,]{0,25}$/i;

function statusMatch(s: AnalysedSentence, d: Device, dateOfService: string): RegExpExecArray | null {
  if (NOT_STATUS_SECTIONS.has(s.section) || (d.with && !d.with.test(s.text))) return null;
  const m = d.cue.exec(s.text);
  if (!m || NEGATED.test(s.text.slice(0, m.index)) || placedNow(s.text, dateOfService)) return null;
  return d.stated || STATUS.test(s.text) ? m : null;
}

/**
 * Examples: "s/p primary-prevention ICD (2023)" → Z95.810; "on an insulin pump (Omnipod 5)" → Z96.41;
 * "PCI of the LAD with one drug-eluting stent" in the procedure section → nothing (placed this encounter).
 */
export function applyDeviceStatus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note, sentences } = input;
  if (kept.some((c) => /^T8[2-5]/.test(c.code))) return { kept, dropped: [] };
  const out = [...kept];
  for (const d of DEVICES) {
    const entry = codeAtPath(kb, d.path);
    if (!entry) continue;
    const found = sentences.flatMap((s) => {
      const m = statusMatch(s, d, note.encounter.dateOfService);
      const code = m ? sideChild(kb, entry, s.text) : undefined;
      return m && code ? [{ code, mention: derivedMention(s, s.start + m.index, s.start + m.index + m[0].length, note.text, `${d.path.join(', ')}`, code) }] : [];
    });
    // A stay that places the device (its procedure line, "admitted electively for left TKA", "underwent …") codes the
    // procedure, not a status: "Primary osteoarthritis, left knee, s/p left TKA" in that stay's diagnoses is no Z96.652.
    // The other side's earlier replacement still is ("Right knee replaced in 2022"). Joints only, whose side tells the
    // two apart: a stay's new coronary stent beside an earlier one is no reason to drop the earlier one's status.
    const placedHere = new Set(
      note.encounter.setting === 'inpatient' && JOINT.test(d.path.join(', '))
        ? sentences
            .flatMap((s) => s.text.split(';').map((clause) => ({ s, clause })))
            .filter(({ s, clause }) => {
              const cue = d.cue.exec(clause);
              return cue !== null && (s.section === 'procedures' || placedNow(clause, note.encounter.dateOfService) || ADMITTED_FOR.test(clause.slice(0, cue.index)));
            })
            .flatMap(({ clause }) => sideChild(kb, entry, clause) ?? [])
        : [],
    );
    for (const code of new Set(found.map((f) => f.code))) {
      if (out.some((c) => c.code === code) || placedHere.has(code)) continue;
      const evidence = found.filter((f) => f.code === code).map((f) => f.mention);
      out.push(derivedCandidate(code, evidence, 0.75, 'device_status', `${evidence[0]!.span.quote}: Index "${d.path.join(', ')}" → ${code}, the patient's status from past treatment (OCG I.C.21.c.3)`));
    }
  }
  return { kept: out, dropped: [] };
}
