// COPD, asthma and respiratory failure (OCG I.C.10.a, I.C.10.b): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { failureCodes } from './respiratory.ts';
import { codes } from './fixture-knowledge.ts';

describe('COPD and asthma (OCG I.C.10.a)', () => {
  it('"COPD with acute exacerbation" → J44.1, not J44.9', () => {
    const out = codes('HPI: COPD, on inhalers.\nAssessment: COPD with acute exacerbation - moderate severity, no pneumonia on CXR.');
    expect(out).toContain('J44.1');
    expect(out).not.toContain('J44.9');
  });

  it('"AECOPD" is an acute exacerbation of COPD → J44.1', () => {
    expect(codes('Assessment: AECOPD, improving.')).toEqual(['J44.1']);
  });

  it('"no exacerbation" keeps the unspecified code; asthma takes its own exacerbation sibling', () => {
    expect(codes('Assessment: COPD, stable, no exacerbation this year.')).toEqual(['J44.9']);
    expect(codes('Assessment: Mild persistent asthma with exacerbation after a cold.')).toEqual(['J45.31']);
    // A past exacerbation is none now.
    expect(codes('PMH: mild persistent asthma, last exacerbation >1 yr ago.\nAssessment: Mild persistent asthma.')).toEqual(['J45.30']);
    expect(codes('Assessment: Mild persistent asthma - not exacerbated; albuterol PRN.')).toEqual(['J45.30']);
    // "Unspecified asthma, uncomplicated" read from "asthma since childhood" is the same asthma as the statement's
    // "Mild persistent asthma, uncomplicated": both titles are defaults ("uncomplicated"), only one says "unspecified".
    expect(codes('HPI: 28F with childhood asthma.\nAssessment: Mild persistent asthma, uncomplicated. Asthma action plan given.')).toEqual(['J45.30']);
  });

  it('COPD with pneumonia → J44.0 beside the pneumonia code', () => {
    expect(codes('Discharge diagnoses:\n1. Pneumococcal pneumonia.\n2. COPD.', 'inpatient').sort()).toEqual(['J13', 'J44.0']);
  });

  it('COPD with both a lower respiratory infection and an exacerbation → J44.0 and J44.1 (both documented, both coded)', () => {
    expect(codes('Discharge diagnoses:\n1. Pneumococcal pneumonia.\n2. COPD with acute exacerbation.', 'inpatient').sort()).toEqual(['J13', 'J44.0', 'J44.1']);
    expect(codes('Discharge diagnoses:\n1. Pneumococcal pneumonia.\n2. COPD with acute lower respiratory infection and acute exacerbation.', 'inpatient').sort()).toEqual(['J13', 'J44.0', 'J44.1']);
    expect(codes('Discharge diagnoses:\n1. Pneumococcal pneumonia.\n2. COPD, no exacerbation.', 'inpatient').sort()).toEqual(['J13', 'J44.0']);
  });

  it('a parapneumonic pleural effusion is J91.8 beside the pneumonia, not J90 (J90 Excludes1 J91.-)', () => {
    const out = codes('Discharge diagnoses:\n1. Pneumococcal pneumonia.\n2. Parapneumonic pleural effusion, right.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['J13', 'J91.8']));
    expect(out).not.toContain('J90');
  });

  it('influenza without pneumonia is no lower respiratory infection: COPD beside it stays J44.9, not J44.0', () => {
    expect(codes('Assessment:\n1. Influenza, no pneumonia on CXR.\n2. COPD, stable.', 'outpatient').sort()).toEqual(['J11.1', 'J44.9']);
  });

  it('"not a separate asthma exacerbation" denies it', () => {
    expect(codes('Assessment: Mild persistent asthma - bronchospasm part of the reaction, not a separate asthma exacerbation.')).toEqual(['J45.30']);
  });
});

describe('respiratory failure from the provider\'s words (OCG I.C.10.b)', () => {
  it('"Acute hypoxic respiratory failure due to COPD exacerbation" → J96.01 and J44.1; no chronic failure from "chronic obstructive"', () => {
    const out = codes('Principal diagnosis: Acute hypoxic respiratory failure due to acute exacerbation of chronic obstructive pulmonary disease.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['J96.01', 'J44.1']));
    expect(out).not.toContain('J96.00');
    expect(out).not.toContain('J96.10');
  });

  it('reads acuity and type: acute on chronic, hypercapnic, "with hypoxia", none', () => {
    expect(failureCodes('Acute on chronic hypoxic respiratory failure')).toEqual(['J96.21']);
    expect(failureCodes('acute hypoxic and hypercapnic respiratory failure')).toEqual(['J96.01', 'J96.02']);
    expect(failureCodes('Acute respiratory failure with hypoxia')).toEqual(['J96.01']);
    expect(failureCodes('respiratory failure')).toEqual(['J96.90']);
    // "chronic" holds the letters "on": it is not "acute on chronic".
    expect(failureCodes('chronic hypoxic respiratory failure on 2 L home oxygen')).toEqual(['J96.11']);
    expect(failureCodes('chronic respiratory failure, not acute')).toEqual(['J96.10']);
    expect(failureCodes('hypoxemia on room air')).toEqual([]);
  });
});

describe('influenza due to an identified virus (OCG I.C.10.c)', () => {
  it('"Influenza A (confirmed, rapid molecular test)" is J10.1; influenza without its virus named stays J11.1; "flu A/B negative" names none', () => {
    expect(codes('Assessment: Influenza A (confirmed, rapid molecular test) with cough.')).toEqual(['J10.1']);
    expect(codes('Assessment: Influenza with cough.')).toEqual(['J11.1']);
    expect(codes('Assessment: Influenza, clinical diagnosis; influenza A negative on rapid test.')).toEqual(['J11.1']);
  });
});
