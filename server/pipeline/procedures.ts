// Procedures (ICD-10-PCS): a procedure named in the note ("chest X-ray", "abdominal ultrasound", "brain MRI",
// "colonoscopy") → the PCS code whose title says the same thing ("Plain Radiography of Chest" BW03ZZZ).
// PCS titles are built from the code's axes (root operation or imaging type, body part, contrast,
// approach), so a procedure is found by its modality words plus the body-part words around them. Written by
// hand, because it is domain logic: the note words that name each PCS modality or root operation (PCS_CUES),
// and the organ adjectives that name PCS body parts (BODY_WORDS). Codes come only from the release's valid
// codes; ICD-10-PCS is reported for hospital inpatient procedures only (UHDDS; outpatient and professional
// claims use CPT/HCPCS), so the engine proposes PCS codes for inpatient encounters only.
import { FREE_EXTRAS, stems } from '../index/lexical-score.ts';
import { contextOf, NO_CONTEXT, type AnalysedSentence } from './candidates.ts';
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
  /** The words, any case ("Electrocardiogram showed…"). */
  pattern: RegExp;
  /** Its acronyms, capitals only ("CT", not "ct" inside a word list). */
  acronym?: RegExp;
  /** Words every matching PCS title has. */
  title: string;
  /** Whether the body part must be named too (a bare "X-ray" names no code). */
  needsBody: boolean;
  /** Done on both organs of a pair unless a side is named (an eye fundus examination): each side is coded (PCS B4.3). */
  bothSides?: boolean;
}

/**
 * Note words for PCS imaging types and common root operations (ICD-10-PCS Reference Manual, sections B, 0,
 * 1, 3, 4, 5): the words every matching title has, with the approach the procedure implies (an ECG is
 * external, a colonoscopy goes through a natural opening with an endoscope).
 */
