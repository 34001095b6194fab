// CPT procedure rules as data: code numbers only, as CMS publishes them in its fee-schedule and NCCI tables
// (no AMA descriptor text: the descriptor a coder sees comes from the licensed file, see ./cpt-file.ts).
// Sources: CPT Surgery/Integumentary guidelines for wound repair (sum the lengths of repairs of one
// classification in one anatomic group; list the more complicated class first, the other with modifier 59)
// and for lesion excision (excised diameter = greatest clinical diameter + twice the narrowest margin),
// Medicine guidelines for hydration/infusion hours (an additional hour needs more than 30 minutes past the
// hour), and the CMS NCCI Policy Manual ch. III (repairs, excisions) and ch. XI (infusions).

/** Anatomic sites as the CPT repair and excision families group them. */
export const SITES = ['scalp', 'neck', 'axilla', 'trunk', 'extremity', 'hand_foot', 'genitalia', 'face', 'face_feature'] as const;
export type Site = (typeof SITES)[number];

/** Note words → site; `face_feature` is eyelids, nose, ears, lips and mucous membranes (their own complex-repair group). */
export const SITE_WORDS: Readonly<Record<string, Site>> = {
  scalp: 'scalp', parietal: 'scalp', occipital: 'scalp', occiput: 'scalp', vertex: 'scalp',
  neck: 'neck',
  axilla: 'axilla', axillary: 'axilla', armpit: 'axilla',
  trunk: 'trunk', chest: 'trunk', back: 'trunk', abdomen: 'trunk', abdominal: 'trunk', flank: 'trunk', buttock: 'trunk', gluteal: 'trunk', breast: 'trunk', torso: 'trunk',
  arm: 'extremity', forearm: 'extremity', elbow: 'extremity', wrist: 'extremity', shoulder: 'extremity', thigh: 'extremity', leg: 'extremity', knee: 'extremity', shin: 'extremity', calf: 'extremity', ankle: 'extremity', extremity: 'extremity', pretibial: 'extremity',
  hand: 'hand_foot', finger: 'hand_foot', thumb: 'hand_foot', palm: 'hand_foot', palmar: 'hand_foot', foot: 'hand_foot', toe: 'hand_foot', heel: 'hand_foot', sole: 'hand_foot', plantar: 'hand_foot',
  genital: 'genitalia', genitalia: 'genitalia', scrotum: 'genitalia', penis: 'genitalia', labia: 'genitalia', vulva: 'genitalia',
  face: 'face', facial: 'face', forehead: 'face', cheek: 'face', chin: 'face', eyebrow: 'face', brow: 'face', temple: 'face', jaw: 'face', mouth: 'face',
  eyelid: 'face_feature', lid: 'face_feature', nose: 'face_feature', nasal: 'face_feature', ala: 'face_feature', ear: 'face_feature', helix: 'face_feature', helical: 'face_feature', earlobe: 'face_feature', lip: 'face_feature', vermilion: 'face_feature', mucosa: 'face_feature', mucosal: 'face_feature',
};

export type RepairClass = 'simple' | 'intermediate' | 'complex';
export const REPAIR_RANK: Readonly<Record<RepairClass, number>> = { simple: 0, intermediate: 1, complex: 2 };

/** A size ladder: the first band whose upper bound (cm, inclusive) holds the length or diameter. */
export interface Band {
  max: number;
  code: string;
}
/** A ladder of bands with an add-on per further `addOn.step` cm past the last band (complex repair). */
export interface Ladder {
  /** Which sites it covers, as the family's group names them. */
  group: string;
  bands: readonly Band[];
  addOn?: { code: string; step: number };
  /** Lengths at or below it are not this class (complex repair ≤ 1.0 cm is coded as simple or intermediate). */
  min?: number;
}

const ladder = (group: string, maxes: readonly number[], codes: readonly string[], extra: Partial<Ladder> = {}): Ladder => ({
  group,
  bands: codes.map((code, i) => ({ max: maxes[i] ?? Number.POSITIVE_INFINITY, code })),
  ...extra,
});

