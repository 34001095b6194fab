// OCG I.C.9.d — sequelae of cerebrovascular disease: a neurologic deficit that remains after a cerebral infarction
// ("residual left hemiparesis from prior stroke", "aphasia due to old CVA", "dysphagia as late effect of cerebral
// infarction") is coded to I69.3-, the deficit's own code named by the combination's title (Index: Sequelae,
// infarction, cerebral, <deficit>), not the deficit's chapter 6 or 18 code beside a stroke code:
// - the stroke it follows is no current I63 (I.C.9.d.2 allows one only for a new stroke, read elsewhere in the note);
// - Z86.73 is the history of a stroke *without* deficits (I.C.9.d.3), so it goes beside an I69.3- code;
// - the deficit's code stays where the I69 code asks for it ("use additional code to identify the type of dysphagia
//   (R13.1-)").
// The target is found by title, not listed: the deficit's title up to its qualifiers ("Dysphagia, unspecified" →
// "dysphagia", "Hemiplegia, unspecified affecting left nondominant side" → "hemiplegia") against the I69.3 leaves'
// titles before "following cerebral infarction"; the side is carried over (the dominant-side stage, after this one,
// applies OCG I.C.9.d.1's defaults).
import type { CandidateMention } from '../candidates.ts';
import type { Knowledge } from '../knowledge.ts';
import { notesFor } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';
import { sideTitle } from './dominant-side.ts';

