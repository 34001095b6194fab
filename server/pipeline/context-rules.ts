// ConText trigger rules (negation, uncertainty, history, family, hypothetical) as validated data.
// Modelled on NegEx (Chapman et al., J Biomed Inform 2001) and ConText (Harkema et al., J Biomed
// Inform 2009) as shipped in medspaCy's default context rules: a trigger modifies targets in its
// direction until the sentence ends or a TERMINATE trigger; PSEUDO triggers ("no change") only block
// the shorter triggers they contain. Whether "history of" a chronic condition should suppress a code
// is left to later stages: this file only classifies.

import { z } from 'zod';

export const CONTEXT_CATEGORIES = [
  'NEGATED',
  'POSSIBLE',
  'HISTORICAL',
  'FAMILY',
  'HYPOTHETICAL',
  'TERMINATE',
  'PSEUDO',
] as const;
export const CONTEXT_DIRECTIONS = ['FORWARD', 'BACKWARD', 'BIDIRECTIONAL'] as const;

const ContextRuleSchema = z.strictObject({
  /** Matched case-insensitively as whole words; a space matches any run of whitespace. */
  literal: z.string().regex(/^\S(?:.*\S)?$/, 'non-empty, no surrounding whitespace'),
  category: z.enum(CONTEXT_CATEGORIES),
  direction: z.enum(CONTEXT_DIRECTIONS),
  /** Scope limit in word tokens; without it the scope runs to the sentence end or a terminator. */
  maxScope: z.number().int().positive().optional(),
});

const ContextRuleListSchema = z
  .array(ContextRuleSchema)
  .min(1)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      const key = rule.literal.toLowerCase().replace(/\s+/g, ' ');
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', message: `duplicate literal "${rule.literal}"`, path: [i, 'literal'] });
      }
      seen.add(key);
    });
  });

export type ContextCategory = (typeof CONTEXT_CATEGORIES)[number];
export type ContextDirection = (typeof CONTEXT_DIRECTIONS)[number];
export type ContextRule = z.infer<typeof ContextRuleSchema>;

