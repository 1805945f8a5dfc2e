/**
 * Alert latency with fetching: a bare HMPPS `prisoner.released` of a person the stand-ins know (confirmed for
 * the bench's Friday, an address in Darlington, nowhere to stay) accepted by the custody queue → the record use
 * case asks HMPPS's APIs (the stand-ins, through the real clients) → the on-call page sent from the outbox. It
 * stands beside the floor of the same path: the record transaction's floor (alert.floor.transactWriteMs, measured
 * in the same run on the same DynamoDB Local) plus the stand-ins' own round trips for the same person, made bare
 * in the shape the fetch makes them. Events go one at a time, as the floor's are (its best figure). Beside it,
 * the same release told in full by a Gatehouse event (nothing fetched, the same page and referrals), interleaved:
 * what the path costs without fetching under the same load.
 */
import { performance } from 'node:perf_hooks';
import type { OutboxEntry } from '#adapters/channels/local-outbox';
import { person, type StandInPerson } from '#local/stand-ins/hmpps/people';
import type { Gatehouse } from '#local/runtime';
import { hmppsApisConfig, loadClientCredentials } from '#adapters/hmpps/config';
import { hmppsReleaseFactsSources } from '#adapters/hmpps/release-facts-sources';
import { secretsClient } from '#commons/clients';
import { percentile, prisonNumber } from './alerts';
import { bareRoundTrips } from './hmpps-facts';
import type { Figure } from './figures';

/** Events that warm the fetch path (a JIT, the container's token) before the measured ones. */
const warmUp = 5;

/** The people the fetching bench releases: `count` of them, each like the demo's bare release (E5678FG). */
export function fetchingBenchPeople(count: number): StandInPerson[] {
  return Array.from({ length: count + warmUp }, (_, i) =>
    person({
      prisonNumber: prisonNumber(600_000 + i),
      names: ['Bench', `Person${i}`],
      legalStatus: 'SENTENCED',
      confirmedReleaseDate: '2026-11-20',
      crn: `Z${String(600_000 + i)}`,
      address: { postcode: 'DL1 5JD' },
      pathways: { ACCOMMODATION: 'SUPPORT_REQUIRED', HEALTH: 'SUPPORT_REQUIRED' },
    }),
  );
}

export async function fetchingAlertBenchmarks(
  gatehouse: Gatehouse,
  options: { events: number; floorMs: { p50: number; p99: number } },
): Promise<Record<string, Figure>> {
  const standIns = gatehouse.hmpps;
  if (!standIns) throw new Error('the fetching bench needs the HMPPS stand-ins running');
  const people = fetchingBenchPeople(options.events);
  const tokensBefore = standIns.counts.tokensIssued;
  const searchesBefore = standIns.counts['prisoner-search'];
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  let benchToken: string | undefined;

  const told: number[] = [];
  for (const [i, who] of people.entries()) {
    const fetched = await timeToPage(gatehouse, bareRelease(who.prisonNumber));
    if (!fetched.page.text.includes('to Darlington'))
      throw new Error(`bench release ${i}: the page did not go to Darlington (the facts were not fetched)`);
    // The same release told in full by a Gatehouse event (nothing to fetch), with the same alerts: the path
    // without fetching, interleaved so that both see the same load.
    const inFull = await timeToPage(gatehouse, toldRelease(prisonNumber(610_000 + i), `bench-told-${i}`));
    if (inFull.messages !== fetched.messages)
      throw new Error(
        `bench release ${i}: ${fetched.messages} messages when fetched, ${inFull.messages} when told (not the same alerts)`,
      );
    if (!benchToken) {
      // The bench's own token for its bare round trips (one, not counted as Gatehouse's).
      const sources = hmppsReleaseFactsSources(hmppsApisConfig(standIns.env)!, {
        credentials: () => loadClientCredentials(standIns.env, secretsClient),
      });
      benchToken = await sources.tokens.token();
    }
    const bare = await bareRoundTrips(standIns.env, benchToken!, who);
    if (i < warmUp) continue;
    latencies.push(fetched.ms);
    told.push(inFull.ms);
    roundTrips.push(bare);
  }
  const gatehouseTokens = standIns.counts.tokensIssued - tokensBefore - 1;
  const searches = standIns.counts['prisoner-search'] - searchesBefore;
  if (searches !== 2 * people.length)
    throw new Error(
      `Prisoner Search was asked ${searches} times for ${people.length} releases (expected one fetch and one bare round trip each)`,
    );

  const p99 = percentile(latencies, 99);
  const roundTripsP99 = percentile(roundTrips, 99);
  const ratio = p99 / (options.floorMs.p99 + roundTripsP99);
  const ms = (value: number): Figure => ({ value: round(value), unit: 'ms', target: 'recorded', met: null });
  return {
    'alert.fetching.roundTripsMs.p50': ms(percentile(roundTrips, 50)),
    'alert.fetching.roundTripsMs.p99': ms(roundTripsP99),
    'alert.fetching.latencyMs.p50': ms(percentile(latencies, 50)),
    'alert.fetching.latencyMs.p99': ms(p99),
    'alert.fetching.sameReleaseToldMs.p50': ms(percentile(told, 50)),
    'alert.fetching.sameReleaseToldMs.p99': ms(percentile(told, 99)),
    'alert.fetching.p99OverFloorPlusRoundTrips': {
      value: round(ratio),
      unit: `ratio (p99 ÷ (alert.floor.transactWriteMs.p99 ${round(options.floorMs.p99)} + round trips p99 ${round(roundTripsP99)}); ${options.events} releases one at a time)`,
      target: '≤ 2',
      met: ratio <= 2,
    },
    'alert.fetching.tokensPerContainer': {
      value: gatehouseTokens,
      unit: `tokens asked of HMPPS Auth by the custody-events container for ${people.length} releases`,
      target: '1',
      met: gatehouseTokens === 1,
    },
  };
}

