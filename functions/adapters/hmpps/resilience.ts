/**
 * How Gatehouse calls an API that may be slow or down: a few attempts with exponential backoff and full jitter,
 * and a short circuit breaker per API so that a dead API is not hammered by every event of a burst (and events
 * do not each wait out every retry). Time, sleep and randomness are passed in, so tests drive them.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first backoff; each next one doubles, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 3, backoffMs: 200, maxBackoffMs: 2000 };

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random wait up to the capped exponential. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export interface BreakerPolicy {
  /** Consecutive failed calls (each after its retries) that open the circuit. */
  failuresToOpen: number;
  /** How long an open circuit refuses calls before letting one through to try. */
  openForMs: number;
}

export const defaultBreaker: BreakerPolicy = { failuresToOpen: 5, openForMs: 30_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Closed: calls pass; `failuresToOpen` failures in a row open it. Open: calls are refused until `openForMs` has
 * passed. Then half-open: one call passes (the others are still refused); its success closes the circuit, its
 * failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trial = false;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => number,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.policy.openForMs ? 'half-open' : 'open';
  }

  /** May a call go now? In half-open only the first asker may, until it reports. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trial) return false;
    this.trial = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trial = false;
  }

  failed(): void {
    this.trial = false;
    this.failures += 1;
    if (this.openedAt !== undefined || this.failures >= this.policy.failuresToOpen)
      this.openedAt = this.now();
  }
}
