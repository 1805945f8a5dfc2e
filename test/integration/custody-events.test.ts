import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { fridayRelease } from '#test-support/events';
import { runningFrom } from '#test-support/clock';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('custody events, end to end on DynamoDB Local', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
  });
  afterAll(() => gatehouse.stop());

  const totals = async (la = '*') =>
    (await getJson(`${gatehouse.url}/aggregates?la=${la}`)).body.totals as Record<string, number>;

  it('turns the Friday 16:40 unplanned release into a case, counted figures and one CRITICAL alert', async () => {
    const event = fridayRelease({ person: { prisonNumber: 'F1000AA' } });
    const response = await postJson(`${gatehouse.url}/custody-events`, event);
    expect(response).toEqual({ status: 202, body: { accepted: [event.eventId] } });
    await gatehouse.settle();

    const view = await getJson(`${gatehouse.url}/cases/F1000AA`);
    expect(view.status).toBe(200);
    expect(view.body.current).toMatchObject({
      status: 'RELEASED',
      classification: {
        urgency: 'CRITICAL',
        flags: {
          unplanned: true,
          lateWeek: true,
          lateDay: true,
          nonWorkingDay: false,
          noFixedAbode: true,
          noAftercarePlan: true,
          bankHolidaysUnknown: false,
        },
      },
    });
    expect(view.body.current.classification.reasons).toContain(
      'Released late in the day (16:40), when housing and treatment services are closing',
    );

    const alerts = (await readOutbox(gatehouse.outboxFile)).filter(
      (a) => a.text.includes(view.body.current.caseRef) && a.template === 'critical',
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ recipient: 'darlington-out-of-hours', notice: 'page.000' });
    expect(alerts[0]!.text).toContain('CRITICAL');
    expect(alerts[0]!.text).toContain('Darlington');
    expect(alerts[0]!.text).not.toContain('F1000AA');
  });

  it('records, counts and alerts a release on a day whose bank holidays are not loaded, saying so', async () => {
    // Thursday 17 April 2031, the day before Good Friday: the shipped list ends with 2030, so Gatehouse cannot know
    // that the next day is a holiday. Its own Gatehouse runs on a clock of that day, so the release is fresh enough to page.
    const later = await testGatehouse({ clock: runningFrom('2031-04-17T10:30:00+01:00') });
    try {
      const event = fridayRelease({
        person: { prisonNumber: 'H1000AA' },
        occurredAt: '2031-04-17T10:00:00+01:00',
        release: { releasedAt: '2031-04-17T10:00:00+01:00' },
      });
      expect((await postJson(`${later.url}/custody-events`, event)).status).toBe(202);
      await later.settle();

      const current = (await getJson(`${later.url}/cases/H1000AA`)).body.current;
      expect(current.classification).toMatchObject({
        urgency: 'CRITICAL',
        flags: { bankHolidaysUnknown: true },
      });
      expect(current.classification.reasons.join('\n')).toContain('bank holidays for 2031 are not loaded');
      const figures = (
        await getJson(`${later.url}/aggregates?from=2031-04-17&to=2031-04-17&granularity=total`)
      ).body.totals as Record<string, number>;
      expect(figures).toMatchObject({ total: 1, bankHolidaysUnknown: 1 });
      const pages = (await readOutbox(later.outboxFile)).filter(
        (a) => a.text.includes(current.caseRef) && a.template === 'critical',
      );
      expect(pages).toHaveLength(1);
    } finally {
      await later.stop();
    }
  });

  it('records an event delivered three times in sequence once: one case, counters +1, one alert', async () => {
    const before = await totals('E06000005');
    const event = fridayRelease({ person: { prisonNumber: 'S2000BB' } });
    for (let i = 0; i < 3; i++) await postJson(`${gatehouse.url}/custody-events`, event);
    await gatehouse.settle();
    await expectRecordedOnce('S2000BB', before);
  });

  it('records an event delivered three times concurrently once: one case, counters +1, one alert', async () => {
    const before = await totals('E06000005');
    const event = fridayRelease({ person: { prisonNumber: 'C3000CC' } });
    // Three copies in one batch and three in parallel requests: six deliveries racing each other.
    await Promise.all([
      postJson(`${gatehouse.url}/custody-events`, [event, event, event]),
      ...[1, 2, 3].map(() => postJson(`${gatehouse.url}/custody-events`, event)),
    ]);
    await gatehouse.settle();
    await expectRecordedOnce('C3000CC', before);
  });

  async function expectRecordedOnce(prisonNumber: string, before: Record<string, number>) {
    const view = await getJson(`${gatehouse.url}/cases/${prisonNumber}`);
    expect(view.body.cases).toHaveLength(1);
    const after = await totals('E06000005');
    for (const name of [
      'total',
      'unplanned',
      'lateWeek',
      'lateDay',
      'noFixedAbode',
      'noAftercarePlan',
      'urgency.CRITICAL',
      'need.DRUGS_AND_ALCOHOL',
    ]) {
      expect(after[name], name).toBe((before[name] ?? 0) + 1);
    }
    const alerts = (await readOutbox(gatehouse.outboxFile)).filter(
      (a) => a.text.includes(view.body.current.caseRef) && a.template === 'critical',
    );
    expect(alerts).toHaveLength(1);
    expect(gatehouse.deadLetters.custody.messages).toEqual([]);
  }

  it('answers 400 naming each invalid field and what was expected, and accepts none of the request', async () => {
    const good = fridayRelease({ person: { prisonNumber: 'V4000DD' } });
    const bad = {
      ...fridayRelease(),
      person: { prisonNumber: 'not-a-number' },
      release: { accommodation: 'A TENT' },
    };
    const response = await postJson(`${gatehouse.url}/custody-events`, [good, bad]);
    expect(response.status).toBe(400);
    expect(response.body.invalid).toEqual([
      {
        index: 1,
        errors: [
          { path: 'person.prisonNumber', expected: 'a prison (NOMS) number such as A1234BC' },
          {
            path: 'release.accommodation',
            expected:
              'one of "SETTLED", "TEMPORARY", "APPROVED_PREMISES", "CAS3", "NO_FIXED_ABODE", "UNKNOWN"',
          },
        ],
      },
    ]);
    expect((await getJson(`${gatehouse.url}/cases/V4000DD`)).status).toBe(404);
  });

  it('sends a message that can never be valid to the dead-letter queue with its reason, and records the rest of its batch', async () => {
    const good = fridayRelease({ person: { prisonNumber: 'B5000EE' } });
    await gatehouse.custodyQueue.send([
      JSON.stringify(good),
      '{"eventType":"prisoner.released"',
      JSON.stringify({ ...good, eventId: 'x', prisonId: 'Durham' }),
    ]);
    await gatehouse.settle();
    expect((await getJson(`${gatehouse.url}/cases/B5000EE`)).status).toBe(200);
    const reasons = gatehouse.deadLetters.custody.messages.map((m) => m.reason);
    expect(reasons).toEqual([
      '(message): expected a JSON object (the message body is not valid JSON)',
      'prisonId: expected a three-letter prison code such as DMI (HMP Durham)',
    ]);
  });

  it('reports its health with the local endpoints and resource names', async () => {
    const health = await getJson(`${gatehouse.url}/health`);
    expect(health.body).toMatchObject({
      status: 'ok',
      tables: gatehouse.names.tables,
      buckets: gatehouse.names.buckets,
    });
    expect(health.body.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('redriving the local dead-letter queue', () => {
  it('puts parked messages back on their queue, where a now-valid one is recorded', async () => {
    const gatehouse = await testGatehouse();
    try {
      const event = fridayRelease({ person: { prisonNumber: 'R6000FF' } });
      // Parked as if it had failed three times while the store was down.
      gatehouse.deadLetters.custody.add({
        messageId: 'm1',
        body: JSON.stringify(event),
        reason: 'handler threw: store unavailable',
        receiveCount: 3,
        at: gatehouse.clock().toISOString(),
      });
      const response = await postJson(`${gatehouse.url}/dead-letters/custody-events/redrive`, {});
      expect(response).toEqual({ status: 200, body: { redriven: 1 } });
      await gatehouse.settle();
      expect(gatehouse.deadLetters.custody.messages).toEqual([]);
      expect((await getJson(`${gatehouse.url}/cases/R6000FF`)).status).toBe(200);
    } finally {
      await gatehouse.stop();
    }
  });
});
