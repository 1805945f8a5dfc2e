/**
 * Alert latency and exactness on the local runtime.
 *
 * - latency: custody event accepted by the queue → alert in the outbox, for single events one at a time and for
 *   a burst, next to the floor: one TransactWriteItems of the same shape as the record use case writes, measured
 *   in the same run on the same DynamoDB Local;
 * - exactness: a burst with 20 % duplicates delivered concurrently must give exact counters and each alert once.
 */
import { performance } from 'node:perf_hooks';
import type { CustodyEvent } from '#events/custody-event';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDocuments } from '#commons/clients';
import { localCredentials } from '#local/emulators';
import { provisionTables, resourceNames } from '#local/provision';
import { dynamoReleaseStore } from '#adapters/dynamodb/release-store';
import { englandAndWales } from '#domain/calendar';
import { recordCustodyEvent, type ReleaseChange, type ReleaseStore } from '#use-cases/record-custody-event';
import type { OutboxEntry } from '#adapters/channels/local-outbox';
import type { Gatehouse } from '#local/runtime';
import { localRouting } from '#local/routing';
import { parseRoutingConfig } from '#domain/routing';
import { defaultScope } from '#domain/scope';

/**
 * The benchmark's clock: the wall clock's pace from just after its Friday 16:40 releases, so they are within an alert's
 * lifetime (and page) whatever day the bench runs. The Gatehouse the bench starts runs on it too.
 */
export const benchClock = (() => {
  const offset = Date.parse('2026-11-20T16:45:00Z') - Date.now();
  return () => new Date(Date.now() + offset);
})();
import type { Figure } from './figures';

export interface AlertBenchOptions {
  singles: number;
  burst: number;
  exactBurst: number;
}

export async function alertBenchmarks(
  gatehouse: Gatehouse,
  options: AlertBenchOptions,
): Promise<Record<string, Figure>> {
  const floor = await transactionFloor(gatehouse, Math.max(30, options.singles));
  const singles = await singleLatencies(gatehouse, options.singles);
  const burst = await burstLatencies(gatehouse, options.burst);
  const exact = await exactBurst(gatehouse, options.exactBurst);
  const p99Ratio = percentile(singles, 99) / percentile(floor, 99);
  return {
    'alert.floor.transactWriteMs.p50': ms(percentile(floor, 50)),
    'alert.floor.transactWriteMs.p99': ms(percentile(floor, 99)),
    'alert.single.latencyMs.p50': ms(percentile(singles, 50)),
    'alert.single.latencyMs.p95': ms(percentile(singles, 95)),
    'alert.single.latencyMs.p99': ms(percentile(singles, 99)),
    'alert.single.p99ToFloorP99': {
      value: round(p99Ratio),
      unit: 'ratio',
      target: '≤ 5',
      met: p99Ratio <= 5,
    },
    'alert.burst.latencyMs.p50': ms(percentile(burst, 50), `ms (${options.burst} events at once)`),
    'alert.burst.latencyMs.p95': ms(percentile(burst, 95), `ms (${options.burst} events at once)`),
    'alert.burst.latencyMs.p99': ms(percentile(burst, 99), `ms (${options.burst} events at once)`),
    'burst.duplicates20pct.exact': {
      value: exact.exact ? 1 : 0,
      unit: `boolean (${exact.detail})`,
      target: 'counters exact, each alert once',
      met: exact.exact,
    },
  };
}

/**
 * One TransactWriteItems of the same shape as a Friday release's (ledger, person, alerts, counter items), on the
 * same DynamoDB Local but on tables of their own (same definitions) whose stream nobody reads, so the floor is
 * not slowed by the dispatch work its alert items would otherwise set off.
 */
async function transactionFloor(gatehouse: Gatehouse, runs: number): Promise<number[]> {
  const names = resourceNames('benchfloor');
  const dynamo = new DynamoDBClient({
    endpoint: gatehouse.endpoints.dynamodb,
    region: 'eu-west-2',
    credentials: localCredentials,
  });
  await provisionTables(dynamo, names);
  dynamo.destroy();
  const store = dynamoReleaseStore(dynamoDocuments(gatehouse.env), {
    records: names.tables.Records!,
    aggregates: names.tables.Aggregates!,
  });
  const changes: ReleaseChange[] = [];
  const capture: ReleaseStore = {
    loadPerson: async () => undefined,
    loadAlert: async () => undefined,
    commit: async (change) => {
      changes.push(change);
      return 'committed';
    },
  };
  const deps = {
    store: capture,
    rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
    routing: parseRoutingConfig(localRouting),
    scope: defaultScope,
    scheduleWindowDays: 2,
    retentionDays: 30,
    idKey: 'bench-identifier-key-not-a-secret-0000000',
    clock: benchClock,
  };
  const warmUp = 10;
  for (let i = 0; i < runs + warmUp; i++)
    await recordCustodyEvent(fridayRelease(`floor-${i}`, prisonNumber(900_000 + i)), 'bench', deps);
  // DynamoDB Local runs on a JVM that is slow until warm: the first transactions are not the floor.
  for (const change of changes.splice(0, warmUp)) await store.commit(change);
  const times: number[] = [];
  for (const change of changes) {
    const t0 = performance.now();
    const result = await store.commit(change);
    times.push(performance.now() - t0);
    if (result !== 'committed') throw new Error(`floor transaction was not committed: ${result}`);
  }
  return times;
}

