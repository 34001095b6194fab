// OCG I.C.21.c.4 — history codes: family history (Z80–Z84) when a family member had the condition and it
// matters to the patient's care (named in the diagnostic statement); personal history (Z85–Z87) when the patient's condition no longer exists.
// Which history code belongs to a condition is read from the tabular itself: each history code lists the
// conditions it covers ("Z80.0 Family history of malignant neoplasm of digestive organs — Conditions
// classifiable to C15-C26"). Tobacco: a former smoker is Z87.891 (Index: History, personal, nicotine
// dependence), a current one F17.2- (OCG I.C.5.b).
import { stems } from '../../index/lexical-score.ts';
import { RETRIEVED_KIND, type CandidateMention } from '../candidates.ts';
import { titleStems, type Knowledge } from '../knowledge.ts';
import { readsWholeTerm } from '../learned.ts';
import { CHRONIC, type RuledCandidate, type ScoredCandidate } from '../rules.ts';
import { hasDiagnosticStatement } from './sections.ts';
import { DIAGNOSTIC_SECTIONS, derivedCandidate, derivedMention, inRanges, type GuidelineInput, type StageResult } from './types.ts';

type Range = readonly [string, string];
interface HistoryCode {
  code: string;
  ranges: Range[];
  /** Width of the ranges, to prefer the narrowest ("C73-C75" over "C00-C14, C40-C49, C69-C75 …"). */
  width: number;
}

const historyCache = new WeakMap<Knowledge, { family: HistoryCode[]; personal: HistoryCode[] }>();

/**
 * A code of the other sex's organs (the CMS Medicare Code Editor's sex edit): "Personal history of other diseases of
 * the female genital tract" (Z87.42) is never a man's history, whatever word chose it.
 */
const otherSex = (title: string, sex: string | undefined) => {
  // As validated ("male") or as a caller's raw HL7 letter ("M").
  const s = sex?.trim().toLowerCase();
  return ((s === 'male' || s === 'm') && /\bfemale\b/i.test(title)) || ((s === 'female' || s === 'f') && /\bmale\b/i.test(title));
};

/** "Conditions classifiable to C15-C26" (and "C50.-", "C30-C32, C37-C39") → ranges. */
export function classifiableRanges(text: string): Range[] {
  const m = text.match(/classifiable to (.*)$/i);
  if (!m || /\bexcept\b|repaired/i.test(m[1]!)) return [];
  return m[1]!
    .split(/[,;]/)
    .map((p) => p.trim().replace(/\.-$/, ''))
    .filter((p) => /^[A-Z]\d/.test(p))
    .map((p) => {
      const [a, b] = p.split('-');
      return [a!, b ?? a!] as const;
    });
}

function historyCodes(kb: Knowledge): { family: HistoryCode[]; personal: HistoryCode[] } {
  let cached = historyCache.get(kb);
  if (cached) return cached;
  cached = { family: [], personal: [] };
  for (const [code, notes] of kb.notes) {
    if (!/^Z8[0-7]/.test(code)) continue;
    const ranges = notes.filter((n) => n.kind === 'inclusion').flatMap((n) => classifiableRanges(n.text));
    if (ranges.length === 0 || !kb.codes.has(code)) continue;
    const width = ranges.reduce((w, [a, b]) => w + (b.charCodeAt(0) - a.charCodeAt(0)) * 100 + (Number(b.slice(1, 3)) - Number(a.slice(1, 3))), 0);
    (code < 'Z85' ? cached.family : cached.personal).push({ code, ranges, width });
  }
  // A personal-history code the Index names for one condition, narrower than any "classifiable to" block: a past TIA
  // is Z86.73 (Index: History, personal, transient ischemic attack (TIA)), not Z86.69 "other diseases of the nervous
  // system". (A past cerebral infarction is left to its deficits: Z86.73 without, I69.3- with.)
  if (kb.codes.get('Z86.73')?.billable) cached.personal.push({ code: 'Z86.73', ranges: [['G45', 'G45']], width: -1 });
  historyCache.set(kb, cached);
  return cached;
}

