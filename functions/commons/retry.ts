/**
 * The one retry of Gatehouse's exactly-once writes: a writer that lost a race (a transaction conflict, a version
 * that moved) decides again after an exponential backoff with jitter, so writers that met once do not meet again.
 * `sleep` and `random` are injected: a test runs every attempt at once and knows every delay.
 */
export interface Backoff {
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), like Math.random. */
  random(): number;
}

export const realBackoff: Backoff = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The delay after attempt `attempt` (1, 2, …) lost: 10 ms, 20 ms, … up to 200 ms, each between half and one and a half times. */
export function backoffMs(attempt: number, random: () => number): number {
  return Math.min(200, 5 * 2 ** attempt) * (0.5 + random());
}

/** What an attempt says when it lost: try again after the backoff, or at once (it learnt something, no race to wait out). */
export const again = Symbol('again after a backoff');
export const againAtOnce = Symbol('again at once');
export type Again = typeof again | typeof againAtOnce;

/**
 * Runs `attempt` (numbered from 1) until it returns something other than `again`/`againAtOnce`, at most
 * `attempts` times; then throws the error `exhausted` makes.
 */
export async function retrying<T>(
  options: { attempts: number; backoff?: Backoff; exhausted: () => Error },
  attempt: (n: number) => Promise<T | Again>,
): Promise<T> {
  const backoff = options.backoff ?? realBackoff;
  for (let n = 1; n <= options.attempts; n++) {
    const result = await attempt(n);
    if (result === againAtOnce) continue;
    if (result !== again) return result as T;
    if (n < options.attempts) await backoff.sleep(backoffMs(n, backoff.random));
  }
  throw options.exhausted();
}