async function singleLatencies(gatehouse: Gatehouse, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = nextSent(gatehouse);
    const t0 = performance.now();
    await gatehouse.custodyQueue.send([
      JSON.stringify(fridayRelease(`single-${i}`, prisonNumber(100_000 + i))),
    ]);
    await sent;
    times.push(performance.now() - t0);
    await gatehouse.settle();
  }
  return times;
}

async function burstLatencies(gatehouse: Gatehouse, count: number): Promise<number[]> {
  const times: number[] = [];
  const t0 = performance.now();
  const all = new Promise<void>((resolve) => {
    const listener = () => {
      times.push(performance.now() - t0);
      if (times.length >= count) {
        gatehouse.outbox.off('sent', listener);
        resolve();
      }
    };
    gatehouse.outbox.on('sent', listener);
  });
  const events = Array.from({ length: count }, (_, i) =>
    JSON.stringify(fridayRelease(`burst-${i}`, prisonNumber(200_000 + i))),
  );
  await gatehouse.custodyQueue.send(events);
  await all;
  await gatehouse.settle();
  return times;
}

/** `count` deliveries, 20 % of them duplicates of others, all at once; half the releases are CRITICAL. */
async function exactBurst(gatehouse: Gatehouse, count: number): Promise<{ exact: boolean; detail: string }> {
  const before = await totals(gatehouse);
  const sent: OutboxEntry[] = [];
  const listener = (entry: OutboxEntry) => sent.push(entry);
  gatehouse.outbox.on('sent', listener);

  const unique = Math.round(count * 0.8);
  const events = Array.from({ length: unique }, (_, i) =>
    fridayRelease(
      `exact-${i}`,
      prisonNumber(300_000 + i),
      i % 2 === 0 ? {} : { accommodation: 'SETTLED', aftercarePlan: 'IN_PLACE' },
    ),
  );
  const deliveries = [
    ...events,
    ...Array.from({ length: count - unique }, (_, i) => events[(i * 7) % unique]!),
  ].map((e) => JSON.stringify(e));
  shuffle(deliveries);
  const chunks = Array.from({ length: Math.ceil(deliveries.length / 100) }, (_, i) =>
    deliveries.slice(i * 100, (i + 1) * 100),
  );
  await Promise.all(chunks.map((chunk) => gatehouse.custodyQueue.send(chunk)));
  await gatehouse.settle();
  gatehouse.outbox.off('sent', listener);

  const after = await totals(gatehouse);
  const critical = Math.ceil(unique / 2);
  const added = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  // The on-call pages (a CRITICAL release also refers the person to services: those are other alerts).
  const criticalAlerts = sent.filter((e) => e.template === 'critical');
  const distinct = new Set(criticalAlerts.map((e) => `${e.alertId}|${e.notice}|${e.recipient}`)).size;
  const checks = {
    total: added('total') === unique,
    critical: added('urgency.CRITICAL') === critical,
    routine: added('urgency.ROUTINE') === unique - critical,
    alertsOnce:
      distinct === criticalAlerts.length && new Set(criticalAlerts.map((e) => e.alertId)).size === critical,
    deadLetters: gatehouse.deadLetters.custody.messages.length === 0,
  };
  const exact = Object.values(checks).every(Boolean);
  return {
    exact,
    detail: `${count} deliveries, ${unique} unique; releases +${added('total')}, CRITICAL +${added('urgency.CRITICAL')}, ${criticalAlerts.length} on-call pages, ${sent.length} messages in all`,
  };
}

async function totals(gatehouse: Gatehouse): Promise<Record<string, number>> {
  const response = await fetch(`${gatehouse.url}/aggregates`);
  return ((await response.json()) as { totals: Record<string, number> }).totals;
}

function nextSent(gatehouse: Gatehouse): Promise<void> {
  return new Promise((resolve) => gatehouse.outbox.once('sent', () => resolve()));
}

type Released = Extract<CustodyEvent, { eventType: 'prisoner.released' }>;

function fridayRelease(
  eventId: string,
  person: string,
  release: Partial<Released['release']> = {},
): Released {
  return {
    eventId,
    eventType: 'prisoner.released',
    occurredAt: '2026-11-20T16:40:00Z',
    prisonId: 'DMI',
    person: { prisonNumber: person },
    release: {
      releasedAt: '2026-11-20T16:40:00Z',
      destinationLocalAuthority: 'E06000005',
      accommodation: 'NO_FIXED_ABODE',
      aftercarePlan: 'NONE',
      needs: ['DRUGS_AND_ALCOHOL'],
      ...release,
    },
  };
}

/** A valid prison number, distinct for every n below 26³ × 10⁴. */
export function prisonNumber(n: number): string {
  const letter = (k: number) => String.fromCharCode(65 + (k % 26));
  const rest = Math.floor(n / 10_000);
  return `${letter(Math.floor(rest / 676))}${String(n % 10_000).padStart(4, '0')}${letter(Math.floor(rest / 26))}${letter(rest)}`;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function ms(value: number, unit = 'ms'): Figure {
  return { value: round(value), unit, target: 'recorded', met: null };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
