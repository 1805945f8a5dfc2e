/**
 * The HMPPS call's fault handling, with faults injected through a scripted `fetch` (the stand-ins' integration
 * tests run the same code over HTTP). Sleep and randomness are injected: no test waits or depends on timing.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { hmppsApi, type HmppsMetric } from '#adapters/hmpps/http';
import { backoffDelay, CircuitBreaker } from '#adapters/hmpps/resilience';
import { clientCredentialsTokens, TokenError } from '#adapters/hmpps/token';
import { prisonerResponse, readResponse } from '#adapters/hmpps/responses';

type Answer = number | { status: number; body: unknown } | 'timeout' | 'refused';

/** A fetch that answers from a script, one answer per call, recording what was asked (never the network). */
function scripted(answers: Answer[]) {
  const calls: { url: string; authorization: string | null }[] = [];
  const fetch = async (input: URL | string | Request, init?: RequestInit) => {
    calls.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    const answer = answers.shift() ?? 500;
    if (answer === 'timeout')
      throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    if (answer === 'refused') throw new TypeError('fetch failed');
    const { status, body } = typeof answer === 'number' ? { status: answer, body: {} } : answer;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** A token source that hands out the next token each time the current one is forgotten. */
function tokensFrom(tokens: string[]) {
  let issued = 0;
  const source = {
    requests: 0,
    async token() {
      return tokens[Math.min(issued, tokens.length - 1)]!;
    },
    invalidate() {
      issued += 1;
    },
  };
  return source;
}

function api(answers: Answer[], overrides: { attempts?: number; breaker?: CircuitBreaker } = {}) {
  const { fetch, calls } = scripted(answers);
  const counted: string[] = [];
  const slept: number[] = [];
  const client = hmppsApi({
    name: 'Prisoner Search',
    baseUrl: 'http://prisoner-search.test',
    tokens: tokensFrom(['first-token', 'second-token']),
    breaker: overrides.breaker ?? new CircuitBreaker({ failuresToOpen: 5, openForMs: 30_000 }, () => 0),
    retry: { attempts: overrides.attempts ?? 3, backoffMs: 100, maxBackoffMs: 1000 },
    timeoutMs: 1000,
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    now: () => new Date('2026-11-20T17:26:00Z'),
    count: (metric: HmppsMetric) => void counted.push(metric),
    fetch,
  });
  return { client, calls, counted, slept };
}

const person = { prisonerNumber: 'A1234BC', confirmedReleaseDate: '2026-11-20', firstName: 'not read' };

describe('calling an HMPPS API', () => {
  it('answers ok with exactly the fields read, sending the bearer token', async () => {
    const { client, calls } = api([{ status: 200, body: person }]);
    const outcome = await client.get('prisoner/A1234BC', prisonerResponse);
    expect(outcome).toMatchObject({
      outcome: 'ok',
      value: { prisonerNumber: 'A1234BC', confirmedReleaseDate: '2026-11-20' },
    });
    expect(calls).toEqual([
      { url: 'http://prisoner-search.test/prisoner/A1234BC', authorization: 'Bearer first-token' },
    ]);
  });

  it('retries 5xx, 429, timeouts and refused connections with growing, jittered backoff, then succeeds', async () => {
    const { client, slept, counted } = api([503, 'timeout', { status: 200, body: person }], { attempts: 4 });
    expect((await client.get('prisoner/A1234BC', prisonerResponse)).outcome).toBe('ok');
    expect(slept).toEqual([50, 100]); // half (random 0.5) of 100, then of 200
    expect(counted.filter((m) => m === 'hmppsRetries')).toHaveLength(2);
    const again = api([429, 'refused', { status: 200, body: person }]);
    expect((await again.client.get('prisoner/A1234BC', prisonerResponse)).outcome).toBe('ok');
  });

  it('gives up after the attempts with the cause and a reason that names neither the URL nor the person', async () => {
    const { client, counted } = api([502, 503, 500]);
    const outcome = await client.get('prisoner/A1234BC', prisonerResponse);
    expect(outcome).toEqual({
      outcome: 'unavailable',
      cause: 'failed',
      reason: 'Prisoner Search answered 500 (3 attempts)',
    });
    expect(counted).toContain('hmppsFailures');
  });

  it('records 404 as not found at once, without retrying', async () => {
    const { client, calls, counted } = api([404]);
    expect(await client.get('prisoner/Z9999ZZ', prisonerResponse)).toEqual({
      outcome: 'not-found',
      fetchedAt: '2026-11-20T17:26:00.000Z',
    });
    expect(calls).toHaveLength(1);
    expect(counted).toEqual(['hmppsRequests', 'hmppsNotFound']);
  });

  it('on 401 or 403 forgets the token and tries once more with a fresh one', async () => {
    const { client, calls } = api([401, { status: 200, body: person }]);
    expect((await client.get('prisoner/A1234BC', prisonerResponse)).outcome).toBe('ok');
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer first-token', 'Bearer second-token']);
  });

  it('fails clearly when even a fresh token is refused, and does not retry further', async () => {
    const { client, calls } = api([403, 403, { status: 200, body: person }]);
    expect(await client.get('prisoner/A1234BC', prisonerResponse)).toEqual({
      outcome: 'unavailable',
      cause: 'refused',
      reason:
        "Prisoner Search refused Gatehouse's token (403) even when fresh: check the client's roles in HMPPS Auth",
    });
    expect(calls).toHaveLength(2);
  });

  it('does not retry another 4xx', async () => {
    const { client, calls } = api([400]);
    expect(await client.get('prisoner/A1234BC', prisonerResponse)).toMatchObject({
      outcome: 'unavailable',
      cause: 'refused',
      reason: 'Prisoner Search answered 400',
    });
    expect(calls).toHaveLength(1);
  });

  it('names the missing field when an answer lacks one Gatehouse relies on', async () => {
    const { client, counted } = api([{ status: 200, body: { confirmedReleaseDate: '2026-11-20' } }]);
    expect(await client.get('prisoner/A1234BC', prisonerResponse)).toEqual({
      outcome: 'unavailable',
      cause: 'invalid-response',
      reason: 'Prisoner Search answered without what Gatehouse relies on: prisonerNumber is missing',
    });
    expect(counted).toContain('hmppsInvalidResponses');
  });

  it('opens the circuit after repeated failures, refuses calls while open, and lets one through after the pause', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failuresToOpen: 2, openForMs: 30_000 }, () => now);
    const { client, calls, counted } = api([500, 500, { status: 200, body: person }], {
      attempts: 1,
      breaker,
    });
    await client.get('prisoner/A1234BC', prisonerResponse);
    await client.get('prisoner/A1234BC', prisonerResponse);
    expect(breaker.state).toBe('open');
    expect(await client.get('prisoner/A1234BC', prisonerResponse)).toMatchObject({
      outcome: 'unavailable',
      cause: 'circuit-open',
    });
    expect(calls).toHaveLength(2);
    expect(counted).toContain('hmppsCircuitOpen');
    now = 30_000;
    expect((await client.get('prisoner/A1234BC', prisonerResponse)).outcome).toBe('ok');
    expect(breaker.state).toBe('closed');
  });
});