const SIMPLE_A = [2.5, 7.5, 12.5, 20, 30];
const SIMPLE_B = [2.5, 5, 7.5, 12.5, 20, 30];

/** Wound repair (CPT 12001–13153) by class and site. */
export const REPAIR: Readonly<Record<RepairClass, Readonly<Record<Site, Ladder>>>> = (() => {
  const simpleA = ladder('scalp, neck, axillae, genitalia, trunk, extremities incl. hands and feet', SIMPLE_A, ['12001', '12002', '12004', '12005', '12006', '12007']);
  const simpleB = ladder('face, ears, eyelids, nose, lips, mucous membranes', SIMPLE_B, ['12011', '12013', '12014', '12015', '12016', '12017', '12018']);
  const int1 = ladder('scalp, axillae, trunk, extremities (not hands or feet)', SIMPLE_A, ['12031', '12032', '12034', '12035', '12036', '12037']);
  const int2 = ladder('neck, hands, feet, external genitalia', SIMPLE_A, ['12041', '12042', '12044', '12045', '12046', '12047']);
  const int3 = ladder('face, ears, eyelids, nose, lips, mucous membranes', SIMPLE_B, ['12051', '12052', '12053', '12054', '12055', '12056', '12057']);
  const complex = (group: string, codes: [string, string, string]): Ladder => ladder(group, [2.5, 7.5], codes.slice(0, 2), { addOn: { code: codes[2], step: 5 }, min: 1.0 });
  const cTrunk = complex('trunk', ['13100', '13101', '13102']);
  const cLimbs = complex('scalp, arms, legs', ['13120', '13121', '13122']);
  const cMid = complex('forehead, cheeks, chin, mouth, neck, axillae, genitalia, hands, feet', ['13131', '13132', '13133']);
  const cFeature = complex('eyelids, nose, ears, lips', ['13151', '13152', '13153']);
  return {
    simple: { scalp: simpleA, neck: simpleA, axilla: simpleA, trunk: simpleA, extremity: simpleA, hand_foot: simpleA, genitalia: simpleA, face: simpleB, face_feature: simpleB },
    intermediate: { scalp: int1, axilla: int1, trunk: int1, extremity: int1, neck: int2, hand_foot: int2, genitalia: int2, face: int3, face_feature: int3 },
    complex: { trunk: cTrunk, scalp: cLimbs, extremity: cLimbs, face: cMid, neck: cMid, axilla: cMid, genitalia: cMid, hand_foot: cMid, face_feature: cFeature },
  };
})();

const EXCISION_BANDS = [0.5, 1, 2, 3, 4];
/** Excision of a skin lesion (CPT 11400–11646) by behaviour and site group, by excised diameter. */
export const EXCISION: Readonly<Record<'benign' | 'malignant', Readonly<Record<Site, Ladder>>>> = (() => {
  const family = (base: number) => {
    const group = (offset: number, name: string) => ladder(name, EXCISION_BANDS, [0, 1, 2, 3, 4, 6].map((d) => String(base + offset + d)));
    const limbs = group(0, 'trunk, arms, legs');
    const mid = group(20, 'scalp, neck, hands, feet, genitalia');
    const face = group(40, 'face, ears, eyelids, nose, lips, mucous membranes');
    return { trunk: limbs, extremity: limbs, axilla: limbs, scalp: mid, neck: mid, hand_foot: mid, genitalia: mid, face, face_feature: face };
  };
  return { benign: family(11400), malignant: family(11600) };
})();

