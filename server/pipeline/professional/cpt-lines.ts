// CPT procedure lines of a note: the rule-based procedures (./cpt-procedures.ts) and the procedures named in
// its procedure lines matched against the licensed descriptors (./cpt-file.ts), with their modifiers
// (./procedure-modifiers.ts). Only codes in the imported licensed file become lines, shown with its
// descriptor; without a file the coder gets a notice naming what was documented, and no line.

import type { NoteInput } from '../types.ts';
import { type CptKnowledge, licensedFinding, matchDescriptors } from './cpt-file.ts';
import { type ProcedureFinding, procedureFindings } from './cpt-procedures.ts';
import { applyProcedureModifiers } from './procedure-modifiers.ts';
import type { ProcedureLine } from './types.ts';

export const NO_CPT_FILE = 'CPT procedure suggestions are off: no licensed CPT file is imported for this date of service (medcode ships no AMA descriptors; import one with `medcode codes import-cpt <file>`).';

/** What a finding is, in words, for a notice without code numbers. */
const RULE_NAMES: Readonly<Record<ProcedureFinding['rule'], string>> = {
  repair: 'wound repair',
  excision: 'lesion excision',
  excision_repair: 'repair of an excision defect',
  destruction: 'destruction of premalignant lesions',
  joint_injection: 'joint injection/arthrocentesis',
  infusion: 'IV infusion/hydration',
  incision_drainage: 'incision and drainage',
  nail_avulsion: 'nail avulsion',
  cerumen: 'cerumen removal',
  splint: 'splint application',
  office_test: 'in-office test (ECG, spirometry, screening instrument)',
  descriptor: 'procedure',
};

export interface CptLines {
  lines: ProcedureLine[];
  /** For the coder: why no CPT procedure line was suggested (no file, or a code missing from it). */
  notices: string[];
}

/**
 * CPT procedure lines for a professional or outpatient note. Example, with a licensed file:
 * "intermediate repair 4 cm of the hand" → 12042 × 1 with the file's descriptor; without one → no line and
 * the notice "CPT procedure suggestions are off … documented: wound repair".
 */
export function suggestCptLines(note: NoteInput, cpt: CptKnowledge | null | undefined, options: { facilitySupplied?: boolean } = {}): CptLines {
  if (note.encounter.setting === 'inpatient') return { lines: [], notices: [] }; // a facility inpatient claim codes ICD-10-PCS
  const found = procedureFindings(note.text, options);
  if (!cpt) {
    const documented = [...new Set(found.map((f) => RULE_NAMES[f.rule]))];
    return { lines: [], notices: documented.length ? [`${NO_CPT_FILE} Documented: ${documented.join(', ')}.`] : [] };
  }
  const matched: ProcedureFinding[] = matchDescriptors(note.text, cpt)
    // A phrase a rule already coded stays the rule's: a descriptor match there would second-guess its size and site.
    .filter((m) => !m.evidence.some((e) => found.some((f) => f.evidence.some((r) => r.start < e.end && e.start < r.end))))
    .map((m) => ({ code: m.code, units: 1, rule: 'descriptor', reasons: [`"${m.phrase}" matches the licensed descriptor (coverage ${m.score.toFixed(2)})`], evidence: m.evidence, modifiers: [], repeat: m.repeat, side: undefined }));
  const notices: string[] = [];
  const lines: ProcedureLine[] = [];
  for (const f of applyProcedureModifiers([...found, ...matched])) {
    const licensed = licensedFinding(f, cpt);
    if ('missing' in licensed) {
      notices.push(licensed.missing);
      continue;
    }
    lines.push({
      system: 'CPT',
      code: f.code,
      units: f.units,
      description: licensed.descriptor,
      evidence: f.evidence,
      reminders: [...f.reasons, ...f.modifiers.map((m) => m.reason)],
      modifiers: f.modifiers.map((m) => m.code),
      diagnosisPointers: [],
      rule: `cpt_${f.rule}`,
    });
  }
  return { lines, notices };
}
