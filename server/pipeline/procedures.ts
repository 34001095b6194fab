// Procedures (ICD-10-PCS): a procedure named in the note ("chest X-ray", "abdominal ultrasound", "brain MRI",
// "colonoscopy") → the PCS code whose title says the same thing ("Plain Radiography of Chest" BW03ZZZ).
// PCS titles are built from the code's axes (root operation or imaging type, body part, contrast,
// approach), so a procedure is found by its modality words plus the body-part words around them. Written by
// hand, because it is domain logic: the note words that name each PCS modality or root operation (PCS_CUES),
// and the organ adjectives that name PCS body parts (BODY_WORDS). Codes come only from the release's valid
// codes; ICD-10-PCS is reported for hospital inpatient procedures only (UHDDS; outpatient and professional
// claims use CPT/HCPCS), so the engine proposes PCS codes for inpatient encounters only.
import { FREE_EXTRAS, stems } from '../index/lexical-score.ts';
import type { AnalysedSentence } from './candidates.ts';
import { applyContext } from './context.ts';
import { buildTermIndex, type IndexedTerm, type TermIndex } from './term-index.ts';
import type { ContextStatus, EvidenceSpan } from './types.ts';

export interface ProcedureKnowledge {
  version: string;
  titles: Map<string, string>;
  index: TermIndex;
}

/** Valid (7-character) codes of one ICD-10-PCS release and their titles. */
export function buildProcedureKnowledge(version: string, codes: readonly { code: string; title: string }[]): ProcedureKnowledge {
  const valid = codes.filter((c) => c.code.length === 7);
  return {
    version,
    titles: new Map(valid.map((c) => [c.code, c.title])),
    index: buildTermIndex(valid.map((c) => ({ code: c.code, kind: 'title', text: c.title }))),
  };
}

interface Cue {
  /** Name of the modality or operation, part of the learned key. */
  name: string;
  pattern: RegExp;
  /** Words every matching PCS title has. */
  title: string;
  /** Whether the body part must be named too (a bare "X-ray" names no code). */
  needsBody: boolean;
}

/** Note words for PCS imaging types and common root operations (ICD-10-PCS Reference Manual, sections B, 0, 4, 5). */
const PCS_CUES: Cue[] = [
  { name: 'radiography', pattern: /\b(x-?rays?|radiograph(?:y|s|ic)?|radiological (?:study|examination))\b/gi, title: 'plain radiography', needsBody: true },
  { name: 'ct', pattern: /\b(CT|CAT|computed tomography|computeri[sz]ed (?:axial )?tomography|tomography|scanner)\b/g, title: 'computerized tomography', needsBody: true },
  { name: 'ultrasound', pattern: /\b(ultrasound|ultrasonograph\w*|sonograph\w*|echograph\w*|ecograph\w*|ultrasonic study)\b/gi, title: 'ultrasonography', needsBody: true },
  { name: 'mri', pattern: /\b(MRI|MR|NMR|magnetic resonance(?: imaging)?)\b/g, title: 'magnetic resonance imaging', needsBody: true },
  { name: 'echocardiography', pattern: /\b(echocardiogra\w*)\b/gi, title: 'ultrasonography heart', needsBody: false },
  { name: 'ecg', pattern: /\b(electrocardiogra\w*|ECG|EKG)\b/g, title: 'measurement cardiac electrical activity', needsBody: false },
  { name: 'colonoscopy', pattern: /\b(colonoscop\w*)\b/gi, title: 'inspection lower intestinal tract endoscopic', needsBody: false },
  { name: 'gastroscopy', pattern: /\b(gastroscop\w*|upper (?:digestive |gastrointestinal )?endoscop\w*|esophagogastroduodenoscop\w*|EGD)\b/gi, title: 'inspection stomach endoscopic', needsBody: false },
  { name: 'cystoscopy', pattern: /\b(cystoscop\w*)\b/gi, title: 'inspection bladder endoscopic', needsBody: false },
  { name: 'dialysis', pattern: /\b(hemodialysis|haemodialysis|dialysis)\b/gi, title: 'performance urinary filtration', needsBody: false },
  { name: 'fundoscopy', pattern: /\b(fundoscop\w*|ophthalmoscop\w*|fundus (?:of the eye )?(?:examination|exam))\b/gi, title: 'inspection eye external', needsBody: false },
];