/** Joint size for arthrocentesis/injection (CPT 20600–20611): small, intermediate, major; each with and without ultrasound. */
export const JOINT_WORDS: Readonly<Record<string, 'small' | 'intermediate' | 'major'>> = {
  finger: 'small', toe: 'small', thumb: 'small', mcp: 'small', pip: 'small', dip: 'small', mtp: 'small', interphalangeal: 'small', metacarpophalangeal: 'small', metatarsophalangeal: 'small',
  wrist: 'intermediate', elbow: 'intermediate', ankle: 'intermediate', tibiotalar: 'intermediate', olecranon: 'intermediate', temporomandibular: 'intermediate', tmj: 'intermediate', acromioclavicular: 'intermediate',
  shoulder: 'major', glenohumeral: 'major', subacromial: 'major', hip: 'major', knee: 'major', trochanteric: 'major',
};
export const JOINT_CODES: Readonly<Record<'small' | 'intermediate' | 'major', { plain: string; ultrasound: string }>> = {
  small: { plain: '20600', ultrasound: '20604' },
  intermediate: { plain: '20605', ultrasound: '20606' },
  major: { plain: '20610', ultrasound: '20611' },
};

/** IV infusion and hydration: initial hour and each additional hour (CPT 96360/96361, 96365/96366). */
export const INFUSION = {
  therapeutic: { initial: '96365', additional: '96366', minMinutes: 16 },
  hydration: { initial: '96360', additional: '96361', minMinutes: 31 },
} as const;

/** In-office procedures read by one cue each. */
export const OFFICE = {
  incisionDrainage: { simple: '10060', complicated: '10061' },
  nailAvulsion: { first: '11730', additional: '11732' },
  cerumen: { instrumentation: '69210', irrigation: '69209' },
  /** Static splints by type; fracture care (reduction) is coded otherwise and not suggested here. */
  splint: { long_arm: '29105', short_arm: '29125', finger: '29130', long_leg: '29505', short_leg: '29515' },
} as const;

/** In-office tests with their interpretation (global codes: the practice does the test and the report). */
export const OFFICE_TESTS = {
  /** Routine 12-lead ECG with interpretation and report. */
  ecg: '93000',
  spirometry: { plain: '94010', bronchodilator: '94060' },
  plethysmography: '94726',
  /** Diffusing capacity: an add-on to spirometry or lung volumes. */
  dlco: '94729',
  /** Brief emotional/behavioral assessment with a scored standardized instrument, per instrument. */
  instrument: '96127',
} as const;

/** Standardized brief instruments scored at a visit (each one unit of 96127). */
export const INSTRUMENTS: readonly string[] = ['PHQ-9', 'PHQ-2', 'PHQ-A', 'GAD-7', 'EPDS', 'AUDIT', 'AUDIT-C', 'CRAFFT', 'M-CHAT', 'PSC-17', 'Vanderbilt', 'ASQ', 'Edinburgh'];

/**
 * Nail and digit modifiers (CMS: FA, F1–F9 fingers; TA, T1–T9 toes), indexed by side and digit 1–5
 * (1 = thumb or great toe).
 */
export const DIGIT_MODIFIERS: Readonly<Record<'finger' | 'toe', Readonly<Record<'left' | 'right', readonly string[]>>>> = {
  finger: { left: ['FA', 'F1', 'F2', 'F3', 'F4'], right: ['F5', 'F6', 'F7', 'F8', 'F9'] },
  toe: { left: ['TA', 'T1', 'T2', 'T3', 'T4'], right: ['T5', 'T6', 'T7', 'T8', 'T9'] },
};

/** The band of a ladder for a size (cm); null below the ladder's minimum. */
export function bandFor(l: Ladder, size: number): { code: string; addOnUnits: number } | null {
  if (l.min !== undefined && size <= l.min) return null;
  const band = l.bands.find((b) => size <= b.max + 1e-9);
  if (band) return { code: band.code, addOnUnits: 0 };
  const last = l.bands.at(-1)!;
  if (!l.addOn) return { code: last.code, addOnUnits: 0 };
  return { code: last.code, addOnUnits: Math.ceil((size - last.max) / l.addOn.step - 1e-9) };
}
