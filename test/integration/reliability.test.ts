/**
 * Faults injected into the real custody path on DynamoDB Local: each run must end with nothing lost and nothing
 * doubled — every event recorded once, counters exact, each alert sent once, no dead letter.
 */
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { custodyEventsHandler } from '#handlers/custody-events';
import { recordDependencies } from '#composition/custody-events';
import type { ReleaseStore } from '#use-cases/record-custody-event';
import { lambdaContext } from '#local/lambda-context';
import { LocalDeadLetterQueue, LocalQueue, type SqsHandler } from '#local/queue';
import { fridayRelease } from '#test-support/events';
import { getJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

/** Wraps the real store: the n-th commits (1-based) fail as told, every other call goes through. */
function faulty(
  store: ReleaseStore,
  faults: Record<number, 'throttle' | 'conflict'>,
): ReleaseStore & { commits: number } {
  const wrapped = {
    commits: 0,
    loadPerson: (prisonNumber: string) => store.loadPerson(prisonNumber),
    loadAlert: (alertId: string) => store.loadAlert(alertId),
    async commit(change: Parameters<ReleaseStore['commit']>[0]) {
      wrapped.commits += 1;
      const fault = faults[wrapped.commits];
      if (fault === 'throttle')
        throw new ProvisionedThroughputExceededException({
          message: 'Throughput exceeds the current capacity of your table',
          $metadata: {},
        });
      // A conflict answer makes the use case read again and decide again, as after a real TransactionConflict.
      if (fault === 'conflict') return 'conflict' as const;
      return store.commit(change);
    },
  };
  return wrapped;
}

describe('reliability of custody events under injected faults', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    // Each test counts releases to an area of its own: those areas are the partnership's here, so they are on the board.
    gatehouse = await testGatehouse({
      env: { PARTNERSHIP_AREAS: 'E06000047,E06000005,E06000001,E06000002' },
    });
  });
  afterAll(() => gatehouse.stop());

  const totals = async (la: string) =>
    (await getJson(`${gatehouse.url}/aggregates?la=${la}`)).body.totals as Record<string, number>;

  /** A queue like the real one, feeding the real handler built on a faulty store. */
  function queueWith(handler: SqsHandler) {
    const deadLetters = new LocalDeadLetterQueue('reliability-dlq');
    const queue = new LocalQueue({
      name: 'reliability',
      handler,
      deadLetters,
      maxReceiveCount: 5,
      visibilityTimeoutMs: 20,
    });
    return { queue, deadLetters };
  }

  async function expectExactlyOnce(area: string, prisonNumbers: string[], before: Record<string, number>) {
    await gatehouse.settle();
    const after = await totals(area);
    expect(after.total ?? 0).toBe((before.total ?? 0) + prisonNumbers.length);
    expect(after['urgency.CRITICAL'] ?? 0).toBe((before['urgency.CRITICAL'] ?? 0) + prisonNumbers.length);
    const outbox = await readOutbox(gatehouse.outboxFile);
    for (const prisonNumber of prisonNumbers) {
      const view = await getJson(`${gatehouse.url}/cases/${prisonNumber}`);
      expect(view.body.cases, prisonNumber).toHaveLength(1);
      const pages = outbox.filter(
        (e) => e.template === 'critical' && e.text.includes(view.body.current.caseRef),
      );
      expect(pages, prisonNumber).toHaveLength(1);
    }
  }

  it('recovers from DynamoDB throttling and transaction conflicts in the middle of a batch', async () => {
    const area = 'E06000001';
    const before = await totals(area);
    const store = faulty(recordDependencies(gatehouse.env, gatehouse.identifierKey).store, {
      2: 'throttle',
      3: 'conflict',
      5: 'throttle',
      6: 'conflict',
      7: 'conflict',
      9: 'throttle',
    });
    const handler = custodyEventsHandler({
      record: {
        ...recordDependencies(gatehouse.env, gatehouse.identifierKey),
        store,
        clock: gatehouse.clock,
      },
      rejected: new LocalDeadLetterQueue('rejected'),
    });
    const { queue, deadLetters } = queueWith(async (event) => {
      const response = await handler(event, lambdaContext('custody-events'));
      return response;
    });
    const people = Array.from({ length: 8 }, (_, i) => `T${String(1000 + i)}AA`);
    await queue.send(
      people.map((p, i) =>
        JSON.stringify(
          fridayRelease({
            eventId: `throttle-${i}`,
            person: { prisonNumber: p },
            release: { destinationLocalAuthority: area },
          }),
        ),
      ),
    );
    await queue.idle();

    expect(store.commits).toBeGreaterThan(people.length); // the faults really happened and were retried
    expect(deadLetters.messages).toEqual([]);
    await expectExactlyOnce(area, people, before);
  });

  it('loses and doubles nothing when the function is killed half-way through a batch', async () => {
    const area = 'E06000002';
    const before = await totals(area);
    const handler = custodyEventsHandler({
      record: { ...recordDependencies(gatehouse.env, gatehouse.identifierKey), clock: gatehouse.clock },
      rejected: new LocalDeadLetterQueue('rejected'),
    });
    let killed = false;
    const { queue, deadLetters } = queueWith(async (event) => {
      if (killed) return handler(event, lambdaContext('custody-events'));
      // The first invocation records half its records, then dies: no response, so SQS redelivers the whole batch.
      killed = true;
      await handler(
        { Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) },
        lambdaContext('custody-events'),
      );
      throw new Error('Runtime exited with error: signal: killed');
    });
    const people = Array.from({ length: 6 }, (_, i) => `K${String(1000 + i)}BB`);
    await queue.send(
      people.map((p, i) =>
        JSON.stringify(
          fridayRelease({
            eventId: `killed-${i}`,
            person: { prisonNumber: p },
            release: { destinationLocalAuthority: area },
          }),
        ),
      ),
    );
    await queue.idle();

    expect(killed).toBe(true);
    expect(deadLetters.messages).toEqual([]);
    await expectExactlyOnce(area, people, before);
  });
});
