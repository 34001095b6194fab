import cliProgress from 'cli-progress';

/** A progress bar on stderr with rows/s and ETA; on a non-terminal it prints a line every few seconds. */
export function progressBar(label: string) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
      etaBuffer: 20,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let t0 = 0;
  return {
    update(done: number, total: number) {
      if (!started) {
        started = true;
        t0 = performance.now();
        bar.start(total, done, { rate: '0' });
      }
      bar.setTotal(total);
      const secs = (performance.now() - t0) / 1000;
      bar.update(done, { rate: secs > 0 ? Math.round(done / secs).toLocaleString('en-US') : '0' });
    },
    /** Idempotent: a `finally` may stop a bar that was already stopped. */
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
