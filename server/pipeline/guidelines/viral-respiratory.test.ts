// Influenza with another organism's pneumonia (Index: Influenza, with, pneumonia, specified type NEC) and COVID-19 with
// acute bronchitis (OCG I.C.1.g.1.c): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes } from './fixture-knowledge.ts';

describe('influenza with a pneumonia of another organism', () => {
  it('"Influenza A with pneumonia … MRSA" → J10.08 beside J15.212, not J10.00', () => {
    expect(codes('Assessment:\n1. Influenza A with pneumonia, sputum grew methicillin resistant Staphylococcus aureus.', 'inpatient').sort()).toEqual(['J10.08', 'J15.212']);
  });

  it('influenza with pneumonia and no other organism stays "unspecified type of pneumonia"', () => {
    expect(codes('Assessment:\n1. Influenza A with pneumonia.', 'inpatient')).toEqual(['J10.00']);
  });
});

describe('COVID-19 with acute bronchitis', () => {
  it('"COVID-19 with acute bronchitis" → U07.1 and J20.8, not J20.9', () => {
    expect(codes('Assessment:\n1. COVID-19 with acute bronchitis.').sort()).toEqual(['J20.8', 'U07.1']);
  });

  it('acute bronchitis without COVID-19 stays J20.9', () => {
    expect(codes('Assessment:\n1. Acute bronchitis.')).toEqual(['J20.9']);
  });
});