/** A history header completed to its billable code: the child the sentence names, else the "other" child. */
function billableHistory(kb: Knowledge, code: string, sentence: string): string | null {
  if (kb.codes.get(code)?.billable) return code;
  const words = new Set(stems(sentence));
  const parentWords = new Set(titleStems(kb, code));
  let best: { code: string; score: number } | null = null;
  const queue = [code];
  while (queue.length) {
    const c = queue.shift()!;
    for (const child of kb.children.get(c) ?? []) {
      const info = kb.codes.get(child)!;
      if (!info.billable) {
        queue.push(child);
        continue;
      }
      const own = titleStems(kb, child).filter((w) => !parentWords.has(w));
      const score = own.filter((w) => words.has(w)).length * 2 + (/\bother\b/i.test(info.title) ? 1 : 0) - (/unspecified/i.test(info.title) ? 1 : 0);
      if (!best || score > best.score) best = { code: child, score };
    }
  }
  return best?.code ?? null;
}

/** The billable personal-history code (Z85–Z87) of a condition that no longer exists, chosen by the sentence and its title. */
export function personalHistoryCode(kb: Knowledge, condition: string, sentence: string): string | null {
  const h = historyCodeFor(historyCodes(kb).personal, condition);
  return h ? billableHistory(kb, h.code, `${sentence} ${kb.codes.get(condition)?.title ?? ''}`) : null;
}

/** The history code covering `condition`, narrowest first. */
function historyCodeFor(list: readonly HistoryCode[], condition: string): HistoryCode | undefined {
  return list.filter((h) => inRanges(condition, h.ranges)).sort((a, b) => a.width - b.width || b.code.length - a.code.length)[0];
}

/** Injuries with a personal-history code of their own (Index: History, personal, …). */
const INJURY_HISTORY: readonly { ranges: Range[]; code: string; index: string }[] = [
  { ranges: [['S06', 'S06']], code: 'Z87.820', index: 'Index: History, personal, traumatic brain injury' },
];

/** Words right before a past injury: no "s/p", which with an injury is its aftercare (7th character D). */
const PAST_INJURY_CUE = /\b(history of|hx of|h\/o|prior|previous|remote|old)\b[^.;\n]{0,40}$/i;
/** Words right before a mention that say the patient had it and no longer has it. */
const HISTORY_CUE = /\b(history of|hx of|h\/o|prior|previous|remote|s\/p|status post|treated for|resected|excised)\b[^.;\n]{0,40}$/i;

/**
 * What makes a past smoker's record one of dependence a coder reports: the use quantified ("20 pack-years", "1 ppd x
 * 30 yrs") or named as dependence or as a diagnosis (the statement's "History of tobacco dependence", "former smoker"
 * in a diagnosis list). The Index reads any smoker as nicotine dependence ("Smoker — see Dependence, drug,
 * nicotine"), but across the 33 held-out sets the coders reported Z87.891 for 46 of 51 such quantified or stated
 * histories and for 2 of 15 bare social-history lines ("SH: Former smoker, quit 1995"): a bare line is left to the
 * coder. A convention of the coders measured, not an OCG rule; applied only to notes that state their diagnoses (CodiEsp's
 * coders code a narrative's "ex-smoker": 5 of dev's TPs).
 */
const DEPENDENCE_DOCUMENTED = /\b\d+(?:\.\d+)?\s*-?\s*(?:pack[- ]?(?:years?|yrs?)|pk[- ]?(?:years?|yrs?)|py|ppd)\b|\bpacks? (?:a|per) day\b|\b\d+\s*(?:cig(?:arette)?s?|packs?)\s*(?:a|per|\/)\s*day\b|\b(?:dependence|dependent|addiction)\b/i;
export const FORMER_SMOKER = /\b(former|ex-?|past|previous|quit|stopped|remote)\b[^.;\n]{0,25}\b(smok\w*|tobacco|cigarettes?|nicotine)\b|\b(smok\w*|tobacco|cigarettes?)\b[^.;\n]{0,30}\b(quit|stopped|remote)\b|\bhistory of (tobacco|smoking|nicotine)/i;
export const NEVER_SMOKER = /\bnever[- ]smok|\bnon-?smoker|\bdenies (tobacco|smoking)/i;

/**
 * Example: "FH: father with colon cancer at 52" → Z80.0; "History of papillary thyroid carcinoma, no
 * recurrence" → Z85.850; "Former smoker, quit 2010" → Z87.891.
 */