/** Note adjectives → PCS body-part words (PCS titles name the organ: "of Chest", "of Abdomen", "of Kidney"). */
const BODY_WORDS: Record<string, string[]> = {
  thoracic: ['chest'], thorax: ['chest'], chest: ['chest'], pulmonary: ['chest'], lung: ['chest'],
  abdominal: ['abdomen'], abdomen: ['abdomen'], abdominopelvic: ['abdomen', 'pelvi'], pelvic: ['pelvi'], pelvis: ['pelvi'],
  cranial: ['head'], skull: ['head'], head: ['head'], brain: ['brain'], cerebral: ['brain'], encephalic: ['brain'],
  renal: ['kidney'], kidney: ['kidney'], urinary: ['urinary'], bladder: ['bladder'], vesical: ['bladder'],
  hepatic: ['liver'], liver: ['liver'], scrotal: ['scrotum'], scrotum: ['scrotum'], testicular: ['testicle'], testicle: ['testicle'],
  thyroid: ['thyroid'], cervical: ['cervical'], lumbar: ['lumbar'], spine: ['spine'], spinal: ['spinal'], dorsal: ['thoracic'],
  cardiac: ['heart'], heart: ['heart'], breast: ['breast'], mammary: ['breast'], prostate: ['prostate'], prostatic: ['prostate'],
  knee: ['knee'], hip: ['hip'], shoulder: ['shoulder'], hand: ['hand'], foot: ['foot'], neck: ['neck'], sinus: ['sinu'], orbit: ['orbit'],
};

/** Procedures planned or requested are not coded: PCS codes what was performed. */
const PLANNED = /\b(scheduled|planned|will (?:be|undergo)|to be performed|requested|pending|was ordered|indicated)\b/i;

/** Words read around the cue, in the same clause. */
const BEFORE = 4;
const AFTER = 5;

export interface ProcedureCandidate {
  code: string;
  title: string;
  /** The learned key: modality and body words ("ct|chest"). */
  key: string;
  cue: string;
  /** Lexical coverage of the title by modality + body words, in [0, 1]. */
  match: number;
  span: EvidenceSpan;
  sentenceIndex: number;
  context: ContextStatus;
}

/** Procedure mentions of the note mapped to PCS codes, one per mention (the best-matching title). */
export function procedureCandidates(text: string, sentences: readonly AnalysedSentence[], pk: ProcedureKnowledge): ProcedureCandidate[] {
  const out: ProcedureCandidate[] = [];
  for (const s of sentences) {
    for (const cue of PCS_CUES) {
      cue.pattern.lastIndex = 0;
      for (let m = cue.pattern.exec(s.text); m; m = cue.pattern.exec(s.text)) {
        const clauseStart = Math.max(s.text.lastIndexOf(',', m.index), s.text.lastIndexOf(';', m.index), s.text.lastIndexOf(':', m.index)) + 1;
        const after = s.text.slice(m.index + m[0].length).search(/[,;:]/);
        const clauseEnd = after < 0 ? s.text.length : m.index + m[0].length + after;
        if (PLANNED.test(s.text.slice(clauseStart, clauseEnd))) continue;
        const body = bodyWords(s.text, clauseStart, clauseEnd, m.index, m.index + m[0].length);
        if (cue.needsBody && body.words.length === 0) continue;
        const hit = bestTitle(pk, cue, body.words);
        if (!hit) continue;
        const start = Math.min(m.index, body.start ?? m.index);
        const end = Math.max(m.index + m[0].length, body.end ?? 0);
        const [ctx] = applyContext(s.text, [{ start, end }], { section: s.section });
        out.push({
          code: hit.term.code,
          title: hit.term.text,
          key: `${cue.name}|${[...new Set(body.words)].sort().join(' ')}`,
          cue: cue.name,
          match: hit.score,
          span: { start: s.start + start, end: s.start + end, quote: text.slice(s.start + start, s.start + end) },
          sentenceIndex: s.index,
          context: ctx ? { negated: ctx.negated, uncertain: ctx.uncertain, historical: ctx.historical, family: ctx.family, hypothetical: ctx.hypothetical } : NO_CONTEXT,
        });
      }
    }
  }
  return dedupe(out);
}

