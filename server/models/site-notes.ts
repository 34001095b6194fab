// A simulated site for the learning loop (models/simulated-site.test.ts, eval/site-learning.ts): notes in
// one clinic's style — a numbered problem list, a site abbreviation the engine does not know ("SCHF-r",
// chronic systolic heart failure, I50.22) and a screening line it misreads ("fall score 0, low" is not a fall,
// W19.XXXA) — with the codes its coders finalize. Deterministic from the seed.
import { seededRandom } from '../seeded-random.ts';
import type { Encounter } from '../pipeline/types.ts';

/** The site's abbreviation and the code its coders add for it, selecting the abbreviation as evidence. */
export const SITE_ABBREVIATION = { text: 'SCHF-r', code: 'I50.22' } as const;
/** The suggestion the site's coders reject on every note: the screening line documents no fall. */
export const SITE_WRONG_CODE = 'W19.XXXA';

const PROBLEMS = [
  { text: 'Hyperlipidemia', code: 'E78.5' },
  { text: 'GERD', code: 'K21.9' },
  { text: 'Hypothyroidism', code: 'E03.9' },
  { text: 'Type 2 diabetes mellitus without complications', code: 'E11.9' },
  { text: 'Obesity', code: 'E66.9' },
] as const;

const PLANS = ['continue current medications', 'labs in 3 months', 'diet and exercise reviewed', 'return in 6 months'];

export interface SiteNote {
  text: string;
  encounter: Encounter;
  /** The ICD-10-CM codes the site's coders finalize. */
  codes: string[];
}

/** `count` notes from `seed`; a share of them (about 40 %) document the site's heart-failure abbreviation. */
export function siteNotes(count: number, seed: number, dateOfService = '2026-03-02'): SiteNote[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, () => {
    const first = pick(PROBLEMS);
    const second = pick(PROBLEMS.filter((p) => p !== first));
    const problems: { text: string; code: string }[] = [first, second];
    if (random() < 0.4) problems.splice(Math.floor(random() * 3), 0, { text: `${SITE_ABBREVIATION.text}, compensated`, code: SITE_ABBREVIATION.code });
    const list = problems.map((p, i) => `${i + 1}. ${p.text}.`).join('\n');
    return {
      text: `Problem list:\n${list}\nScreening: fall score 0, low.\nPlan: ${pick(PLANS)}.`,
      encounter: { setting: 'outpatient', dateOfService },
      codes: problems.map((p) => p.code),
    };
  });
}
