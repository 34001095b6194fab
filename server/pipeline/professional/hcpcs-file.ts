// HCPCS Level II drug descriptors read as data: the drug words and the billing unit each J code is
// counted in ("Injection, ketorolac tromethamine, per 15 mg" → ketorolac, 15 mg per unit).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHcpcsCsv } from '../../codes/hcpcs-csv.ts';
import { readCodeSetFile } from '../../codes/read-files.ts';
import { SHIPPED_RELEASES } from '../../codes/releases.ts';
import type { CodeRecord } from '../../codes/types.ts';
import { SUPPLY_CODES } from './supply-table.ts';

export type DoseUnit = 'mg' | 'mcg' | 'g' | 'units' | 'ml' | 'meq';

export interface HcpcsDrug {
  code: string;
  description: string;
  /** Lower-case words of the drug part of the descriptor (before the billing amount). */
  words: string[];
  /** Drug names the code can be found by: the first word, and the first word after "and" in combinations. */
  keys: string[];
  /** Billing unit per drug key: "up to 2.5 mg" and "per 15 mg" both give one unit per that amount. */
  unitByKey: Record<string, { amount: number; unit: DoseUnit }>;
  /** Injection (IM/IV/SC) or inhalation solution (through DME, i.e. a nebulizer). */
  route: 'injection' | 'inhalation';
}

const UNIT_WORDS: Record<string, DoseUnit> = {
  mg: 'mg', milligram: 'mg', milligrams: 'mg', mcg: 'mcg', microgram: 'mcg', micrograms: 'mcg', gm: 'g', g: 'g', gram: 'g', grams: 'g',
  unit: 'units', units: 'units', ml: 'ml', cc: 'ml', meq: 'meq',
};
const AMOUNT = /(?:per |up to )?(\d+(?:\.\d+)?)?\s*(milligrams?|micrograms?|mg|mcg|gm|grams?|units?|ml|meq)\b/i;

/** Normalises a written dose unit ("microgram", "mcg", "units") to a DoseUnit, or null. */
export function toDoseUnit(word: string): DoseUnit | null {
  return UNIT_WORDS[word.toLowerCase()] ?? null;
}

/**
 * Reads one HCPCS record as a drug, or null when it is not a drug given by injection or inhalation.
 * Example: "Injection, furosemide, 1 mg" → { keys: ['furosemide'], unitByKey: { furosemide: { amount: 1, unit: 'mg' } } }.
 */
export function parseDrugDescriptor(record: Pick<CodeRecord, 'code' | 'longDesc'>): HcpcsDrug | null {
  if (!/^J\d{4}$/.test(record.code)) return null;
  const desc = record.longDesc.toLowerCase().replace(/non-compounded/g, 'noncompounded');
  const inhalation = /inhalation solution|administered through dme/.test(desc);
  const injection = desc.startsWith('injection,');
  if (!inhalation && !injection) return null;
  const body = injection ? desc.slice('injection,'.length) : desc;
  // Drug parts: "albuterol, up to 2.5 mg and ipratropium bromide, up to 0.5 mg, …" has two.
  const parts = body.split(/\band\b/).map((p) => p.trim()).filter(Boolean);
  const unitByKey: HcpcsDrug['unitByKey'] = {};
  const keys: string[] = [];
  for (const part of parts) {
    const key = /^[a-z]{2,}/.exec(part)?.[0];
    if (!key || ['per', 'up', 'each', 'not'].includes(key)) continue;
    const amount = AMOUNT.exec(part);
    const unit = amount ? toDoseUnit(amount[2]!) : null;
    keys.push(key);
    if (amount && unit) unitByKey[key] = { amount: Number(amount[1] ?? '1'), unit };
  }
  if (keys.length === 0 || Object.keys(unitByKey).length === 0) return null;
  const words = [...new Set(desc.replace(/^injection,/, '').match(/[a-z][a-z-]*[a-z]|[a-z]/g) ?? [])];
  return { code: record.code, description: record.longDesc, words, keys, unitByKey, route: inhalation ? 'inhalation' : 'injection' };
}

export interface HcpcsDrugFile {
  drugs: HcpcsDrug[];
  /** Vaccine products and Medicare vaccine administration codes active in the release (code → descriptor). */
  immunization: ReadonlyMap<string, string>;
  /** The supplies and DME items of supply-table.ts active in the release (code → descriptor). */
  supplies: ReadonlyMap<string, string>;
  /** "HCPCS 2025-10": the release the drugs were read from. */
  version: string;
}

// G0008–G0010: Medicare influenza / pneumococcal / hepatitis B administration; Q2034–Q2039: influenza products.
const IMMUNIZATION_CODE = /^(?:G00(?:08|09|10)|Q203[4-9])$/;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The HCPCS drugs active on `activeOn`, from the release shipped in data/codesets. */
export function loadHcpcsDrugs(activeOn = '2025-10-01', dir = path.join(REPO_ROOT, 'data/codesets')): HcpcsDrugFile {
  const release = SHIPPED_RELEASES.find((r) => r.system === 'HCPCS');
  if (!release) throw new Error('no HCPCS release is configured in server/codes/releases.ts');
  const file = path.join(dir, release.files['csv']!);
  const { records } = parseHcpcsCsv(readCodeSetFile(file), file, activeOn);
  return {
    drugs: records.map(parseDrugDescriptor).filter((d): d is HcpcsDrug => d !== null),
    immunization: new Map(records.filter((r) => IMMUNIZATION_CODE.test(r.code)).map((r) => [r.code, r.longDesc])),
    supplies: new Map(records.filter((r) => SUPPLY_CODES.has(r.code)).map((r) => [r.code, r.longDesc])),
    version: `HCPCS ${release.version}`,
  };
}
