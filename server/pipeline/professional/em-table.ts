// E/M level tables as data. Source: AMA CPT Evaluation and Management Services Guidelines — office and
// other outpatient services (effective 2021-01-01) and the 2023 revision that extended the same medical
// decision making (MDM) table to hospital inpatient/observation, consultation and emergency department
// services. Levels are described here in our own words; CPT code NUMBERS only, no AMA descriptor text.

export const MDM_LEVELS = ['straightforward', 'low', 'moderate', 'high'] as const;
export type MdmLevel = (typeof MDM_LEVELS)[number];

export const MDM_SOURCE = 'AMA CPT E/M guidelines 2021 (office) / 2023 (hospital, ED, consultation) — MDM table';

export function mdmRank(level: MdmLevel): number {
  return MDM_LEVELS.indexOf(level);
}

/**
 * The MDM level is the one that two of the three elements (problems, data, risk) meet or exceed:
 * with the three ranked, that is the middle one. Example: problems high, data limited, risk moderate → moderate.
 */
export function combineMdm(problems: MdmLevel, data: MdmLevel, risk: MdmLevel): MdmLevel {
  const ranks = [mdmRank(problems), mdmRank(data), mdmRank(risk)].sort((a, b) => a - b);
  return MDM_LEVELS[ranks[1]!]!;
}

/**
 * Problem kinds and the MDM level one of them reaches on its own. Two stable chronic illnesses together
 * reach moderate and two minor problems together reach low (handled in the problem scorer).
 */
export const PROBLEM_KINDS = {
  minor: { level: 'straightforward', label: 'self-limited or minor problem' },
  acute_uncomplicated: { level: 'low', label: 'acute, uncomplicated illness or injury' },
  chronic_stable: { level: 'low', label: 'chronic illness, stable' },
  chronic_progressing: { level: 'moderate', label: 'chronic illness with exacerbation, progression or treatment side effects' },
  undiagnosed_uncertain: { level: 'moderate', label: 'undiagnosed new problem with uncertain prognosis' },
  acute_systemic: { level: 'moderate', label: 'acute illness with systemic symptoms' },
  acute_complicated_injury: { level: 'moderate', label: 'acute, complicated injury' },
  chronic_severe: { level: 'high', label: 'chronic illness with severe exacerbation' },
  threat_to_life: { level: 'high', label: 'acute or chronic illness or injury that threatens life or bodily function' },
} as const satisfies Record<string, { level: MdmLevel; label: string }>;
export type ProblemKind = keyof typeof PROBLEM_KINDS;

/**
 * Data element thresholds. Category 1 counts unique tests (ordered or reviewed, each once), external notes
 * per source and an independent historian; category 2 is independent interpretation of a test reported by
 * someone else; category 3 is a management discussion with an external physician or professional.
 */
export const DATA_RULES = {
  /** limited: two category-1 items, or an assessment that needed an independent historian. */
  limitedCategory1: 2,
  /** moderate: one of the three categories met, category 1 needing three items. */
  moderateCategory1: 3,
  /** extensive: two of the three categories met. */
  extensiveCategories: 2,
} as const;

export const RISK_KINDS = {
  otc_drug: { level: 'low', label: 'over-the-counter drug or low-risk treatment' },
  prescription_drug: { level: 'moderate', label: 'prescription drug management' },
  minor_surgery: { level: 'low', label: 'decision about minor surgery, no identified risk factors' },
  minor_surgery_with_risk: { level: 'moderate', label: 'decision about minor surgery with identified patient or procedure risk factors' },
  elective_major_surgery: { level: 'moderate', label: 'decision about elective major surgery, no identified risk factors' },
  social_determinants: { level: 'moderate', label: 'diagnosis or treatment limited by social determinants of health' },
  intensive_monitoring: { level: 'high', label: 'drug therapy needing intensive monitoring for toxicity' },
  elective_major_surgery_with_risk: { level: 'high', label: 'decision about elective major surgery with identified patient or procedure risk factors' },
  emergency_major_surgery: { level: 'high', label: 'decision about emergency major surgery' },
  hospitalization_decision: { level: 'high', label: 'decision about hospitalization or escalation of care' },
  parenteral_controlled: { level: 'high', label: 'parenteral controlled substance' },
  goals_of_care: { level: 'high', label: 'decision not to resuscitate or to de-escalate care because of poor prognosis' },
} as const satisfies Record<string, { level: MdmLevel; label: string }>;
export type RiskKind = keyof typeof RISK_KINDS;

/** E/M families the module can place a visit in. */
export const EM_FAMILIES = [
  'office_new',
  'office_established',
  'emergency',
  'hospital_initial',
  'hospital_subsequent',
  'hospital_discharge',
  'consult_office',
  'consult_hospital',
  'telemedicine_new',
  'telemedicine_established',
  'audio_only_new',
  'audio_only_established',
  'postop_global',
  'preventive_new',
  'preventive_established',
] as const;
export type EmFamily = (typeof EM_FAMILIES)[number];

