/**
 * Fetching release facts from HMPPS, against the local stand-ins: the latency of `fetchReleaseFacts` through
 * the real clients (token cache, retries, breakers, zod), beside the floor of the same HTTP round trips made
 * bare in the same shape (three at once, then the probation address and CAS3 in turn), and how many tokens a
 * warm container asked HMPPS Auth for.
 */
import { performance } from 'node:perf_hooks';
import { hmppsApisConfig, loadClientCredentials } from '#adapters/hmpps/config';
import { hmppsReleaseFactsSources } from '#adapters/hmpps/release-facts-sources';
import { secretsClient } from '#commons/clients';
import { postcodeAreas } from '#adapters/postcode-areas';
import { fetchReleaseFacts } from '#use-cases/fetch-release-facts';
import { standInPeople, type StandInPerson } from '#local/stand-ins/hmpps/people';
import { startHmppsStandIns } from '#local/stand-ins/hmpps/server';
import { percentile } from './alerts';
import type { Figure } from './figures';

export async function hmppsFactsBenchmarks(options: { events: number }): Promise<Record<string, Figure>> {
  const standIns = await startHmppsStandIns();
  try {
    const env = standIns.env;
    const people = Array.from({ length: options.events }, (_, i) => standInPeople[i % standInPeople.length]!);
    const sources = hmppsReleaseFactsSources(hmppsApisConfig(env)!, {
      credentials: () => loadClientCredentials(env, secretsClient),
    });
    const token = await sources.tokens.token();

    const floor: number[] = [];
    const fetched: number[] = [];
    for (const person of people) {
      floor.push(await bareRoundTrips(env, token, person));

      const started = performance.now();
      await fetchReleaseFacts(
        person.prisonNumber,
        { releasedAt: '2026-11-20T15:30:00Z' },
        { sources, areas: postcodeAreas(), clock: () => new Date() },
      );
      fetched.push(performance.now() - started);
    }
    const ratio = percentile(fetched, 99) / percentile(floor, 99);
    const ms = (value: number): Figure => ({
      value: Math.round(value * 10) / 10,
      unit: 'ms',
      target: 'recorded',
      met: null,
    });
    return {
      'hmpps.floor.roundTripsMs.p50': ms(percentile(floor, 50)),
      'hmpps.floor.roundTripsMs.p99': ms(percentile(floor, 99)),
      'hmpps.fetchReleaseFacts.latencyMs.p50': ms(percentile(fetched, 50)),
      'hmpps.fetchReleaseFacts.latencyMs.p99': ms(percentile(fetched, 99)),
      'hmpps.fetchReleaseFacts.p99OverFloor': {
        value: Math.round(ratio * 100) / 100,
        unit: 'ratio',
        target: '<= 2',
        met: ratio <= 2,
      },
      'hmpps.tokens.perContainer': {
        value: standIns.counts.tokensIssued,
        unit: `tokens for ${options.events} events`,
        target: '1',
        met: standIns.counts.tokensIssued === 1,
      },
    };
  } finally {
    await standIns.stop();
  }
}

/**
 * The stand-ins' own round trips for one person, made bare (no client, retries, breaker or validation) in the
 * shape `fetchReleaseFacts` makes them: Prisoner Search, the probation CRN then its address, and the Resettlement
 * Passport at once, then CAS3 by the CRN. Returns the milliseconds they took.
 */
export async function bareRoundTrips(
  env: Record<string, string>,
  token: string,
  person: StandInPerson,
): Promise<number> {
  const get = (url: string) =>
    fetch(url, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
  const pn = person.prisonNumber;
  const crn = person.probation?.crn;
  const started = performance.now();
  await Promise.all([
    get(`${env.HMPPS_PRISONER_SEARCH_URL}/prisoner/${pn}`),
    get(`${env.HMPPS_PROBATION_URL}/probation-cases/${pn}/crn`).then(() =>
      get(`${env.HMPPS_PROBATION_URL}/duty-to-refer-nsi/${pn}?type=NOMS`),
    ),
    get(`${env.HMPPS_RESETTLEMENT_PASSPORT_URL}/resettlement-passport/prisoner/${pn}`),
  ]);
  if (crn) await get(`${env.HMPPS_CAS3_URL}/cas3/external/referrals/${crn}`);
  return performance.now() - started;
}
