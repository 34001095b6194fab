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
  'principal_diagnosis',
  'problem_list',
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
  // US progress notes: "S:" / "Subjective" carry the history, "O:" / "Objective" the findings (SOAP).
  // "History:" alone heads the story of the illness (a discharge summary's "HISTORY:", a consult's "History").
  hpi: ['hpi', 'history of present illness', 'history of the present illness', 'present illness', 'interval history', 'interval hx', 'interval', 's', 'subjective', 'history', 'presentation'],
  pmh: ['pmh', 'pmhx', 'past medical history', 'medical history', 'past history', 'psych hx', 'psychiatric history'],
  psh: ['psh', 'pshx', 'past surgical history', 'surgical history'],
  family_history: ['family history', 'family hx', 'fhx', 'fh'],
  social_history: ['social history', 'social hx', 'shx', 'sh', 'social', 'tobacco'],
  medications: [
    'medications',
    'meds',
    'current medications',
    'home medications',
    'outpatient medications',
    'admission medications',
    'medications on admission',
    'discharge medications',
    'discharge meds',
    'home meds',
    'current meds',
    'meds on admission',
    'meds pta',
    'medications pta',
    'meds prior to admission',
    'medications prior to admission',
    'home medications prior to admission',
    'meds at home',
  ],
  allergies: ['allergies', 'allergy', 'drug allergies'],
  ros: ['ros', 'review of systems', 'ros at discharge'],
  physical_exam: ['physical exam', 'physical examination', 'exam', 'examination', 'pe', 'o', 'objective', 'vitals', 'vital signs', 'discharge exam'],
  labs: ['labs', 'laboratory', 'laboratory data', 'laboratory results', 'lab results', 'pertinent results', 'data', 'data reviewed', 'labs reviewed', 'labs/data', 'results'],
  imaging: ['imaging', 'radiology', 'imaging studies'],
  // A diagnostic test's report: the interpreting physician's conclusion is the diagnosis coded (OCG IV.K).
  // SOAP's "A:" and "P:" as its "S:" and "O:" above (line start only, as every one-letter header). An ED
  // note's "MDM:" is where the emergency physician states what the work-up concluded.
  assessment: ['assessment', 'impression', 'clinical impression', 'interpretation', 'conclusion', 'conclusions', 'a', 'mdm', 'medical decision making'],
  plan: ['plan', 'recommendations', 'disposition', 'dispo', 'follow-up', 'discharge plan', 'p'],
  assessment_plan: [
    'assessment and plan',
    'assessment & plan',
    'assessment/plan',
    'impression and plan',
    'impression/plan',
    'a/p',
    'a&p',
    'problems/plan',
    'problem list/plan',
  ],
  diagnoses: [
    'diagnoses',
    'diagnosis',
    'final diagnosis',
    'final diagnoses',
    'admitting diagnosis',
    'admission diagnosis',
    'secondary diagnoses',
    'secondary diagnosis',
    'secondary',
    'other diagnoses',
    'pre-/post-op dx',
    'postoperative diagnosis',
    'post-op diagnosis',
    'referring diagnosis',
    'diagnoses per order',
    'reason for admission',
    // "Dx" is how US notes abbreviate it: "Secondary Dx:", "ED diagnoses:", "Final Dx:".
    'dx',
    'final dx',
    'admitting dx',
    'admission dx',
    'secondary dx',
    'other dx',
    'ed diagnoses',
    'ed diagnosis',
    'ed dx',
  ],
  discharge_diagnoses: ['discharge diagnoses', 'discharge diagnosis', 'discharge dx', 'diagnoses at discharge', 'active problems at discharge'],
  // OCG Section II: the condition established after study to be chiefly responsible for the admission.
  principal_diagnosis: ['principal diagnosis', 'principal dx', 'principal', 'primary diagnosis', 'primary dx'],
  problem_list: ['problem list', 'active problems', 'problems'],
  procedures: ['procedures', 'procedure', 'procedures performed', 'major surgical or invasive procedure'],
  hospital_course: ['hospital course', 'brief hospital course', 'clinical course', 'ed course', 'brief course', 'course'],
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

