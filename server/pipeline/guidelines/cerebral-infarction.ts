// OCG I.B.2 and the Index ("Infarction, cerebral, due to, embolism, cerebral arteries, middle, left I63.412"):
// a cerebral infarction is coded to the most specific code the documentation supports — the mechanism
// (embolism, thrombosis, occlusion or stenosis) and the artery with its side. A stroke read as I63.9 from
// "stroke" is re-read to the artery and mechanism its own sentence names ("Acute ischemic stroke, left MCA
// territory - cardioembolic (embolism of left MCA)" → I63.412). The code is found by its tabular title
// ("Cerebral infarction due to embolism of left middle cerebral artery"), not listed here; neurologists name the
// arteries by their standard abbreviations, which are expanded only inside the stroke's own sentence.
import type { Dropped, RuledCandidate } from '../rules.ts';
import type { Knowledge } from '../knowledge.ts';
import { categoryOf, derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

/** Words the titles use for each artery, and the note's ways of writing it (global: every mention is tried). */
const ARTERIES: readonly { title: string; re: RegExp; sided: boolean }[] = [
  { title: 'middle cerebral artery', re: /\b(?:MCA|middle cerebral(?: artery)?)\b/gi, sided: true },
  { title: 'anterior cerebral artery', re: /\b(?:ACA|anterior cerebral(?: artery)?)\b/gi, sided: true },
  { title: 'posterior cerebral artery', re: /\b(?:PCA|posterior cerebral(?: artery)?)\b/gi, sided: true },
  { title: 'cerebellar artery', re: /\b(?:PICA|AICA|SCA|cerebellar arter(?:y|ies))\b/gi, sided: true },
  { title: 'basilar artery', re: /\bbasilar(?: artery)?\b/gi, sided: false },
  { title: 'vertebral artery', re: /\bvertebral arter(?:y|ies)\b/gi, sided: true },
  { title: 'carotid artery', re: /\b(?:ICA|internal carotid(?: artery)?|carotid(?: artery)?)\b/gi, sided: true },
];

/** Mechanisms as the titles word them; procedure words ("thrombectomy", "embolization") are not mechanisms. */
const MECHANISMS: readonly { title: string; re: RegExp }[] = [
  { title: 'embolism', re: /\b(?:cardio)?embol(?:ism|ic|us|i)\b/i },
  { title: 'thrombosis', re: /\bthromb(?:osis|otic|us|osed)\b/i },
  { title: 'unspecified occlusion or stenosis', re: /\b(?:occlu(?:sion|ded)|stenosis)\b/i },
];

const SIDE = /\b(left|right|L|R|bilateral)\s+(?:[A-Z]\d\s+)?$/i;

const titleIndexes = new WeakMap<Knowledge, Map<string, string>>();
/** Titles compared in lower case, "arteries" as "artery" (the tabular writes "bilateral … arteries", and "carotid arteries" for one side). */
const titleKey = (title: string) => title.toLowerCase().replace(/\barteries\b/g, 'artery');

/** Billable I63 codes by title key. */
function i63ByTitle(kb: Knowledge): Map<string, string> {
  let index = titleIndexes.get(kb);
  if (!index) {
    index = new Map();
    for (const [code, info] of kb.codes) if (code.startsWith('I63') && info.billable) index.set(titleKey(info.title), code);
    titleIndexes.set(kb, index);
  }
  return index;
}

/** The I63 code a sentence's artery, side and mechanism name, or null. Example: "embolism of left MCA" → I63.412. */
export function specificInfarction(sentence: string, kb: Knowledge): string | null {
  const mechanism = MECHANISMS.find((m) => m.re.test(sentence));
  if (!mechanism) return null;
  const byTitle = i63ByTitle(kb);
  for (const artery of ARTERIES) {
    for (const m of sentence.matchAll(artery.re)) {
      const side = SIDE.exec(sentence.slice(0, m.index))?.[1]?.toLowerCase();
      const sideWord = side === 'l' ? 'left' : side === 'r' ? 'right' : side;
      const title = artery.sided
        ? `cerebral infarction due to ${mechanism.title} of ${sideWord ?? 'unspecified'} ${artery.title}`
        : `cerebral infarction due to ${mechanism.title} of ${artery.title}`;
      const code = byTitle.get(titleKey(title));
      if (code) return code;
    }
  }
  return null;
}

/** Example: "Acute ischemic stroke, left MCA territory - cardioembolic (embolism of left MCA)" → I63.412, not I63.9. */
export function applyCerebralInfarction(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  let out = [...kept];
  for (const c of kept.filter((k) => categoryOf(k.code) === 'I63')) {
    for (const m of c.evidence) {
      const code = specificInfarction(input.sentences[m.sentenceIndex]?.text ?? '', input.kb);
      if (!code || code === c.code || !out.includes(c)) continue;
      const detail = `${c.code} → ${code}: the artery, side and mechanism its sentence names (Index: Infarction, cerebral, due to; OCG I.B.2)`;
      const existing = out.find((o) => o.code === code);
      const target = existing ?? derivedCandidate(code, c.evidence, c.confidence, 'infarction_site', detail);
      if (existing) noteDrop(existing, 'infarction_site', detail);
      out = [...out.filter((o) => o !== c && o !== target), target];
      dropped.push({ code: c.code, reason: detail });
      break;
    }
  }
  return { kept: out, dropped };
}
