/**
 * Failed logins per username in a sliding window, in memory (one process). After `max` failures within
 * `windowMs` further attempts for that username are refused — even with the right password — until the
 * oldest failure leaves the window. A success clears the username's count.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: { max: number; windowMs: number; now: () => number; maxKeys?: number } = { max: 5, windowMs: 60_000, now: Date.now },
  ) {}

  /** Milliseconds until `username` may try again, or 0 when it may try now. */
  retryAfterMs(username: string): number {
    const recent = this.recent(username);
    if (recent.length < this.opts.max) return 0;
    return recent[recent.length - this.opts.max]! + this.opts.windowMs - this.opts.now();
  }

  recordFailure(username: string): void {
    const key = username.toLowerCase();
    const recent = this.recent(key);
    recent.push(this.opts.now());
    this.failures.delete(key); // re-insert: Map order is then oldest-touched first
    this.failures.set(key, recent);
    const maxKeys = this.opts.maxKeys ?? 10_000;
    // A flood of distinct usernames must not grow memory without bound: forget the least recently failed.
    while (this.failures.size > maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private recent(username: string): number[] {
    const since = this.opts.now() - this.opts.windowMs;
    return (this.failures.get(username.toLowerCase()) ?? []).filter((t) => t > since);
  }
}