describe('when HMPPS Auth refuses the credentials', () => {
  it('says so on every call and never opens the API circuit, which would hide the reason', async () => {
    const breaker = new CircuitBreaker({ failuresToOpen: 1, openForMs: 30_000 }, () => 0);
    const client = hmppsApi({
      name: 'Prisoner Search',
      baseUrl: 'http://prisoner-search.test',
      tokens: {
        requests: 0,
        token: async () =>
          Promise.reject(
            new TokenError(
              'HMPPS Auth refused the client credentials (401): check the client id and secret',
              true,
            ),
          ),
        invalidate: () => undefined,
      },
      breaker,
      retry: { attempts: 3, backoffMs: 100, maxBackoffMs: 1000 },
      timeoutMs: 1000,
      sleep: async () => undefined,
      random: () => 0.5,
      now: () => new Date('2026-11-20T17:26:00Z'),
      count: () => undefined,
      fetch: scripted([]).fetch,
    });
    for (let i = 0; i < 3; i++)
      expect(await client.get('prisoner/A1234BC', prisonerResponse)).toMatchObject({
        outcome: 'unavailable',
        cause: 'auth',
      });
    expect(breaker.state).toBe('closed');
  });
});

describe('the circuit breaker', () => {
  it('lets a single trial through when half-open, and reopens if it fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failuresToOpen: 1, openForMs: 1000 }, () => now);
    breaker.failed();
    expect(breaker.tryAcquire()).toBe(false);
    now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.failed();
    expect(breaker.state).toBe('open');
  });

  it('is not opened by failures that a success interrupts', () => {
    const breaker = new CircuitBreaker({ failuresToOpen: 2, openForMs: 1000 }, () => 0);
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    expect(breaker.state).toBe('closed');
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap, scaled by the jitter', () => {
    const policy = { attempts: 6, backoffMs: 100, maxBackoffMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0.999))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});

