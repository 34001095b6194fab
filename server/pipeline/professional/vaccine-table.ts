// Vaccines and their administration as data: the names notes use for each vaccine, how many components
// (antigens) it has, its usual route, the Medicare G code that replaces 90471/90472 for it, the HCPCS Level II
// product codes CMS publishes for it, and the words a licensed CPT descriptor of its product must contain.
// Code numbers only (as CMS prints them in its MUE/AOC tables); no AMA descriptor text.
// Sources: CPT Medicine guidelines for immunization administration (90460/90461 count each vaccine and each
// further component, through age 18 with counselling by the physician/QHP; 90471–90474 count vaccines, not
// components); CMS Medicare Claims Processing Manual ch. 18 §10 (G0008 influenza, G0009 pneumococcal,
// G0010 hepatitis B administration under Part B); HCPCS 2025-10 (Q2034–Q2039 influenza products).

import { z } from 'zod';

export const VACCINE_ROUTES = ['injection', 'intranasal', 'oral'] as const;
export type VaccineRoute = (typeof VACCINE_ROUTES)[number];

const VaccineSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]+$/),
  /** How the coder reads it ("Tdap", "MMR"). */
  label: z.string().min(1),
  /** Names in notes, as regex sources (case-insensitive unless `caseSensitive`); brands included. */
  names: z.array(z.string().min(1)).min(1),
  caseSensitive: z.boolean().optional(),
  /** Antigens protecting against distinct diseases (CPT: a component); MMR = 3, Tdap = 3, DTaP-IPV-Hib-HepB = 6. */
  components: z.number().int().min(1).max(8),
  route: z.enum(VACCINE_ROUTES),
  /** Medicare Part B administration code for this vaccine (replaces 90471/90472 for it). */
  medicareAdmin: z.enum(['G0008', 'G0009', 'G0010']).optional(),
  /** A COVID-19 vaccine's administration is its own code (one per dose), outside 90460–90474. */
  ownAdmin: z.string().regex(/^\d{5}$/).optional(),
  /** Brand → HCPCS Level II product code (influenza products CMS still lists), with the youngest age it covers. */
  hcpcsProducts: z.array(z.strictObject({ name: z.string(), code: z.string().regex(/^Q\d{4}$/), minAge: z.number().int().optional() })).optional(),
  /** Every group must have one of its words or phrases in a licensed CPT descriptor naming this vaccine's product. */
  descriptorWords: z.array(z.array(z.string().min(2)).min(1)).min(1),
  /** Words that rule a descriptor out (DTaP's descriptor must not be read as Tdap's). */
  descriptorNot: z.array(z.string().min(2)).optional(),
});
export type Vaccine = z.infer<typeof VaccineSchema>;

