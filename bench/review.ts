// `npm run bench -- review`: load on the review workspace API. N simulated coders (one autocannon connection
// each, no think time) claim one of their own notes, open it, decide every suggestion (accept / reject /
// edit) with the version they last read, sequence the principal diagnosis of an inpatient note, finalize,
// and go on to their next note. The server (bench/review-server.ts) runs in a child process on 127.0.0.1.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CSRF_HEADER } from '../server/auth/middleware.ts';
import { signIn, TEST_PASSWORD } from '../server/auth/testing.ts';
import { REJECT_REASON_CHOICES } from '../server/db/schema/index.ts';
import { DRIVERS, type DriverKind } from '../server/db/testing.ts';
import { seededRandom } from '../server/seeded-random.ts';
import type { SeedManifest, SeedOptions } from './review-seed.ts';
import { pct } from './stats.ts';

const KINDS = ['claim', 'open', 'decision', 'sequence', 'finalize'] as const;
type Kind = (typeof KINDS)[number];
/** Issue target: p95 of decision requests on the embedded database. */
const DECISION_P95_TARGET_MS = 200;
/** A step answered 409 "stale" this often is given up (the note is then abandoned and counted). */
const MAX_RETRIES = 5;
/** Generous: at 50 connections on a busy 2-core machine the first claims queue for many seconds. */
const REQUEST_TIMEOUT_S = 120;

interface Coder {
  username: string;
  headers: Record<string, string>;
  notes: SeedManifest['coders'][number]['notes'];
  next: number;
}
type DecisionBody = { action: 'accept'; suggestionId: string } | { action: 'reject'; suggestionId: string; reason: string } | { action: 'edit'; suggestionId: string; code: string };
type Step = { kind: 'open' } | { kind: 'decision'; body: DecisionBody } | { kind: 'sequence' } | { kind: 'finalize' };
/** One connection's note in progress (autocannon resets it when its request list wraps to the claim). */
interface NoteContext {
  coder?: Coder;
  note?: Coder['notes'][number];
  version?: number;
  steps?: Step[];
  planned?: boolean;
  inpatient?: boolean;
  kept?: string[];
  retries?: number;
  done?: boolean;
  kind?: Kind | 'idle';
}
/** One entry of autocannon's request list, with the functions (not module paths) it may also hold. */
interface FlowRequest extends autocannon.Request {
  setupRequest: (req: autocannon.Request, context: object) => autocannon.Request;
  onResponse: (status: number, body: string, context: object, headers: autocannon.Request['headers']) => void;
}
interface NoteJson {
  version: number;
  encounter: { setting: string };
  suggestions: { id: string; kind: 'final' | 'needs_specificity' }[];
}

export interface ReviewBenchOptions {
  coders: number;
  connections: number;
  durationS: number;
  /** Re-read the note after every write, as the web app does (NoteReview.write → load). */
  reload: boolean;
  /** 0: closed loop (autocannon, no pause). Otherwise each coder pauses ~thinkMs (exponential) before every request. */
  thinkMs: number;
  seed: Omit<SeedOptions, 'passwordHash' | 'coders'>;
}

/** The database path of the server: embedded PGlite, or postgres.js over a wire server (pglite-socket, as the tests run it). */
export type BenchDriver = DriverKind;

export function parseReviewArgs(argv: string[]): ReviewBenchOptions & { json: boolean; drivers: BenchDriver[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      coders: { type: 'string', default: '50' },
      connections: { type: 'string' },
      duration: { type: 'string', default: '60' },
      notes: { type: 'string', default: '15' },
      reload: { type: 'boolean', default: false },
      'think-ms': { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      driver: { type: 'string', default: 'both' },
    },
  });
  if (!['pglite', 'postgres', 'both'].includes(values.driver)) throw new Error(`--driver must be pglite, postgres or both (got "${values.driver}")`);
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
    return n;
  };
  const coders = int('coders', values.coders);
  const connections = values.connections ? int('connections', values.connections) : coders;
  // A connection works as one coder at a time: more connections than coders would have nothing to send.
  if (connections > coders) throw new Error(`--connections (${connections}) cannot exceed --coders (${coders})`);
  return {
    coders,
    connections,
    durationS: int('duration', values.duration),
    reload: values.reload,
    thinkMs: values['think-ms'] === '0' ? 0 : int('think-ms', values['think-ms']),
    json: values.json,
    drivers: values.driver === 'both' ? [...DRIVERS] : [values.driver as BenchDriver],
    seed: { notesPerCoder: int('notes', values.notes), minSuggestions: 20, maxSuggestions: 60, inpatientShare: 0.3 },
  };
}