const NO_CONTEXT: ContextStatus = { negated: false, uncertain: false, historical: false, family: false, hypothetical: false };

/** Body-part words near the cue (within its clause) and the span they cover. */
function bodyWords(text: string, clauseStart: number, clauseEnd: number, cueStart: number, cueEnd: number): { words: string[]; start?: number; end?: number } {
  const words: string[] = [];
  let start: number | undefined;
  let end: number | undefined;
  const re = /[A-Za-z]+/g;
  const before: { w: string; s: number; e: number }[] = [];
  const afterList: { w: string; s: number; e: number }[] = [];
  re.lastIndex = clauseStart;
  for (let m = re.exec(text); m && m.index < clauseEnd; m = re.exec(text)) {
    const item = { w: m[0].toLowerCase(), s: m.index, e: m.index + m[0].length };
    if (item.e <= cueStart) before.push(item);
    else if (item.s >= cueEnd) afterList.push(item);
  }
  for (const item of [...before.slice(-BEFORE), ...afterList.slice(0, AFTER)]) {
    const mapped = BODY_WORDS[item.w] ?? BODY_WORDS[item.w.replace(/s$/, '')];
    if (!mapped) continue;
    words.push(...mapped);
    start = Math.min(start ?? item.s, item.s);
    end = Math.max(end ?? item.e, item.e);
  }
  return { words, start, end };
}

/**
 * The PCS title with every cue word and the most body words, fewest other words (shortest on ties). Body
 * words are prefixes ("pelvi" meets "pelvis" and "pelvic"); each title word that is neither costs, as in the
 * code search's scorer.
 */
function bestTitle(pk: ProcedureKnowledge, cue: Cue, body: readonly string[]): { term: IndexedTerm; score: number } | null {
  const required = stems(cue.title);
  let ids: Set<number> | null = null;
  for (const w of required) {
    const list = pk.index.postings.get(w) ?? [];
    ids = ids ? new Set(list.filter((id) => ids!.has(id))) : new Set(list);
    if (ids.size === 0) return null;
  }
  const bodySet = [...new Set(body)];
  let best: { term: IndexedTerm; score: number } | null = null;
  for (const id of ids ?? []) {
    const term = pk.index.terms[id]!;
    const isBody = (w: string) => bodySet.some((b) => w.startsWith(b));
    const bodyHits = bodySet.filter((b) => term.all.some((w) => w.startsWith(b))).length;
    if (bodySet.length && bodyHits === 0) continue;
    const extras = term.essential.filter((w) => !required.includes(w) && !isBody(w) && !FREE_EXTRAS.has(w)).length;
    const score = (required.length + bodyHits) / (required.length + bodySet.length) - 0.06 * extras;
    if (!best || score > best.score || (score === best.score && term.text.length < best.term.text.length)) best = { term, score };
  }
  return best && best.score > 0 ? best : null;
}

/** One candidate per code and span. */
function dedupe(list: ProcedureCandidate[]): ProcedureCandidate[] {
  const seen = new Set<string>();
  return list.filter((c) => (seen.has(`${c.code}:${c.span.start}`) ? false : (seen.add(`${c.code}:${c.span.start}`), true)));
}