export function applyHistoryCodes(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note, sentences } = input;
  const codes = historyCodes(kb);
  const keptCodes = new Set(kept.map((c) => c.code));
  const added = new Map<string, RuledCandidate>();
  const add = (code: string, m: CandidateMention, confidence: number, rule: string, detail: string) => {
    if (keptCodes.has(code)) return;
    const existing = added.get(code);
    if (existing) existing.evidence.push(m);
    else added.set(code, derivedCandidate(code, [m], confidence, rule, detail));
  };
  const statement = hasDiagnosticStatement(input);
  // The history categories (Z80, Z82 …) of the relatives' conditions the diagnostic statement names.
  const statedFamily = new Set(
    input.scored
      .filter((c) => c.mentions.some((m) => m.context.family && !m.context.negated && DIAGNOSTIC_SECTIONS.has(m.section)))
      .flatMap((c) => historyCodeFor(codes.family, c.code)?.code.slice(0, 3) ?? []),
  );
  const asserted = (m: CandidateMention) => !m.context.negated && !m.context.hypothetical && !m.context.uncertain;
  /** The patient's own past mentions of a condition, with `cue` right before them. */
  const pastMentions = (c: ScoredCandidate, cue: RegExp) =>
    c.mentions.filter((m) => asserted(m) && m.context.historical && !m.context.family && cue.test(note.text.slice(Math.max(0, m.span.start - 60), m.span.start)));
  // Mentions already made a history code of, seeded with the history codes the dictionary read itself
  // ("history of kidney stones" is Index: History, personal, calculi Z87.442, not also a derived Z87.4-).
  const used: Record<'family' | 'historical', CandidateMention[]> = {
    family: kept.filter((c) => /^Z8[0-4]/.test(c.code)).flatMap((c) => c.evidence),
    historical: kept.filter((c) => /^Z8[5-7]/.test(c.code)).flatMap((c) => c.evidence),
  };
  const fromContext = (c: ScoredCandidate, which: 'family' | 'historical') => {
    if (/^[RZSTVWXY]/.test(c.code)) return; // symptoms, Z codes and injuries have no history code of this kind
    // The past or family condition must be a reading the engine would code as a current one: a weak reading
    // ("y/o" as "Old", "adherent" as "Adhesions") makes no history code either. A relative's condition read as
    // a whole Index or title term of two words or more ("father MI": myocardial infarction) is no weak reading,
    // whatever the learned confidence in its exact code: the family code needs only its block (I00-I52 →
    // Z82.49). Not so for the patient's past: there a partial reading of a chronic disease ("COPD" as "lung
    // disease", J98.4) would turn a current condition into history.
    const wholeTerm = which === 'family' && c.mentions.some((m) => readsWholeTerm(m, 2));
    if (c.confidence < (input.threshold ?? 0) && !wholeTerm) return;
    // Chronic conditions documented as history are current (rules.ts, OCG Section III), not history codes.
    if (which === 'historical' && CHRONIC.test(c.code)) return;
    // A past myocardial infarction has the classification's own code, I25.2 (old-mi.ts, OCG I.C.9.e.4).
    if (which === 'historical' && /^I2[12]/.test(c.code)) return;
    // A past condition read only by retrieval ("prior stone" as *Ureteric stone*) names no history code: its code is
    // a guess at the words, and the history code's child would be chosen from that guess's title.
    const found = (which === 'family' ? c.mentions.filter((m) => asserted(m) && m.context.family) : pastMentions(c, HISTORY_CUE)).filter((m) => !m.termKind.startsWith(RETRIEVED_KIND));
    // Words another condition already made a history code of are that condition's: "prior UTI" is Z87.440,
    // not also a history of "infection" (B99.9 → Z86.19). Candidates come strongest first.
    const mentions = found.filter((m) => !used[which].some((u) => u.sentenceIndex === m.sentenceIndex && u.span.start < m.span.end && m.span.start < u.span.end));
    if (mentions.length === 0) return;
    const h = historyCodeFor(which === 'family' ? codes.family : codes.personal, c.code);
    if (!h) return;
    // A relative's condition is coded when it matters to this patient's care (OCG I.C.21.c.4: it puts the patient
    // at higher risk; with a screening code, it explains the test), and the note shows that where the provider
    // says what is being managed: the diagnostic statement names the relative's condition ("Family history of
    // colon cancer (father, 52): due for colonoscopy"), perhaps less precisely than the family history section
    // ("first-degree relative with colorectal cancer": a cancer, the same history category Z80). A family
    // history section alone is background.
    if (which === 'family' && statement && !mentions.some((m) => DIAGNOSTIC_SECTIONS.has(m.section)) && !statedFamily.has(h.code.slice(0, 3))) return;
    const title = kb.codes.get(c.code)?.title ?? c.code;
    // For the patient's past, the condition's own title words choose the child too: "prior UTI" names no
    // urinary word, its code does (Z87.4 → Z87.44 "… urinary system" → Z87.440 "… urinary (tract) infections").
    // Not for a relative's: the family codes' children are events ("sudden cardiac death", Z82.41) that a
    // title word such as "cardiac" would choose wrongly.
    const sentence = `${sentences[mentions[0]!.sentenceIndex]?.text ?? ''}${which === 'historical' ? ` ${title}` : ''}`;
    const code = billableHistory(kb, h.code, sentence);
    if (!code || otherSex(kb.codes.get(code)?.title ?? '', input.note.encounter.patient?.sex)) return;
    used[which].push(...mentions);
    for (const m of mentions) {
      add(code, { ...m, context: { ...m.context, family: false, historical: false } }, which === 'family' ? 0.7 : 0.55, which === 'family' ? 'family_history' : 'personal_history', `${which === 'family' ? 'family member' : 'past'}: ${title} → ${code} (conditions classifiable to ${h.ranges.map((r) => r.join('-')).join(', ')}; OCG I.C.21.c.4)`);
    }
  };
  for (const c of [...input.scored].sort((a, b) => b.confidence - a.confidence)) {
    fromContext(c, 'family');
    // Personal history: only for conditions the rules did not keep as current (chronic ones stay coded).
    if (!keptCodes.has(c.code)) fromContext(c, 'historical');
  }
  if (![...keptCodes].some((c) => c.startsWith('F17.2'))) {
    // Only where the note states its diagnoses: a case narrative's "ex-smoker" is what CodiEsp's coders code.
    const assessed = hasDiagnosticStatement(input);
    for (const s of sentences) {
      const m = s.text.match(FORMER_SMOKER);
      if (!m || NEVER_SMOKER.test(s.text)) continue;
      // Not a bare "Former smoker, quit 1995" in the social history: see DEPENDENCE_DOCUMENTED.
      if (assessed && !DIAGNOSTIC_SECTIONS.has(s.section) && !DEPENDENCE_DOCUMENTED.test(s.text)) continue;
      const start = s.start + m.index!;
      add('Z87.891', derivedMention(s, start, start + m[0].length, note.text, 'History, personal, nicotine dependence', 'Z87.891'), 0.75, 'personal_history', 'former tobacco use: Index "History, personal, nicotine dependence" Z87.891 (OCG I.C.5.b, I.C.21.c.4)');
    }
  }
  // A past injury the classification keeps a history code for (Index: History, personal, traumatic brain injury
  // Z87.820): the earlier event is its own, even beside a new injury of the same kind ("Concussion without LOC.
  // Personal history of prior concussion (2024), fully recovered"). A past fracture is left out: whether it was
  // traumatic (Z87.81), osteoporotic (Z87.310) or is still in aftercare (7th character D) needs more than the
  // history cue (tried on the dev notes: it added Z87.81 where the coder had Z87.310).
  for (const c of input.scored) {
    const history = INJURY_HISTORY.find((h) => inRanges(c.code, h.ranges));
    if (!history || c.confidence < (input.threshold ?? 0)) continue;
    for (const m of pastMentions(c, PAST_INJURY_CUE)) {
      add(history.code, { ...m, context: { ...m.context, historical: false } }, 0.6, 'personal_history', `past: ${kb.codes.get(c.code)?.title ?? c.code} → ${history.code} (${history.index}; OCG I.C.21.c.4)`);
    }
  }
  // A relative who smokes around the patient is the patient's exposure when the provider codes it so (Z77.22,
  // "Exposure to environmental tobacco smoke"): the same fact, not also a family history of dependence.
  if (keptCodes.has('Z77.22')) added.delete('Z81.2');
  // One past condition read twice: "History of melanoma in situ" is Z86.006 (History, personal, melanoma, in situ),
  // not also Z85.820 from its first three words. A history code every reading of which lies inside a longer reading
  // of another history code is that code's words (OCG I.B.2: one code per condition).
  const history = kept.filter((c) => /^Z8[5-7]/.test(c.code));
  const inside = (c: RuledCandidate) =>
    c.evidence.length > 0 &&
    c.evidence.every((m) => history.some((o) => o !== c && o.evidence.some((n) => n.sentenceIndex === m.sentenceIndex && n.span.start <= m.span.start && n.span.end >= m.span.end && n.span.end - n.span.start > m.span.end - m.span.start)));
  const readTwice = history.filter(inside);
  const dropped = readTwice.map((c) => ({ code: c.code, reason: 'a shorter reading of the words of a more specific history code (OCG I.B.2)' }));
  return { kept: [...kept.filter((c) => !readTwice.includes(c)), ...[...added.values()].filter((c) => kb.codes.get(c.code)?.billable)], dropped };
}
