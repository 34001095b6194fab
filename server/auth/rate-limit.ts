import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginThrottlePolicy {
  /** Consecutive failures of one username from one client address before a lockout. */
  maxConsecutive: number;
  /** The first lockout; each further one the same day doubles it, up to `maxLockoutSeconds`. */
  lockoutSeconds: number;
  maxLockoutSeconds: number;
  /** Failures from one address across all usernames in a day (password spraying) before that address is locked for an hour. */
  maxPerAddressPerDay: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = { maxConsecutive: 5, lockoutSeconds: 60, maxLockoutSeconds: 3600, maxPerAddressPerDay: 100 };

const DAY = 24 * 3600;

/**
 * Failed sign-ins, in memory (one process), counted per username AND client address (rate-limiter-flexible's
 * brute-force pattern): a guesser locks out only their own address, so the user signs in from theirs with the
 * right password. Lockouts back off (60 s, 120 s, 240 s … ≤ 1 h); a success clears the pair. One address
 * failing across many usernames is locked on its own. Expired records leave memory on their own timers.
 */
export class LoginThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly lockouts: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE) {
    // Consecutive failures are forgotten a quarter of an hour after the first, lockouts after a day.
    this.failures = new RateLimiterMemory({ keyPrefix: 'login-fail', points: policy.maxConsecutive, duration: 15 * 60 });
    this.lockouts = new RateLimiterMemory({ keyPrefix: 'login-lockout', points: 1_000, duration: DAY });
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'login-fail-address', points: policy.maxPerAddressPerDay, duration: DAY, blockDuration: 3600 });
  }

  /** Milliseconds until `username` may try again from `address`, or 0 when it may try now. */
  async retryAfterMs(username: string, address: string): Promise<number> {
    const [pair, fromAddress] = await Promise.all([this.failures.get(pairKey(username, address)), this.byAddress.get(address)]);
    return Math.max(lockedFor(pair, this.policy.maxConsecutive), lockedFor(fromAddress, this.policy.maxPerAddressPerDay));
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const key = pairKey(username, address);
    await this.byAddress.consume(address).catch(() => undefined); // over the daily limit: consume blocks the address itself
    const failures = await this.failures.penalty(key);
    if (failures.consumedPoints < this.policy.maxConsecutive) return;
    const lockouts = (await this.lockouts.penalty(key)).consumedPoints;
    await this.failures.block(key, Math.min(this.policy.lockoutSeconds * 2 ** (lockouts - 1), this.policy.maxLockoutSeconds));
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    const key = pairKey(username, address);
    await Promise.all([this.failures.delete(key), this.lockouts.delete(key)]);
  }
}

const pairKey = (username: string, address: string) => `${username.toLowerCase()}\n${address}`;

// A record past its expiry can linger until its timer runs: only a live one over the limit locks.
function lockedFor(res: RateLimiterRes | null, points: number): number {
  return res && res.consumedPoints > points && res.msBeforeNext > 0 ? res.msBeforeNext : 0;
}