const PCS_CUES: Cue[] = [
  { name: 'radiography', pattern: /\b(x-?rays?|radiograph(?:y|s|ic)?|radiological (?:study|examination))\b/gi, title: 'plain radiography', needsBody: true },
  { name: 'ct', pattern: /\b(computed tomography|computeri[sz]ed (?:axial )?tomography|tomography|scanner)\b/gi, acronym: /\b(CT|CAT)\b/g, title: 'computerized tomography', needsBody: true },
  { name: 'ultrasound', pattern: /\b(ultrasound|ultrasonograph\w*|sonograph\w*|echograph\w*|ecograph\w*|ultrasonic study)\b/gi, title: 'ultrasonography', needsBody: true },
  { name: 'mri', pattern: /\b(magnetic resonance(?: imaging)?)\b/gi, acronym: /\b(MRI|NMR)\b/g, title: 'magnetic resonance imaging', needsBody: true },
  { name: 'echocardiography', pattern: /\b(echocardiogra\w*)\b/gi, title: 'ultrasonography right left heart', needsBody: false },
  { name: 'ecg', pattern: /\b(electrocardiogra\w*)\b/gi, acronym: /\b(ECG|EKG)\b/g, title: 'measurement cardiac electrical activity external', needsBody: false },
  { name: 'eeg', pattern: /\b(electroencephalogra\w*)\b/gi, acronym: /\b(EEG)\b/g, title: 'measurement central nervous electrical activity external', needsBody: false },
  { name: 'colonoscopy', pattern: /\b(colonoscop\w*)\b/gi, title: 'inspection lower intestinal tract natural artificial opening endoscopic', needsBody: false },
  { name: 'gastroscopy', pattern: /\b(gastroscop\w*|upper (?:digestive |gastrointestinal )?endoscop\w*|esophagogastroduodenoscop\w*)\b/gi, acronym: /\b(EGD)\b/g, title: 'inspection stomach natural artificial opening endoscopic', needsBody: false },
  { name: 'bronchoscopy', pattern: /\b(bronchoscop\w*|fibrobronchoscop\w*)\b/gi, title: 'inspection tracheobronchial tree natural artificial opening endoscopic', needsBody: false },
  { name: 'cystoscopy', pattern: /\b(cystoscop\w*)\b/gi, title: 'inspection bladder natural artificial opening endoscopic', needsBody: false },
  { name: 'rectal-exam', pattern: /\b(digital rectal (?:exam|examination)|rectal (?:touch|examination))\b/gi, title: 'inspection lower intestinal tract external', needsBody: false },
  { name: 'intubation', pattern: /\b(intubat\w*)\b/gi, title: 'insertion endotracheal airway trachea natural artificial opening', needsBody: false },
  { name: 'dialysis', pattern: /\b(hemodialysis|haemodialysis|dialysis)\b/gi, title: 'performance urinary filtration', needsBody: false },
  { name: 'transfusion', pattern: /\b(transfusions? of (?:packed )?(?:red (?:blood )?cells|erythrocytes)|(?:red (?:blood )?cell|erythrocyte|blood) transfusions?)\b/gi, title: 'transfusion nonautologous red blood cells peripheral vein percutaneous', needsBody: false },
  { name: 'cesarean', pattern: /\b(c(?:a)?esarean(?: section| delivery)?|C-section)\b/gi, title: 'extraction products conception low', needsBody: false },
  { name: 'delivery', pattern: /\b(vaginal delivery|vaginal birth|eutocic delivery)\b/gi, title: 'delivery products conception external', needsBody: false },
  { name: 'fundoscopy', pattern: /\b(fundoscop\w*|ophthalmoscop\w*|fundus (?:of the eye )?(?:examination|exam))\b/gi, title: 'inspection eye external', needsBody: false, bothSides: true },
  { name: 'ventilation', pattern: /\b(mechanical ventilation|mechanically ventilated|invasive ventilation|ventilatory support)\b/gi, title: 'respiratory ventilation consecutive hours', needsBody: false },
  { name: 'parenteral-nutrition', pattern: /\b((?:total )?parenteral nutrition)\b/gi, acronym: /\b(TPN)\b/g, title: 'introduction nutritional substance central vein', needsBody: false },
  { name: 'biopsy', pattern: /\b(biops(?:y|ies|ied))\b/gi, title: 'excision diagnostic', needsBody: true },
  { name: 'nephrectomy', pattern: /\b(nephrectom\w*)\b/gi, title: 'resection kidney', needsBody: false },
  { name: 'cystectomy', pattern: /\b(cystectom\w*)\b/gi, title: 'resection bladder', needsBody: false },
  { name: 'prostatectomy', pattern: /\b(prostatectom\w*)\b/gi, title: 'resection prostate', needsBody: false },
  { name: 'appendectomy', pattern: /\b(appendectom\w*|appendicectom\w*)\b/gi, title: 'resection appendix', needsBody: false },
  { name: 'cholecystectomy', pattern: /\b(cholecystectom\w*)\b/gi, title: 'resection gallbladder', needsBody: false },
  { name: 'hysterectomy', pattern: /\b(hysterectom\w*)\b/gi, title: 'resection uterus', needsBody: false },
  { name: 'orchiectomy', pattern: /\b(orchi(?:d)?ectom\w*)\b/gi, title: 'resection testis', needsBody: false },
];

/** Note adjectives → PCS body-part words (PCS titles name the organ: "of Chest", "of Abdomen", "of Kidney"). */
const BODY_WORDS: Record<string, string[]> = {
  thoracic: ['chest'], thorax: ['chest'], chest: ['chest'], pulmonary: ['chest'], lung: ['chest'], thoracoabdominal: ['chest', 'abdomen'],
  stomach: ['stomach'], gastric: ['stomach'], skin: ['skin'], cutaneous: ['skin'], colon: ['colon'], colonic: ['colon'], duodenal: ['duodenum'], duodenum: ['duodenum'],
  abdominal: ['abdomen'], abdomen: ['abdomen'], abdominopelvic: ['abdomen', 'pelvi'], pelvic: ['pelvi'], pelvis: ['pelvi'],
  // "Head CT" / "cranial CT" is coded as brain imaging (Coding Clinic convention for CT of the head).
  cranial: ['brain'], skull: ['skull'], head: ['brain'], brain: ['brain'], cerebral: ['brain'], encephalic: ['brain'],
  renal: ['kidney'], kidney: ['kidney'], urinary: ['urinary'], bladder: ['bladder'], vesical: ['bladder'],
  hepatic: ['liver'], liver: ['liver'], scrotal: ['scrotum'], scrotum: ['scrotum'], testicular: ['scrotum'], testicle: ['scrotum'], testis: ['scrotum'],
  thyroid: ['thyroid'], cervical: ['cervical'], lumbar: ['lumbar'], spine: ['spine'], spinal: ['spinal'], dorsal: ['thoracic'],
  cardiac: ['heart'], heart: ['heart'], breast: ['breast'], mammary: ['breast'], prostate: ['prostate'], prostatic: ['prostate'],
  knee: ['knee'], hip: ['hip'], shoulder: ['shoulder'], hand: ['hand'], foot: ['foot'], neck: ['neck'], sinus: ['sinu'], orbit: ['orbit'],
};