/** Starts the server child and resolves when it has seeded and listens. */
function startServer(opts: ReviewBenchOptions, driver: BenchDriver): Promise<{ child: ChildProcess; url: string; manifest: SeedManifest; copiedMs: number; seededMs: number }> {
  const child = fork(path.join(import.meta.dirname, 'review-server.ts'), [], {
    execArgv: ['--import', 'tsx', ...(process.env.MEDCODE_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MEDCODE_BENCH_PROF}`] : [])],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', MEDCODE_BENCH_DRIVER: driver, MEDCODE_BENCH_SEED: JSON.stringify({ ...opts.seed, coders: opts.coders }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited (code ${code}) before it was ready`)));
    child.once('message', (m: { url: string; manifest: SeedManifest; copiedMs: number; seededMs: number }) => resolve({ child, ...m }));
  });
}

/** CPU milliseconds (user + system) the server child has used so far. */
function serverCpuMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; cpuMs?: number }) => {
      if (m.type !== 'cpu') return;
      child.off('message', onMessage);
      resolve(m.cpuMs!);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu' });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** The decisions a coder makes on a note: headers are edited to a billable code; of the rest ~70% accepted, ~20% rejected, ~10% edited. */
function planDecisions(note: NoteJson, spareCodes: string[], seed: number): Step[] {
  const rnd = seededRandom(seed);
  const reasons = REJECT_REASON_CHOICES.filter((r) => r !== 'other');
  let spare = 0;
  return note.suggestions.map((s): Step => {
    const r = rnd();
    if (s.kind === 'needs_specificity' || r >= 0.9) return { kind: 'decision', body: { action: 'edit', suggestionId: s.id, code: spareCodes[spare++]! } };
    if (r < 0.7) return { kind: 'decision', body: { action: 'accept', suggestionId: s.id } };
    return { kind: 'decision', body: { action: 'reject', suggestionId: s.id, reason: reasons[Math.floor(rnd() * reasons.length)]! } };
  });
}

export interface KindStats {
  count: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
}
export interface ReviewBenchResult {
  driver: BenchDriver;
  coders: number;
  connections: number;
  reload: boolean;
  thinkMs: number;
  seconds: number;
  requests: number;
  rps: number;
  notesFinalized: number;
  notesAbandoned: number;
  seeded: { notes: number; suggestions: number; copySeconds: number; seedSeconds: number };
  kinds: Record<Kind | 'all', KindStats>;
  errors: { non2xx: number; stale409: number; byStatus: Record<string, number>; connectionErrors: number; timeouts: number };
  stoppedBecause: 'duration' | 'a coder ran out of notes' | 'a request timed out';
  /** 1-minute load average at the start and end of the load: on a shared machine, what else was running. */
  loadAverage: { start: number; end: number };
  /**
   * CPU time of the server process per request during the load (all kinds together): what a request costs
   * whatever else the machine runs; 1000 / cpuMsPerRequest is the req/s one core could serve.
   */
  serverCpuMsPerRequest: number;
  decisionP95TargetMs: number;
  decisionP95Met: boolean;
}

export async function runReviewBench(opts: ReviewBenchOptions, driver: BenchDriver = 'pglite'): Promise<ReviewBenchResult> {
  const server = await startServer(opts, driver);
  try {
    const { url, manifest } = server;
    // Real sign-in over HTTP: the session cookie and the CSRF token each later request carries.
    // signIn sends the Origin of app.request() (http://localhost); a real server on 127.0.0.1 needs its own.
    const http = { request: (p: string, init?: RequestInit) => fetch(url + p, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: url } }) };
    const coders: Coder[] = await Promise.all(
      manifest.coders.map(async (c) => {
        const session = await signIn(http, c.username, TEST_PASSWORD);
        return { username: c.username, notes: c.notes, next: 0, headers: { cookie: session.headers.cookie!, [CSRF_HEADER]: session.csrfToken, origin: url } };
      }),
    );
    // A stack, so the coder a connection just released is the one it takes next: one coder per connection.
    const free = [...coders].reverse();
    const latencies: Record<Kind, number[]> = { claim: [], open: [], decision: [], sequence: [], finalize: [] };
    const byStatus: Record<string, number> = {};
    let completed: { kind: Kind | 'idle'; status: number } | undefined;
    let notesFinalized = 0;
    let notesAbandoned = 0;
    let stoppedBecause: ReviewBenchResult['stoppedBecause'] = 'duration';
    let instance: autocannon.Instance | undefined;

    const release = (ctx: NoteContext, finalized: boolean) => {
      ctx.done = true;
      if (finalized) notesFinalized++;
      else notesAbandoned++;
      if (ctx.coder) free.push(ctx.coder);
    };
    const parse = <T>(body: string): T | undefined => {
      try {
        return JSON.parse(body) as T;
      } catch {
        return undefined;
      }
    };
    // setupRequest's answer replaces the request autocannon built, so each carries the defaults along.
    const json = (req: autocannon.Request, ctx: NoteContext, method: 'POST' | 'PUT', p: string, body: object): autocannon.Request => ({
      ...req,
      method,
      path: p,
      headers: { ...ctx.coder!.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ version: ctx.version, ...body }),
    });

    const claim: FlowRequest = {
      setupRequest: (req, context) => {
        const ctx = context as NoteContext;
        const coder = free.pop();
        const note = coder?.notes[coder.next];
        if (!coder || !note) {
          // The steady state of N busy coders is over: stop (the request list must still send something now).
          // No free coder at all means a connection lost its coder to a timed-out request (autocannon moves on).
          if (coder) free.push(coder);
          if (instance) {
            stoppedBecause = coder ? 'a coder ran out of notes' : 'a request timed out';
            setImmediate(() => instance?.stop());
          }
          ctx.kind = 'idle';
          return { ...req, method: 'GET', path: '/health', headers: {} };
        }
        coder.next++;
        Object.assign(ctx, { coder, note, version: note.version, kind: 'claim', retries: 0 });
        return json(req, ctx, 'POST', `/api/notes/${note.id}/claim`, {});
      },
      onResponse: (status, body, context) => {
        const ctx = context as NoteContext;
        completed = { kind: ctx.kind!, status };
        if (ctx.kind === 'idle') return;
        if (status !== 200) return release(ctx, false);
        ctx.version = parse<{ version: number }>(body)!.version;
        ctx.steps = [{ kind: 'open' }];
      },
    };

    const step: FlowRequest = {
      setupRequest: (req, context) => {
        const ctx = context as NoteContext;
        const next = ctx.steps?.[0];
        if (ctx.done || !ctx.coder || !next) return undefined as unknown as autocannon.Request; // back to the claim
        ctx.kind = next.kind;
        const id = ctx.note!.id;
        if (next.kind === 'open') return { ...req, method: 'GET', path: `/api/notes/${id}`, headers: ctx.coder.headers };
        if (next.kind === 'decision') return json(req, ctx, 'POST', `/api/notes/${id}/decisions`, next.body);
        if (next.kind === 'sequence') return json(req, ctx, 'PUT', `/api/notes/${id}/sequence`, { order: ctx.kept });
        return json(req, ctx, 'POST', `/api/notes/${id}/finalize`, {});
      },
      onResponse: (status, body, context) => {
        const ctx = context as NoteContext;
        completed = { kind: ctx.kind!, status };
        if (status === 409) {
          // Stale: take the version the server reports and send the same change again (what the web app asks of the coder).
          const current = parse<{ error: { code: string; current?: { version: number } } }>(body)?.error.current;
          if (current && ++ctx.retries! <= MAX_RETRIES) ctx.version = current.version;
          else release(ctx, false);
          return;
        }
        if (status < 200 || status > 299) return release(ctx, false);
        const done = ctx.steps!.shift()!;
        if (done.kind === 'open') {
          const note = parse<NoteJson>(body)!;
          ctx.version = note.version;
          if (!ctx.planned) {
            ctx.planned = true;
            ctx.inpatient = note.encounter.setting === 'inpatient';
            ctx.kept = [];
            const writes: Step[] = [...planDecisions(note, ctx.note!.spareCodes, Number.parseInt(ctx.note!.id.slice(0, 8), 16)), ...(ctx.inpatient ? [{ kind: 'sequence' as const }] : []), { kind: 'finalize' }];
            ctx.steps = opts.reload ? writes.flatMap((w): Step[] => (w.kind === 'finalize' ? [w] : [w, { kind: 'open' }])) : writes;
          }
          return;
        }
        ctx.version = parse<{ version: number }>(body)!.version;
        if (done.kind === 'decision') {
          const d = parse<{ decision: { id: string; action: string } }>(body)!.decision;
          if (d.action !== 'reject') ctx.kept!.push(d.id);
        } else if (done.kind === 'finalize') {
          release(ctx, true);
        }
      },
    };

    // Room for the longest note: every step (with re-reads), plus retries; unused slots are skipped.
    const slots = 1 + (opts.seed.maxSuggestions + 3) * (opts.reload ? 2 : 1) + MAX_RETRIES + 2;
    const loadStart = os.loadavg()[0]!;
    const cpuStart = await serverCpuMs(server.child);
    const t0 = performance.now();
    const record = (c: typeof completed, statusCode: number, ms: number) => {
      if (!c || c.kind === 'idle') return;
      latencies[c.kind].push(ms);
      if (statusCode < 200 || statusCode > 299) byStatus[`${c.kind} ${statusCode}`] = (byStatus[`${c.kind} ${statusCode}`] ?? 0) + 1;
    };
    let transport = { errors: 0, timeouts: 0 };
    if (opts.thinkMs === 0) {
      // Closed loop: every connection sends its next request as soon as the answer arrives.
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        instance = autocannon(
          { url, connections: opts.connections, duration: opts.durationS, timeout: REQUEST_TIMEOUT_S, requests: [claim, ...Array.from({ length: slots - 1 }, () => step)] },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          record(completed, statusCode, responseTime);
          completed = undefined;
        });
      });
      transport = { errors: result.errors, timeouts: result.timeouts };
    } else {
      // Paced: the same requests, one fetch loop per coder with a random pause (exponential, mean thinkMs) before each.
      const deadline = t0 + opts.durationS * 1000;
      const think = () => new Promise((r) => setTimeout(r, Math.min(-Math.log(1 - Math.random()) * opts.thinkMs, deadline - performance.now())));
      const send = async (entry: FlowRequest, ctx: NoteContext): Promise<boolean> => {
        const req = entry.setupRequest({}, ctx);
        if (!req || ctx.kind === 'idle') return false;
        await think();
        if (performance.now() >= deadline) return false;
        const t = performance.now();
        try {
          const res = await fetch(url + req.path, { method: req.method!, headers: req.headers as Record<string, string>, ...(req.body ? { body: req.body as string } : {}), signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000) });
          const text = await res.text();
          const ms = performance.now() - t;
          entry.onResponse(res.status, text, ctx, {});
          record(completed, res.status, ms);
          return true;
        } catch (err) {
          if (err instanceof Error && err.name === 'TimeoutError') transport.timeouts++;
          else transport.errors++;
          release(ctx, false);
          return false;
        }
      };
      await Promise.all(
        Array.from({ length: opts.connections }, async () => {
          while (performance.now() < deadline) {
            const ctx: NoteContext = {};
            if (!(await send(claim, ctx))) break;
            while (await send(step, ctx));
            if (ctx.kind === 'idle') break;
          }
        }),
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpuMs = (await serverCpuMs(server.child)) - cpuStart;

    const stats = (xs: number[], non2xx: number): KindStats => ({ count: xs.length, rps: xs.length / seconds, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: xs.length === 0 ? NaN : xs.reduce((a, b) => Math.max(a, b)), non2xx });
    const non2xxOf = (k: Kind) => Object.entries(byStatus).filter(([key]) => key.startsWith(`${k} `)).reduce((n, [, v]) => n + v, 0);
    const kinds = Object.fromEntries(KINDS.map((k) => [k, stats(latencies[k], non2xxOf(k))])) as Record<Kind | 'all', KindStats>;
    const all = KINDS.flatMap((k) => latencies[k]);
    const non2xx = Object.values(byStatus).reduce((n, v) => n + v, 0);
    kinds.all = stats(all, non2xx);
    const stale409 = Object.entries(byStatus).filter(([key]) => key.endsWith(' 409')).reduce((n, [, v]) => n + v, 0);
    return {
      driver,
      coders: opts.coders,
      connections: opts.connections,
      reload: opts.reload,
      thinkMs: opts.thinkMs,
      seconds,
      requests: all.length,
      rps: all.length / seconds,
      notesFinalized,
      notesAbandoned,
      seeded: {
        notes: manifest.coders.reduce((n, c) => n + c.notes.length, 0),
        suggestions: manifest.suggestions,
        copySeconds: server.copiedMs / 1000,
        seedSeconds: server.seededMs / 1000,
      },
      kinds,
      errors: { non2xx, stale409, byStatus, connectionErrors: transport.errors, timeouts: transport.timeouts },
      stoppedBecause,
      loadAverage: { start: loadStart, end: os.loadavg()[0]! },
      serverCpuMsPerRequest: cpuMs / Math.max(1, all.length),
      decisionP95TargetMs: DECISION_P95_TARGET_MS,
      decisionP95Met: kinds.decision.p95 <= DECISION_P95_TARGET_MS,
    };
  } finally {
    await stopServer(server.child);
  }
}

