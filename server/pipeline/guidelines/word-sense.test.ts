// The stage on its own, for the verb forms the hand-made Index slice does not match ("declines", "declined").
import { describe, expect, it } from 'vitest';
import { derivedCandidate, derivedMention, type GuidelineInput } from './types.ts';
import { GUIDELINE_KB } from './fixture-knowledge.ts';
import { applyWordSense } from './word-sense.ts';

const sentence = (text: string) => ({ index: 0, start: 0, end: text.length, text, section: 'assessment' as const });
/** `code` read from `word` where it first occurs in `text`, through the stage. */
const keeps = (text: string, word: string, code = 'R53.81') => {
  const start = text.indexOf(word);
  const candidate = derivedCandidate(code, [derivedMention(sentence(text), start, start + word.length, text, word, code)], 0.6, 'test', '');
  const input = { note: { text }, sentences: [sentence(text)], kb: GUIDELINE_KB, scored: [] } as unknown as GuidelineInput;
  return applyWordSense([candidate], input).kept.length === 1;
};

describe('"decline": the patient\'s general decline, a refusal, or one measure\'s trend', () => {
  it('a refusal is not R53.81: "declines TOLAC", "NRT offered (declined)"', () => {
    expect(keeps('Prior cesarean - declines TOLAC.', 'declines')).toBe(false);
    expect(keeps('NRT offered (declined).', 'declined')).toBe(false);
  });

  it('the patient\'s own decline is: "her health has declined", "general decline"', () => {
    expect(keeps('Her health has declined since the fall.', 'declined')).toBe(true);
    expect(keeps('General decline at home.', 'decline')).toBe(true);
  });

  it('one measure\'s trend is not: "decline in eGFR"', () => {
    expect(keeps('CKD 3b - slow decline in eGFR.', 'decline')).toBe(false);
  });

  it('weight loss as the aim of treatment is not R63.4; unexplained weight loss is', () => {
    expect(keeps('Class 3 obesity, here to discuss weight-loss treatment.', 'weight-loss', 'R63.4')).toBe(false);
    expect(keeps('Prediabetes - expect improvement with weight loss.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('Goal of 5% weight loss by June.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('Fatigue with 12 lb unintentional weight loss over 3 months.', 'weight loss', 'R63.4')).toBe(true);
    // Praised, targeted, a programme's, or what it would do: the plan for obesity, not a finding.
    expect(keeps('Obesity, class 1 - congratulated on weight loss; continue GLP-1 RA.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('NAFLD: target 7-10% weight loss.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('BMI 41.8 despite 6 months of supervised medical weight loss.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('Class 3 obesity: weight loss improves HS outcomes.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('6-kg unintentional weight loss over 2 months.', 'weight loss', 'R63.4')).toBe(true);
    // "Continue" the verb plans the loss; "continued" reports one.
    expect(keeps('MASH with F2 fibrosis. Continue weight loss.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('Reports continued weight loss of 8 lb since August.', 'weight loss', 'R63.4')).toBe(true);
    // Counselled on, advised, a target written after it; words about weight that say no loss.
    expect(keeps('Obesity, class 1 - counseled on weight loss to reduce venous symptoms.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('Obesity, class 1 - weight loss advised before considering TKA.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('Obesity, class 1, BMI 31.2 - weight loss target 7-10%.', 'weight loss', 'R63.4')).toBe(false);
    expect(keeps('CC: Weight and liver follow-up.', 'Weight and liver', 'R63.4')).toBe(false);
    // A loss before the stay, or one discussed, is the finding.
    expect(keeps('Fatigue and 15 lb weight loss before admission.', 'weight loss', 'R63.4')).toBe(true);
    expect(keeps('Discussed her 15-lb unintentional weight loss.', 'weight loss', 'R63.4')).toBe(true);
  });

  it('"ulcer … with bone necrosis", "ulcer with exposed necrotic bone" is the ulcer\'s depth, not "Ulcer, bone" (M86.8X-)', () => {
    expect(keeps('Diabetic foot ulcer of the left second toe with bone necrosis.', 'ulcer of the left second toe with bone', 'M86.8X7')).toBe(false);
    expect(keeps('Plantar ulcer with exposed necrotic bone.', 'ulcer with exposed necrotic bone', 'M86.8X7')).toBe(false);
  });

  it('"carcinoma … with malignant pleural effusion" is no tumour of the pleura (C38.4): the effusion\'s pleura', () => {
    expect(keeps('Small cell carcinoma of the left lower lobe with malignant pleural effusion.', 'carcinoma of the left lower lobe with malignant pleural', 'C38.4')).toBe(false);
    expect(keeps('Malignant pleural mesothelioma.', 'Malignant pleural', 'C45.0')).toBe(true);
  });

  it('"colon with metastases to liver": the metastases are the liver\'s, no secondary of the colon (C78.5)', () => {
    expect(keeps('Adenocarcinoma of transverse colon with metastases to liver.', 'colon with metastases', 'C78.5')).toBe(false);
    expect(keeps('Metastatic adenocarcinoma to the colon.', 'adenocarcinoma to the colon', 'C78.5')).toBe(true);
  });

  it('"basal ganglia" are the brain\'s nuclei, no ganglion cyst (M67.4-)', () => {
    expect(keeps('Nontraumatic intracerebral hemorrhage, left basal ganglia.', 'ganglia', 'M67.40')).toBe(false);
    expect(keeps('Ganglion cyst of the left wrist.', 'Ganglion', 'M67.40')).toBe(true);
  });

  it('"weak stream" is the flow of urine, not weakness (R53.1)', () => {
    expect(keeps('BPH with nocturia and weak stream.', 'weak', 'R53.1')).toBe(false);
    expect(keeps('Generalized weakness for two weeks.', 'weakness', 'R53.1')).toBe(true);
  });
});

describe('"ventricular": the site of a ventricular arrhythmia, or the rate of an atrial one', () => {
  it('"atrial fibrillation with rapid ventricular response" / "with RVR" is no ventricular fibrillation (I49.01)', () => {
    expect(keeps('Paroxysmal atrial fibrillation with rapid ventricular response.', 'fibrillation with rapid ventricular', 'I49.01')).toBe(false);
    expect(keeps('ECG: atrial fibrillation with RVR at 146.', 'fibrillation with RVR', 'I49.01')).toBe(false);
    expect(keeps('Atrial flutter, ventricular rate 150.', 'flutter, ventricular', 'I49.01')).toBe(false);
  });

  it('ventricular fibrillation is', () => {
    expect(keeps('Ventricular fibrillation arrest, shocked once.', 'Ventricular fibrillation', 'I49.01')).toBe(true);
  });
});

describe('"storm": a cataclysmic storm, or the thyrotoxic crisis', () => {
  it('"thyroid storm" is no X37.- external cause', () => {
    expect(keeps('Thyroid storm after stopping methimazole.', 'storm', 'X37.9XXA')).toBe(false);
    expect(keeps('Injured when a storm blew the roof in.', 'storm', 'X37.9XXA')).toBe(true);
  });
});

describe('"hypertension": the blood pressure, or the pressure in the skull', () => {
  it('"idiopathic intracranial hypertension" is no essential hypertension (I10)', () => {
    expect(keeps('Idiopathic intracranial hypertension - improving.', 'hypertension', 'I10')).toBe(false);
    expect(keeps('Essential hypertension, controlled.', 'hypertension', 'I10')).toBe(true);
  });
});

describe('"necrosis": gangrene, or an ulcer\'s depth', () => {
  it('"exposed necrotic bone" and "necrosis of bone" are no gangrene (I96)', () => {
    expect(keeps('Wound base with exposed necrotic bone, probe-to-bone positive.', 'necrotic', 'I96')).toBe(false);
    expect(keeps('Toe ulcer with necrosis of bone.', 'necrosis', 'I96')).toBe(false);
    // "with bone necrosis": the ulcer's depth, not diabetic gangrene (E11.52 read from "Gangrene, diabetic").
    expect(keeps('Diabetic foot ulcer of the left second toe with bone necrosis.', 'necrosis', 'I96')).toBe(false);
    expect(keeps('Diabetic foot ulcer of the left second toe with bone necrosis.', 'Diabetic foot ulcer of the left second toe with bone necrosis', 'E11.52')).toBe(false);
    expect(keeps('Dry necrosis of the left second toe.', 'necrosis', 'I96')).toBe(true);
    expect(keeps('Dry necrosis of the left second toe.', 'necrosis', 'I96')).toBe(true);
  });
});

describe('"aids": the syndrome, or a device', () => {
  it('"hearing aids" is no AIDS (B20); "AIDS" is', () => {
    expect(keeps('Presbycusis, wears hearing aids.', 'aids', 'B20')).toBe(false);
    expect(keeps('Vision rehabilitation referral for reading aids.', 'aids', 'B20')).toBe(false);
    expect(keeps('Roommate taught seizure first aid.', 'aid', 'B20')).toBe(false);
    expect(keeps('Presbycusis - hearing aid fitting.', 'aid', 'B20')).toBe(false);
    expect(keeps('AIDS diagnosed 2019.', 'AIDS', 'B20')).toBe(true);
  });

  it('"ulcer … with necrosis of bone" is the ulcer\'s depth, no osteonecrosis', () => {
    expect(keeps('Toe ulcer with necrosis of bone.', 'necrosis of bone', 'M87.9')).toBe(false);
  });
});

describe('a dose, a test, a curtain, a coronary clot', () => {
  it('"stress dosing" is no stress reaction, "blackout curtains" no syncope, "thrombotic occlusion of the LAD" no venous thrombosis', () => {
    expect(keeps('Reviewed sick-day rules and stress dosing.', 'stress', 'F43.9')).toBe(false);
    expect(keeps('Under a lot of stress at work.', 'stress', 'F43.9')).toBe(true);
    expect(keeps('Advised blackout curtains and melatonin.', 'blackout', 'R55')).toBe(false);
    expect(keeps('STEMI due to thrombotic occlusion of the proximal LAD.', 'thrombotic', 'I82.90')).toBe(false);
    expect(keeps('Convulsive syncope, not a seizure.', 'Convulsive', 'R56.9')).toBe(false);
    expect(keeps('Convulsive syncope, not a seizure.', 'Convulsive syncope, not', 'R56.9')).toBe(false);
    expect(keeps('Guttate psoriasis, post-streptococcal.', 'streptococcal', 'J02.0')).toBe(false);
    expect(keeps('Guttate psoriasis, post-streptococcal.', 'post-streptococcal', 'J02.0')).toBe(false);
  });
});
