/**
 * Fuzz: 1,000 random and mutated messages (custody events v1 and HMPPS events, bare and SNS-wrapped, broken JSON,
 * wrong types, unknown fields, dropped fields) through the real handler on DynamoDB Local. Afterwards: nothing
 * crashed, every reject is explained field by field, and the records agree with each other — one ledger item per
 * recorded event, and counters equal to what the people's cases and the movements add up to (no partial write).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCustodyMessage, type RecordableEvent } from '#events/custody-message';
import { hmppsReceiveReasons, hmppsReleaseReasons } from '#events/hmpps/domain-event';
import { accommodationStatuses, aftercarePlans, cohorts, pathways } from '#events/custody-event';
import { dynamoDocuments } from '#commons/clients';
import { logger } from '#commons/powertools';
import { runtimeConfig } from '#adapters/config';

import { custodyEventsHandler } from '#handlers/custody-events';
import { recordDependencies } from '#composition/custody-events';
import type { RejectedMessage } from '#adapters/rejected-messages';
import { movementContribution, personContribution, rollUps, type CounterDelta } from '#domain/aggregates';
import type { PersonReleases } from '#domain/release-case';
import { lambdaContext } from '#local/lambda-context';
import { LocalDeadLetterQueue, LocalQueue } from '#local/queue';
import { hmpps, snsWrapped } from '#test-support/custody-events';
import { testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

const people = Array.from(
  { length: 300 },
  (_, i) => `F${String(1000 + i)}${String.fromCharCode(65 + (i % 26))}Z`,
);
const instant = fc
  .record({
    day: fc.integer({ min: 0, max: 90 }),
    minute: fc.integer({ min: 0, max: 1439 }),
    bst: fc.boolean(),
  })
  .map(({ day, minute, bst }) => {
    const d = new Date(Date.UTC(2026, 9, 20 + day, 0, minute));
    return bst
      ? new Date(d.getTime() + 3_600_000).toISOString().replace('.000Z', '+01:00')
      : d.toISOString().replace('.000Z', 'Z');
  });
const date = instant.map((t) => t.slice(0, 10));
const circumstances = fc.record(
  {
    destinationLocalAuthority: fc.constantFrom('E06000047', 'E06000005', 'E08000021'),
    accommodation: fc.constantFrom(...accommodationStatuses),
    aftercarePlan: fc.constantFrom(...aftercarePlans),
    needs: fc.uniqueArray(fc.constantFrom(...pathways), { maxLength: 4 }),
    cohorts: fc.uniqueArray(fc.constantFrom(...cohorts), { maxLength: 2 }),
    type: fc.constantFrom('planned', 'unplanned'),
  },
  { requiredKeys: [] },
);
const envelope = fc.record({
  eventId: fc.stringMatching(/^[a-z0-9]{6,12}$/).map((s) => `fz-${s}`),
  occurredAt: instant,
  prisonNumber: fc.constantFrom(...people),
});

const custodyEvent = fc.oneof(
  fc.tuple(envelope, circumstances, date).map(([e, c, d]) => ({
    eventId: e.eventId,
    eventType: 'release.scheduled',
    occurredAt: e.occurredAt,
    prisonId: 'DMI',
    person: { prisonNumber: e.prisonNumber },
    release: { ...c, scheduledFor: d },
  })),
  fc.tuple(envelope, circumstances, date).map(([e, c, d]) => ({
    eventId: e.eventId,
    eventType: 'release.rescheduled',
    occurredAt: e.occurredAt,
    prisonId: 'DMI',
    person: { prisonNumber: e.prisonNumber },
    release: { ...c, scheduledFor: d },
  })),
  fc.tuple(envelope, date).map(([e, d]) => ({
    eventId: e.eventId,
    eventType: 'release.cancelled',
    occurredAt: e.occurredAt,
    prisonId: 'DMI',
    person: { prisonNumber: e.prisonNumber },
    release: { scheduledFor: d },
  })),
  fc.tuple(envelope, circumstances).map(([e, c]) => ({
    eventId: e.eventId,
    eventType: 'prisoner.released',
    occurredAt: e.occurredAt,
    prisonId: 'DMI',
    person: { prisonNumber: e.prisonNumber },
    release: { ...c, releasedAt: e.occurredAt },
  })),
  envelope.map((e) => ({
    eventId: e.eventId,
    eventType: 'prisoner.received',
    occurredAt: e.occurredAt,
    prisonId: 'DMI',
    person: { prisonNumber: e.prisonNumber },
  })),
  fc
    .tuple(envelope, fc.constantFrom(...hmppsReleaseReasons))
    .map(([e, reason]) =>
      hmpps('prison-offender-events.prisoner.released', e.occurredAt, { nomsNumber: e.prisonNumber, reason }),
    ),
  fc
    .tuple(envelope, fc.constantFrom(...hmppsReceiveReasons))
    .map(([e, reason]) =>
      hmpps('prison-offender-events.prisoner.received', e.occurredAt, { nomsNumber: e.prisonNumber, reason }),
    ),
  envelope.map((e) =>
    hmpps('prisoner-offender-search.prisoner.released', e.occurredAt, { nomsNumber: e.prisonNumber }),
  ),
) as fc.Arbitrary<Record<string, unknown>>;

/** A path into an object, and what to do there. */
function mutate(value: Record<string, unknown>, choice: number, replacement: unknown): unknown {
  const copy = structuredClone(value);
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (v && typeof v === 'object')
      for (const [k, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
  };
  walk(copy, []);
  const path = paths[choice % paths.length]!;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path.at(-1)!;
  if (choice % 3 === 0) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const message = fc.oneof(
  { weight: 2, arbitrary: custodyEvent.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: custodyEvent.map((e) => JSON.stringify(snsWrapped(e))) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(custodyEvent, fc.nat(), fc.anything())
      .map(([e, n, r]) => JSON.stringify(mutate(e, n, r) ?? null)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(custodyEvent, fc.nat(), fc.anything())
      .map(([e, n, r]) => JSON.stringify(snsWrapped(mutate(e, n, r) as Record<string, unknown>))),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(custodyEvent, fc.string())
      .map(([e, extra]) => JSON.stringify({ ...e, [`x${extra}`]: extra })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(custodyEvent, fc.nat()).map(([e, n]) => JSON.stringify(e).slice(0, n % 80)),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(fc.string(), fc.json(), fc.constant('{"Type":"Notification","Message":"not json"}')),
  },
);

describe('fuzz: random and mutated custody messages through the handler on DynamoDB Local', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
    logger.setLogLevel('ERROR'); // a line per message would be most of the run
  });
  afterAll(async () => {
    logger.setLogLevel('INFO');
    await gatehouse.stop();
  });

  it('never crashes, explains every reject, and leaves ledger, people and counters consistent', async () => {
    const bodies = fc.sample(message, { numRuns: 1000, seed: 20261120 });
    // A few exact repeats, as SQS delivers them.
    bodies.push(...bodies.slice(0, 30));

    const rejected: RejectedMessage[] = [];
    const config = runtimeConfig(gatehouse.env);
    const handler = custodyEventsHandler({
      record: recordDependencies(gatehouse.env, gatehouse.identifierKey),
      rejected: { keep: async (m) => void rejected.push(m) },
    });
    const deadLetters = new LocalDeadLetterQueue('fuzz-dlq');
    const queue = new LocalQueue({
      name: 'fuzz',
      handler: (event) => handler(event, lambdaContext('custody-events')),
      deadLetters,
      maxReceiveCount: 5,
      visibilityTimeoutMs: 10,
      concurrency: 8,
    });
    await queue.send(bodies);
    await queue.idle();
    queue.stop();

    // No crash: nothing exhausted its retries.
    expect(deadLetters.messages).toEqual([]);

    // Every reject is explained: a path and what was expected there, and it really is invalid.
    for (const r of rejected) {
      expect(r.errors.length, r.body).toBeGreaterThan(0);
      for (const e of r.errors) {
        expect(typeof e.path).toBe('string');
        expect(e.expected.length, `${r.body} → ${e.path}`).toBeGreaterThan(3);
      }
      expect(parseCustodyMessage(r.body, gatehouse.identifierKey).ok).toBe(false);
    }
    const accepted = bodies
      .map((body) => parseCustodyMessage(body, gatehouse.identifierKey))
      .filter((p): p is { ok: true; event: RecordableEvent; source: string } => p.ok);
    const acceptedIds = new Set(accepted.map((p) => p.event.eventId));
    expect(rejected.length + accepted.length).toBe(bodies.length);

    // No partial write: one ledger item per distinct accepted event, and counters equal to what the records add up to.
    const records = await scanAll(config.recordsTable);
    const ledger = records.filter((i) => i.entity === 'ledger');
    expect(new Set(ledger.map((i) => i.eventId))).toEqual(acceptedIds);
    const persons = records.filter((i) => i.entity === 'releases') as unknown as PersonReleases[];
    // Movements recorded too late to page anyone also count as recordedLate; the ledger says which.
    const late = new Set(ledger.filter((i) => i.late === true).map((i) => String(i.eventId)));
    const firstOfEach = [...new Map(accepted.map((p) => [p.event.eventId, p.event])).values()];
    const expected = totalsOf([
      ...persons.flatMap((p) => personContribution(p)),
      ...firstOfEach.flatMap((e) => movementContribution(e, late.has(e.eventId))),
    ]);
    const counters = await scanAll(config.aggregatesTable);
    const actual: Record<string, number> = {};
    for (const item of counters.filter(
      (i) => String(i.pk).startsWith('releases#') || String(i.pk).startsWith('movements#'),
    )) {
      for (const [name, n] of Object.entries(item))
        if (typeof n === 'number' && n !== 0) actual[`${item.pk}|${item.sk}|${name}`] = n;
    }
    expect(actual).toEqual(expected);

    // The closing note of the issue asks for the count.
    console.info(
      `fuzz: ${bodies.length} messages, ${acceptedIds.size} distinct events recorded, ${rejected.length} rejected with reasons, ${persons.length} people`,
    );
    expect(bodies.length).toBeGreaterThanOrEqual(1000);
    expect(acceptedIds.size).toBeGreaterThan(200);
    expect(rejected.length).toBeGreaterThan(400);
  }, 180_000); // ~250 transactions on DynamoDB Local; generous for a loaded CI machine

  async function scanAll(table: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDocuments(gatehouse.env).send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
});

function totalsOf(deltas: CounterDelta[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const item of deltas.flatMap(rollUps))
    for (const [name, n] of Object.entries(item.counts))
      totals[`${item.series}|${item.date}|${name}`] =
        (totals[`${item.series}|${item.date}|${name}`] ?? 0) + n;
  return Object.fromEntries(Object.entries(totals).filter(([, n]) => n !== 0));
}
