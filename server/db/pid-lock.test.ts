import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquirePidLock } from './pid-lock.ts';

describe('acquirePidLock', () => {
  const file = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-lock-')), 'x.pid');

  it('is exclusive while held and free after release', () => {
    const f = file();
    const release = acquirePidLock(f);
    expect(release).not.toBeNull();
    expect(acquirePidLock(f)).toBeNull();
    release!();
    const again = acquirePidLock(f);
    expect(again).not.toBeNull();
    again!();
  });

  it('takes over a lock left by a process that died', () => {
    const f = file();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(f, dead.stdout);
    const release = acquirePidLock(f);
    expect(release).not.toBeNull();
    expect(fs.readFileSync(f, 'utf8')).toBe(String(process.pid));
    release!();
  });
});
