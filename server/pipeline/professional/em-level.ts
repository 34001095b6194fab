// E/M level for a professional visit: which family (office, ED, hospital, consultation, telemedicine,
// post-op, preventive), new or established, and the level from MDM or from documented total time,
// whichever supports more (AMA CPT E/M guidelines 2021/2023 let either basis select the level).

import { splitSections } from '../sections.ts';
import type { EvidenceSpan, NoteInput } from '../types.ts';
import { cueRegex, TOTAL_TIME_PATTERNS, VISIT_CUES } from './em-cues.ts';
import { type MdmElements, readMdm } from './em-evidence.ts';
import {
  combineMdm,
  EM_TABLE,
  type EmFamily,
  type MdmLevel,
  MDM_SOURCE,
  PREVENTIVE_BANDS,
  PROLONGED_UNIT_MINUTES,
  emRowFor,
  rowByTime,
} from './em-table.ts';

export interface EmDecision {
  family: EmFamily;
  code: string;
  /** 1-based level inside the family (99214 → 4 of office established's 2..5 rows → its row index + 1). */
  rank: number;
  newPatient: boolean;
  basis: 'mdm' | 'time' | 'age' | 'global' | 'nurse';
  mdm: (MdmElements & { level: MdmLevel }) | null;
  totalMinutes: number | null;
  /** Prolonged-service add-on (99417/99418) with its units, when time runs past the top level. */
  addOn: { code: string; units: number } | null;
  /** Every span the decision rests on (the visit-type cue, the problems, data, risk and time). */
  evidence: EvidenceSpan[];
  /** Plain-language reasoning for the coder, no CPT descriptor text. */
  summary: string;
  reminders: string[];
  source: string;
}

/** Families seen in a hospital or ED: drugs and supplies there are the facility's, not on the professional claim. */
export const FACILITY_FAMILIES: ReadonlySet<EmFamily> = new Set(['emergency', 'hospital_initial', 'hospital_subsequent', 'hospital_discharge', 'consult_hospital']);

const RE = Object.fromEntries(Object.entries(VISIT_CUES).map(([k, cues]) => [k, cueRegex(cues, 'iu')])) as Record<keyof typeof VISIT_CUES, RegExp>;
const PREVENTIVE_ALL = cueRegex(VISIT_CUES.preventive, 'giu');

/** The title: the note's first non-blank line, where the document type ("ED PHYSICIAN NOTE") is written. */
function titleZone(text: string): { start: number; end: number } {
  const start = text.search(/\S/);
  if (start === -1) return { start: 0, end: 0 };
  const lineEnd = text.indexOf('\n', start);
  return { start, end: lineEnd === -1 ? text.length : lineEnd };
}

function find(text: string, re: RegExp, zone: { start: number; end: number }): EvidenceSpan | null {
  const m = re.exec(text.slice(zone.start, zone.end));
  return m ? { start: zone.start + m.index, end: zone.start + m.index + m[0].length, quote: m[0] } : null;
}

/** Total time on the date of the encounter, when documented. Example: "Total time 45 minutes" → 45. */
export function readTotalTime(text: string): { minutes: number; span: EvidenceSpan } | null {
  let m: RegExpExecArray | null = null;
  for (const pattern of TOTAL_TIME_PATTERNS) if ((m = pattern.exec(text))) break;
  if (!m) return null;
  const minutes = Number(m[1]);
  // "more than 30 minutes" means at least 31.
  const adjusted = /more than|greater than|>/i.test(m[0]) ? minutes + 1 : minutes;
  return { minutes: adjusted, span: { start: m.index, end: m.index + m[0].length, quote: m[0] } };
}

/**
 * A preventive-visit cue below the title names today's visit ("here for his annual physical"), not an earlier
 * one the history mentions ("palpated a neck mass at her annual exam 2 weeks ago").
 */
function todaysPreventive(text: string, zone: { start: number; end: number }): EvidenceSpan | null {
  for (const m of text.slice(zone.start, zone.end).matchAll(PREVENTIVE_ALL)) {
    const at = zone.start + m.index;
    const before = text.slice(Math.max(0, at - 30), at);
    const after = text.slice(at + m[0].length, at + m[0].length + 40);
    if (/\b(?:at|during|from|since|after|on)\s+(?:(?:his|her|their|the|a|an|last|prior|previous|recent)\s+){0,2}$/i.test(before)) continue;
    if (/^[^.\n]*?\b(?:ago|last (?:week|month|year)|previously)\b/i.test(after)) continue;
    return { start: at, end: at + m[0].length, quote: m[0] };
  }
  return null;
}

