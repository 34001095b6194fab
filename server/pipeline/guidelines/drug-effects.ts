// OCG I.C.19.e.5 — adverse effect, poisoning, underdosing: the drug's row of the Table of Drugs and
// Chemicals, in the column the documentation supports. Adverse effect of a drug correctly prescribed and
// properly taken (5th/6th character 5: "hyperkalemia due to spironolactone, taking as prescribed"); poisoning
// (1 accidental — the default when intent is not documented —, 2 intentional self-harm, 3 assault,
// 4 undetermined) for overdose or wrong use; underdosing (6) for taking less than prescribed, with the
// noncompliance reason Z91.12- (intentional) / Z91.13- (unintentional) (OCG I.C.19.e.5.c). 7th character
// A while the condition is actively treated.
import type { AnalysedSentence } from '../candidates.ts';
import { applyContext } from '../context.ts';
import { drugClass } from '../drug-class.ts';
import type { RuledCandidate } from '../rules.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/**
 * The sentence names an adverse effect. "Taken as prescribed" alone is adherence, not an effect: it decides the
 * column (5, not poisoning) only for an effect the provider links to the drug ("hyperkalemia due to
 * spironolactone, taking as prescribed", CAUSED_BY_*); "naltrexone 50 mg daily taken as prescribed; minimal
 * cravings" names none.
 */
const ADVERSE = /\b(adverse (effect|reaction)|side[- ]effects?)\b/i;
/** Taken as prescribed (not an overdose): the drug's toxicity is then an adverse effect. */
const AS_PRESCRIBED = /\b(?:at|on|from) (?:the |a |his |her )?(?:prescribed|therapeutic|usual) dos\w*|\bnot an overdose\b|\btaken as (?:prescribed|directed)\b/i;
const TOXICITY = /\b(?:toxicity|toxic)\b/i;
/** An overdose of another year or "history of": "intentional acetaminophen overdose in 2019", "h/o overdose". */
const PAST_EVENT = /\b(?:in|since) (?:19|20)\d\d\b|\b(?:history of|h\/o|prior|previous|remote)\b[^.;]{0,30}\b(?:overdose|poisoning|ingestion)\b|\byears? ago\b/i;
/**
 * The provider ties a condition to the drug right before or after its name: "due to spironolactone", "lisinopril-induced".
 * "From" is causal ("hyperkalemia from spironolactone") except where it says apart or a change of drug: "take
 * separate from calcium", "switched from metformin", "weaned from oxygen".
 */
const CAUSED_BY_BEFORE = /\b(due to|secondary to|induced by|caused by|attributed to|(?<!\b(?:separate(?:ly)?|apart|away|free|weaned|switched|changed|transitioned|converted|tapered|off)\s+)from)\s+(?:(?:his|her|the|a)\s+)?$/i;
const CAUSED_BY_AFTER = /^-?induced\b/i;
const POISONING = /\b(overdose|poisoning|ingest(ed|ion)|toxicity|intoxication|took \d+ (tablets|pills))\b/i;
/** A drug named as the treatment in a poisoning's sentence: "vomiting due to ingestion - resolved after ondansetron". */
const TREATMENT_BEFORE = /\b(treated with|resolved (?:after|with)|improved (?:after|with)|responded to|given|received|administered|start(?:ed|ing)?(?: on)?|initiat(?:e|ed)(?: on)?|switch(?:ed)? to|add(?:ed)?)\s+(?:(?:iv|po|im|sc|oral|a dose of)\s+)?$/i;
const SELF_HARM = /\b(suicid\w*|self[- ]harm|intentional(ly)? (overdose|ingestion))\b/i;
/** Self-harm the note states, not one it denies ("Denies suicidal ideation", "Not intentional self-harm", "Self-harm excluded"). */
const SELF_HARM_ALL = new RegExp(SELF_HARM.source, 'gi');
const DENIED_AFTER = /^[\s,:;-]{0,3}(?:\w+\s+){0,2}(?:excluded|ruled out|denied|not suspected|unlikely|not intended)\b/i;
const selfHarm = (text: string) =>
  [...text.matchAll(SELF_HARM_ALL)].some(
    (m) => !/\b(?:denies|denied|not|no|negative for|without)\b[^.;]{0,25}$/i.test(text.slice(Math.max(0, m.index - 30), m.index)) && !DENIED_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 40)),
  );