export interface EmLevelRow {
  code: string;
  /** MDM level this code needs (null where the family is not chosen by MDM). */
  mdm: MdmLevel | null;
  /** Total time on the date of the encounter (minutes) that meets this level, or null when time cannot select it. */
  minutes: number | null;
}

interface FamilyTable {
  label: string;
  /** Rows low → high; the lowest row whose MDM is met or exceeded by the visit is NOT the rule — the highest is. */
  rows: readonly EmLevelRow[];
  /** Prolonged-service add-on reported per full 15 minutes past the top row's time (CPT 2021/2023). */
  prolonged: string | null;
}

// Time thresholds: office (2021, "meet or exceed" since CPT 2024), hospital and consultations (2023),
// audio-video and audio-only telemedicine (2025). ED codes have no time basis. 99211 and 99281 are levels
// no MDM selects (mdm null): 99211 is the nurse visit (em-level.ts), 99281 the ED visit that needs no
// physician, which a physician's note never documents; the coder can still choose either.
export const EM_TABLE: Readonly<Record<EmFamily, FamilyTable>> = {
  office_new: {
    label: 'office/outpatient visit, new patient',
    rows: [
      { code: '99202', mdm: 'straightforward', minutes: 15 },
      { code: '99203', mdm: 'low', minutes: 30 },
      { code: '99204', mdm: 'moderate', minutes: 45 },
      { code: '99205', mdm: 'high', minutes: 60 },
    ],
    prolonged: '99417',
  },
  office_established: {
    label: 'office/outpatient visit, established patient',
    rows: [
      { code: '99211', mdm: null, minutes: null },
      { code: '99212', mdm: 'straightforward', minutes: 10 },
      { code: '99213', mdm: 'low', minutes: 20 },
      { code: '99214', mdm: 'moderate', minutes: 30 },
      { code: '99215', mdm: 'high', minutes: 40 },
    ],
    prolonged: '99417',
  },
  emergency: {
    label: 'emergency department visit',
    rows: [
      { code: '99281', mdm: null, minutes: null },
      { code: '99282', mdm: 'straightforward', minutes: null },
      { code: '99283', mdm: 'low', minutes: null },
      { code: '99284', mdm: 'moderate', minutes: null },
      { code: '99285', mdm: 'high', minutes: null },
    ],
    prolonged: null,
  },
  hospital_initial: {
    label: 'initial hospital inpatient or observation care',
    rows: [
      { code: '99221', mdm: 'straightforward', minutes: 40 },
      { code: '99222', mdm: 'moderate', minutes: 55 },
      { code: '99223', mdm: 'high', minutes: 75 },
    ],
    prolonged: '99418',
  },
  hospital_subsequent: {
    label: 'subsequent hospital inpatient or observation care',
    rows: [
      { code: '99231', mdm: 'straightforward', minutes: 25 },
      { code: '99232', mdm: 'moderate', minutes: 35 },
      { code: '99233', mdm: 'high', minutes: 50 },
    ],
    prolonged: '99418',
  },
  hospital_discharge: {
    label: 'hospital discharge day management',
    // Chosen by time only: 30 minutes or less, or more than 30 minutes.
    rows: [
      { code: '99238', mdm: null, minutes: 0 },
      { code: '99239', mdm: null, minutes: 31 },
    ],
    prolonged: null,
  },
  consult_office: {
    label: 'office/outpatient consultation',
    rows: [
      { code: '99242', mdm: 'straightforward', minutes: 20 },
      { code: '99243', mdm: 'low', minutes: 30 },
      { code: '99244', mdm: 'moderate', minutes: 40 },
      { code: '99245', mdm: 'high', minutes: 55 },
    ],
    prolonged: '99417',
  },
  consult_hospital: {
    label: 'inpatient or observation consultation',
    rows: [
      { code: '99252', mdm: 'straightforward', minutes: 35 },
      { code: '99253', mdm: 'low', minutes: 45 },
      { code: '99254', mdm: 'moderate', minutes: 60 },
      { code: '99255', mdm: 'high', minutes: 80 },
    ],
    prolonged: '99418',
  },
  telemedicine_new: {
    label: 'synchronous audio-video visit, new patient',
    rows: [
      { code: '98000', mdm: 'straightforward', minutes: 15 },
      { code: '98001', mdm: 'low', minutes: 30 },
      { code: '98002', mdm: 'moderate', minutes: 45 },
      { code: '98003', mdm: 'high', minutes: 60 },
    ],
    prolonged: '99417',
  },
  telemedicine_established: {
    label: 'synchronous audio-video visit, established patient',
    rows: [
      { code: '98004', mdm: 'straightforward', minutes: 10 },
      { code: '98005', mdm: 'low', minutes: 20 },
      { code: '98006', mdm: 'moderate', minutes: 30 },
      { code: '98007', mdm: 'high', minutes: 40 },
    ],
    prolonged: '99417',
  },
  // More than 10 minutes of medical discussion is required besides the MDM or time (CPT 2025).
  audio_only_new: {
    label: 'synchronous audio-only visit, new patient',
    rows: [
      { code: '98008', mdm: 'straightforward', minutes: 15 },
      { code: '98009', mdm: 'low', minutes: 30 },
      { code: '98010', mdm: 'moderate', minutes: 45 },
      { code: '98011', mdm: 'high', minutes: 60 },
    ],
    prolonged: '99417',
  },
  audio_only_established: {
    label: 'synchronous audio-only visit, established patient',
    rows: [
      { code: '98012', mdm: 'straightforward', minutes: 10 },
      { code: '98013', mdm: 'low', minutes: 20 },
      { code: '98014', mdm: 'moderate', minutes: 30 },
      { code: '98015', mdm: 'high', minutes: 40 },
    ],
    prolonged: '99417',
  },
  postop_global: { label: 'post-operative visit inside a global period', rows: [{ code: '99024', mdm: null, minutes: null }], prolonged: null },
  preventive_new: { label: 'preventive medicine visit, new patient', rows: [], prolonged: null },
  preventive_established: { label: 'preventive medicine visit, established patient', rows: [], prolonged: null },
};

