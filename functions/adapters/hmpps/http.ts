/**
 * One HMPPS API behind HMPPS Auth, read with GET: the bearer token from the shared token source, a timeout on
 * every attempt, retries with backoff and jitter on what may pass (429, 5xx, no answer, no connection), and the
 * API's circuit breaker. Every way it can end is a SourceOutcome, counted:
 *  - 404 is `not-found` at once (a person HMPPS does not know is an answer, not a fault);
 *  - 401/403 forgets the token and tries once more with a fresh one, then is `refused`, naming the status;
 *  - any other 4xx is `refused` without retrying; an answer without a field Gatehouse relies on is `invalid-response`.
 * Reasons and log lines name the API, the status and the attempts, never the URL (it holds the prison number),
 * the token or anything in the answer.
 */
import type * as z from 'zod';
import type { SourceOutcome, UnavailableCause } from '#use-cases/release-facts-ports';
import { backoffDelay, type CircuitBreaker, type RetryPolicy } from './resilience';
import { InvalidResponse, readResponse } from './responses';
import { TokenError, type TokenSource } from './token';

/** Counters of calls to HMPPS APIs; each is counted with the API's name as its dimension. */
export type HmppsMetric =
  | 'hmppsRequests'
  | 'hmppsRetries'
  | 'hmppsFailures'
  | 'hmppsNotFound'
  | 'hmppsTokenRefused'
  | 'hmppsInvalidResponses'
  | 'hmppsCircuitOpen';

export interface HmppsApiOptions {
  /** The API's name in words ("Prisoner Search"): used in reasons and as the metrics dimension. */
  name: string;
  baseUrl: string;
  tokens: TokenSource;
  breaker: CircuitBreaker;
  retry: RetryPolicy;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => Date;
  count: (metric: HmppsMetric, api: string) => void;
  warn?: (message: string, fields: Record<string, string | number>) => void;
  fetch?: typeof fetch;
}

export interface HmppsApi {
  get<S extends z.ZodType>(path: string, schema: S): Promise<SourceOutcome<z.infer<S>>>;
}

type Attempt<T> =
  | { done: SourceOutcome<T> }
  | { retry: { cause: UnavailableCause; what: string } }
  | { refreshToken: string; status: number };

export function hmppsApi(options: HmppsApiOptions): HmppsApi {
  const doFetch = options.fetch ?? fetch;
  const { name, breaker, retry, count } = options;
  const unavailable = (cause: UnavailableCause, reason: string) =>
    ({ outcome: 'unavailable', cause, reason }) as const;

  async function attempt<S extends z.ZodType>(
    url: URL,
    schema: S,
    refreshed: boolean,
  ): Promise<Attempt<z.infer<S>>> {
    let token: string;
    try {
      token = await options.tokens.token();
    } catch (error) {
      if (error instanceof TokenError && !error.permanent)
        return { retry: { cause: 'auth', what: `could not be asked: ${error.message}` } };
      return {
        done: unavailable('auth', error instanceof Error ? error.message : 'HMPPS Auth gave no token'),
      };
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return {
        retry: timedOut
          ? { cause: 'timeout', what: `did not answer within ${options.timeoutMs} ms` }
          : { cause: 'unreachable', what: 'could not be reached' },
      };
    }
    const { status } = response;
    if (status === 404) {
      await response.body?.cancel();
      return { done: { outcome: 'not-found', fetchedAt: options.now().toISOString() } };
    }
    if (status === 401 || status === 403) {
      await response.body?.cancel();
      if (!refreshed) return { refreshToken: token, status };
      return {
        done: unavailable(
          'refused',
          `${name} refused Gatehouse's token (${status}) even when fresh: check the client's roles in HMPPS Auth`,
        ),
      };
    }
    if (status === 429 || status >= 500) {
      await response.body?.cancel();
      return { retry: { cause: 'failed', what: `answered ${status}` } };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { done: unavailable('refused', `${name} answered ${status}`) };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return {
        done: unavailable('invalid-response', `${name} answered ${status} with a body that is not JSON`),
      };
    }
    try {
      return {
        done: {
          outcome: 'ok',
          value: readResponse(schema, body, name),
          fetchedAt: options.now().toISOString(),
        },
      };
    } catch (error) {
      if (error instanceof InvalidResponse) return { done: unavailable('invalid-response', error.message) };
      throw error;
    }
  }

  return {
    async get(path, schema) {
      if (!breaker.tryAcquire()) {
        count('hmppsCircuitOpen', name);
        return unavailable('circuit-open', `${name} is not being asked for a while after repeated failures`);
      }
      const url = new URL(path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
      let refreshed = false;
      let last: { cause: UnavailableCause; what: string } = { cause: 'failed', what: 'was not asked' };
      for (let tries = 0; tries < retry.attempts; ) {
        count('hmppsRequests', name);
        const result = await attempt(url, schema, refreshed);
        if ('refreshToken' in result) {
          // A token HMPPS Auth revoked or rotated early: one more try with a fresh one, not counted as a retry.
          options.tokens.invalidate(result.refreshToken);
          refreshed = true;
          count('hmppsTokenRefused', name);
          continue;
        }
        if ('done' in result) {
          const outcome = result.done;
          if (outcome.outcome === 'not-found') count('hmppsNotFound', name);
          if (outcome.outcome === 'unavailable') {
            count(outcome.cause === 'invalid-response' ? 'hmppsInvalidResponses' : 'hmppsFailures', name);
            options.warn?.(`${name}: ${outcome.cause}`, { api: name, cause: outcome.cause });
          }
          // The API answered: it is up, whatever it said. Credentials HMPPS Auth refuses say nothing about the API,
          // and must not open its circuit (which would hide the reason behind "circuit open").
          if (outcome.outcome !== 'unavailable' || outcome.cause !== 'auth') breaker.succeeded();
          return outcome;
        }
        last = result.retry;
        tries += 1;
        if (tries < retry.attempts) {
          count('hmppsRetries', name);
          options.warn?.(`${name} ${last.what}; retrying`, { api: name, cause: last.cause, attempt: tries });
          await options.sleep(backoffDelay(retry, tries - 1, options.random));
        }
      }
      breaker.failed();
      count('hmppsFailures', name);
      options.warn?.(`${name} ${last.what} after ${retry.attempts} attempts`, {
        api: name,
        cause: last.cause,
        attempts: retry.attempts,
      });
      return unavailable(last.cause, `${name} ${last.what} (${retry.attempts} attempts)`);
    },
  };
}
