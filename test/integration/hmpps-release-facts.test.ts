/**
 * The real HMPPS clients over HTTP against the local stand-ins (local/stand-ins/hmpps): the facts of the demo's
 * people, and every fault the switches make. Retries sleep for nothing here (sleep is injected); no test
 * asserts a duration.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hmppsApisConfig, loadClientCredentials } from '#adapters/hmpps/config';
import {
  hmppsReleaseFactsSources,
  sharedReleaseFactsSources,
  type HmppsSources,
} from '#adapters/hmpps/release-facts-sources';
import { postcodeAreas } from '#adapters/postcode-areas';
import { fetchReleaseFacts } from '#use-cases/fetch-release-facts';
import { secretsClient } from '#commons/clients';
import { startHmppsStandIns, type HmppsStandIns } from '#local/stand-ins/hmpps/server';
import { standInPeople } from '#local/stand-ins/hmpps/people';
import { testGatehouse } from '#test-support/gatehouse';

const fridayAfternoon = '2026-11-20T15:30:00Z';
const clock = () => new Date('2026-11-20T16:15:00Z');

describe('fetching release facts from HMPPS (the real clients against the local stand-ins)', () => {
  let standIns: HmppsStandIns;
  let warnings: string[];
  let counted: string[];

  beforeAll(async () => {
    standIns = await startHmppsStandIns({ slowMs: 1500 });
  });
  afterAll(async () => {
    await standIns.stop();
  });
  beforeEach(() => {
    standIns.reset();
    warnings = [];
    counted = [];
  });

  /** A fresh process's sources: its own token cache and breakers, as a cold Lambda container has. */
  function coldSources(
    env: Record<string, string> = {},
    breaker?: { failuresToOpen: number; openForMs: number },
  ): HmppsSources {
    // A generous timeout: on a loaded machine a short one would make retries the tests do not ask for.
    const config = hmppsApisConfig({ ...standIns.env, HMPPS_TIMEOUT_MS: '5000', ...env })!;
    return hmppsReleaseFactsSources(breaker ? { ...config, breaker } : config, {
      credentials: () => loadClientCredentials(standIns.env, secretsClient),
      now: clock,
      sleep: async () => undefined,
      count: (metric, api) => void counted.push(`${metric}:${api}`),
      warn: (message, fields) => void warnings.push(`${message} ${JSON.stringify(fields)}`),
    });
  }
  const facts = (
    sources: HmppsSources,
    prisonNumber: string,
    circumstances: Partial<Parameters<typeof fetchReleaseFacts>[1]> = {},
  ) =>
    fetchReleaseFacts(
      prisonNumber,
      { releasedAt: fridayAfternoon, ...circumstances },
      { sources, areas: postcodeAreas(), clock },
    );

  it('finds the Friday release confirmed for that day, going to Darlington, with nowhere to stay yet', async () => {
    const result = await facts(coldSources(), 'E5678FG');
    expect(result.complete).toBe(true);
    expect(result.facts.releaseType).toMatchObject({
      value: { type: 'planned', reason: 'released on 2026-11-20, the release date HMPPS had confirmed' },
      source: 'prisoner-search',
    });
    expect(result.facts.destinationLocalAuthority).toMatchObject({ value: 'E06000005', source: 'probation' });
    expect(result.facts.needs?.value).toEqual(['ACCOMMODATION', 'HEALTH']);
    expect(result.facts.accommodation).toBeUndefined();
    expect(result.facts.crn?.value).toBe('X100005');
    expect(result.sources.cas3).toMatchObject({ outcome: 'ok', value: [] });
  });

  it('finds the release from court unplanned, with no fixed abode, and says why in words', async () => {
    const result = await facts(coldSources(), 'A1234BC', {
      releasedAt: '2026-11-20T16:40:00Z',
      fromCourt: true,
    });
    expect(result.facts.releaseType?.value).toEqual({
      type: 'unplanned',
      reason: 'released from court; no release date was confirmed',
    });
    expect(result.facts.accommodation).toMatchObject({ value: 'NO_FIXED_ABODE', source: 'probation' });
  });

  it('finds the CAS3 bed and its area, and the home detention curfew address', async () => {
    const sources = coldSources();
    const cas3 = await facts(sources, 'C3456DE', { releasedAt: '2026-11-19T11:00:00Z' });
    expect(cas3.facts.accommodation).toMatchObject({ value: 'CAS3', source: 'cas3' });
    expect(cas3.facts.destinationLocalAuthority).toMatchObject({ value: 'E06000005', source: 'cas3' });
    const hdc = await facts(sources, 'F6789GH');
    expect(hdc.facts.homeDetentionCurfew?.value).toBe(true);
    expect(hdc.facts.accommodation?.value).toBe('SETTLED');
    expect(hdc.facts.destinationLocalAuthority?.value).toBe('E06000047');
  });

  it('records a person HMPPS does not know as not found everywhere, without retrying, and does not ask CAS3', async () => {
    const result = await facts(coldSources(), 'Z9999ZZ');
    expect(result.sources.prisonerSearch.outcome).toBe('not-found');
    expect(result.sources.probation.outcome).toBe('not-found');
    expect(result.sources.resettlementPassport.outcome).toBe('not-found');
    expect(result.sources.cas3.outcome).toBe('not-asked');
    expect(result.complete).toBe(true);
    expect(standIns.counts['prisoner-search']).toBe(1);
    expect(counted).not.toContain('hmppsRetries:Prisoner Search');
  });

  it('fetches the token once for a burst of events in one container, not once per event', async () => {
    const sources = coldSources();
    const people = standInPeople.slice(0, 20).map((p) => p.prisonNumber);
    const results = await Promise.all(people.map((pn) => facts(sources, pn)));
    expect(results.every((r) => r.sources.prisonerSearch.outcome === 'ok')).toBe(true);
    expect(standIns.counts.tokensIssued).toBe(1);
    expect(sources.tokens.requests).toBe(1);
    // Another cold container asks for its own.
    await facts(coldSources(), 'E5678FG');
    expect(standIns.counts.tokensIssued).toBe(2);
  });

  it('retries a failing API and gets the answer once it recovers', async () => {
    standIns.failNext('prisoner-search', 2);
    const result = await facts(coldSources(), 'E5678FG');
    expect(result.sources.prisonerSearch.outcome).toBe('ok');
    expect(counted.filter((c) => c === 'hmppsRetries:Prisoner Search')).toHaveLength(2);
  });

  it('says Prisoner Search is unavailable when it keeps failing, and still returns the other facts', async () => {
    standIns.setMode('prisoner-search', 'failing');
    const result = await facts(coldSources(), 'E5678FG');
    expect(result.sources.prisonerSearch).toEqual({
      outcome: 'unavailable',
      cause: 'failed',
      reason: 'Prisoner Search answered 503 (3 attempts)',
    });
    expect(result.missing).toEqual(['Prisoner Search']);
    expect(result.facts.destinationLocalAuthority?.value).toBe('E06000005');
    expect(standIns.counts['prisoner-search']).toBe(3);
  });

  it('gives up on an API that does not answer in time', async () => {
    standIns.setMode('resettlement-passport', 'slow');
    const result = await facts(coldSources({ HMPPS_ATTEMPTS: '2', HMPPS_TIMEOUT_MS: '500' }), 'E5678FG');
    expect(result.sources.resettlementPassport).toEqual({
      outcome: 'unavailable',
      cause: 'timeout',
      reason: 'Resettlement Passport did not answer within 500 ms (2 attempts)',
    });
  });

  it('gets a fresh token once when an API refuses one, then carries on', async () => {
    const sources = coldSources();
    await facts(sources, 'E5678FG');
    standIns.revokeTokens();
    const result = await facts(sources, 'B2345CD', { releasedAt: '2026-11-17T10:15:00Z' });
    expect(result.complete).toBe(true);
    expect(standIns.counts.tokensIssued).toBe(2);
  });

  it('fails clearly when an API refuses even a fresh token (the client lacks the role)', async () => {
    standIns.setMode('cas3', 'unauthorised');
    const result = await facts(coldSources(), 'E5678FG');
    expect(result.sources.cas3).toEqual({
      outcome: 'unavailable',
      cause: 'refused',
      reason: "CAS3 refused Gatehouse's token (403) even when fresh: check the client's roles in HMPPS Auth",
    });
    expect(standIns.counts.cas3).toBe(2);
  });

  it('says when HMPPS Auth refuses the client credentials, for every source', async () => {
    standIns.setMode('auth', 'unauthorised');
    const result = await facts(coldSources(), 'E5678FG');
    expect(result.sources.prisonerSearch).toMatchObject({
      outcome: 'unavailable',
      cause: 'auth',
      reason: 'HMPPS Auth refused the client credentials (401): check the client id and secret',
    });
    expect(result.missing).toEqual([
      'Prisoner Search',
      'the probation record',
      'the Resettlement Passport',
      'CAS3',
    ]);
  });

  it('answers not found for everyone while the stand-in is switched to unknown-person', async () => {
    standIns.setMode('prisoner-search', 'unknown-person');
    const result = await facts(coldSources(), 'E5678FG');
    expect(result.sources.prisonerSearch.outcome).toBe('not-found');
    expect(result.sources.probation.outcome).toBe('ok');
  });

  it('stops asking an API after repeated failures, and asks again after the pause', async () => {
    standIns.setMode('prisoner-search', 'failing');
    const sources = coldSources({ HMPPS_ATTEMPTS: '1' }, { failuresToOpen: 2, openForMs: 60_000 });
    await facts(sources, 'E5678FG');
    await facts(sources, 'E5678FG');
    const third = await facts(sources, 'E5678FG');
    expect(third.sources.prisonerSearch).toMatchObject({ outcome: 'unavailable', cause: 'circuit-open' });
    expect(standIns.counts['prisoner-search']).toBe(2);
    expect(counted).toContain('hmppsCircuitOpen:Prisoner Search');
    expect(sources.breakers.probation.state).toBe('closed');
  });

  it('logs no prison number, CRN, postcode, name or token', async () => {
    standIns.setMode('prisoner-search', 'failing');
    standIns.setMode('cas3', 'unauthorised');
    await facts(coldSources(), 'E5678FG');
    expect(warnings.length).toBeGreaterThan(0);
    const logged = warnings.join('\n');
    for (const secret of [
      'E5678FG',
      'X100005',
      'DL1 5JD',
      'Eli',
      'Bearer',
      standIns.env.HMPPS_CLIENT_SECRET!,
    ])
      expect(logged).not.toContain(secret);
  });
});

