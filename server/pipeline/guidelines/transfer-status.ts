// OCG I.C.21.c.3 (status), Z92.82 — "Assign code Z92.82, Status post administration of tPA (rtPA) in a
// different facility within the last 24 hours prior to admission to current facility, as a secondary
// diagnosis when a patient is received by transfer into a facility and documentation indicates they were
// administered tissue plasminogen activator (tPA) within the last 24 hours prior to admission to the current
// facility … Code Z92.82 is only applicable to the receiving facility record." So: an inpatient record whose
// note says a thrombolytic was given at another facility (or before the transfer), not negated.
import type { RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/** Tissue plasminogen activators by name ("tPA", "rtPA", alteplase, tenecteplase, "TNK"). */
const TPA = /\b(r?tPA|alteplase|tenecteplase|TNK(?:ase)?|thromboly(?:tic|sis)(?: therapy)?)\b/i;
/** Given somewhere else: another facility, or before the transfer here. */
const ELSEWHERE = /\b(outside|other|another|referring|transferring|sending) (hospital|facility|ed|emergency department|center)\b|\b(prior to|before) (the )?transfer\b|\bOSH\b/i;
/** A facility named by its proper name ("At Mercy Community Hospital:"); case-sensitive, so "at this hospital" is not one. */
const NAMED_FACILITY = /\b[Aa]t (?!(?:Our|This|The Same)\b)[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)* (?:Hospital|Medical Center|Regional|Clinic)\b/;
const NOT_GIVEN = /\b(no|not|without|declined|refused|withheld|held|contraindicat\w*|ineligible|not a candidate)\b[^.;]{0,40}\b(r?tPA|alteplase|tenecteplase|TNK|thromboly\w*)\b|\b(r?tPA|alteplase|tenecteplase|thromboly\w*)\b[^.;]{0,20}\b(not given|withheld|deferred|contraindicated)\b/i;

/** Example: "At Mercy Community Hospital: … IV alteplase administered at 09:05; transferred for thrombectomy" → Z92.82. */
export function applyTransferStatus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { note, sentences, kb } = input;
  // The facility may be named in the sentence or in the one before it ("At Mercy Community Hospital: CT head …; IV alteplase administered").
  const givenElsewhere = (i: number) => {
    const around = `${sentences[i - 1]?.text ?? ''} ${sentences[i]?.text ?? ''}`;
    return ELSEWHERE.test(around) || NAMED_FACILITY.test(around);
  };
  // The Index's "tPA" read alone is the status only where the note says it was given elsewhere: "tPA given at 3.8 h
  // (our facility)" is this stay's own treatment (a procedure), no Z92.82.
  const read = kept.find((c) => c.code === 'Z92.82' && c.rules.every((r) => r.rule !== 'status_tpa'));
  if (read && (note.encounter.setting !== 'inpatient' || !read.evidence.some((m) => givenElsewhere(m.sentenceIndex)))) {
    return { kept: kept.filter((c) => c !== read), dropped: [{ code: 'Z92.82', reason: 'tPA not documented as given at another facility before this admission (OCG I.C.21.c.3)' }] };
  }
  if (note.encounter.setting !== 'inpatient' || kept.some((c) => c.code === 'Z92.82') || !kb.codes.get('Z92.82')?.billable) return { kept, dropped: [] };
  for (const s of sentences) {
    const m = TPA.exec(s.text);
    if (!m || NOT_GIVEN.test(s.text)) continue;
    if (!givenElsewhere(s.index)) continue;
    const detail = 'tPA given at another facility before this admission: status code on the receiving facility\'s record (OCG I.C.21.c.3, Z92.82)';
    const mention = derivedMention(s, s.start + m.index, s.start + m.index + m[0].length, note.text, detail, 'Z92.82');
    return { kept: [...kept, derivedCandidate('Z92.82', [mention], 0.75, 'status_tpa', detail)], dropped: [] };
  }
  return { kept, dropped: [] };
}
