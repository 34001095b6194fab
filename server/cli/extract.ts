// `medcode extract`: notes from a JSONL file through the engine into a JSONL file of suggestions, resumable.
import fs from 'node:fs';
import readline from 'node:readline';
import { z } from 'zod';
import { describeError } from '../errors.ts';
import type { Suggester } from '../notes/suggester.ts';
import { EncounterSchema } from '../pipeline/types.ts';

const InputLineSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]),
  text: z.string(),
  encounter: EncounterSchema,
});

/** A line of the input file that is not a valid note; `line` is 1-based. */
export class ExtractInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ExtractInputError';
  }
}

export interface ExtractOptions {
  inFile: string;
  outFile: string;
  suggester: Suggester;
  /** Notes run at once (default 1). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ExtractResult {
  /** Notes written by this run. */
  written: number;
  /** Notes skipped because the output file already had them. */
  skipped: number;
  /** Notes the engine failed on: not written, so a re-run tries them again. */
  failed: { id: string | number; error: string }[];
}

/**
 * Runs every note of `inFile` (JSONL of {id, text, encounter}) through the suggester and appends one
 * line {id, suggestions, warnings} per note to `outFile`. The whole input is validated first (a bad line
 * throws ExtractInputError naming it, before any work); ids already in `outFile` are skipped, so an
 * interrupted run continues where it stopped. Output lines are in completion order.
 */
export async function extractNotes(opts: ExtractOptions): Promise<ExtractResult> {
  const ids = await validateInput(opts.inFile);
  const done = readDoneIds(opts.outFile);
  const todo = ids.filter((id) => !done.has(String(id))).length;
  const result: ExtractResult = { written: 0, skipped: ids.length - todo, failed: [] };
  opts.onProgress?.(0, todo);

  const out = fs.openSync(opts.outFile, 'a');
  try {
    const pending = readNotes(opts.inFile, done);
    let finished = 0;
    const worker = async () => {
      for (;;) {
        const next = await pending.next();
        if (next.done) return;
        const note = next.value;
        try {
          const { suggestions, warnings } = await opts.suggester.suggest({ text: note.text, encounter: note.encounter });
          // One write per line: a crash leaves at most one partial last line, which the next run drops.
          fs.writeSync(out, JSON.stringify({ id: note.id, suggestions, warnings }) + '\n');
          result.written++;
        } catch (err) {
          result.failed.push({ id: note.id, error: describeError(err) });
        }
        opts.onProgress?.(++finished, todo);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  } finally {
    fs.closeSync(out);
  }
  return result;
}

async function* lines(file: string): AsyncGenerator<{ n: number; line: string }> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() !== '') yield { n, line };
  }
}

function parseLine(file: string, n: number, line: string): z.infer<typeof InputLineSchema> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new ExtractInputError(file, n, 'not valid JSON');
  }
  const parsed = InputLineSchema.safeParse(json);
  if (!parsed.success) throw new ExtractInputError(file, n, parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Every note's id, in order; throws on the first bad line or a repeated id. */
async function validateInput(file: string): Promise<(string | number)[]> {
  const ids: (string | number)[] = [];
  const seen = new Map<string, number>();
  for await (const { n, line } of lines(file)) {
    const { id } = parseLine(file, n, line);
    const first = seen.get(String(id));
    if (first !== undefined) throw new ExtractInputError(file, n, `id ${JSON.stringify(id)} repeats line ${first}`);
    seen.set(String(id), n);
    ids.push(id);
  }
  return ids;
}

// Re-reads the validated file lazily: the notes are never all in memory at once.
async function* readNotes(file: string, skip: Set<string>) {
  for await (const { n, line } of lines(file)) {
    const note = parseLine(file, n, line);
    if (!skip.has(String(note.id))) yield note;
  }
}

/**
 * Ids already in the output file. A last line without its newline is what an interrupted write leaves:
 * it is cut off (and its note done again). A broken line elsewhere is not ours to overwrite: it throws.
 */
function readDoneIds(file: string): Set<string> {
  const done = new Set<string>();
  if (!fs.existsSync(file)) return done;
  let content = fs.readFileSync(file, 'utf8');
  if (content !== '' && !content.endsWith('\n')) {
    content = content.slice(0, content.lastIndexOf('\n') + 1);
    fs.truncateSync(file, Buffer.byteLength(content, 'utf8'));
  }
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const { id } = z.object({ id: z.union([z.string(), z.number()]) }).parse(JSON.parse(line));
      done.add(String(id));
    } catch {
      throw new ExtractInputError(file, i + 1, 'the output file has a line that is not {id, …} JSON; fix or move the file');
    }
  });
  return done;
}
