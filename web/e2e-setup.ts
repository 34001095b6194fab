// Browser-test support shared by web/*.test.ts: the real server (createApp + the built web app, on a free
// port, a fresh data directory) driven in Debian's Chromium by playwright-core. The database is a fresh PGlite
// with a small ICD-10-CM slice (enough for the type-ahead, the hierarchy panel and for validating edited and
// added codes), the demo users, and notes whose suggestions are stored as the worker would store them; the
// full code-set load takes minutes and tests nothing here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/client.ts';
import { claimNextNote, insertNotes, storeSuggestions, type NewNote } from '../server/db/queries/notes.ts';
import { codeNotes, codes, codeSetVersions, codeTerms } from '../server/db/schema/index.ts';
import { freshDatabase } from '../server/db/testing.ts';
import { startRunWorker, type RunWorker } from '../server/evaluation/run-worker.ts';
import type { Suggester } from '../server/notes/suggester.ts';
import { fakeSuggester } from '../server/notes/testing.ts';
import type { Suggestion } from '../server/pipeline/types.ts';
import { DEMO_USERS, seedDemo } from '../server/review/seed.ts';
import { serveWebApp } from '../server/web-app.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = path.join(import.meta.dirname, 'test-results');
export const PASSWORD = 'e2e-demo-password';
// The machine's network is closed: without these, Chromium's background connections fail, many at a time.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Whether the browser tests can run here (CI installs Chromium; elsewhere they are skipped with a warning). */
export function browserAvailable(testFile: string): boolean {
  const ok = fs.existsSync(CHROMIUM) || !!process.env.CI;
  if (!ok) console.warn(`${testFile} skipped: ${CHROMIUM} is missing (apt-get install -y chromium). CI installs it and runs this test.`);
  return ok;
}

/** Selects `phrase` in the rendered note with the DOM Selection API, as a mouse drag would. */
export async function selectInNote(page: Page, phrase: string): Promise<void> {
  await page.evaluate((phrase) => {
    const root = document.querySelector('[data-testid="note-text"]')!;
    const start = root.textContent!.indexOf(phrase);
    if (start < 0) throw new Error(`"${phrase}" is not shown`);
    const end = start + phrase.length;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let pos = 0;
    let started = false;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const len = n.textContent!.length;
      if (!started && start < pos + len) {
        range.setStart(n, start - pos);
        started = true;
      }
      if (started && end <= pos + len) {
        range.setEnd(n, end - pos);
        break;
      }
      pos += len;
    }
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
  }, phrase);
}

/** A note of a test and, optionally, the suggestions the engine "made" (else the fake engine's). */
export interface TestNote {
  note: NewNote;
  suggestions?: Suggestion[];
}

export interface Workspace {
  base: string;
  database: Database;
  /** Ids of the test's notes, in the order given. */
  noteIds: string[];
  /** A fresh browser context signed in (demo users all have PASSWORD). */
  signIn(username: string, password?: string): Promise<Page>;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  /** The server's coding engine, with a run worker for evaluation runs (default: none, POST /api/runs answers 503). */
  engine?: Suggester;
}