/** Preventive visits are chosen by age band (years, inclusive lower bound): [minAge, new, established]. */
export const PREVENTIVE_BANDS: readonly (readonly [number, string, string])[] = [
  [65, '99387', '99397'],
  [40, '99386', '99396'],
  [18, '99385', '99395'],
  [12, '99384', '99394'],
  [5, '99383', '99393'],
  [1, '99382', '99392'],
  [0, '99381', '99391'],
];

/** Minutes of one prolonged-service unit past the top level's threshold (CPT 99417/99418). */
export const PROLONGED_UNIT_MINUTES = 15;

/** Highest row whose MDM the visit meets or exceeds (the lowest MDM row when none is met). */
export function rowByMdm(rows: readonly EmLevelRow[], level: MdmLevel): EmLevelRow {
  let best = rows.find((r) => r.mdm !== null) ?? rows[0]!;
  for (const row of rows) if (row.mdm !== null && mdmRank(level) >= mdmRank(row.mdm)) best = row;
  return best;
}

export function rowByTime(rows: readonly EmLevelRow[], minutes: number): EmLevelRow | null {
  let best: EmLevelRow | null = null;
  for (const row of rows) if (row.minutes !== null && minutes >= row.minutes) best = row;
  return best;
}

/**
 * The row a visit reaches from its MDM level and documented total time, whichever supports more (AMA E/M
 * guidelines 2021/2023). The review UI re-levels with this when a coder changes an MDM element.
 * Example: office_established, moderate, 45 min → 99215 (time 40+ meets the top row).
 */
export function emRowFor(family: EmFamily, level: MdmLevel, minutes: number | null): { row: EmLevelRow; basis: 'mdm' | 'time' } | null {
  const rows = EM_TABLE[family].rows;
  if (rows.length === 0) return null;
  const byMdm = rowByMdm(rows, level);
  const byTime = minutes === null ? null : rowByTime(rows, minutes);
  return byTime !== null && rows.indexOf(byTime) > rows.indexOf(byMdm) ? { row: byTime, basis: 'time' } : { row: byMdm, basis: 'mdm' };
}

/** Coders name levels by the code's last digit (99214 = level 4); audio-video and audio-only codes follow the office scale. */
export function emLevelNumber(family: EmFamily, code: string): number {
  return family.startsWith('telemedicine') || family.startsWith('audio_only') ? EM_TABLE[family].rows.findIndex((r) => r.code === code) + 2 : Number(code.at(-1));
}

/**
 * An E/M code number of the table with its family and our own wording (no AMA descriptor), or null. Lets a
 * coder re-level an E/M line without a licensed CPT file: the numbers are public, the descriptors are not.
 * Example: "99215" → office_established, "E/M office/outpatient visit, established patient, level 5".
 */
/** Families whose codes are not levels: discharge day by time (99238/99239) and the global-period visit (99024). */
const NOT_LEVELS: ReadonlySet<EmFamily> = new Set(['hospital_discharge', 'postop_global']);

export function describeEmCode(code: string): { family: EmFamily; description: string } | null {
  for (const family of EM_FAMILIES) {
    if (NOT_LEVELS.has(family)) continue;
    const row = EM_TABLE[family].rows.find((r) => r.code === code);
    if (row) return { family, description: `E/M ${EM_TABLE[family].label}, level ${emLevelNumber(family, code)}` };
  }
  return null;
}