describe('the local runtime', () => {
  it('starts the HMPPS stand-ins and points the functions at them, so the shared sources fetch from them', async () => {
    const gatehouse = await testGatehouse({ sweepEveryMs: 0 });
    try {
      expect(gatehouse.hmpps).toBeDefined();
      expect(gatehouse.env.HMPPS_PRISONER_SEARCH_URL).toBe(`${gatehouse.hmpps!.url}/prisoner-search`);
      const sources = sharedReleaseFactsSources(gatehouse.env)!;
      expect(sharedReleaseFactsSources(gatehouse.env)).toBe(sources);
      const result = await fetchReleaseFacts(
        'E5678FG',
        { releasedAt: fridayAfternoon },
        { sources, areas: postcodeAreas(), clock },
      );
      expect(result.complete).toBe(true);
      expect(gatehouse.hmpps!.counts.tokensIssued).toBe(1);
    } finally {
      await gatehouse.stop();
    }
  });
});

describe('the stand-ins switched over HTTP (as with npm start)', () => {
  it('turns Prisoner Search to failing and back, and refuses a switch it does not know', async () => {
    const standIns = await startHmppsStandIns();
    try {
      const post = (query: string) => fetch(`${standIns.url}/_switches?${query}`, { method: 'POST' });
      expect((await post('api=prisoner-search&mode=failing')).status).toBe(200);
      const sources = hmppsReleaseFactsSources(hmppsApisConfig(standIns.env)!, {
        credentials: () => loadClientCredentials(standIns.env, secretsClient),
        sleep: async () => undefined,
      });
      const areas = postcodeAreas();
      expect(
        (await fetchReleaseFacts('E5678FG', { releasedAt: fridayAfternoon }, { sources, areas, clock }))
          .sources.prisonerSearch.outcome,
      ).toBe('unavailable');
      await post('api=prisoner-search&mode=normal');
      expect(
        (await fetchReleaseFacts('E5678FG', { releasedAt: fridayAfternoon }, { sources, areas, clock }))
          .sources.prisonerSearch.outcome,
      ).toBe('ok');
      expect((await post('api=prisoner-search&mode=sideways')).status).toBe(400);
      expect((await post('api=nomis&mode=failing')).status).toBe(400);
      const state = (await (await fetch(`${standIns.url}/_switches`)).json()) as {
        modes: Record<string, string>;
      };
      expect(state.modes['prisoner-search']).toBe('normal');
    } finally {
      await standIns.stop();
    }
  });
});