function pickFamily(text: string, newPatient: boolean): { family: EmFamily; cue: EvidenceSpan | null; nurse?: true } | null {
  const title = titleZone(text);
  const head = { start: 0, end: Math.min(text.length, 600) };
  const hit = (re: RegExp, zone = title): EvidenceSpan | null => find(text, re, zone);
  const postop = hit(RE.postop, head);
  if (postop) return { family: 'postop_global', cue: postop };
  const preventive = hit(RE.preventive) ?? todaysPreventive(text, head);
  if (preventive) return { family: newPatient ? 'preventive_new' : 'preventive_established', cue: preventive };
  if (hit(RE.procedureOnly)) return null;
  const nurse = hit(RE.nurse);
  if (nurse) return newPatient ? null : { family: 'office_established', cue: nurse, nurse: true };
  // "Telehealth visit (audio only)": audio-only has its own codes, so it is looked for before audio-video.
  const audio = hit(RE.audioOnly, head);
  if (audio) return { family: newPatient ? 'audio_only_new' : 'audio_only_established', cue: audio };
  const tele = hit(RE.telemedicine, head);
  if (tele) return { family: newPatient ? 'telemedicine_new' : 'telemedicine_established', cue: tele };
  const hospital = hit(RE.hospital);
  const consult = hit(RE.consult);
  if (consult) return { family: hospital ? 'consult_hospital' : 'consult_office', cue: consult };
  const ed = hit(RE.emergency);
  if (ed) return { family: 'emergency', cue: ed };
  if (hospital) {
    const discharge = hit(RE.hospitalDischarge);
    if (discharge) return { family: 'hospital_discharge', cue: discharge };
    const initial = hit(RE.hospitalInitial);
    if (initial) return { family: 'hospital_initial', cue: initial };
    return { family: 'hospital_subsequent', cue: hit(RE.hospitalSubsequent) ?? hospital };
  }
  return { family: newPatient ? 'office_new' : 'office_established', cue: null };
}

function preventiveCode(age: number, newPatient: boolean): string {
  const band = PREVENTIVE_BANDS.find(([min]) => age >= min)!;
  return newPatient ? band[1] : band[2];
}

/**
 * The E/M code a professional visit supports, or null when the note is a procedure-only or facility record.
 * Example: an established office visit with a poorly controlled diabetes item and an insulin dose change
 * → 99214 (MDM moderate: problems moderate, risk moderate).
 */