/** Every file the web build reads, hashed: the key of a cached build. */
function webSourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const files = [...walk(path.join(ROOT, 'web/src')), path.join(ROOT, 'web/index.html'), path.join(ROOT, 'web/vite.config.ts'), path.join(ROOT, 'package-lock.json')].sort();
  for (const f of files) hash.update(path.relative(ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The web app built (as `npm run build:web` does) once per source state into .medcode-test/web-<hash>/:
 * the browser test files share it instead of each building it again. Each builder writes its own temp
 * directory and renames it into place; a loser of that race uses the winner's identical build.
 */
function builtWebApp(): string {
  const target = path.join(ROOT, '.medcode-test', `web-${webSourceHash()}`);
  if (fs.existsSync(path.join(target, 'index.html'))) return target;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const out = fs.mkdtempSync(`${target}.building-`);
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  try {
    fs.renameSync(out, target);
  } catch {
    fs.rmSync(out, { recursive: true, force: true });
  }
  // Builds of earlier source states are not needed again.
  for (const old of fs.readdirSync(path.dirname(target))) {
    if (/^web-[0-9a-f]{16}$/.test(old) && path.join(path.dirname(target), old) !== target) fs.rmSync(path.join(path.dirname(target), old), { recursive: true, force: true });
  }
  return target;
}

/**
 * Builds the web app (once per source state, see builtWebApp), opens a fresh database with the
 * code slice, stores `notes` (before the demo seed: the queue hands out the oldest queued note first),
 * seeds the demo users and notes, codes every note, serves it all and launches Chromium.
 */
export async function startWorkspace(notes: TestNote[], opts: WorkspaceOptions = {}): Promise<Workspace> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-e2e-'));
  fs.mkdirSync(RESULTS, { recursive: true });
  const webDist = builtWebApp();

  const config = loadConfig({ MEDCODE_DATA_DIR: tmp, LOG_LEVEL: 'silent', MEDCODE_DEMO_PASSWORD: PASSWORD });
  const database = await freshDatabase('pglite', path.join(config.dataDir, 'pglite'));
  await loadCodeSlice(database);
  const mine = await insertNotes(database.db, notes.map((n) => n.note));
  const noteIds = mine.map((n) => n.id);
  const seed = await seedDemo(database.db, { password: PASSWORD });
  if (seed?.users.map((u) => u.username).join() !== DEMO_USERS.map((u) => u.username).join()) throw new Error('the demo seed did not create the demo users');
  const engine = fakeSuggester({ engineVersion: 'e2e' });
  const lease = { workerId: 'e2e', leaseMs: 60_000 };
  for (let n = await claimNextNote(database.db, lease); n; n = await claimNextNote(database.db, lease)) {
    const given = notes[noteIds.indexOf(n.id)]?.suggestions;
    const result = given ? { suggestions: given, warnings: [] } : await engine.suggest(n);
    await storeSuggestions(database.db, { id: n.id, version: n.version, workerId: lease.workerId, engineVersion: 'e2e', ...result });
  }

  // Evaluation runs need an engine and the run worker; the review pages need neither.
  const runWorker: RunWorker | undefined = opts.engine ? startRunWorker(database.db, opts.engine, { logger: { info() {}, error() {} } }) : undefined;
  const app = serveWebApp(createApp({ db: database.db, embedder: null, suggester: opts.engine ?? null, runWorker, config, databaseKind: database.kind }), webDist);
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
  });
  const base = `http://127.0.0.1:${port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];

  return {
    base,
    database,
    noteIds,
    async signIn(username, password = PASSWORD) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[${username} page error]`, err));
      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('who').waitFor();
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await runWorker?.stop();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
      await database.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A tiny ICD-10-CM release with its search terms and a few tabular notes: what the type-ahead finds, what the hierarchy panel shows and what edit/add validate against. */
async function loadCodeSlice(database: Database): Promise<void> {
  const [release] = await database.db
    .insert(codeSetVersions)
    .values({ system: 'ICD10CM', version: 'FY2026', effectiveFrom: '2025-10-01', effectiveTo: '2026-09-30', checksum: 'e2e', sources: [] })
    .returning();
  const rows: [code: string, billable: boolean, desc: string, parent: string | null][] = [
    ['E11', false, 'Type 2 diabetes mellitus', null],
    ['E11.6', false, 'Type 2 diabetes mellitus with other specified complications', 'E11'],
    ['E11.65', true, 'Type 2 diabetes mellitus with hyperglycemia', 'E11.6'],
    ['E11.69', true, 'Type 2 diabetes mellitus with other specified complication', 'E11.6'],
    ['E11.9', true, 'Type 2 diabetes mellitus without complications', 'E11'],
    ['E78', false, 'Disorders of lipoprotein metabolism and other lipidemias', null],
    ['E78.2', true, 'Mixed hyperlipidemia', 'E78'],
    ['E78.5', true, 'Hyperlipidemia, unspecified', 'E78'],
    ['I10', true, 'Essential (primary) hypertension', null],
    ['I50', false, 'Heart failure', null],
    ['I50.2', false, 'Systolic (congestive) heart failure', 'I50'],
    ['I50.23', true, 'Acute on chronic systolic (congestive) heart failure', 'I50.2'],
    ['I50.9', true, 'Heart failure, unspecified', 'I50'],
    ['J18.9', true, 'Pneumonia, unspecified organism', null],
    ['R73.9', true, 'Hyperglycemia, unspecified', null],
    ['Z79.4', true, 'Long term (current) use of insulin', null],
  ];
  await database.db.insert(codes).values(
    rows.map(([code, billable, desc, parent], ord) => ({ versionId: release!.id, system: 'ICD10CM', code, billable, shortDesc: desc, longDesc: desc, ord, parent, category: code.slice(0, 3) })),
  );
  await database.db.insert(codeTerms).values(
    rows.map(([code, , desc]) => ({
      versionId: release!.id,
      system: 'ICD10CM',
      code,
      kind: 'title',
      source: 'tabular',
      text: desc,
      textHash: createHash('sha1').update(desc.toLowerCase()).digest('hex'),
    })),
  );
  const notes: [code: string, kind: string, text: string][] = [
    ['E11', 'includes', 'diabetes (mellitus) due to insulin secretory defect'],
    ['E11', 'excludes1', 'diabetes mellitus due to underlying condition (E08.-)'],
    ['E11', 'use_additional', 'Use additional code to identify control using: insulin (Z79.4)'],
    ['E11.69', 'use_additional', 'Use additional code to identify complication'],
  ];
  await database.db.insert(codeNotes).values(notes.map(([code, kind, text]) => ({ versionId: release!.id, code, kind, text, source: 'e2e' })));
}
