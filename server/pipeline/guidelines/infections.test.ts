// Infections and their organisms (OCG I.C.1.b, I.C.1.d.1.a): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('the organism the note names (OCG I.C.1.d.1.a)', () => {
  it('"sepsis due to E. coli" → A41.51 from the Index subterm, not A41.9', () => {
    const out = suggest('Assessment: Septic shock due to E. coli bacteremia - sepsis due to E. coli.');
    expect(out.map((s) => s.code)).toContain('A41.51');
    expect(out.map((s) => s.code)).not.toContain('A41.9');
    expect(out.find((s) => s.code === 'A41.51')!.rationale.rules.map((r) => r.rule)).toContain('infection_organism');
  });

  it('an organism-specific code of the condition already coded: the unspecified one is not reported beside it', () => {
    const out = codes('Principal diagnosis: Sepsis due to Streptococcus pneumoniae.\nSecondary diagnoses:\n- Pneumococcal pneumonia (source of sepsis).\nSepsis criteria met with pneumonia as the source.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['A40.3', 'J13']));
    expect(out).not.toContain('A41.9');
    expect(out).not.toContain('J18.9');
  });

  it('"viral" names the kind of agent, not which: a viral UTI gets no B97.89 (Other viral agents), an E. coli UTI gets B96.20', () => {
    expect(codes('Assessment: Urinary tract infection, viral.')).not.toContain('B97.89');
    expect(codes('Assessment: Urinary tract infection due to E. coli.')).toContain('B96.20');
  });

  it('a case narrative without a diagnostic statement is left as read (CodiEsp codes J18.9 beside it)', () => {
    expect(codes('Admitted with pneumonia; culture grew pneumococcal pneumonia.', 'inpatient')).toEqual(expect.arrayContaining(['J13', 'J18.9']));
  });

  it('a gram-negative genus the Index lists under no sepsis code is "Sepsis, other gram-negative" (A41.59), and the organism code is never first', () => {
    const out = codes('Discharge diagnoses:\n1. Septic shock due to Klebsiella pneumoniae sepsis.', 'inpatient');
    expect(out[0]).toBe('A41.59');
    expect(out).not.toContain('A41.9');
    // One the Index names keeps its own code.
    expect(codes('Assessment: Sepsis due to E. coli.')).toContain('A41.51');
  });

  it('septic shock alone → A41.9 first, then R65.21; with the organism named → its sepsis code', () => {
    expect(codes('Assessment: Septic shock, source unclear.')).toEqual(['A41.9', 'R65.21']);
    expect(codes('Assessment: Septic shock from E. coli.')).toEqual(['A41.51', 'R65.21']);
  });

  it('"Haemophilus influenzae pneumonia" (British spelling) → J14; a year ("quit 2019") names no organism', () => {
    const out = codes('Hospital course: 70-year-old former smoker (quit 2019) admitted for Haemophilus influenzae pneumonia.', 'inpatient');
    expect(out).toContain('J14');
    expect(out).not.toContain('J12.82');
    expect(out).not.toContain('J18.9');
    expect(codes('Assessment: Pneumonia. Former smoker, quit 2019.')).toEqual(['J18.9', 'Z87.891']);
  });

  it('severe sepsis the provider states is R65.20 beside the sepsis code, whatever its learned prior; "no severe sepsis" is not (OCG I.C.1.d.1.b)', () => {
    expect(codes('Discharge diagnoses:\n1. Severe sepsis with acute kidney injury, no septic shock.', 'inpatient')).toEqual(expect.arrayContaining(['A41.9', 'R65.20']));
    expect(codes('Discharge diagnoses:\n1. Sepsis, source unclear; no severe sepsis.', 'inpatient')).not.toContain('R65.20');
  });

  it('"septic AKI" is no septic shock, and the course\'s "no septic shock" rules it out: R65.20, not R65.21', () => {
    const out = codes('Discharge diagnoses:\n1. Severe sepsis with acute kidney injury (septic AKI).\nHospital course: BP 96/58 responding to fluids (no vasopressors; no septic shock).', 'inpatient');
    expect(out).toContain('R65.20');
    expect(out).not.toContain('R65.21');
  });

  it('no organism named: A41.9 stays', () => {
    expect(codes('Assessment: Sepsis, source unclear.')).toEqual(['A41.9']);
  });
});

describe('organism codes B95–B97 only where the infection code lacks the organism (OCG I.C.1.b)', () => {
  it('"Klebsiella pneumoniae pneumonia" → J15.0 without B96.1', () => {
    const out = codes('Discharge diagnoses:\n1. Klebsiella pneumonia, right lower lobe.\nSputum culture: heavy growth Klebsiella.', 'inpatient');
    expect(out).toContain('J15.0');
    expect(out).not.toContain('B96.1');
  });

  it('a UTI whose note asks for the organism keeps B96.20 beside E. coli sepsis', () => {
    const out = codes('Assessment:\n1. Sepsis due to E. coli.\n2. Urinary tract infection, Escherichia coli.');
    expect(out).toEqual(expect.arrayContaining(['A41.51', 'N39.0', 'B96.20']));
  });
});

describe('the organism and resistance the infection code asks for (OCG I.C.1.b, I.C.1.c)', () => {
  it('"Acute cystitis without hematuria due to ESBL-producing E. coli" → N30.00, B96.20 (not "other" E. coli) and Z16.12', () => {
    const out = codes('Diagnoses:\n1. Acute cystitis without hematuria due to ESBL-producing E. coli.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['N30.00', 'B96.20', 'Z16.12']));
    expect(out).not.toContain('B96.29');
  });

  it('a resistance the note denies is none: "due to E. coli (not ESBL)" → N30.00 and B96.20, no Z16.12', () => {
    const out = codes('Diagnoses:\n1. Acute cystitis without hematuria due to E. coli (not ESBL).', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['N30.00', 'B96.20']));
    expect(out).not.toContain('Z16.12');
  });

  it('no organism or resistance named: the infection code alone', () => {
    expect(codes('Diagnoses:\n1. Acute cystitis without hematuria.', 'inpatient')).toEqual(['N30.00']);
  });
});