const ASSAULT = /\b(assault|poisoned by (another|someone))\b/i;
const UNDERDOSING = /\b(underdos\w*|skipp(ed|ing)|stopped taking|missed (doses|\d+ doses)|forg[eo]t\w*|ran out|could not afford|can'?t afford|self-discontinu\w*|not taking|rationing|taking less)\b/i;
const INTENTIONAL = /\b(intentional(ly)?|on (his|her|their) own|decided|chose|could not afford|can'?t afford|cost|financial|side effects?|interfered)\b/i;
const UNINTENTIONAL = /\b(not intentional|unintentional(ly)?|forg[eo]t\w*|confus\w*|misunderst\w*)\b/i;
// Not "she could afford it": the hardship must be said ("could not / no longer afford", "cost", "financial").
const FINANCIAL = /\b(?:could ?n[o']t|could no longer|can'?t|cannot|can no longer|unable to|not able to) afford\b|\b(cost|financial|insurance)\b/i;

const WORD = /[A-Za-z][A-Za-z-]+/g;

/** "T38.3X" + 6 → "T38.3X6A"; "T43.22" + 5 → "T43.225A": class, column, 7th character A (initial encounter). */
const withColumn = (cls: string, column: number) => `${cls}${column}A`;

/**
 * Examples: "Hyperkalemia due to spironolactone, taking as prescribed" → T50.0X5A; "stopped taking his
 * furosemide 10 days ago on his own" → T50.1X6A + Z91.128; "acetaminophen overdose, suicide attempt" → T39.1X2A.
 */
export function applyDrugEffects(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note, sentences } = input;
  const out = [...kept];
  const has = (code: string) => out.some((c) => c.code === code);
  const add = (code: string, s: AnalysedSentence, start: number, end: number, confidence: number, detail: string) => {
    if (!kb.codes.get(code)?.billable) return;
    const m = derivedMention(s, s.start + start, s.start + end, note.text, detail, code);
    const existing = out.find((c) => c.code === code);
    if (existing) {
      if (!existing.evidence.some((e) => e.span.start === m.span.start)) existing.evidence.push(m);
      return;
    }
    out.push(derivedCandidate(code, [m], confidence, 'drug_effect', detail));
  };
  for (const s of sentences) {
    if (s.section === 'medications' || s.section === 'allergies') continue;
    // "Lithium toxicity at the prescribed dose, not an overdose" is an adverse effect (OCG I.C.19.e.5.a), and an
    // "intentional acetaminophen overdose in 2019" a past event (history, Z91.5-), not this encounter's poisoning.
    const asPrescribed = AS_PRESCRIBED.test(s.text);
    const poisoning = POISONING.test(s.text) && !asPrescribed && !PAST_EVENT.test(s.text);
    // "She continued insulin throughout — no missed doses": the underdosing is denied, as an adverse effect is.
    const underdosingAt = UNDERDOSING.exec(s.text);
    const underdosing = underdosingAt !== null && !applyContext(s.text, [{ start: underdosingAt.index, end: underdosingAt.index + underdosingAt[0].length }], { section: s.section })[0]!.negated;
    // "No side effects", "none of the side effects": the effect asked about is denied.
    const adverseAt = ADVERSE.exec(s.text);
    const adverseSentence = adverseAt !== null && !applyContext(s.text, [{ start: adverseAt.index, end: adverseAt.index + adverseAt[0].length }], { section: s.section })[0]!.negated;
    const drugs = [...s.text.matchAll(WORD)].flatMap((m) => {
      // "Lisinopril-induced": the word is the drug's name before the suffix.
      const name = m[0].replace(/-induced$/i, '');
      const cls = drugClass(kb, name);
      if (!cls) return [];
      const at = m.index!;
      const linked = CAUSED_BY_BEFORE.test(s.text.slice(Math.max(0, at - 30), at)) || CAUSED_BY_AFTER.test(s.text.slice(at + name.length));
      return [{ name, cls, at, linked }];
    });
    // Where the provider ties the effect to a drug ("Hypothyroidism due to lithium (adverse effect…) - start
    // levothyroxine; recheck TSH"), that drug is the cause: the others in the sentence are its treatment or tests.
    const anyLinked = drugs.some((d) => d.linked);
    for (const { name, cls, at, linked } of drugs) {
      const adverse = linked || ((adverseSentence || (asPrescribed && TOXICITY.test(s.text))) && !anyLinked && !TREATMENT_BEFORE.test(s.text.slice(Math.max(0, at - 30), at)));
      if (!poisoning && !underdosing && !adverse) continue;
      // The link itself may be denied or a differential ("likely thiazide-induced vs SIADH"): outside an inpatient
      // stay an uncertain cause is not coded (OCG IV.H); in one it is, as if established (OCG II.H).
      const [c] = applyContext(s.text, [{ start: at, end: at + name.length }], { section: s.section });
      if (c!.negated || c!.hypothetical || (c!.uncertain && note.encounter.setting !== 'inpatient')) continue;
      if (poisoning && TREATMENT_BEFORE.test(s.text.slice(Math.max(0, at - 30), at))) continue;
      if (poisoning) {
        // Intent is documented once for the event, often in another sentence ("suicide attempt").
        const intent = selfHarm(note.text) ? 2 : ASSAULT.test(note.text) ? 3 : 1;
        add(withColumn(cls, intent), s, at, at + name.length, 0.7, `${name} poisoning, ${['', 'accidental (no intent documented)', 'intentional self-harm', 'assault'][intent]} (OCG I.C.19.e.5.b)`);
      } else if (underdosing) {
        add(withColumn(cls, 6), s, at, at + name.length, 0.7, `underdosing of ${name}: taken less than prescribed (OCG I.C.19.e.5.c)`);
        const unintentional = UNINTENTIONAL.test(s.text) || sentences.some((o) => o.index === s.index + 1 && UNINTENTIONAL.test(o.text));
        const reason = unintentional ? 'Z91.138' : FINANCIAL.test(s.text) ? 'Z91.120' : INTENTIONAL.test(s.text) ? 'Z91.128' : null;
        if (reason && !has(reason)) add(reason, s, at, at + name.length, 0.6, `${unintentional ? 'unintentional' : 'intentional'} underdosing${reason === 'Z91.120' ? ' due to financial hardship' : ''} (OCG I.C.19.e.5.c)`);
      } else {
        add(withColumn(cls, 5), s, at, at + name.length, 0.6, `adverse effect of ${name} properly taken (OCG I.C.19.e.5.a)`);
      }
    }
  }
  return { kept: out, dropped: [] };
}