const STROKE = /\b(?:strokes?|CVAs?|cerebrovascular accidents?|cerebral infarct(?:ion)?s?|(?:MCA|ACA|PCA|lacunar|embolic|ischemic|thalamic|pontine|cerebellar|brainstem|capsular)\s+(?:infarct(?:ion)?s?|strokes?))\b/i;
/** The stroke is a past one: "prior / old / remote stroke", "history of CVA", "s/p stroke", "stroke in 2021", "stroke 3 years ago". */
const PAST_BEFORE = /\b(?:prior|previous|old|remote|past|history of|h\/o|hx of|s\/p|status post)\b[\w\s,/()-]{0,40}$/i;
const PAST_AFTER = /^[\s,(]*(?:in\s+)?(?:(?:19|20)\d\d\b|\d+\s+(?:years?|yrs?|months?)\s+ago\b)/i;
/** Words that make a deficit a remaining one whatever the stroke's wording. */
const SEQUELA = /\b(?:residual|sequela[es]?|late effects?|post-?stroke)\b/i;
/** A deficit put down to the stroke after it in the sentence: "aphasia due to old stroke". */
const LINK = /\b(?:from|due to|after|following|secondary to|since|related to|as a result of|caused by|attributed to)\b/i;
const FOLLOWING = / following cerebral infarction\b.*$/i;
/** A deficit's title up to its qualifiers: its name as the I69.3 titles write it. */
const titleHead = (title: string) => title.toLowerCase().split(/,| affecting | unspecified\b| in conditions\b/)[0]!.trim();
/** R41.3 "Other amnesia" is the memory deficit (Index: Deficit, memory R41.3; Sequelae, infarction, cerebral, memory deficit I69.311). */
const HEAD_ALIASES: Readonly<Record<string, string>> = { 'other amnesia': 'memory deficit' };

const targets = new WeakMap<Knowledge, { head: string; code: string; side: string | null }[]>();
/** The I69.3 leaves by the head of their title (the "other" and "unspecified" leaves name no deficit). */
function sequelaLeaves(kb: Knowledge) {
  let list = targets.get(kb);
  if (!list) {
    list = [];
    for (const [code, info] of kb.codes) {
      if (!code.startsWith('I69.3') || !info.billable) continue;
      const head = info.title.toLowerCase().replace(FOLLOWING, '').trim();
      if (/^(?:other|unspecified)\b/.test(head)) continue;
      list.push({ head, code, side: sideOf(info.title) });
    }
    targets.set(kb, list);
  }
  return list;
}

/** "affecting left nondominant side" → "left nondominant" (the I69 titles' "non-dominant" read as the G81 titles write it). */
function sideOf(title: string): string | null {
  const m = /affecting (\w+) ?((?:non)?dominant)? side$/i.exec(sideTitle(title));
  return m ? `${m[1]!.toLowerCase()} ${(m[2] ?? '').toLowerCase()}`.trim() : null;
}

/** The I69.3 code for a deficit code, or null when its title names no deficit the category has. */
function sequelaCodeFor(kb: Knowledge, deficit: string): string | null {
  const title = kb.codes.get(deficit)?.title;
  if (!title || deficit.startsWith('I6')) return null;
  const raw = titleHead(title);
  const head = HEAD_ALIASES[raw] ?? raw;
  const found = sequelaLeaves(kb).filter((t) => t.head.startsWith(head) || head.startsWith(t.head));
  if (found.length === 0) return null;
  if (found.length === 1) return found[0]!.code;
  const side = sideOf(title);
  return (found.find((t) => t.side === side) ?? found.find((t) => t.side === 'unspecified'))?.code ?? null;
}

/** Whether the sentence puts this deficit mention down to a past stroke. */
function remainsAfterStroke(sentence: { text: string; start: number }, m: CandidateMention): boolean {
  const stroke = STROKE.exec(sentence.text);
  if (!stroke) return false;
  const at = sentence.start + stroke.index;
  const past = PAST_BEFORE.test(sentence.text.slice(0, stroke.index)) || PAST_AFTER.test(sentence.text.slice(stroke.index + stroke[0].length));
  // "Residual", "sequela", "late effect" said of a deficit, and not denied ("no residual deficits"); "post-stroke" only of a
  // stroke the sentence dates as past ("post-stroke day 2" is the acute stay).
  const sequela = SEQUELA.exec(sentence.text);
  const denied = sequela !== null && /\b(?:no|without|denies)\s+$/i.test(sentence.text.slice(Math.max(0, sequela.index - 10), sequela.index));
  if (sequela && !denied && (past || !/^post/i.test(sequela[0]))) return true;
  // "Aphasia due to old stroke": the link between the deficit and a past stroke after it.
  return past && at >= m.span.end && LINK.test(sentence.text.slice(m.span.end - sentence.start, stroke.index));
}

const usable = (m: CandidateMention) => !m.context.negated && !m.context.family && !m.context.hypothetical && !m.context.uncertain;

/** Example: "Residual left hemiparesis from prior right MCA stroke" read as G81.94 and Z86.73 → I69.354. */
export function applyStrokeSequelae(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const sequelaSentences = new Set<number>();
  const derived: RuledCandidate[] = [];
  const replaced = new Set<RuledCandidate>();
  const dropped: Dropped[] = [];
  // A deficit after "history of" is set aside as historical by the context rules: those readings (and only those, at the
  // threshold a suggestion needs) are looked at too; one another stage dropped stays dropped.
  const threshold = input.threshold ?? 0;
  const historical = input.scored.filter((s) => s.confidence >= threshold && s.mentions.length > 0 && s.mentions.every((m) => m.context.historical) && !kept.some((k) => k.code === s.code));
  const pool: RuledCandidate[] = [...kept, ...historical.map((s) => ({ ...s, evidence: s.mentions, context: s.mentions[0]!.context, reminders: [] }))];
  for (const c of pool) {
    if (c.kind !== 'final') continue;
    const code = sequelaCodeFor(kb, c.code);
    if (!code || !kb.codes.get(code)?.billable) continue;
    const evidence = c.evidence.filter((m) => {
      const s = sentences[m.sentenceIndex];
      return s && (usable(m) || m.context.historical) && !m.context.family && !m.context.negated && remainsAfterStroke(s, m);
    });
    if (evidence.length === 0) continue;
    for (const m of evidence) sequelaSentences.add(m.sentenceIndex);
    const keepDeficit = notesFor(kb, code, ['use_additional']).some((n) => namesCode(n.text, c.code));
    const detail = `${c.code} (${kb.codes.get(c.code)?.title}) remaining after a past stroke: ${code} (OCG I.C.9.d; Index: Sequelae, infarction, cerebral)`;
    // The code read already (the Index's "Hemiplegia, following, cerebrovascular disease" in the statement) keeps its
    // own readings and takes these too.
    const existing = [...kept, ...derived].find((d) => d.code === code);
    if (existing) {
      const added = evidence.filter((m) => !existing.evidence.some((e) => e.span.start === m.span.start && e.span.end === m.span.end));
      existing.evidence = [...existing.evidence, ...added];
      existing.mentions = [...existing.mentions, ...added.filter((m) => !existing.mentions.includes(m))];
      noteDrop(existing, 'stroke_sequela', detail);
      if (!derived.includes(existing)) derived.push(existing);
    } else derived.push(derivedCandidate(code, evidence, c.confidence, 'stroke_sequela', detail));
    if (kept.includes(c) && !keepDeficit) {
      replaced.add(c);
      dropped.push({ code: c.code, reason: detail });
    }
  }
  if (derived.length === 0) return { kept, dropped: [] };
  const out = kept.filter((c) => !replaced.has(c) && !derived.includes(c));
  for (const c of out.slice()) {
    // The past stroke itself, read in the sentences that put a deficit down to it, and its history code.
    const pastStroke = /^I63/.test(c.code) && c.evidence.every((m) => sequelaSentences.has(m.sentenceIndex));
    if (!pastStroke && c.code !== 'Z86.73') continue;
    out.splice(out.indexOf(c), 1);
    const why = c.code === 'Z86.73' ? 'history of stroke without deficits; the deficits are coded to I69.3- (OCG I.C.9.d.3)' : 'the stroke the deficits follow is a past one, coded by I69.3- (OCG I.C.9.d)';
    dropped.push({ code: c.code, reason: why });
    noteDrop(derived[0]!, 'stroke_sequela', `${c.code} not reported: ${why}`);
  }
  return { kept: [...out, ...derived], dropped };
}