/** Validates rule data; an unknown category, direction or key throws and names what is allowed. */
export function parseContextRules(raw: unknown): readonly ContextRule[] {
  const parsed = ContextRuleListSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid context rules: ${issues}`);
  }
  return parsed.data;
}

const F = 'FORWARD';
const B = 'BACKWARD';
const BI = 'BIDIRECTIONAL';

// Kept as plain data (not typed as ContextRule) so that validation happens on load, as for any rule file.
/**
 * A relative taking part in the care, not having the condition: "shared decision with patient and son", "per
 * daughter", "wife at bedside", "brought by mother", "counseled mother on cessation". Read as FAMILY, the relative's backward scope made the patient's own "CKD 4"
 * earlier in the sentence a family history (Z84.19).
 */
const RELATIVES = ['son', 'daughter', 'wife', 'husband', 'mother', 'father', 'brother', 'sister', 'parents'];
const CARE_PARTICIPANT = RELATIVES.flatMap((r) =>
  [
    `patient and ${r}`,
    `with ${r}`,
    `with her ${r}`,
    `with his ${r}`,
    `with the ${r}`,
    `per ${r}`,
    `per her ${r}`,
    `per his ${r}`,
    `${r} at bedside`,
    `${r} at the bedside`,
    `brought by ${r}`,
    `brought in by ${r}`,
    `brought by her ${r}`,
    `brought by his ${r}`,
    `counseled ${r}`,
    `counselled ${r}`,
    `educated ${r}`,
    // The relative as the one who acts: "Mild cognitive impairment - daughter to set up locked dispenser".
    `${r} to`,
    `${r} will`,
    `${r} agrees`,
  ].map((literal) => ({
    literal,
    category: 'PSEUDO',
    direction: F,
  })),
);

const RAW_RULES: unknown = [
  // NEGATED — NegEx pre- and post-negation phrases.
  { literal: 'no', category: 'NEGATED', direction: F },
  // "not" usually negates the next few words ("not tender", "not consistent with pneumonia"), not a whole clause.
  { literal: 'not', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: 'denies', category: 'NEGATED', direction: F },
  { literal: 'denied', category: 'NEGATED', direction: F },
  { literal: 'deny', category: 'NEGATED', direction: F },
  { literal: 'denying', category: 'NEGATED', direction: F },
  { literal: 'without', category: 'NEGATED', direction: F },
  { literal: 'w/o', category: 'NEGATED', direction: F },
  { literal: 'negative for', category: 'NEGATED', direction: F },
  // "the demyelinating pattern … are inconsistent with diabetic polyneuropathy": the provider's exclusion.
  { literal: 'inconsistent with', category: 'NEGATED', direction: F },
  { literal: 'not consistent with', category: 'NEGATED', direction: F },
  { literal: 'neg for', category: 'NEGATED', direction: F },
  { literal: 'no evidence of', category: 'NEGATED', direction: F },
  { literal: 'no evidence for', category: 'NEGATED', direction: F },
  { literal: 'no signs of', category: 'NEGATED', direction: F },
  { literal: 'no sign of', category: 'NEGATED', direction: F },
  { literal: 'no history of', category: 'NEGATED', direction: F },
  { literal: 'no h/o', category: 'NEGATED', direction: F },
  { literal: 'no hx of', category: 'NEGATED', direction: F },
  { literal: 'no known', category: 'NEGATED', direction: F },
  { literal: 'never had', category: 'NEGATED', direction: F },
  // "has never smoked cigarettes regularly" (her nicotine product is an e-cigarette).
  { literal: 'never smoked', category: 'NEGATED', direction: F, maxScope: 3 },
  { literal: 'free of', category: 'NEGATED', direction: F },
  { literal: 'absence of', category: 'NEGATED', direction: F },
  { literal: 'fails to reveal', category: 'NEGATED', direction: F },
  { literal: 'ruled out for', category: 'NEGATED', direction: F },
  // A problem list's "Tic disorder - none": the condition asked about, answered no (a few words back, as "ruled out").
  // "Graves' disease itself is no longer active": not present now (its history is another code).
  { literal: 'no longer active', category: 'NEGATED', direction: B, maxScope: 5 },
  { literal: 'no longer present', category: 'NEGATED', direction: B, maxScope: 5 },
  // "acute stress disorder no longer applies" (the diagnosis replaced by PTSD).
  { literal: 'no longer applies', category: 'NEGATED', direction: B, maxScope: 5 },
  { literal: 'no longer applicable', category: 'NEGATED', direction: B, maxScope: 5 },
  // "Childhood asthma, resolved, not active".
  { literal: 'not active', category: 'NEGATED', direction: B, maxScope: 5 },
  // "DKA attributed to influenza; not due to underdosing or pump failure": the cause the provider sets aside.
  { literal: 'not due to', category: 'NEGATED', direction: F, maxScope: 5 },
  // "Orthostatic hypotension - not present.", "UTI not present."; "Pityriasis rosea considered and not favored".
  { literal: 'not present', category: 'NEGATED', direction: B, maxScope: 5 },
  // "bladder cancer not found on cystoscopy", "no source found" reads as "no": what the work-up looked for is absent.
  { literal: 'not found', category: 'NEGATED', direction: B, maxScope: 5 },
  // "does not meet GAD criteria", "sepsis criteria not met": the provider's criteria exclude it.
  { literal: 'does not meet', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'did not meet', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'does not meet criteria for', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'did not meet criteria for', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'criteria not met', category: 'NEGATED', direction: B, maxScope: 3 },
  // "criteria for generalized anxiety disorder are not met"; "Rabies exposure not a concern - vaccinated dog".
  { literal: 'are not met', category: 'NEGATED', direction: B, maxScope: 5 },
  { literal: 'were not met', category: 'NEGATED', direction: B, maxScope: 5 },
  { literal: 'not a concern', category: 'NEGATED', direction: B, maxScope: 5 },
  // "Exam does not suggest lumbar radiculopathy or peripheral neuropathy"; "labs argue against primary hyperparathyroidism".
  { literal: 'does not suggest', category: 'NEGATED', direction: F, maxScope: 6 },
  { literal: 'not suggestive of', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: 'argues against', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: 'argue against', category: 'NEGATED', direction: F, maxScope: 5 },
  // "Patient declined tubal sterilization", "refused the influenza vaccine": not done (its refusal has Z28/Z53 codes).
  { literal: 'declined', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'declines', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'refused', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'refuses', category: 'NEGATED', direction: F, maxScope: 4 },
  { literal: 'not favored', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'not diagnosed', category: 'NEGATED', direction: B, maxScope: 5 },
  // "PTH mildly elevated; not yet diagnosed as secondary hyperparathyroidism": the diagnosis named after it is not made.
  { literal: 'not diagnosed as', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: 'not yet diagnosed as', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: 'not diagnosed with', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: 'not yet diagnosed with', category: 'NEGATED', direction: F, maxScope: 5 },
  { literal: '- none', category: 'NEGATED', direction: B, maxScope: 4 },
  { literal: '- none of', category: 'PSEUDO', direction: B },
  { literal: ': none', category: 'NEGATED', direction: B, maxScope: 4 },
  // A problem list answered in a word: "Acute kidney injury: no - creatinine normal". Only a bare
  // "no" that ends its clause: "Chest x-ray: no pneumonia" is the forward "no" of what follows. Not ": negative":
  // CodiEsp's coders report the serologies a case lists ("HIV: negative"), and HIV has its own rule (hiv.ts).
  { literal: ': no -', category: 'NEGATED', direction: B, maxScope: 4 },
  { literal: ': no,', category: 'NEGATED', direction: B, maxScope: 4 },
  { literal: ': no.', category: 'NEGATED', direction: B, maxScope: 4 },
  { literal: 'ruled out', category: 'NEGATED', direction: B },
  // "Sepsis was considered on arrival but ruled out": the "but" belongs to the denial (longer literal), not a clause break.
  { literal: 'but ruled out', category: 'NEGATED', direction: B },
  { literal: 'but was ruled out', category: 'NEGATED', direction: B },
  { literal: 'but excluded', category: 'NEGATED', direction: B },
  { literal: 'has been ruled out', category: 'NEGATED', direction: B },
  { literal: 'was ruled out', category: 'NEGATED', direction: B },
  { literal: 'is ruled out', category: 'NEGATED', direction: B },
  { literal: 'been excluded', category: 'NEGATED', direction: B },
  // "Strep pharyngitis not supported (two negative tests)", "Neurogenic orthostatic hypotension not suspected": the
  // provider sets the diagnosis aside.
  { literal: 'not supported', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'not suspected', category: 'NEGATED', direction: B, maxScope: 6 },
  // "Familial hypercholesterolemia not established; no xanthomas", "Gestational diabetes is not applicable: diabetes
  // pre-dates pregnancy": the provider says the diagnosis does not hold.
  { literal: 'not established', category: 'NEGATED', direction: B, maxScope: 5 },
  { literal: 'not applicable', category: 'NEGATED', direction: B, maxScope: 5 },
  // "Irritable bowel syndrome was considered but symptoms are explained by celiac disease": considered and set aside.
  { literal: 'was considered but', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'was excluded', category: 'NEGATED', direction: B },
  // "Ectopic pregnancy excluded: intrauterine pregnancy confirmed", "GERD excluded" ("not excluded" is POSSIBLE below).
  { literal: 'excluded', category: 'NEGATED', direction: B },
  { literal: 'is negative', category: 'NEGATED', direction: B, maxScope: 4 },
  { literal: 'was negative', category: 'NEGATED', direction: B, maxScope: 4 },
  { literal: 'absent', category: 'NEGATED', direction: B, maxScope: 4 },
  // "COVID-19 and influenza testing negative", "influenza A and B all negative": a test result that rules the
  // condition out. Not "negative" alone: "Neutropenia with fever, cultures negative" negates the cultures.
  { literal: 'testing negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'tested negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'test negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'tests negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'all negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'both negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'screen negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'swab negative', category: 'NEGATED', direction: B, maxScope: 6 },
  { literal: 'PCR negative', category: 'NEGATED', direction: B, maxScope: 6 },

  // POSSIBLE — uncertainty and differential diagnosis.
  { literal: 'possible', category: 'POSSIBLE', direction: F },
  // Said after the condition, as its status: "Parkinson's disease - possible, but no supporting signs today", "UTI
  // possible." (not "… referral for possible tympanostomy tubes" nor "- possible OSA", which qualify what follows).
  { literal: 'possible,', category: 'POSSIBLE', direction: B, maxScope: 8 },
  { literal: 'possible.', category: 'POSSIBLE', direction: B, maxScope: 4 },
  { literal: 'possible;', category: 'POSSIBLE', direction: B, maxScope: 4 },
  // "SIADH considered; urine studies pending": under consideration, the clause ending on the word. Not "considered"
  // alone: "Hypertension, considered controlled" states the condition.
  { literal: 'considered;', category: 'POSSIBLE', direction: B, maxScope: 4 },
  // "Fibroids not yet confirmed; pelvic ultrasound ordered": suspected, awaiting the test.
  { literal: 'not yet confirmed', category: 'POSSIBLE', direction: B, maxScope: 4 },
  { literal: 'not confirmed', category: 'POSSIBLE', direction: B, maxScope: 4 },
  { literal: 'considered.', category: 'POSSIBLE', direction: B, maxScope: 4 },
  { literal: 'possibly', category: 'POSSIBLE', direction: F },
  { literal: 'probable', category: 'POSSIBLE', direction: F },
  { literal: 'probably', category: 'POSSIBLE', direction: F },
  { literal: 'likely', category: 'POSSIBLE', direction: BI },
  // "Acute gastroenteritis, presumed viral": the cause presumed, the condition stated (as "likely").
  { literal: 'presumed', category: 'POSSIBLE', direction: BI },
  { literal: 'presumptive', category: 'POSSIBLE', direction: F },
  // "New-onset paroxysmal AF with RVR, likely triggered by binge alcohol": the cause is the uncertain part, the
  // condition before it is stated. Forward only (the longer literal wins over "likely").
  ...['due to', 'secondary to', 'related to', 'triggered by', 'caused by', 'precipitated by', 'from'].map((link) => ({ literal: `likely ${link}`, category: 'POSSIBLE' as const, direction: F })),
  // "PE unlikely" is not a negation in ConText terms, but like any POSSIBLE finding it is not coded as certain.
  { literal: 'unlikely', category: 'POSSIBLE', direction: BI },
  { literal: 'suspected', category: 'POSSIBLE', direction: BI },
  { literal: 'suspect', category: 'POSSIBLE', direction: F },
  { literal: 'suspicious for', category: 'POSSIBLE', direction: F },
  { literal: 'suspicion for', category: 'POSSIBLE', direction: F },
  { literal: 'suspicion of', category: 'POSSIBLE', direction: F },
  { literal: 'rule out', category: 'POSSIBLE', direction: F },
  { literal: 'to rule out', category: 'POSSIBLE', direction: F },
  { literal: 'r/o', category: 'POSSIBLE', direction: F },
  { literal: 'questionable', category: 'POSSIBLE', direction: F },
  { literal: 'question of', category: 'POSSIBLE', direction: F },
  { literal: 'cannot exclude', category: 'POSSIBLE', direction: F },
  { literal: 'cannot rule out', category: 'POSSIBLE', direction: F },
  { literal: 'cannot be excluded', category: 'POSSIBLE', direction: B },
  { literal: 'cannot be ruled out', category: 'POSSIBLE', direction: B },
  { literal: 'not been ruled out', category: 'POSSIBLE', direction: B },
  { literal: 'not ruled out', category: 'POSSIBLE', direction: B },
  // "CAD not excluded given family history": the work-up is still open (OCG IV.H: not coded as established).
  { literal: 'not excluded', category: 'POSSIBLE', direction: B },
  { literal: 'not been excluded', category: 'POSSIBLE', direction: B },
  { literal: 'not yet excluded', category: 'POSSIBLE', direction: B },
  { literal: 'concern for', category: 'POSSIBLE', direction: F },
  { literal: 'concerning for', category: 'POSSIBLE', direction: F },
  { literal: 'may have', category: 'POSSIBLE', direction: F },
  { literal: 'evaluate for', category: 'POSSIBLE', direction: F },
  { literal: 'evaluation for', category: 'POSSIBLE', direction: F },
  // The alternatives of "X vs Y" are the words beside it, not the whole sentence: "obstructive jaundice with
  // weight loss, concerning for malignant obstruction (pancreatic head mass vs cholangiocarcinoma)" is
  // jaundice and weight loss documented, the two tumours uncertain.
  { literal: 'vs', category: 'POSSIBLE', direction: BI, maxScope: 4 },
  { literal: 'versus', category: 'POSSIBLE', direction: BI, maxScope: 4 },
  { literal: 'differential', category: 'POSSIBLE', direction: F },
  { literal: 'differential diagnosis', category: 'POSSIBLE', direction: F },
  { literal: 'ddx', category: 'POSSIBLE', direction: F },

  // HISTORICAL
  { literal: 'history of', category: 'HISTORICAL', direction: F },
  { literal: 'h/o', category: 'HISTORICAL', direction: F },
  { literal: 'hx of', category: 'HISTORICAL', direction: F },
  // "Hx Graves' disease treated w/ RAI 2019": the abbreviation alone, over the few words after it.
  { literal: 'hx', category: 'HISTORICAL', direction: F, maxScope: 4 },
  { literal: 'past history of', category: 'HISTORICAL', direction: F },
  { literal: 'status post', category: 'HISTORICAL', direction: F },
  { literal: 's/p', category: 'HISTORICAL', direction: F },
  { literal: 'previous', category: 'HISTORICAL', direction: F },
  { literal: 'previously', category: 'HISTORICAL', direction: F },
  { literal: 'prior', category: 'HISTORICAL', direction: F },
  { literal: 'remote', category: 'HISTORICAL', direction: F },
  // "Former tobacco dependence", "former IV drug use": what the patient no longer has (a former smoker is Z87.891).
  { literal: 'former', category: 'HISTORICAL', direction: F, maxScope: 2 },
  { literal: 'in the past', category: 'HISTORICAL', direction: B },
  { literal: 'resolved', category: 'HISTORICAL', direction: B, maxScope: 4 },

  // FAMILY — relatives modify in both directions ("Mother had breast cancer", "breast cancer in her mother").
  { literal: 'family history', category: 'FAMILY', direction: F },
  { literal: 'family history of', category: 'FAMILY', direction: F },
  { literal: 'family hx', category: 'FAMILY', direction: F },
  { literal: 'fhx', category: 'FAMILY', direction: F },
  { literal: 'fh of', category: 'FAMILY', direction: F },
  // An assessment line "FH glaucoma - IOP and nerves normal": the relative's condition, not the patient's.
  { literal: 'fh', category: 'FAMILY', direction: F, maxScope: 3 },
  { literal: 'mother', category: 'FAMILY', direction: BI },
  { literal: 'father', category: 'FAMILY', direction: BI },
  { literal: 'brother', category: 'FAMILY', direction: BI },
  { literal: 'sister', category: 'FAMILY', direction: BI },
  { literal: 'sibling', category: 'FAMILY', direction: BI },
  { literal: 'siblings', category: 'FAMILY', direction: BI },
  { literal: 'parents', category: 'FAMILY', direction: BI },
  { literal: 'grandmother', category: 'FAMILY', direction: BI },
  { literal: 'grandfather', category: 'FAMILY', direction: BI },
  { literal: 'aunt', category: 'FAMILY', direction: BI },
  { literal: 'uncle', category: 'FAMILY', direction: BI },
  { literal: 'cousin', category: 'FAMILY', direction: BI },
  { literal: 'son', category: 'FAMILY', direction: BI },
  { literal: 'daughter', category: 'FAMILY', direction: BI },
  // "Colon cancer screening - first-degree relative with colorectal cancer at 52" (not "relative" alone: a
  // "relative contraindication" is the patient's).
  { literal: 'first-degree relative', category: 'FAMILY', direction: BI },
  { literal: 'first degree relative', category: 'FAMILY', direction: BI },
  { literal: 'second-degree relative', category: 'FAMILY', direction: BI },
  { literal: 'family member', category: 'FAMILY', direction: BI },
  { literal: 'family members', category: 'FAMILY', direction: BI },

  // HYPOTHETICAL
  // What a service is for, not what the patient has: "colon cancer screening", "influenza vaccine", "Diabetes
  // Prevention Program", "goal 5-7% weight loss" (OCG I.C.21.c.12: screening; I.C.21.c.2: immunization).
  { literal: 'screening', category: 'HYPOTHETICAL', direction: B, maxScope: 3 },
  { literal: 'vaccine', category: 'HYPOTHETICAL', direction: B, maxScope: 4 },
  { literal: 'vaccination', category: 'HYPOTHETICAL', direction: B, maxScope: 4 },
  { literal: 'immunization', category: 'HYPOTHETICAL', direction: B, maxScope: 4 },
  { literal: 'immune globulin', category: 'HYPOTHETICAL', direction: B, maxScope: 2 },
  // "last tetanus booster over 10 years ago"; a vaccine named by its diseases ("tetanus-diphtheria-pertussis vaccination").
  { literal: 'booster', category: 'HYPOTHETICAL', direction: B, maxScope: 2 },
  // A list of the vaccines given ("Immunizations today: MMR, varicella, hepatitis A #1") names what they
  // prevent: its scope runs to the end of the list (";" or the sentence), OCG I.C.21.c.2.
  { literal: 'immunizations', category: 'HYPOTHETICAL', direction: F },
  { literal: 'vaccines', category: 'HYPOTHETICAL', direction: F },
  { literal: 'vaccinations', category: 'HYPOTHETICAL', direction: F },
  // …and the diseases before them where the words say what was done: "Influenza and COVID-19 vaccines up to date".
  ...['vaccines up to date', 'vaccines are up to date', 'vaccinations up to date', 'vaccinations are up to date', 'vaccines given', 'vaccines current'].map(
    (literal) => ({ literal, category: 'HYPOTHETICAL', direction: B, maxScope: 4 }) as const,
  ),
  { literal: 'prevention program', category: 'HYPOTHETICAL', direction: B, maxScope: 2 },
  // What to watch for: "labor and preeclampsia precautions reviewed", "concussion precautions", "seizure precautions".
  { literal: 'precautions', category: 'HYPOTHETICAL', direction: B, maxScope: 3 },
  // Either side: "preeclampsia warning signs (headache, visual change, RUQ pain) reviewed".
  { literal: 'warning signs', category: 'HYPOTHETICAL', direction: BI, maxScope: 6 },
  // When to come back: "when to call (fever over 100.4 F, persistent vomiting)", "RTC 4 weeks; sooner with
  // headache or vision change", "G-CSF only for fever or infection", "acetaminophen prn pain".
  { literal: 'when to call', category: 'HYPOTHETICAL', direction: F, maxScope: 6 },
  { literal: 'call for', category: 'HYPOTHETICAL', direction: F, maxScope: 4 },
  { literal: 'call if', category: 'HYPOTHETICAL', direction: F },
  { literal: 'sooner with', category: 'HYPOTHETICAL', direction: F, maxScope: 4 },
  { literal: 'sooner for', category: 'HYPOTHETICAL', direction: F, maxScope: 4 },
  { literal: 'sooner if', category: 'HYPOTHETICAL', direction: F },
  { literal: 'only for', category: 'HYPOTHETICAL', direction: F, maxScope: 3 },
  { literal: 'prn', category: 'HYPOTHETICAL', direction: F, maxScope: 2 },
  { literal: 'as needed for', category: 'HYPOTHETICAL', direction: F, maxScope: 3 },
  { literal: 'goal', category: 'HYPOTHETICAL', direction: F, maxScope: 4 },
  { literal: 'if', category: 'HYPOTHETICAL', direction: F },
  { literal: 'should', category: 'HYPOTHETICAL', direction: F },
  { literal: 'return if', category: 'HYPOTHETICAL', direction: F },
  { literal: 'return for', category: 'HYPOTHETICAL', direction: F },
  { literal: 'in case of', category: 'HYPOTHETICAL', direction: F },
  // A drug instruction's condition: "Hold for fever/infection", "hold lisinopril for SBP < 100".
  { literal: 'hold for', category: 'HYPOTHETICAL', direction: F, maxScope: 3 },
  { literal: 'risk of', category: 'HYPOTHETICAL', direction: F },
  { literal: 'at risk for', category: 'HYPOTHETICAL', direction: F },
  // "raises stroke risk", "fracture risk": a risk named by its outcome.
  { literal: 'risk', category: 'HYPOTHETICAL', direction: B, maxScope: 1 },
  // Serology: "Immune to hepatitis A", "rubella immune" (vaccinated or past infection) name the disease the antibodies
  // are about, not one the patient has. ("Susceptible to hepatitis B" is left to the immunization rule, which reads
  // the vaccine given for it.)
  { literal: 'immune to', category: 'HYPOTHETICAL', direction: F, maxScope: 3 },
  { literal: 'immune', category: 'HYPOTHETICAL', direction: B, maxScope: 1 },
  { literal: 'screening for', category: 'HYPOTHETICAL', direction: F },
  { literal: 'screen for', category: 'HYPOTHETICAL', direction: F },
  { literal: 'prophylaxis', category: 'HYPOTHETICAL', direction: B, maxScope: 3 },
  // "Rabies PEP not indicated": post-exposure prophylaxis.
  { literal: 'PEP', category: 'HYPOTHETICAL', direction: B, maxScope: 2 },
  { literal: 'prevention of', category: 'HYPOTHETICAL', direction: F },
  // A risk score's items: "CHA2DS2-VASc 4 (age, vascular disease, TIA x2)" counts a past TIA, it does not diagnose one.
  { literal: 'CHA2DS2-VASc', category: 'HYPOTHETICAL', direction: F, maxScope: 12 },
  { literal: 'HAS-BLED', category: 'HYPOTHETICAL', direction: F, maxScope: 12 },
  // What a drug is for: "aspirin 81 mg for thrombosis prevention", "apixaban for stroke prevention".
  { literal: 'prevention', category: 'HYPOTHETICAL', direction: B, maxScope: 2 },

  // TERMINATE — end the scope of every trigger before (forward) or after (backward) them.
  { literal: 'but', category: 'TERMINATE', direction: BI },
  { literal: 'however', category: 'TERMINATE', direction: BI },
  { literal: 'although', category: 'TERMINATE', direction: BI },
  { literal: 'though', category: 'TERMINATE', direction: BI },
  { literal: 'yet', category: 'TERMINATE', direction: BI },
  { literal: 'nevertheless', category: 'TERMINATE', direction: BI },
  { literal: 'except', category: 'TERMINATE', direction: BI },
  { literal: 'aside from', category: 'TERMINATE', direction: BI },
  { literal: 'apart from', category: 'TERMINATE', direction: BI },
  { literal: 'which', category: 'TERMINATE', direction: BI },
  { literal: 'who', category: 'TERMINATE', direction: BI },
  { literal: 'accompanied by', category: 'TERMINATE', direction: BI },
  { literal: 'presents', category: 'TERMINATE', direction: BI },
  { literal: 'presented', category: 'TERMINATE', direction: BI },
  { literal: 'presenting', category: 'TERMINATE', direction: BI },
  { literal: 'presents with', category: 'TERMINATE', direction: BI },
  { literal: 'complains of', category: 'TERMINATE', direction: BI },
  { literal: 'consulted', category: 'TERMINATE', direction: BI },
  { literal: 'consults', category: 'TERMINATE', direction: BI },
  { literal: 'complained of', category: 'TERMINATE', direction: BI },
  { literal: 'complaining of', category: 'TERMINATE', direction: BI },
  { literal: 'came to', category: 'TERMINATE', direction: BI },
  { literal: 'comes to', category: 'TERMINATE', direction: BI },
  { literal: 'was admitted', category: 'TERMINATE', direction: BI },
  { literal: 'is admitted', category: 'TERMINATE', direction: BI },
  { literal: 'was referred', category: 'TERMINATE', direction: BI },
  { literal: 'is referred', category: 'TERMINATE', direction: BI },
  { literal: 'c/o', category: 'TERMINATE', direction: BI },
  { literal: 'p/w', category: 'TERMINATE', direction: BI },
  { literal: 'reports', category: 'TERMINATE', direction: BI },
  { literal: 'endorses', category: 'TERMINATE', direction: BI },
  { literal: 'admits', category: 'TERMINATE', direction: BI },
  { literal: 'secondary to', category: 'TERMINATE', direction: BI },
  { literal: 'due to', category: 'TERMINATE', direction: BI },
  { literal: 'because', category: 'TERMINATE', direction: BI },
  { literal: 'cause of', category: 'TERMINATE', direction: BI },
  { literal: 'etiology of', category: 'TERMINATE', direction: BI },
  { literal: 'source of', category: 'TERMINATE', direction: BI },
  { literal: 'reason for', category: 'TERMINATE', direction: BI },

  // PSEUDO — look like triggers but are not; they occupy their span so the shorter trigger never fires.
  // Not an uncertain diagnosis: "as soon as possible", "if possible", "when possible" (else "possible." would look back).
  ...['as soon as possible', 'if possible', 'when possible', 'whenever possible', 'where possible', 'as much as possible', 'as possible'].map((literal) => ({ literal, category: 'PSEUDO' as const, direction: F })),
  { literal: 'no increase', category: 'PSEUDO', direction: F },
  { literal: 'no change', category: 'PSEUDO', direction: F },
  { literal: 'no significant change', category: 'PSEUDO', direction: F },
  { literal: 'no interval change', category: 'PSEUDO', direction: F },
  { literal: 'no suspicious change', category: 'PSEUDO', direction: F },
  { literal: 'no definite change', category: 'PSEUDO', direction: F },
  { literal: 'not only', category: 'PSEUDO', direction: F },
  { literal: 'not necessarily', category: 'PSEUDO', direction: F },
  { literal: 'not certain if', category: 'PSEUDO', direction: F },
  { literal: 'not extend', category: 'PSEUDO', direction: F },
  { literal: 'without difficulty', category: 'PSEUDO', direction: F },
  // The WHO's dengue classes ("Dengue fever without warning signs"): a finding, not the advice "warning signs reviewed".
  { literal: 'without warning signs', category: 'PSEUDO', direction: F },
  { literal: 'with warning signs', category: 'PSEUDO', direction: F },
  { literal: 'gram negative', category: 'PSEUDO', direction: F },
  { literal: 'gram-negative', category: 'PSEUDO', direction: F },
  // "prior to admission", "in the previous days": the time of the present illness, not past history.
  { literal: 'prior to', category: 'PSEUDO', direction: F },
  { literal: 'previous day', category: 'PSEUDO', direction: F },
  { literal: 'previous days', category: 'PSEUDO', direction: F },
  { literal: 'previous week', category: 'PSEUDO', direction: F },
  { literal: 'previous weeks', category: 'PSEUDO', direction: F },
  { literal: 'previous month', category: 'PSEUDO', direction: F },
  { literal: 'previous months', category: 'PSEUDO', direction: F },
  { literal: 'previous hours', category: 'PSEUDO', direction: F },
  { literal: 'history of present illness', category: 'PSEUDO', direction: F },
  // "a 2-month history of fever", "a 20-year history of diabetes": the duration of a present condition.
  { literal: 'hour history of', category: 'PSEUDO', direction: F },
  { literal: 'hours history of', category: 'PSEUDO', direction: F },
  { literal: 'day history of', category: 'PSEUDO', direction: F },
  { literal: 'days history of', category: 'PSEUDO', direction: F },
  { literal: 'week history of', category: 'PSEUDO', direction: F },
  { literal: 'weeks history of', category: 'PSEUDO', direction: F },
  { literal: 'month history of', category: 'PSEUDO', direction: F },
  { literal: 'months history of', category: 'PSEUDO', direction: F },
  { literal: 'year history of', category: 'PSEUDO', direction: F },
  { literal: 'years history of', category: 'PSEUDO', direction: F },
  { literal: 'history and physical', category: 'PSEUDO', direction: F },
  { literal: 'social history', category: 'PSEUDO', direction: F },
  { literal: 'vs:', category: 'PSEUDO', direction: F },
  { literal: 'if needed', category: 'PSEUDO', direction: F },
  // "Type 2 diabetes — risk factor for delayed wound healing": the condition is the patient's.
  { literal: 'risk factor', category: 'PSEUDO', direction: F },
  { literal: 'risk factors', category: 'PSEUDO', direction: F },
  { literal: 'son-in-law', category: 'PSEUDO', direction: F },
  ...CARE_PARTICIPANT,
];

/** The default rule set, validated when this module loads. */
export const DEFAULT_CONTEXT_RULES: readonly ContextRule[] = parseContextRules(RAW_RULES);