const ALIASES = [...ALIAS_TO_SECTION.keys()]
  .sort((a, b) => b.length - a.length) // longest first so "assessment and plan" wins over "assessment"
  // "Impression / Plan", "A / P": a slash may have spaces around it.
  .map((alias) => escapeRegExp(alias).replace(/ /g, `${HSPACE}+`).replace(/\//g, `${HSPACE}*/${HSPACE}*`))
  .join('|');
// A qualifier between the header and its colon: "Labs (10/15):", "Labs 10/28:", "HPI (per daughter):".
const QUALIFIER = String.raw`(?:${HSPACE}*\([^)\r\n]{0,60}\))?(?:${HSPACE}+\d{1,2}/\d{1,2}(?:/\d{2,4})?)?`;
/**
 * A header at line start (colon, or alone on its line), or — US notes run short sections together on one
 * line, "Meds: none. Allergies: NKDA. SH: never smoker." — after a sentence end, with a colon. One-letter
 * SOAP headers ("S:", "O:") only at line start.
 */
const HEADER_RE = new RegExp(
  String.raw`(?:^${HSPACE}*|(?<=[.;]${HSPACE}+))(${ALIASES})${QUALIFIER}${HSPACE}*(?::|(?=\r?$))`,
  'gim',
);

const HSPACE_RUN = new RegExp(`${HSPACE}+`, 'g');

const isLineStart = (text: string, at: number): boolean => {
  for (let i = at - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') return true;
    if (!/[^\S\r\n]|[\u200B-\u200D\u2060\uFEFF]/.test(ch)) return false;
  }
  return true;
};

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
    const name = ALIAS_TO_SECTION.get(written.toLowerCase().replace(HSPACE_RUN, ' ').replace(/ ?\/ ?/g, '/'));
    if (name === undefined) continue;
    const lineStart = isLineStart(text, match.index);
    // Mid-line: only "Header:" written with its colon and not a single letter ("Vitamin D: 20").
    if (!lineStart && (!match[0].endsWith(':') || written.length < 2)) continue;
    // A vitals line's "P: 88" is the pulse, not SOAP's plan ("P: 1. Continue metformin" is the plan).
    if (written.toLowerCase() === 'p' && /^\s*\d{2,3}(?![\d.)])/.test(text.slice(match.index + match[0].length, match.index + match[0].length + 8))) continue;
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

/**
 * Sections in which the provider states diagnoses: what an outpatient coder codes from (OCG IV.A–D, J) and
 * what an inpatient coder reads the principal and secondary diagnoses from (OCG II, III).
 */
export const DIAGNOSTIC_SECTIONS: ReadonlySet<SectionName> = new Set(['assessment', 'assessment_plan', 'diagnoses', 'discharge_diagnoses', 'principal_diagnosis', 'problem_list']);

/**
 * A discharge summary written as a narrative — a hospital course and no diagnosis list — states its diagnoses in
 * the course: the attending's account of what the work-up established and what was treated, which is what the
 * coder reads the principal and other diagnoses from (OCG II, III). Its course is read as the note's assessment,
 * so that the rules that need a diagnostic statement apply (one code per condition, integral symptoms). A case
 * report (CodiEsp) has no course header and stays a narrative: of 750 CodiEsp train/dev notes none has one.
 */
export function courseAsStatement(sections: readonly Section[]): Section[] {
  if (sections.some((s) => DIAGNOSTIC_SECTIONS.has(s.name)) || !sections.some((s) => s.name === 'hospital_course')) return [...sections];
  return sections.map((s) => (s.name === 'hospital_course' ? { ...s, name: 'assessment' } : s));
}
