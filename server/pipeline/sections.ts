// Section splitting: finds note headers ("HPI:", "Past Medical History", "A/P") at line start and
// returns each section's body range as offsets into the original note text.

export const SECTION_NAMES = [
  'chief_complaint',
  'hpi',
  'pmh',
  'psh',
  'family_history',
  'social_history',
  'medications',
  'allergies',
  'ros',
  'physical_exam',
  'labs',
  'imaging',
  'assessment',
  'plan',
  'assessment_plan',
  'diagnoses',
  'discharge_diagnoses',
  'procedures',
  'hospital_course',
  'other',
] as const;

export type SectionName = (typeof SECTION_NAMES)[number];

export interface Section {
  /** Canonical name; text before the first header (or a note without headers) is 'other'. */
  name: SectionName;
  /** The header as written in the note (without its colon), or null for the leading 'other' section. */
  header: string | null;
  /** Body range [start, end) in the original text, trimmed of surrounding whitespace; start === end when empty. */
  start: number;
  end: number;
}

/**
 * Header spellings per section, matched case-insensitively at line start and followed by a colon or
 * the end of the line. "Final diagnosis" is kept under 'diagnoses' because ED and clinic notes use it
 * too; only headers that say "discharge" become 'discharge_diagnoses'.
 */
const HEADER_ALIASES: Readonly<Record<Exclude<SectionName, 'other'>, readonly string[]>> = {
  chief_complaint: ['chief complaint', 'cc', 'reason for visit', 'reason for consultation'],
  hpi: ['hpi', 'history of present illness', 'history of the present illness', 'present illness'],
  pmh: ['pmh', 'pmhx', 'past medical history', 'medical history', 'past history'],
  psh: ['psh', 'pshx', 'past surgical history', 'surgical history'],
  family_history: ['family history', 'family hx', 'fhx', 'fh'],
  social_history: ['social history', 'social hx', 'shx', 'sh'],
  medications: [
    'medications',
    'meds',
    'current medications',
    'home medications',
    'outpatient medications',
    'admission medications',
    'medications on admission',
    'discharge medications',
  ],
  allergies: ['allergies', 'allergy', 'drug allergies'],
  ros: ['ros', 'review of systems'],
  physical_exam: ['physical exam', 'physical examination', 'exam', 'examination', 'pe'],
  labs: ['labs', 'laboratory', 'laboratory data', 'laboratory results', 'lab results', 'pertinent results'],
  imaging: ['imaging', 'radiology', 'imaging studies'],
  assessment: ['assessment', 'impression', 'clinical impression'],
  plan: ['plan', 'recommendations'],
  assessment_plan: [
    'assessment and plan',
    'assessment & plan',
    'assessment/plan',
    'impression and plan',
    'impression/plan',
    'a/p',
    'a&p',
  ],
  diagnoses: [
    'diagnoses',
    'diagnosis',
    'final diagnosis',
    'final diagnoses',
    'admitting diagnosis',
    'admission diagnosis',
  ],
  discharge_diagnoses: ['discharge diagnoses', 'discharge diagnosis', 'diagnoses at discharge'],
  procedures: ['procedures', 'procedure', 'procedures performed', 'major surgical or invasive procedure'],
  hospital_course: ['hospital course', 'brief hospital course', 'clinical course'],
};

const ALIAS_TO_SECTION: ReadonlyMap<string, SectionName> = new Map(
  Object.entries(HEADER_ALIASES).flatMap(([name, aliases]) =>
    aliases.map((alias) => [alias, name as SectionName] as const),
  ),
);

// Horizontal whitespace: anything \s matches except line breaks, plus zero-width characters that
// survive copy-paste from EHR screens.
const HSPACE = String.raw`(?:[^\S\r\n]|[\u200B-\u200D\u2060\uFEFF])`;

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Longest alias first so "assessment and plan" wins over "assessment".
const HEADER_RE = new RegExp(
  String.raw`^${HSPACE}*(` +
    [...ALIAS_TO_SECTION.keys()]
      .sort((a, b) => b.length - a.length)
      .map((alias) => escapeRegExp(alias).replace(/ /g, `${HSPACE}+`))
      .join('|') +
    String.raw`)${HSPACE}*(?::|(?=\r?$))`,
  'gim',
);

const HSPACE_RUN = new RegExp(`${HSPACE}+`, 'g');

const WHITESPACE = /[\s\u200B-\u200D\u2060\uFEFF]/;

/** Shrinks [start, end) so it neither starts nor ends with whitespace; a blank range collapses to [start, start). */
export function trimRange(text: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  while (s < e && WHITESPACE.test(text[s] ?? '')) s++;
  if (s === e) return { start, end: start };
  while (e > s && WHITESPACE.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}

/**
 * Splits a note into sections by header. Offsets are body ranges in `text`.
 * Example: "CC: chest pain\nHPI: 2 days of pain" →
 * [{name:'chief_complaint', header:'CC', start:4, end:14}, {name:'hpi', header:'HPI', start:20, end:34}]
 */
export function splitSections(text: string): Section[] {
  const headers: { name: SectionName; header: string; lineStart: number; bodyStart: number }[] = [];
  for (const match of text.matchAll(HEADER_RE)) {
    const written = match[1] ?? '';
    const name = ALIAS_TO_SECTION.get(written.toLowerCase().replace(HSPACE_RUN, ' '));
    if (name === undefined) continue;
    headers.push({ name, header: written, lineStart: match.index, bodyStart: match.index + match[0].length });
  }

  const sections: Section[] = [];
  const firstHeaderAt = headers[0]?.lineStart ?? text.length;
  const preamble = trimRange(text, 0, firstHeaderAt);
  if (preamble.start < preamble.end) sections.push({ name: 'other', header: null, ...preamble });

  headers.forEach((h, i) => {
    const bodyEnd = headers[i + 1]?.lineStart ?? text.length;
    const body = trimRange(text, h.bodyStart, bodyEnd);
    sections.push({ name: h.name, header: h.header, ...body });
  });
  return sections;
}