/** Own keys only: "constructor" is a word of notes, not a body part. */
const bodyWordOf = (w: string): string[] | undefined => (Object.hasOwn(BODY_WORDS, w) ? BODY_WORDS[w] : undefined);

/** Procedures planned or requested are not coded: PCS codes what was performed. */
const PLANNED = /\b(scheduled|planned|will (?:be|undergo)|to be performed|pending)\b/i;

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
  /** Its clause says it is scheduled, planned or pending. */
  planned: boolean;
}

/** Procedure mentions of the note mapped to PCS codes, one per mention (the best-matching title). */
export function procedureCandidates(text: string, sentences: readonly AnalysedSentence[], pk: ProcedureKnowledge): ProcedureCandidate[] {
  const out: ProcedureCandidate[] = [];
  for (const s of sentences) {
    const matches = cueMatches(s.text);
    matches.forEach(({ cue, start: cueStart, end: cueEnd }, i) => {
      // The clause around the cue, not reaching into the words of the next or previous procedure: between
      // two cues the words split at the conjunction ("renal ultrasound and chest X-ray": "chest" is the X-ray's).
      const prev = matches[i - 1];
      const next = matches[i + 1];
      const clauseStart = Math.max(s.text.lastIndexOf(',', cueStart), s.text.lastIndexOf(';', cueStart), s.text.lastIndexOf(':', cueStart), prev ? splitPoint(s.text, prev.end, cueStart) - 1 : -1) + 1;
      const after = s.text.slice(cueEnd).search(/[,;:]/);
      const clauseEnd = Math.min(after < 0 ? s.text.length : cueEnd + after, next ? splitPoint(s.text, cueEnd, next.start) : s.text.length);
      const clause = s.text.slice(clauseStart, clauseEnd);
      const planned = PLANNED.test(clause);
      const body = bodyWords(s.text, clauseStart, clauseEnd, cueStart, cueEnd);
      if (cue.needsBody && body.words.length === 0) return;
      const sides = new Set(['left', 'right', 'bilateral'].filter((w) => new RegExp(`\\b${w}\\b`, 'i').test(clause)));
      if (/\bboth\b/i.test(clause)) sides.add('bilateral');
      // Words near a procedure that needs no body part may name something else ("ECG showed sinus rhythm").
      const title = (sideSet: ReadonlySet<string>) => bestTitle(pk, cue, body.words, sideSet) ?? (cue.needsBody ? null : bestTitle(pk, cue, [], sideSet));
      const hits = cue.bothSides && sides.size === 0 ? [title(new Set(['right'])), title(new Set(['left']))] : [title(sides)];
      const start = Math.min(cueStart, body.start ?? cueStart);
      const end = Math.max(cueEnd, body.end ?? 0);
      const [ctx] = applyContext(s.text, [{ start, end }], { section: s.section });
      for (const hit of hits) {
        if (!hit) continue;
        out.push({
          code: hit.term.code,
          title: hit.term.text,
          key: `${cue.name}|${[...new Set(body.words)].sort().join(' ')}`,
          cue: cue.name,
          match: hit.score,
          span: { start: s.start + start, end: s.start + end, quote: text.slice(s.start + start, s.start + end) },
          sentenceIndex: s.index,
          context: ctx ? contextOf(ctx) : NO_CONTEXT,
          planned,
        });
      }
    });
  }
  return dedupe(out);
}

/** Where the words between two procedure mentions divide: at the last conjunction, else where the second begins. */
function splitPoint(text: string, from: number, to: number): number {
  const gap = text.slice(from, to);
  let at = -1;
  for (const m of gap.matchAll(/\b(and|or|then|plus|followed by)\b/gi)) at = m.index;
  return at < 0 ? to : from + at;
}