// Combination vaccines come before their parts: the longest name wins where two overlap.
const VACCINES_DATA: unknown[] = [
  { key: 'dtap_ipv_hib_hepb', label: 'DTaP-IPV-Hib-HepB', names: ['DTaP[- /]IPV[- /]Hib[- /]Hep ?B', 'Vaxelis'], components: 6, route: 'injection', descriptorWords: [['diphtheria'], ['pertussis'], ['poliovirus', 'polio'], ['haemophilus', 'hib'], ['hepatitis']] },
  { key: 'dtap_ipv_hib', label: 'DTaP-IPV/Hib', names: ['DTaP[- /]IPV[- /]Hib', 'Pentacel'], components: 5, route: 'injection', descriptorWords: [['diphtheria'], ['pertussis'], ['poliovirus', 'polio'], ['haemophilus', 'hib']], descriptorNot: ['hepatitis'] },
  { key: 'dtap_hepb_ipv', label: 'DTaP-HepB-IPV', names: ['DTaP[- /]Hep ?B[- /]IPV', 'Pediarix'], components: 5, route: 'injection', descriptorWords: [['diphtheria'], ['pertussis'], ['hepatitis'], ['poliovirus', 'polio']], descriptorNot: ['haemophilus', 'hib'] },
  { key: 'dtap_ipv', label: 'DTaP-IPV', names: ['DTaP[- /]IPV', 'Kinrix', 'Quadracel'], components: 4, route: 'injection', descriptorWords: [['diphtheria'], ['pertussis'], ['poliovirus', 'polio']], descriptorNot: ['haemophilus', 'hib', 'hepatitis'] },
  { key: 'dtap', label: 'DTaP', names: ['DTaP', 'Daptacel', 'Infanrix'], caseSensitive: true, components: 3, route: 'injection', descriptorWords: [['dtap']], descriptorNot: ['poliovirus', 'haemophilus', 'hepatitis'] },
  { key: 'tdap', label: 'Tdap', names: ['Tdap', 'TDaP', 'Boostrix', 'Adacel'], caseSensitive: true, components: 3, route: 'injection', descriptorWords: [['tdap']] },
  { key: 'td', label: 'Td', names: ['Td(?![a-z])', 'Tenivac', 'TdVax', 'tetanus[- ]diphtheria toxoids?'], caseSensitive: true, components: 2, route: 'injection', descriptorWords: [['tetanus'], ['diphtheria']], descriptorNot: ['pertussis', 'acellular'] },
  { key: 'mmrv', label: 'MMRV', names: ['MMRV', 'ProQuad'], components: 4, route: 'injection', descriptorWords: [['measles'], ['mumps'], ['rubella'], ['varicella']] },
  { key: 'mmr', label: 'MMR', names: ['MMR(?!V)', 'M-M-R', 'Priorix', 'measles[, ]+mumps(?: and|,)? rubella'], components: 3, route: 'injection', descriptorWords: [['measles'], ['mumps'], ['rubella']], descriptorNot: ['varicella'] },
  { key: 'varicella', label: 'varicella', names: ['varicella(?! zoster immune)', 'Varivax', 'chicken ?pox vaccine'], components: 1, route: 'injection', descriptorWords: [['varicella']], descriptorNot: ['measles', 'zoster'] },
  { key: 'hepa_hepb', label: 'HepA-HepB', names: ['Twinrix', 'Hep ?A[-/ ]Hep ?B'], components: 2, route: 'injection', descriptorWords: [['hepa', 'hepatitis a'], ['hepb', 'hepatitis b']] },
  { key: 'hepa', label: 'hepatitis A', names: ['hepatitis A(?! ?[-/] ?B)', 'Hep ?A(?![-/ ]Hep)(?![a-z])', 'Havrix', 'Vaqta'], components: 1, route: 'injection', descriptorWords: [['hepa', 'hepatitis a']], descriptorNot: ['hepb', 'hepatitis b'] },
  { key: 'hepb', label: 'hepatitis B', names: ['hepatitis B(?! immune)', 'Hep ?B(?![a-z])', 'Engerix', 'Recombivax', 'Heplisav', 'PreHevbrio'], components: 1, route: 'injection', medicareAdmin: 'G0010', descriptorWords: [['hepb', 'hepatitis b']], descriptorNot: ['hepa', 'hepatitis a', 'diphtheria', 'haemophilus'] },
  { key: 'hib', label: 'Hib', names: ['Hib(?![a-z])', 'ActHIB', 'PedvaxHIB', 'Hiberix', 'haemophilus influenzae type b vaccine'], components: 1, route: 'injection', descriptorWords: [['haemophilus', 'hib']], descriptorNot: ['diphtheria'] },
  { key: 'ipv', label: 'IPV (polio)', names: ['IPV(?![a-z])', 'IPOL', 'polio(?:virus)? vaccine'], components: 1, route: 'injection', descriptorWords: [['poliovirus', 'polio']], descriptorNot: ['diphtheria'] },
  { key: 'pneumococcal', label: 'pneumococcal', names: ['PCV ?(?:13|15|20|21)?(?![a-z])', 'PPSV ?23', 'pneumococcal(?: conjugate| polysaccharide)?(?: vaccine)?', 'Prevnar(?: ?\\d+)?', 'Vaxneuvance', 'Capvaxive', 'Pneumovax(?: ?23)?'], components: 1, route: 'injection', medicareAdmin: 'G0009', descriptorWords: [['pneumococcal']] },
  {
    key: 'influenza', label: 'influenza', names: ['influenza(?: virus)? vaccine', 'flu (?:shot|vaccine|vaccination)', 'Fluzone', 'Afluria', 'Flulaval', 'FluLaval', 'Fluarix', 'Flucelvax', 'Fluad', 'Flublok', 'Fluvirin', 'Agriflu'], components: 1, route: 'injection', medicareAdmin: 'G0008', descriptorWords: [['influenza']],
    hcpcsProducts: [{ name: 'agriflu', code: 'Q2034' }, { name: 'afluria', code: 'Q2035', minAge: 3 }, { name: 'flulaval', code: 'Q2036', minAge: 3 }, { name: 'fluvirin', code: 'Q2037', minAge: 3 }, { name: 'fluzone', code: 'Q2038', minAge: 3 }],
  },
  { key: 'influenza_nasal', label: 'influenza (intranasal, live)', names: ['FluMist', 'LAIV', '(?:intranasal|nasal) (?:influenza|flu) vaccine'], components: 1, route: 'intranasal', medicareAdmin: 'G0008', descriptorWords: [['influenza'], ['intranasal', 'nasal']] },
  { key: 'hpv', label: 'HPV', names: ['HPV(?![a-z])(?: ?vaccine)?', 'Gardasil(?: ?9)?', 'human papillomavirus vaccine'], components: 1, route: 'injection', descriptorWords: [['papillomavirus', 'hpv']] },
  { key: 'menacwy', label: 'MenACWY', names: ['MenACWY', 'MCV4', 'Menactra', 'Menveo', 'MenQuadfi', 'meningococcal conjugate vaccine'], components: 1, route: 'injection', descriptorWords: [['meningococcal'], ['conjugate', 'acwy', 'mcv4']] },
  { key: 'menb', label: 'MenB', names: ['MenB(?![a-z])', 'Bexsero', 'Trumenba'], components: 1, route: 'injection', descriptorWords: [['meningococcal'], ['menb', 'serogroup b', 'recombinant']] },
  { key: 'zoster', label: 'zoster (recombinant)', names: ['Shingrix', 'RZV', '(?:zoster|shingles) vaccine'], components: 1, route: 'injection', descriptorWords: [['zoster']] },
  { key: 'rsv', label: 'RSV vaccine', names: ['RSV vaccine', 'Arexvy', 'Abrysvo', 'mResvia'], components: 1, route: 'injection', descriptorWords: [['respiratory syncytial', 'rsv']], descriptorNot: ['monoclonal', 'nirsevimab'] },
  { key: 'rotavirus', label: 'rotavirus', names: ['rotavirus(?: vaccine)?', 'RotaTeq', 'Rotarix', 'RV[15](?![0-9])'], components: 1, route: 'oral', descriptorWords: [['rotavirus']] },
  { key: 'covid19', label: 'COVID-19', names: ['COVID(?:-19)? (?:vaccine|booster)', 'SARS-CoV-2 vaccine', 'Comirnaty', 'Spikevax', 'Novavax', 'mNEXSPIKE'], components: 1, route: 'injection', ownAdmin: '90480', descriptorWords: [['sars-cov-2', 'covid-19', 'coronavirus']] },
];

/** The vaccines medcode reads, validated on load: an unknown key or a bad code fails here, naming the field. */
export const VACCINES: readonly Vaccine[] = z.array(VaccineSchema).parse(VACCINES_DATA);

/** Immunization administration code numbers (CPT, as CMS prints them; HCPCS G codes are public). */
export const IMMUNIZATION_ADMIN = {
  /** Through age 18, with counselling by the physician/QHP: each vaccine's first component, then each further component. */
  counselled: { first: '90460', additionalComponent: '90461', maxAge: 18 },
  /** Percutaneous, intradermal, subcutaneous or intramuscular: first vaccine, each additional. */
  injection: { first: '90471', additional: '90472' },
  /** Intranasal or oral: first vaccine (when no injection is reported), each additional. */
  nasalOral: { first: '90473', additional: '90474' },
} as const;

/** CPT's range for vaccine and toxoid products (and the COVID-19 products' 913xx), read from a licensed file only. */
export const VACCINE_PRODUCT_CODE = /^(?:90[4-7]\d\d|913\d\d)$/;
