import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyEventsHandler } from '#handlers/custody-events';
import { recordDependencies } from '#composition/custody-events';
import type { ReleaseStore } from '#use-cases/record-custody-event';
import { lambdaContext } from '#local/lambda-context';
import { LocalDeadLetterQueue, LocalQueue } from '#local/queue';
import { fridayRelease } from '#test-support/events';
import { getJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('a custody event whose recording keeps failing', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
  });
  afterAll(() => gatehouse.stop());

  it('goes back to the queue on each failure and lands in the dead-letter queue after the configured receives; the rest of its batch is recorded', async () => {
    const deps = recordDependencies(gatehouse.env, gatehouse.identifierKey);
    let commitsOfBroken = 0;
    // The real DynamoDB store, except that every commit for one person fails (as a throttled or broken table would).
    const store: ReleaseStore = {
      loadPerson: (prisonNumber) => deps.store.loadPerson(prisonNumber),
      loadAlert: (alertId) => deps.store.loadAlert(alertId),
      commit: async (change) => {
        if (change.person.prisonNumber !== 'Z9999ZZ') return deps.store.commit(change);
        commitsOfBroken += 1;
        throw new Error('ProvisionedThroughputExceededException: the table is not answering');
      },
    };
    const handler = custodyEventsHandler({
      record: { ...deps, store },
      rejected: new LocalDeadLetterQueue('unused'),
    });
    const deadLetters = new LocalDeadLetterQueue('custody-events-dlq');
    const queue = new LocalQueue({
      name: 'custody-events',
      handler: (event) => handler(event, lambdaContext('custody-events')),
      deadLetters,
      maxReceiveCount: 3,
      visibilityTimeoutMs: 20,
    });

    const broken = fridayRelease({ person: { prisonNumber: 'Z9999ZZ' } });
    const fine = [
      fridayRelease({ person: { prisonNumber: 'R1000AA' } }),
      fridayRelease({ person: { prisonNumber: 'R2000BB' } }),
    ];
    await queue.send([fine[0], broken, fine[1]].map((e) => JSON.stringify(e)));
    await queue.idle();
    queue.stop();

    expect(deadLetters.messages).toHaveLength(1);
    expect(deadLetters.messages[0]).toMatchObject({ body: JSON.stringify(broken), receiveCount: 3 });
    // Alone in its last batch, it fails the whole batch: Powertools then throws, as Lambda expects.
    expect(deadLetters.messages[0]!.reason).toMatch(
      /reported as failed by the handler|All records failed processing/,
    );
    expect(commitsOfBroken).toBe(3);
    for (const e of fine)
      expect((await getJson(`${gatehouse.url}/cases/${e.person.prisonNumber}`)).body.current.status).toBe(
        'RELEASED',
      );
    expect((await getJson(`${gatehouse.url}/cases/Z9999ZZ`)).status).toBe(404);
  });
});