/** The result as a table for the terminal. */
export function formatReviewBench(r: ReviewBenchResult): string {
  const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(1));
  const rows = ([...KINDS, 'all'] as const).map((k) => {
    const s = r.kinds[k];
    return [k, String(s.count), s.rps.toFixed(1), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), String(s.non2xx)];
  });
  const header = ['request', 'count', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const statuses = Object.entries(r.errors.byStatus).map(([k, v]) => `${k}: ${v}`).join(', ');
  return [
    `review load (${r.driver === 'pglite' ? 'embedded PGlite' : 'postgres.js over a pglite-socket wire server'}): ${r.coders} coders on ${r.connections} connections${r.reload ? ', note re-read after every write (as the web app does)' : ''}, ` +
      `${r.thinkMs === 0 ? 'no think time (closed loop, autocannon)' : `think time ~${r.thinkMs} ms before each request (fetch loops)`}; ` +
      `${r.seeded.notes} notes / ${r.seeded.suggestions} suggestions seeded`,
    `${r.seconds.toFixed(1)} s (stopped: ${r.stoppedBecause}; load average ${r.loadAverage.start.toFixed(1)} → ${r.loadAverage.end.toFixed(1)} on ${os.availableParallelism()} cores), ${r.requests} requests, ${r.rps.toFixed(1)} req/s, ${r.notesFinalized} notes finalized (${(r.notesFinalized / r.seconds).toFixed(2)}/s), ${r.notesAbandoned} abandoned`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `server CPU ${r.serverCpuMsPerRequest.toFixed(2)} ms per request (≈ ${(1000 / r.serverCpuMsPerRequest).toFixed(0)} req/s on one free core)`,
    `errors: ${r.errors.non2xx} non-2xx (${r.errors.stale409} × 409)${statuses ? ` [${statuses}]` : ''}, ${r.errors.connectionErrors} connection errors, ${r.errors.timeouts} timeouts`,
    `decision p95 ${ms(r.kinds.decision.p95)} ms: target ≤ ${r.decisionP95TargetMs} ms ${r.decisionP95Met ? 'met' : 'NOT met'}`,
  ].join('\n');
}

/** Two runs (embedded and postgres.js) side by side: p50 / p95 per request kind. */
export function formatReviewComparison(runs: ReviewBenchResult[]): string {
  const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(0));
  const header = ['request', ...runs.flatMap((r) => [`${r.driver} p50`, `${r.driver} p95`])];
  const rows = ([...KINDS, 'all'] as const).map((k) => [k, ...runs.flatMap((r) => [ms(r.kinds[k].p50), ms(r.kinds[k].p95)])]);
  rows.push(['req/s', ...runs.flatMap((r) => [r.rps.toFixed(1), ''])]);
  rows.push(['CPU ms/req', ...runs.flatMap((r) => [r.serverCpuMsPerRequest.toFixed(2), ''])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return ['side by side (ms):', line(header), ...rows.map(line)].join('\n');
}
