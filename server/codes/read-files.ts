import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Reads a code-set file as UTF-8 text, gunzipping `.gz` files. */
export function readCodeSetFile(file: string): string {
  const buf = fs.readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** sha256 over the files' bytes and a salt (bump the salt when a parser changes what it produces). */
export function checksumFiles(files: string[], salt: string): string {
  const h = createHash('sha256').update(salt);
  for (const f of files) h.update(path.basename(f)).update(fs.readFileSync(f));
  return h.digest('hex');
}