describe('a vaccine is not the disease it prevents (OCG I.C.21.c.2)', () => {
  it('"Tetanus: Tdap 2021" and "Last tetanus unknown" code no tetanus; tetanus diagnosed is coded', () => {
    expect(codes('PMH: HTN. Tetanus: Tdap 2021.\nAssessment: Laceration of L forearm without foreign body.')).not.toContain('A35');
    expect(codes('Last tetanus unknown, >10 yrs.\nAssessment: Laceration of L forearm without foreign body.')).not.toContain('A35');
    expect(codes('Assessment: Tetanus after a puncture wound.')).toContain('A35');
    expect(codes('Assessment: Tetanus despite a booster in 2015.')).toContain('A35');
    expect(codes('Assessment:\n1. Laceration of L forearm without foreign body.\n2. Immunizations today: Tdap, tetanus booster given.')).not.toContain('A35');
  });
});

describe('an organism named beside a condition of another chapter is its cause (OCG I.C.1.b)', () => {
  it('"Gastric ulcer with hemorrhage; H. pylori positive" → K25.4 and B96.81, not A04.8', () => {
    const out = codes('Discharge diagnoses:\n1. Stomach ulcer with hemorrhage - NSAID-induced; H. pylori positive.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['K25.4', 'B96.81']));
    expect(out).not.toContain('A04.8');
  });

  it('judged on the diagnosis line: other words read with the organism in the course keep B96.81, not A04.8', () => {
    const out = codes('Discharge diagnoses:\n1. Stomach ulcer with hemorrhage; H. pylori positive.\nHospital course: infection of the gastric mucosa by Helicobacter pylori, on triple therapy.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['K25.4', 'B96.81']));
    expect(out).not.toContain('A04.8');
  });

  it('the organism alone, or an infection named as such, stays a chapter-1 code', () => {
    expect(codes('Discharge diagnoses:\n1. H. pylori positive.', 'inpatient')).toEqual(['A04.8']);
  });

  it('an organism read from part of its name is the code of its whole name: "MRSA" (methicillin-resistant Staphylococcus aureus) is B95.62, not the susceptible B95.61 (OCG I.C.1.e)', () => {
    const out = codes('Assessment:\n1. MRSA vertebral osteomyelitis, lumbar (L3-L4) - responding.');
    expect(out).toEqual(expect.arrayContaining(['M46.26', 'B95.62']));
    expect(out).not.toContain('B95.61');
    // A site after a list comma ("osteomyelitis, lumbar") qualifies the condition before it.
    expect(out).not.toContain('M46.20');
    expect(codes('Assessment:\n1. Staphylococcus aureus vertebral osteomyelitis.')).toContain('B95.61');
  });

  it('a combination code that names the organism takes no B95 code beside it, even when read from part of the name first: MRSA pneumonia is J15.212 alone (OCG I.C.1.e.1)', () => {
    const out = codes('Discharge diagnoses:\n1. MRSA pneumonia, multilobar.', 'inpatient');
    expect(out).toContain('J15.212');
    expect(out).not.toContain('B95.62');
    expect(out).not.toContain('B95.61');
  });
});

describe('an organism "infection, unspecified site" beside the infection of a named site (A49 Excludes1: B95-B96)', () => {
  it('"Urinary tract infection." then "MSSA infection on urine culture." → N39.0 and B95.61, not A49.01', async () => {
    const { buildKnowledge } = await import('../knowledge.ts');
    const { ruledAt } = await import('../fixtures/ruled.ts');
    const { applyInfectionOrganisms } = await import('./infections.ts');
    const kb = buildKnowledge(
      'test',
      [
        { code: 'N39.0', billable: true, title: 'Urinary tract infection, site not specified', parent: null },
        { code: 'A49.01', billable: true, title: 'Methicillin susceptible Staphylococcus aureus infection, unspecified site', parent: null },
        { code: 'B95.61', billable: true, title: 'Methicillin susceptible Staphylococcus aureus infection as the cause of diseases classified elsewhere', parent: null },
        { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
      ],
      [],
      [],
    );
    const first = 'Urinary tract infection.';
    const text = `${first} MSSA infection on urine culture.`;
    const sentences = [
      { index: 0, start: 0, end: first.length, text: first, section: 'assessment' as const },
      { index: 1, start: first.length + 1, end: text.length, text: text.slice(first.length + 1), section: 'assessment' as const },
    ];
    const inSecond = (quote: string, code: string) => {
      const c = ruledAt(text, quote, code);
      c.evidence = c.evidence.map((m) => ({ ...m, sentenceIndex: 1 }));
      c.mentions = c.evidence;
      return c;
    };
    const run = (...kept: ReturnType<typeof ruledAt>[]) => applyInfectionOrganisms(kept, { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences, kb, scored: [] }).kept.map((c) => c.code).sort();
    expect(run(ruledAt(text, 'Urinary tract infection', 'N39.0'), inSecond('MSSA infection', 'A49.01'))).toEqual(['B95.61', 'N39.0']);
    // Beside no infection of a named site it stays.
    expect(run(ruledAt(text, 'Urinary tract infection', 'I10'), inSecond('MSSA infection', 'A49.01'))).toEqual(['A49.01', 'I10']);
  });
});