describe('client-credentials tokens', () => {
  const tokenBody = (token: string, expiresIn = 1200) => ({
    status: 200,
    body: {
      access_token: token,
      token_type: 'bearer',
      expires_in: expiresIn,
      scope: 'read',
      sub: 'gatehouse',
    },
  });
  const credentials = async () => ({ clientId: 'gatehouse', clientSecret: 's3cret' });

  it('asks HMPPS Auth with HTTP Basic and keeps the token until shortly before it expires', async () => {
    let now = 0;
    const { fetch, calls } = scripted([tokenBody('t1'), tokenBody('t2')]);
    const tokens = clientCredentialsTokens({
      authUrl: 'http://auth.test/auth',
      credentials,
      now: () => now,
      fetch,
      renewBeforeMs: 60_000,
    });
    expect(await tokens.token()).toBe('t1');
    now = 1_139_999; // 20 minutes less the minute's margin, less a millisecond
    expect(await tokens.token()).toBe('t1');
    now = 1_140_000;
    expect(await tokens.token()).toBe('t2');
    expect(tokens.requests).toBe(2);
    expect(calls[0]).toEqual({
      url: 'http://auth.test/auth/oauth/token?grant_type=client_credentials',
      authorization: `Basic ${Buffer.from('gatehouse:s3cret').toString('base64')}`,
    });
  });

  it('makes one request for many callers at once', async () => {
    const { fetch } = scripted([tokenBody('t1'), tokenBody('t2')]);
    const tokens = clientCredentialsTokens({
      authUrl: 'http://auth.test/auth',
      credentials,
      now: () => 0,
      fetch,
    });
    expect(await Promise.all([tokens.token(), tokens.token(), tokens.token()])).toEqual(['t1', 't1', 't1']);
    expect(tokens.requests).toBe(1);
  });

  it('asks again after a refused token is forgotten, but keeps a newer one', async () => {
    const { fetch } = scripted([tokenBody('t1'), tokenBody('t2')]);
    const tokens = clientCredentialsTokens({
      authUrl: 'http://auth.test/auth',
      credentials,
      now: () => 0,
      fetch,
    });
    await tokens.token();
    tokens.invalidate('t1');
    expect(await tokens.token()).toBe('t2');
    tokens.invalidate('t1');
    expect(await tokens.token()).toBe('t2');
  });

  it('says plainly when the client credentials are wrong, and that retrying will not help', async () => {
    const { fetch } = scripted([401]);
    const tokens = clientCredentialsTokens({
      authUrl: 'http://auth.test/auth',
      credentials,
      now: () => 0,
      fetch,
    });
    const error = (await tokens.token().catch((e: unknown) => e)) as TokenError;
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({
      permanent: true,
      message: 'HMPPS Auth refused the client credentials (401): check the client id and secret',
    });
    expect(String(error.message)).not.toContain('s3cret');
  });

  it('treats an HMPPS Auth that is down as passing', async () => {
    const { fetch } = scripted([503, tokenBody('t1')]);
    const tokens = clientCredentialsTokens({
      authUrl: 'http://auth.test/auth',
      credentials,
      now: () => 0,
      fetch,
    });
    await expect(tokens.token()).rejects.toMatchObject({
      permanent: false,
      message: 'HMPPS Auth answered 503',
    });
    expect(await tokens.token()).toBe('t1');
  });
});

describe('reading an answer', () => {
  it('reads null as not given and ignores fields it does not read', () => {
    expect(
      readResponse(
        prisonerResponse,
        { prisonerNumber: 'A1234BC', confirmedReleaseDate: null, aliases: [] },
        'Prisoner Search',
      ),
    ).toMatchObject({ prisonerNumber: 'A1234BC', confirmedReleaseDate: undefined });
  });

  it('names a field of the wrong shape without echoing its value', () => {
    expect(() =>
      readResponse(
        z.object({ confirmedReleaseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)') }),
        { confirmedReleaseDate: '20/11/2026' },
        'Prisoner Search',
      ),
    ).toThrow(
      'Prisoner Search answered without what Gatehouse relies on: confirmedReleaseDate: a date (YYYY-MM-DD)',
    );
  });
});
