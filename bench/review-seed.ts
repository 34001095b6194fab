// Seed data of the review load benchmark: coder accounts and engine-suggested notes, written through the
// same queries the worker and the CLI use (insertNotes → claimNextNote → storeSuggestions, createUser).
import { and, eq, sql } from 'drizzle-orm';
import { seededRandom } from '../server/seeded-random.ts';
import type { Db } from '../server/db/client.ts';
import { versionFor } from '../server/db/queries/code-sets.ts';
import { claimNextNote, insertNotes, storeSuggestions } from '../server/db/queries/notes.ts';
import { createUser } from '../server/db/queries/users.ts';
import { codes, notes } from '../server/db/schema/index.ts';
import type { Encounter, Suggestion } from '../server/pipeline/types.ts';

/** Inside the shipped FY2026 ICD-10-CM release, so decisions validate against a loaded code set. */
const DATE_OF_SERVICE = '2025-11-04';
const NO_CONTEXT = { negated: false, uncertain: false, historical: false, family: false, hypothetical: false };

export interface SeedOptions {
  coders: number;
  notesPerCoder: number;
  minSuggestions: number;
  maxSuggestions: number;
  /** Share of inpatient notes (they need a principal diagnosis sequenced before finalize). */
  inpatientShare: number;
  /** One scrypt hash shared by every bench account (hashing 50 passwords would only slow the set-up). */
  passwordHash: string;
}

/** What the load generator needs to know: who signs in, and which notes (at which version) each coder owns. */
export interface SeedManifest {
  coders: { username: string; notes: { id: string; version: number; spareCodes: string[] }[] }[];
  suggestions: number;
}


/** Coders `bench-coder-1…N` and `notesPerCoder` suggested notes each, with 20–60 distinct billable codes per note. */
export async function seedReviewLoad(db: Db, opts: SeedOptions): Promise<SeedManifest> {
  const release = await versionFor(db, 'ICD10CM', DATE_OF_SERVICE);
  if (!release) throw new Error(`no ICD-10-CM release is loaded for ${DATE_OF_SERVICE}`);
  // A fixed pseudo-random spread over the whole code set (md5 order), not one chapter.
  const pool = await db
    .select({ code: codes.code, description: codes.longDesc })
    .from(codes)
    .where(and(eq(codes.versionId, release.id), eq(codes.billable, true)))
    .orderBy(sql`md5(${codes.code})`)
    .limit(5000);
  const rnd = seededRandom(20251104);
  const pick = (n: number) => {
    const from = Math.floor(rnd() * (pool.length - n));
    return pool.slice(from, from + n);
  };

  const manifest: SeedManifest = { coders: [], suggestions: 0 };
  const drafts: { text: string; encounter: Encounter; externalId: string; suggestions: Suggestion[]; spareCodes: string[]; coder: number }[] = [];
  for (let c = 0; c < opts.coders; c++) {
    const username = `bench-coder-${c + 1}`;
    await createUser(db, { username, displayName: `Bench Coder ${c + 1}`, role: 'coder', passwordHash: opts.passwordHash }, null);
    manifest.coders.push({ username, notes: [] });
    for (let n = 0; n < opts.notesPerCoder; n++) {
      const count = opts.minSuggestions + Math.floor(rnd() * (opts.maxSuggestions - opts.minSuggestions + 1));
      // The note's codes and, after them, spare codes an "edit" decision can move to without duplicating one.
      const chosen = pick(count * 2);
      const onNote = chosen.slice(0, count);
      const setting = rnd() < opts.inpatientShare ? 'inpatient' : 'outpatient';
      let text = `Chief complaint: follow-up visit.\nHistory of present illness: patient seen for review of chronic and acute problems; medications reconciled, vitals stable.\nAssessment and plan:\n`;
      const suggestions: Suggestion[] = onNote.map((row, i) => {
        const line = `${i + 1}. ${row.description}; continue current management.\n`;
        const start = text.length + `${i + 1}. `.length;
        text += line;
        // About one in ten arrives as a header needing specificity: the coder must edit it to a billable code.
        const vague = rnd() < 0.1;
        return {
          system: 'ICD10CM',
          code: vague ? row.code.slice(0, 3) : row.code,
          description: row.description,
          evidence: [{ start, end: start + row.description.length, quote: row.description }],
          context: NO_CONTEXT,
          confidence: Math.round((0.5 + rnd() * 0.5) * 1000) / 1000,
          kind: vague ? 'needs_specificity' : 'final',
          rationale: { matched: row.description, matchKind: 'index', rules: [], reminders: [] },
          source: 'offline',
          versions: { engine: 'bench-1', prompt: null, model: null, embedder: null },
        };
      });
      drafts.push({
        text,
        encounter: { setting, dateOfService: DATE_OF_SERVICE },
        externalId: `bench-${c + 1}-${n + 1}`,
        suggestions,
        spareCodes: chosen.slice(count).map((r) => r.code),
        coder: c,
      });
    }
  }

  const inserted = await insertNotes(
    db,
    drafts.map((d) => ({ text: d.text, encounter: d.encounter, externalId: d.externalId, format: 'json' as const })),
  );
  const draftById = new Map(inserted.map((row, i) => [row.id, drafts[i]!]));
  // As the worker stores a run: claim the oldest queued note, store its suggestions (→ "suggested").
  for (let claimed = await claimNextNote(db, { workerId: 'bench', leaseMs: 60_000 }); claimed; claimed = await claimNextNote(db, { workerId: 'bench', leaseMs: 60_000 })) {
    const draft = draftById.get(claimed.id);
    if (!draft) throw new Error(`note ${claimed.id} is not one of the bench notes (was the database fresh?)`);
    await storeSuggestions(db, { id: claimed.id, version: claimed.version, workerId: 'bench', engineVersion: 'bench-1', suggestions: draft.suggestions, warnings: [] });
    manifest.suggestions += draft.suggestions.length;
  }
  const versions = new Map((await db.select({ id: notes.id, version: notes.version }).from(notes)).map((r) => [r.id, r.version]));
  for (const [id, draft] of draftById) manifest.coders[draft.coder]!.notes.push({ id, version: versions.get(id)!, spareCodes: draft.spareCodes });
  return manifest;
}
