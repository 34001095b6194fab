// Wording cues that place note text into the MDM table's elements (./em-table.ts) and a visit into an
// E/M family. Cues are data: each list is matched case-insensitively on word boundaries. They are written
// from general documentation habits, not from any evaluation note.

import type { ProblemKind, RiskKind } from './em-table.ts';

/** Builds one case-insensitive, word-bounded alternation; a cue may itself be a regex fragment. */
export function cueRegex(cues: readonly string[], flags = 'giu'): RegExp {
  return new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${cues.join('|')})(?![\p{L}\p{N}])`, flags);
}

/** Problem kinds, tried in this order on each assessment item; the first with a live (not negated) cue wins. */
export const PROBLEM_CUES: readonly { kind: ProblemKind; cues: readonly string[] }[] = [
  {
    kind: 'threat_to_life',
    cues: [
      'septic shock', 'shock', 'sepsis', 'respiratory failure', 'cardiac arrest', 'st[ -]elevation', 'stemi', 'nstemi',
      'acute (?:coronary syndrome|mi|myocardial infarction|stroke|ischemic stroke)', 'stroke', 'intracranial (?:hemorrhage|bleed)',
      'subdural', 'pulmonary embol\\w*', 'overdose', 'poisoning', 'intentional ingestion', 'suicidal\\w*', 'suicide attempt',
      'open (?:\\w+ ){0,3}fracture', 'compartment syndrome', 'dka', 'diabetic ketoacidosis', 'threat to (?:life|bodily function)',
      'life[- ]threatening', 'gi bleed\\w*', 'hemorrhag\\w*', 'anaphyla\\w*', 'status epilepticus', '(?:[2-9]\\d|100)\\s?% tbsa',
      '(?:concussion|head injury|head trauma)[^.;]{0,30}(?:loc|loss of consciousness)',
    ],
  },
  {
    kind: 'chronic_severe',
    cues: ['severe exacerbation', 'acute on chronic', 'decompensat\\w*', 'severe flare', 'hypertensive (?:urgency|emergency)'],
  },
  {
    kind: 'acute_complicated_injury',
    cues: [
      'fracture', 'dislocation', 'subluxation', 'second[- ]degree', 'partial[- ]thickness', 'third[- ]degree', 'full[- ]thickness',
      'concussion', 'head injury', 'tendon (?:injury|laceration|rupture)', 'physeal', 'salter[- ]harris',
    ],
  },
  {
    kind: 'undiagnosed_uncertain',
    cues: [
      'undiagnosed', 'uncertain', 'unclear (?:etiology|cause)', 'etiology (?:unclear|undetermined|not yet determined)', 'not yet determined',
      'rule out', 'r/o', 'concern for', 'evaluate for', 'suspicious for', 'work-?up', 'differential', 'vs\\.?',
    ],
  },
  {
    kind: 'acute_systemic',
    cues: ['fever\\w*', 'febrile', 'systemic', 'pyelonephritis', 'pneumonia', 'bacteremia', 'rigors', 'dehydrat\\w*'],
  },
  {
    kind: 'minor',
    cues: ['self-limit\\w*', 'minor', 'warts?', 'verruca\\w*', 'insect bites?', 'cerumen', 'skin tags?', 'diaper rash', 'common cold', 'seborrheic keratos[ie]s'],
  },
];

/** Conditions that are chronic by nature; with a progression cue they become chronic_progressing. */
export const CHRONIC_CUES: readonly string[] = [
  'chronic', 'diabet\\w*', 't[12]dm', 'dm ?[12]?', 'prediabetes', 'hypertensi\\w*', 'htn', 'hyperlipidemia', 'hld', 'hypercholesterolemia',
  'dyslipidemia', 'ckd', 'copd', 'asthma', 'heart failure', 'hfref', 'hfpef', 'chf', 'cardiomyopathy', 'atrial fibrillation',
  'afib', 'a-?fib', 'cad', 'coronary artery disease', 'angina', 'hypothyroidism', 'hyperthyroidism', 'depressi\\w*', 'mdd',
  'anxiety', 'gad', 'bipolar', 'schizophrenia', 'ptsd', 'adhd', 'obesity', 'osa', 'sleep apnea', 'osteoarthritis', 'arthritis',
  'gerd', 'dependence', 'use disorder', 'aud', 'transplant', 'cirrhosis', 'epilepsy', 'seizure disorder', 'migraine\\w*', 'gout',
  'osteoporosis', 'hiv', 'hepatitis [bc]', 'psoriasis', 'dementia', 'parkinson\\w*', 'multiple sclerosis', 'lupus',
  'rheumatoid', 'crohn\\w*', 'ulcerative colitis', 'anemia', 'neuropathy', 'nephropathy', 'retinopathy', 'pain syndrome',
  'chronic pain', 'glaucoma', 'hypothyroid', 'carcinoma', 'cancer', 'gestational diabetes', 'gdm',
];

const PROVIDED_THINGS = 'cuff|meter|monitor|glucometer|supplies|prescriptions?|rx|referral|patient|medications?|meds?|pcp|provider|appointment|labs?|orders?|regimen|plan|device|inhaler|spacer|pump|cgm|sensor|brace|splint|handout|resources?';
const ADVISED_HABITS = 'exercise|activity|activities|walking|steps|fluids?|fluid intake|water(?: intake)?|fiber|protein|vegetables|sleep|hydration|physical activity';

/** Wording that an illness is worse, not at goal, or suffering a treatment side effect. */
export const PROGRESSION_CUES: readonly string[] = [
  'poorly controlled', 'uncontrolled', 'not (?:well )?controlled', 'inadequately controlled', 'not at (?:goal|target)',
  'above (?:goal|target)', 'below (?:goal|target)', 'worsen\\w*', 'worse', 'progress\\w*', 'exacerbation', 'flare', 'rising',
  'falling', 'declin\\w*', 'inadequate\\w*', 'undertreated', 'suboptimal\\w*', 'side effect\\w*', '(?:drug|medication)[- ]induced',
  'induced', 'recurrent hypoglycemia', 'hypoglycemi\\w*', 'symptomatic', 'elevated', 'over-?replaced', 'under-?replaced',
  'supratherapeutic', 'subtherapeutic', 'toxicity', 'adverse (?:effect|reaction)', 'partial(?:ly)? respon\\w*', 'despite (?:therapy|treatment)',
  // "new" and "increase" name a worse illness ("new proteinuria", "increased edema", "increase sertraline"), not
  // something provided or advised ("new BP cuff", "increase exercise"): a chronic illness so managed is stable.
  `new(?! (?:(?:bp|blood pressure|glucose) )?(?:${PROVIDED_THINGS}))`,
  `increas\\w*(?! (?:(?:daily|physical|her|his|the) )?(?:${ADVISED_HABITS}))`,
  // A measurement that rose ("A1c up to 9.4%"), not a dose range ("up to TID", "up to 2 tablets").
  String.raw`up (?:to|from) \d+(?:\.\d+)?(?! ?(?:mg|mcg|g|ml|units?|tabs?|tablets?|puffs?|caps\w*|times|x|bid|tid|qid|min\w*|hours?|days?|weeks?))`,
];

/** Assessment lines that are not problems (disposition, follow-up, counselling logistics). */
export const NON_PROBLEM_LINE = /^(?:rtc|return|follow[- ]?up|f\/u|dispo\w*|total time|time:|counsel\w*|discussed|mechanism|signed|attestation|patient (?:education|understands)|plan\b)/i;

/** Tests: key → cue. Each key is counted once (ordering includes reviewing its result). */
export const TEST_CUES: readonly { key: string; cue: string }[] = [
  { key: 'a1c', cue: '(?:hb)?a1c' }, { key: 'bmp', cue: 'bmp|basic metabolic panel|renal (?:function )?panel|electrolytes' },
  { key: 'cmp', cue: 'cmp|comprehensive metabolic panel|lfts?|liver (?:function )?(?:tests|panel)' }, { key: 'cbc', cue: 'cbc|complete blood count' },
  { key: 'tsh', cue: 'tsh' }, { key: 'free t4', cue: '(?:free )?t4' }, { key: 'lipids', cue: 'lipid panel|lipids|fasting lipid\\w*' },
  { key: 'ua', cue: 'ua|urinalysis' }, { key: 'urine culture', cue: 'urine culture' }, { key: 'blood cultures', cue: 'blood cultures?' },
  { key: 'troponin', cue: 'troponins?|trop' }, { key: 'bnp', cue: '(?:nt-?pro)?bnp' }, { key: 'lactate', cue: 'lactate|lactic acid' },
  { key: 'pth', cue: 'pth' }, { key: 'iron', cue: 'iron studies|ferritin' }, { key: 'magnesium', cue: 'magnesium|mg level' },
  { key: 'cortisol', cue: '(?:am )?cortisol' }, { key: 'uacr', cue: 'urine albumin/creatinine|uacr|microalbumin' },
  { key: 'inr', cue: 'inr|pt/inr|coags?' }, { key: 'd-dimer', cue: 'd-?dimer' }, { key: 'lipase', cue: 'lipase' },
  { key: 'hcg', cue: '(?:urine |serum )?(?:b-?)?hcg|pregnancy test' }, { key: 'drug screen', cue: 'urine drug screen|uds|drug screen|tox screen' },
  { key: 'cohb', cue: 'cohb|carboxyhemoglobin' }, { key: 'apap level', cue: 'acetaminophen level|apap level' },
  { key: 'salicylate', cue: 'salicylate level' }, { key: 'ethanol', cue: 'ethanol level|etoh level|serum alcohol' },
  { key: 'blood gas', cue: 'abg|vbg|blood gas' }, { key: 'procalcitonin', cue: 'procalcitonin' }, { key: 'crp', cue: 'crp|esr|sed rate' },
  { key: 'h pylori', cue: 'h\\.? ?pylori(?: antigen| breath test)?' }, { key: 'drug level', cue: '\\w+ (?:trough|level)' },
  { key: 'osmolality', cue: '(?:serum |urine )?osm(?:olality)?' }, { key: 'urine sodium', cue: 'urine na|urine sodium' },
  { key: 'thyroglobulin', cue: 'thyroglobulin' }, { key: 'psa', cue: 'psa' }, { key: 'vitamin d', cue: 'vitamin d(?: level)?|25-oh' },
  { key: 'ecg', cue: 'ecg|ekg|electrocardiogram' }, { key: 'cxr', cue: 'cxr|chest x-?ray|chest radiograph' },
  { key: 'echo', cue: 'echo(?:cardiogram)?|tte|tee' }, { key: 'stress test', cue: 'stress (?:echo|test)|perfusion (?:study|imaging|scan)|nuclear stress' },
  { key: 'pft', cue: 'pfts?|spirometry' }, { key: 'nst', cue: 'nst|non-?stress test' },
  { key: 'ct', cue: 'cta? (?:of the )?[\\w-]+|ct scan' }, { key: 'mri', cue: 'mri (?:of the )?[\\w-]+|mra' },
  { key: 'xr', cue: '(?:x-?rays?|xr|radiographs?) (?:of the )?[\\w-]+|[\\w-]+ (?:x-?rays?|xr|radiographs?)' },
  { key: 'us', cue: '(?:growth |renal |pelvic |abdominal |doppler |duplex )?(?:ultrasound|us)' },
];

/** Independent historian: the history came from someone other than the patient. */
export const HISTORIAN_CUES = [
  'brought (?:in )?by (?:his |her |the )?(?:mother|father|parents?|wife|husband|daughter|son|caregiver|family|ems|grandmother)',
  'per (?:his |her |the )?(?:mother|father|parents?|wife|husband|daughter|son|caregiver|family|ems|nursing home staff)',
  'history (?:obtained |provided |given )?(?:from|by) (?:his |her |the )?(?:mother|father|parents?|wife|husband|daughter|son|caregiver|family|ems)',
  'independent historian', "(?:mother|father|parent|caregiver)'s account", '(?:mother|father|parent|caregiver) reports',
];

export const EXTERNAL_NOTES_CUES = [
  'outside (?:records?|notes?|hospital records?|films?|imaging|report)', 'external (?:records?|notes?|report)',
  'records? from', 'notes? from (?:dr\\.?|her|his|the)', 'reviewed (?:the )?(?:\\w+ )?(?:consult|clinic|discharge) (?:note|summary)',
  'prior records', 'report from (?:dr\\.?|her|his|the|an? )', "(?:ophthalmology|cardiology|dietitian|ob|pcp|oncology)(?:'s)? (?:note|report)s?",
];

export const INTERPRETATION_CUES = [
  'my (?:own )?(?:interpretation|read|review of the (?:images|films|tracing))', 'independently (?:interpreted|reviewed)',
  'personally (?:reviewed|interpreted) (?:the )?(?:images|films|tracing|ecg|ekg|x-?rays?|ct|imaging)',
  'independent interpretation', 'i (?:reviewed|interpreted) the (?:images|films|tracing)', 'my interpretation',
  '(?:ecg|ekg|x-?ray|xr|ct)(?: \\w+)? (?:interpreted|read) by me', 'interpreted by me',
];

export const DISCUSSION_CUES = [
  'discussed (?:the case |management |with)(?:\\s+\\w+){0,3}? (?:dr\\.?|physician|surgeon|orthopedic\\w*|ortho|cardiology|neurosurgery|surgery|critical care|intensivist|poison control|psychiatry|nephrology|burn|oncology|on-call|gi|the \\w+ (?:team|service|fellow|attending))',
  'spoke (?:with|to) (?:dr\\.?|the on-call|poison control|\\w+ (?:surgery|attending|fellow))', 'discussed with poison control',
  'case discussed with', 'consulted (?:by phone|with dr\\.?)', 'poison control (?:was )?(?:contacted|consulted|called)', 'curbside\\w*',
];

/** Risk cues by kind; the highest live cue in the plan decides the risk element. */
export const RISK_CUES: readonly { kind: RiskKind; cues: readonly string[] }[] = [
  {
    kind: 'hospitalization_decision',
    cues: [
      'admit(?:ted)? to (?:the )?(?:[a-z/-]+ )?(?:icu|ccu|micu|sicu|picu|nicu|unit|hospital|medicine|floor|telemetry|tele|observation|obs|step-?down|hospitalist|surgery|cardiology|neurology|psychiatry|service)',
      'will admit', 'admit for', 'decision to admit', 'admission (?:to|for|is|was) (?:discussed|recommended|offered|declined|deferred|the|icu|hospital|telemetry|observation)',
      '(?:hospital )?admission discussed', 'discussed (?:hospital )?admission', 'admission (?:deferred|declined|offered|recommended)', 'admit status', 'hospitali[sz]ation (?:discussed|offered|recommended|declined|deferred|was)', 'transfer(?:red)? to (?:the )?(?:icu|micu|burn|trauma|tertiary|higher level|\\w+ (?:center|hospital))',
      'icu transfer', '(?:sent|send|transfer(?:red)?|referred) (?:directly )?to (?:the )?(?:ed|er|emergency (?:department|room))', 'for (?:hospital )?admission', 'escalat\\w+ (?:of|to) (?:care|icu)', 'observation status', 'place in observation',
    ],
  },
  { kind: 'goals_of_care', cues: ['dnr', 'dni', 'hospice', 'comfort (?:care|measures)', 'de-?escalat\\w+ (?:of )?care'] },
  {
    kind: 'emergency_major_surgery',
    cues: ['emergen\\w+ (?:surgery|operation|i&d in the or|cath\\w*|pci)', 'urgent(?:ly)? (?:surgery|operation|to the or)', 'cath lab', 'emergent (?:cardiac )?catheterization', 'to the or', 'or (?:tonight|today|emergently)', 'i&d in the or'],
  },
  // Elective major surgery is high risk only with identified patient or procedure risk factors (RISK_FACTOR_CUES).
  { kind: 'elective_major_surgery', cues: ['operative (?:management|fixation|repair)', 'surgical (?:fixation|repair|management)', 'orif', 'elective (?:\\w+ ){0,2}(?:surgery|repair|arthroplasty|replacement|\\w+ectomy)', '(?:total )?(?:knee|hip|shoulder) (?:replacement|arthroplasty)'] },
  {
    kind: 'parenteral_controlled',
    cues: ['(?:iv|im|intravenous) (?:morphine|hydromorphone|dilaudid|fentanyl|ketamine|lorazepam|midazolam|diazepam|meperidine)', '(?:morphine|hydromorphone|fentanyl|ketamine|lorazepam|midazolam)(?: \\d+(?:\\.\\d+)? ?(?:mg|mcg))? (?:iv|im)'],
  },
  {
    kind: 'intensive_monitoring',
    cues: [
      '(?:heparin|insulin|nitroglycerin|amiodarone|diltiazem) (?:drip|infusion)', 'tacrolimus', 'cyclosporine', 'sirolimus', 'lithium level',
      'vancomycin (?:trough|level)', 'acetylcysteine', 'nac (?:protocol|infusion)', 'iv nac', 'aminoglycoside', 'intensive (?:toxicity )?monitoring',
    ],
  },
  { kind: 'minor_surgery', cues: ['biopsy', 'excision', 'incision and drainage', 'i&d', 'injection (?:offered|planned|scheduled)', 'procedure (?:offered|planned|scheduled)'] },
  { kind: 'social_determinants', cues: ['cannot afford', 'unable to afford', 'cost[- ]prohibitive', 'homeless\\w*', 'housing insecurity', 'food insecurity', 'no transportation', 'uninsured'] },
];

/**
 * Identified patient or procedure risk factors, written where the surgery is decided: they raise elective
 * major surgery to high risk and minor surgery to moderate (AMA MDM table, risk of patient management).
 */
export const RISK_FACTOR_CUES = [
  'risk factors?', 'high[- ]risk (?:surgical )?(?:candidate|patient|procedure)', '(?:surgical|perioperative|peri-operative|operative|anesthe\\w+|cardiac|bleeding) risk',
  'poor (?:surgical )?candidate', 'asa (?:class )?(?:iii|iv|3|4)', 'on (?:anticoagula\\w+|warfarin|apixaban|rivaroxaban|dabigatran|clopidogrel)',
  'immunosuppress\\w*', 'risk of (?:bleeding|poor healing|infection|complications?)',
];

/** Verbs of drug management; with a prescription drug in the same sentence they make prescription_drug risk. */
export const DRUG_ACTION_CUES = [
  'start\\w*', 'initiat\\w*', 'increas\\w*', 'decreas\\w*', 'reduc\\w*', 'titrat\\w*', 'continu\\w*', 'stop\\w*', 'discontinu\\w*',
  'hold\\w*', 'held', 'switch\\w*', 'chang\\w*', 'refill\\w*', 'prescri\\w*', 'rx', 'taper\\w*', 'restart\\w*', 'resum\\w*', 'add\\w*',
  'given', 'give', 'administered', 'dose', 'x ?\\d+ days', 'bid', 'tid', 'qid', 'daily', 'qhs', 'prn', 'sent',
];

/** Drugs sold over the counter at the doses usually documented; managing only these is low risk. */
export const OTC_DRUG_CUES = [
  'acetaminophen', 'tylenol', 'ibuprofen', 'motrin', 'advil', 'naproxen', 'aleve', 'loratadine', 'cetirizine', 'fexofenadine',
  'diphenhydramine', 'benadryl', 'bacitracin', 'polysporin', 'docusate', 'senna', 'polyethylene glycol', 'miralax', 'guaifenesin',
  'saline', 'nasal saline', 'melatonin', 'vitamin \\w+', 'calcium', 'multivitamin', 'aspirin 81', 'otc', 'over[- ]the[- ]counter',
  'petrolatum', 'moisturizer', 'emollient', 'ice', 'rest', 'elevation', 'nicotine (?:patch|gum|lozenge)',
];

/**
 * Prescription drug names by common stem (USAN stems) plus frequent names without one. A dose next to a
 * management verb also counts, unless the drug is on the OTC list.
 */
export const RX_DRUG_CUES = [
  '\\w+(?:pril|sartan|olol|dipine|statin|formin|gliptin|gliflozin|glutide|glutides|tirzepatide|azole|cillin|mycin|cycline|floxacin|prazole|sone|solone|olone|azepam|azolam|oxetine|aline|afil|triptan|tidine|parin|xaban|gatran|thiazide|semide|actone|thyroxine|triol|umab|ximab|zumab|tinib|vir|conazole|profen)',
  'insulin', 'glargine', 'lispro', 'aspart', 'degludec', 'detemir', 'warfarin', 'apixaban', 'rivaroxaban', 'clopidogrel', 'amiodarone', 'digoxin',
  'furosemide', 'bumetanide', 'torsemide', 'spironolactone', 'hydralazine', 'isosorbide', 'nitroglycerin', 'ezetimibe', 'evolocumab',
  'gabapentin', 'pregabalin', 'tramadol', 'oxycodone', 'hydrocodone', 'morphine', 'buprenorphine', 'naltrexone', 'sertraline',
  'escitalopram', 'citalopram', 'bupropion', 'venlafaxine', 'duloxetine', 'mirtazapine', 'trazodone', 'hydroxyzine', 'quetiapine',
  'aripiprazole', 'lithium', 'lamotrigine', 'levetiracetam', 'prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone',
  'amoxicillin', 'augmentin', 'cephalexin', 'doxycycline', 'azithromycin', 'nitrofurantoin', 'ceftriaxone', 'levothyroxine', 'calcitriol',
  'albuterol', 'ipratropium', 'budesonide', 'fluticasone', 'tiotropium', 'montelukast', 'ondansetron', 'metoclopramide', 'colchicine',
  'allopurinol', 'meloxicam', 'ketorolac', 'cyclobenzaprine', 'methotrexate', 'tacrolimus', 'mycophenolate', 'metformin', 'sulfonylurea',
  'glipizide', 'epinephrine', 'famotidine', 'pantoprazole', 'omeprazole', 'varenicline', 'anticoagula\\w+', 'antibiotic\\w*',
  'mupirocin', 'triamcinolone', 'clobetasol', 'hydrocortisone', 'tretinoin', 'isotretinoin', 'valacyclovir', 'acyclovir',
];

export const DOSE_CUE = String.raw`\d+(?:\.\d+)?\s?(?:mg|mcg|g|units?|ml|meq|mg/kg(?:/day)?)`;

/** Visit-type cues, looked for in the note's title zone (text before the first section header). */
export const VISIT_CUES = {
  preventive: ['annual (?:preventive|physical|exam|wellness)', 'preventive (?:visit|exam|medicine)', 'well[- ]child', 'wcc', 'well[- ](?:baby|adolescent|woman|visit)', 'routine (?:physical|checkup|check-up)', 'health maintenance (?:visit|exam)', 'complete physical'],
  emergency: ['ed', 'emergency department', 'emergency room', 'er', 'emergency medicine', 'emergency physician'],
  hospitalInitial: ['admission h&p', 'admission history and physical', 'admission note', 'initial hospital', 'h&p', 'history and physical', 'admit note', 'observation admission'],
  hospitalSubsequent: ['progress note', 'hospital day \\d+', 'daily progress', 'subsequent (?:hospital|visit)', 'rounding note'],
  hospitalDischarge: ['discharge day', 'discharge note', 'discharge summary', 'day of discharge'],
  hospital: ['hospitalist', 'inpatient', 'hospital (?:day|progress|medicine|follow-?up|visit|discharge)', 'discharge day', 'observation', 'admission', 'icu', 'floor', 'rounding'],
  consult: ['consult(?:ation)?(?: note)?', 'consultation requested', 'asked to see', 'reason for consultation'],
  telemedicine: ['video visit', 'telehealth', 'telemedicine', 'audio-?video', 'virtual visit', 'via video'],
  audioOnly: ['audio[- ]only', 'telephone (?:visit|encounter|e/m)', 'phone visit', 'visit (?:conducted |done )?(?:via|by|over the) (?:tele)?phone'],
  // A visit with clinical staff only (a blood pressure check, a wound check): 99211, the one level no MDM selects.
  nurse: ['nurse visit', 'nurse[- ]only visit', 'nursing visit', 'rn visit', 'ma visit', 'clinical staff visit'],
  postop: ['post-?op(?:erative)? (?:visit|check|follow-?up)', 'global period', 'postoperative day \\d+ visit'],
  procedureOnly: ['procedure note', 'operative report', 'op note', 'laboratory report', 'infusion (?:center|visit)', 'injection visit', 'prenatal visit'],
  newPatient: ['new patient', 'new pt', 'new to (?:this|our) (?:clinic|practice)', 'establish(?:ing)? care'],
  establishedPatient: ['established patient', 'established pt', 'est\\.? pt', 'established'],
} as const;

/**
 * Total-time wordings, most explicit first: "Total time 45 minutes" wins over "I spent 8 minutes counseling"
 * elsewhere in the note. Time of a separately reported service (cessation counseling, psychotherapy, a
 * procedure) is not the visit's total time, so "spent N minutes counseling/performing" is skipped.
 */
export const TOTAL_TIME_PATTERNS: readonly RegExp[] = [
  /total (?:time|visit time|time spent)[^0-9\n]{0,40}?(\d{1,3})\s*(?:min|minutes|mins)\b/i,
  /(\d{1,3})\s*(?:min|minutes|mins) (?:of )?total(?: time)?\b/i,
  /discharge (?:time|day management)[^0-9\n]{0,30}?(\d{1,3})\s*(?:min|minutes|mins)\b/i,
  /(?:more than|greater than|>)\s*(\d{1,3})\s*(?:min|minutes|mins)\b(?=[^\n]{0,40}(?:discharge|total))/i,
  /time spent[^0-9\n]{0,40}?(\d{1,3})\s*(?:min|minutes|mins)\b(?![^\n.]{0,30}(?:counsel|psychotherapy|performing|procedure|cessation))/i,
  /(?:i )?spent (?:a total of )?(\d{1,3})\s*(?:min|minutes|mins)\b(?![^\n.]{0,30}(?:counsel|psychotherapy|performing|procedure|cessation))/i,
];
