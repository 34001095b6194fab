// OCG I.C.14.a — chronic kidney disease is classified by severity, stages 1–5 (N18.1–N18.5). US notes write
// the stage right after the condition without the word the Index path needs ("Disease, kidney, chronic, stage
// 3a" → N18.31): "CKD 3a", "CKD IV", "chronic kidney disease 3b". Read that way, N18.9 (unspecified) would
// stand where the stage is documented (OCG I.B.2), and the hypertension and diabetes combinations would lose it.
import type { Dropped, RuledCandidate } from '../rules.ts';
import { romanValue } from '../tokens.ts';
import type { GuidelineInput, StageResult } from './types.ts';

const STAGE_CODES: Readonly<Record<string, string>> = { '1': 'N18.1', '2': 'N18.2', '3': 'N18.30', '3a': 'N18.31', '3b': 'N18.32', '4': 'N18.4', '5': 'N18.5' };

/** "3a" → "3a", "IIIb" → "3b", "IV" → "4". */
function stageOf(written: string): string {
  const [, numeral = written, letter = ''] = written.match(/^(i{1,3}|iv|v)([ab]?)$/i) ?? [];
  return `${romanValue(numeral) ?? numeral}${letter}`.toLowerCase();
}

/** The stage written right after the condition: "3a", "IV", ", stage 4"; not a duration ("3 years") or "2/2". */
const STAGE_AFTER = /^\s*,?\s*(?:stage\s*)?(3a|3b|iiia|iiib|[1-5]|iv|v|i{1,3})(?![\w/-])(?!\.\d|\.e\b)(?!\s*(?:y|yrs?|years?|mo|months?|wks?|weeks?|d|days?)\b)/i;

/** Example: "AKI on CKD 3a" → N18.31, not N18.9. */
export function applyCkdStage(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const out: RuledCandidate[] = [];
  for (const c of kept) {
    // "type 2 diabetic CKD stage 3b": the "2" of "type 2" read as CKD stage 2 (N18.2) is the diabetes type's number.
    if (/^N18\.[1-5]/.test(c.code) && c.evidence.length > 0 && c.evidence.every((m) => /^\d/.test(m.span.quote) && /\btype\s*$/i.test(input.note.text.slice(Math.max(0, m.span.start - 6), m.span.start)))) {
      dropped.push({ code: c.code, reason: `"${c.evidence[0]!.span.quote}": the number is the diabetes type's, not the stage (OCG I.C.14.a)` });
      continue;
    }
    if (c.code !== 'N18.9') {
      out.push(c);
      continue;
    }
    const staged = c.evidence.map((m) => input.note.text.slice(m.span.end, m.span.end + 16).match(STAGE_AFTER)).find((m) => m);
    const code = staged && STAGE_CODES[stageOf(staged[1]!)];
    if (!code || !input.kb.codes.get(code)?.billable) {
      out.push(c);
      continue;
    }
    dropped.push({ code: c.code, reason: `the stage is documented ("${staged![0].trim()}"): ${code} (OCG I.C.14.a, I.B.2)` });
    if (kept.some((o) => o.code === code)) continue;
    out.push({ ...c, code, rules: [...c.rules, { rule: 'ckd_stage', detail: `N18.9 → ${code}: the stage written after the condition ("${staged![0].trim()}"; OCG I.C.14.a)` }] });
  }
  return { kept: out, dropped };
}
