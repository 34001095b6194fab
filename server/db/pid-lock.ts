import fs from 'node:fs';

/**
 * An exclusive lock file holding the owner's process id. A lock whose process no longer exists is taken
 * over. Unlike mtime-refreshing locks it needs no timer, so it stays valid while PGlite (WebAssembly)
 * blocks the event loop for minutes, e.g. while building an HNSW index.
 * Returns a release function, or null when a live process holds the lock.
 */
export function acquirePidLock(file: string): (() => void) | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid === process.pid || isAlive(pid)) return null;
      fs.rmSync(file, { force: true }); // the owner died without releasing it
    }
  }
  return null;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