export function decideEm(note: NoteInput): EmDecision | null {
  const { text, encounter } = note;
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  const reminders: string[] = [];
  if (encounter.setting !== 'professional') {
    // Facility claims level hospital outpatient visits by the hospital's own criteria, not by MDM.
    return null;
  }
  const head = { start: 0, end: Math.min(text.length, 600) };
  const saysNew = find(text, RE.newPatient, head);
  const saysEstablished = find(text, RE.establishedPatient, head);
  let newPatient: boolean;
  const evidence: EvidenceSpan[] = [];
  if (saysNew) {
    newPatient = true;
    evidence.push(saysNew);
  } else if (saysEstablished) {
    newPatient = false;
    evidence.push(saysEstablished);
  } else if (encounter.patient?.newPatient !== undefined) {
    newPatient = encounter.patient.newPatient;
  } else {
    newPatient = false;
    reminders.push('New or established patient is not documented; established was assumed (new = no professional service from this physician or same-specialty group in 3 years).');
  }

  const picked = pickFamily(text, newPatient);
  if (picked === null) return null;
  const { family, cue } = picked;
  if (family.startsWith('telemedicine')) {
    reminders.push('Medicare pays audio-video visits with the office codes (99202–99215, POS 02/10) instead of 98000–98007; use those for Medicare.');
  }
  if (family.startsWith('audio_only')) {
    reminders.push('An audio-only visit needs more than 10 minutes of medical discussion. Medicare takes the office codes (99202–99215) with modifier 93 instead of 98008–98015; check the payer.');
  }
  if (cue) evidence.unshift(cue);
  if (picked.nurse) {
    return done({ family, code: '99211', rank: 1, newPatient, basis: 'nurse', mdm: null, totalMinutes: null, addOn: null, evidence, summary: 'visit with clinical staff, established patient (no MDM level)', reminders: [...reminders, '99211 needs an established patient, the physician or other qualified professional in the office suite (direct supervision) and a service beyond an injection or immunization alone.'], source: MDM_SOURCE }, text);
  }
  const table = EM_TABLE[family];
  const time = readTotalTime(text);

  if (family === 'preventive_new' || family === 'preventive_established') {
    const age = encounter.patient?.age;
    if (age === undefined) return null;
    const code = preventiveCode(age, newPatient);
    reminders.push('A problem addressed beyond the preventive work may add a problem-oriented E/M with modifier 25.');
    return done({ family, code, rank: 1, newPatient, basis: 'age', mdm: null, totalMinutes: time?.minutes ?? null, addOn: null, evidence, summary: `preventive visit, ${newPatient ? 'new' : 'established'} patient, age ${age}`, reminders, source: MDM_SOURCE }, text);
  }
  if (family === 'postop_global') {
    return done({ family, code: '99024', rank: 1, newPatient, basis: 'global', mdm: null, totalMinutes: null, addOn: null, evidence, summary: 'post-operative visit inside the global period (no separate payment)', reminders, source: MDM_SOURCE }, text);
  }
  if (family === 'hospital_discharge') {
    if (!time) reminders.push('Discharge day management is chosen by time; no total time was found, so the 30-minutes-or-less level was suggested.');
    const row = rowByTime(table.rows, time?.minutes ?? 0)!;
    if (time) evidence.push(time.span);
    return done({ family, code: row.code, rank: table.rows.indexOf(row) + 1, newPatient, basis: 'time', mdm: null, totalMinutes: time?.minutes ?? null, addOn: null, evidence, summary: `hospital discharge day, ${time ? `${time.minutes} minutes` : 'time not documented'}`, reminders, source: MDM_SOURCE }, text);
  }

  const elements = readMdm(text, splitSections(text));
  const level = combineMdm(elements.problems.level, elements.data.level, elements.risk.level);
  const chosen = emRowFor(family, level, time?.minutes ?? null)!;
  const row = chosen.row;
  const useTime = chosen.basis === 'time';
  for (const el of [elements.problems, elements.data, elements.risk]) for (const r of el.reasons) evidence.push(...r.evidence);
  if (time) evidence.push(time.span);

  let addOn: EmDecision['addOn'] = null;
  const top = table.rows.at(-1)!;
  if (time && table.prolonged && top.minutes !== null && row === top) {
    const units = Math.floor((time.minutes - top.minutes) / PROLONGED_UNIT_MINUTES);
    if (units >= 1) addOn = { code: table.prolonged, units };
  }
  // Medicare has its own prolonged-service codes, counted from a later minute (CMS PFS final rules 2021/2023).
  if (addOn?.code === '99417') reminders.push('Medicare reports prolonged office time with G2212, not 99417, and only from 15 minutes past the top level\'s full time (99205: 89 minutes, 99215: 69 minutes).');
  if (addOn?.code === '99418') reminders.push('Medicare reports prolonged hospital time with G0316, not 99418, counted from 15 minutes past Medicare\'s time for the top level.');
  if (evidence.length === 0) {
    const title = titleZone(text);
    evidence.push({ start: title.start, end: title.end, quote: '' });
  }
  const summary = useTime
    ? `${table.label}, level by total time ${time!.minutes} minutes (MDM ${level})`
    : `${table.label}, MDM ${level} (problems ${elements.problems.level}, data ${elements.data.level}, risk ${elements.risk.level})`;
  return done({ family, code: row.code, rank: table.rows.indexOf(row) + 1, newPatient, basis: useTime ? 'time' : 'mdm', mdm: { ...elements, level }, totalMinutes: time?.minutes ?? null, addOn, evidence, summary, reminders, source: MDM_SOURCE }, text);
}

/** Sorts and de-duplicates the evidence, quoting each span from the note. */
function done(decision: EmDecision, text: string): EmDecision {
  const unique = new Map<string, EvidenceSpan>();
  for (const e of decision.evidence) if (e.end > e.start) unique.set(`${e.start}:${e.end}`, { ...e, quote: text.slice(e.start, e.end) });
  return { ...decision, evidence: [...unique.values()].sort((a, b) => a.start - b.start || a.end - b.end) };
}