/** Every cue occurrence of a sentence, in text order (a longer match wins where two overlap). */
function cueMatches(text: string): { cue: Cue; start: number; end: number }[] {
  const all: { cue: Cue; start: number; end: number }[] = [];
  for (const cue of PCS_CUES) {
    for (const re of cue.acronym ? [cue.pattern, cue.acronym] : [cue.pattern]) {
      for (const m of text.matchAll(re)) all.push({ cue, start: m.index, end: m.index + m[0].length });
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  return all.filter((m, i) => !all.slice(0, i).some((o) => o.start <= m.start && o.end >= m.end));
}

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
    const mapped = bodyWordOf(item.w) ?? bodyWordOf(item.w.replace(/s$/, ''));
    if (!mapped) continue;
    words.push(...mapped);
    start = Math.min(start ?? item.s, item.s);
    end = Math.max(end ?? item.e, item.e);
  }
  return { words, start, end };
}

const cueTitleCache = new WeakMap<ProcedureKnowledge, Map<string, { required: string[]; ids: number[] }>>();

/** The titles that have every word of a cue: the same for every mention, so computed once per release and cue. */
function cueTitles(pk: ProcedureKnowledge, cue: Cue): { required: string[]; ids: number[] } {
  let byCue = cueTitleCache.get(pk);
  if (!byCue) cueTitleCache.set(pk, (byCue = new Map()));
  let hit = byCue.get(cue.name);
  if (!hit) {
    const required = stems(cue.title);
    let ids: number[] | null = null;
    for (const w of required) {
      const list = pk.index.postings.get(w) ?? [];
      const have: Set<number> | null = ids ? new Set(ids) : null;
      ids = have ? list.filter((id) => have.has(id)) : [...list];
    }
    byCue.set(cue.name, (hit = { required, ids: ids ?? [] }));
  }
  return hit;
}

/**
 * The PCS title with every cue word and the most body words, fewest other words (shortest on ties). Body
 * words are prefixes ("pelvi" meets "pelvis" and "pelvic"); each title word that is neither costs, as in the
 * code search's scorer.
 */
function startsWithAny(w: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (w.startsWith(p)) return true;
  return false;
}

function bestTitle(pk: ProcedureKnowledge, cue: Cue, body: readonly string[], sides: ReadonlySet<string>): { term: IndexedTerm; score: number } | null {
  const { required, ids } = cueTitles(pk, cue);
  if (ids.length === 0) return null;
  const bodySet = [...new Set(body)];
  let best: { term: IndexedTerm; score: number } | null = null;
  // Plain loops, no closures per term: a cue's titles are hundreds and each closure cost its creation (profiled).
  for (const id of ids) {
    const term = pk.index.terms[id]!;
    let bodyHits = 0;
    for (const b of bodySet) if (term.all.some((w) => w.startsWith(b))) bodyHits++;
    if (bodySet.length && bodyHits === 0) continue;
    // A side the note does not state is an extra word; with no side stated, "Bilateral" is the default reading.
    let extras = 0;
    for (const w of term.essential) {
      if (required.includes(w) || FREE_EXTRAS.has(w) || sides.has(w) || (w === 'bilateral' && !sides.size) || startsWithAny(w, bodySet)) continue;
      extras++;
    }
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

export interface ScoredProcedure extends ProcedureCandidate {
  confidence: number;
}

/**
 * Which procedure mentions may be coded for this encounter: PCS is reported for inpatient stays only, and
 * only for procedures performed — not denied ("no colonoscopy was done"), not planned or conditional, not a
 * relative's, not a past one documented as history ("history of cholecystectomy": a status, Z90.49, if anything).
 */
export function procedureRules<T extends ProcedureCandidate>(list: readonly T[], setting: string): { kept: T[]; dropped: { code: string; reason: string }[] } {
  const kept: T[] = [];
  const dropped: { code: string; reason: string }[] = [];
  for (const c of list) {
    const why =
      setting !== 'inpatient'
        ? null
        : c.context.negated
          ? 'negated: not performed'
          : c.context.hypothetical || c.planned
            ? 'hypothetical or planned: not performed in this encounter'
            : c.context.family
              ? 'about a family member'
              : c.context.historical
                ? 'past procedure documented as history: not performed in this encounter'
                : '';
    if (why === null) continue; // outpatient / professional: procedures are CPT/HCPCS, not PCS
    if (why) dropped.push({ code: c.code, reason: why });
    else kept.push(c);
  }
  return { kept, dropped };
}