/**
 * One event through the custody queue: the milliseconds until its on-call page is sent (a CRITICAL release also
 * refers the person to services: not those), the page, and how many messages it sent once all was done.
 */
async function timeToPage(
  gatehouse: Gatehouse,
  event: unknown,
): Promise<{ ms: number; page: OutboxEntry; messages: number }> {
  let messages = 0;
  const count = () => {
    messages += 1;
  };
  gatehouse.outbox.on('sent', count);
  const paged = new Promise<OutboxEntry>((resolve) => {
    const listener = (entry: OutboxEntry) => {
      if (entry.template !== 'critical') return;
      gatehouse.outbox.off('sent', listener);
      resolve(entry);
    };
    gatehouse.outbox.on('sent', listener);
  });
  const t0 = performance.now();
  await gatehouse.custodyQueue.send([JSON.stringify(event)]);
  const page = await paged;
  const ms = performance.now() - t0;
  await gatehouse.settle();
  gatehouse.outbox.off('sent', count);
  return { ms, page, messages };
}

/** What the fetch finds for a bench person, told by a Gatehouse event instead: the same page and referrals. */
function toldRelease(prisonNumber: string, eventId: string): Record<string, unknown> {
  return {
    eventId,
    eventType: 'prisoner.released',
    occurredAt: '2026-11-20T16:40:00Z',
    prisonId: 'DMI',
    person: { prisonNumber },
    release: {
      releasedAt: '2026-11-20T16:40:00Z',
      destinationLocalAuthority: 'E06000005',
      accommodation: 'NO_FIXED_ABODE',
      aftercarePlan: 'NONE',
      needs: ['ACCOMMODATION', 'HEALTH'],
    },
  };
}

/** A bare HMPPS release from HMP Durham on the bench's Friday: no date, destination or accommodation in it. */
function bareRelease(prisonNumber: string): Record<string, unknown> {
  const occurredAt = '2026-11-20T16:40:00Z';
  return {
    version: 1,
    eventType: 'prison-offender-events.prisoner.released',
    description: 'A prisoner has been released from prison',
    occurredAt,
    publishedAt: occurredAt,
    personReference: { identifiers: [{ type: 'NOMS', value: prisonNumber }] },
    additionalInformation: {
      nomsNumber: prisonNumber,
      prisonId: 'DMI',
      reason: 'RELEASED',
      nomisMovementReasonCode: 'CR',
      currentLocation: 'OUTSIDE_PRISON',
      currentPrisonStatus: 'NOT_UNDER_PRISON_CARE',
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
