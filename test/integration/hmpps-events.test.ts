import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { hmppsEventId } from '#events/hmpps/to-custody-event';
import { hmpps, scheduled, snsWrapped } from '#test-support/custody-events';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('HMPPS domain events, SNS-wrapped and bare, through the queue and the local HTTP endpoint', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
  });
  afterAll(() => gatehouse.stop());

  const movements = async () =>
    (await getJson(`${gatehouse.url}/aggregates?family=movements`)).body.totals as Record<string, number>;
  const releases = async (la: string) =>
    (await getJson(`${gatehouse.url}/aggregates?la=${la}`)).body.totals as Record<string, number>;
  const sendToQueue = async (...bodies: unknown[]) => {
    await gatehouse.custodyQueue.send(bodies.map((b) => JSON.stringify(b)));
    await gatehouse.settle();
  };

  it('turns an SNS-wrapped HMPPS release into the release Gatehouse scheduled, keeping its area and accommodation', async () => {
    await postJson(
      `${gatehouse.url}/custody-events`,
      scheduled(
        'h-s1',
        '2026-11-16T09:00:00Z',
        '2026-11-20',
        { destinationLocalAuthority: 'E06000047', accommodation: 'NO_FIXED_ABODE', aftercarePlan: 'NONE' },
        'H1000AA',
      ),
    );
    await gatehouse.settle();
    await sendToQueue(
      snsWrapped(
        hmpps('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00', {
          nomsNumber: 'H1000AA',
        }),
      ),
    );

    const view = (await getJson(`${gatehouse.url}/cases/H1000AA`)).body;
    expect(view.cases).toHaveLength(1);
    expect(view.current).toMatchObject({
      status: 'RELEASED',
      circumstances: {
        destinationLocalAuthority: 'E06000047',
        accommodation: 'NO_FIXED_ABODE',
        reason: 'CONDITIONAL_RELEASE',
      },
      classification: { urgency: 'CRITICAL', flags: { unplanned: false, lateWeek: true, lateDay: true } },
    });
    expect((await releases('E06000047')).total).toBe(1);
    expect(await movements()).toMatchObject({ 'kind.RELEASE': 1, 'release.CONDITIONAL_RELEASE': 1 });
    const alerts = (await readOutbox(gatehouse.outboxFile)).filter((a) =>
      a.text.includes(view.current.caseRef),
    );
    // One page to County Durham's on-call worker (and the CRITICAL referral to its housing service).
    expect(alerts.filter((a) => a.template === 'critical')).toMatchObject([
      { recipientLabel: 'County Durham out-of-hours housing', notice: 'page.000' },
    ]);
    expect(gatehouse.deadLetters.custody.messages).toEqual([]);
  });

  it('records the same HMPPS event once, whether it came bare over HTTP or wrapped through the queue', async () => {
    const event = hmpps('prison-offender-events.prisoner.released', '2026-11-23T10:00:00Z', {
      nomsNumber: 'H2000BB',
      reason: 'TEMPORARY_ABSENCE_RELEASE',
    });
    const before = (await movements())['kind.TEMPORARY_ABSENCE_OUT'] ?? 0;
    const response = await postJson(`${gatehouse.url}/custody-events`, event);
    expect(response).toEqual({
      status: 202,
      body: {
        accepted: [
          hmppsEventId(
            'prison-offender-events.prisoner.released',
            'H2000BB',
            '2026-11-23T10:00:00Z',
            gatehouse.identifierKey,
          ),
        ],
      },
    });
    await sendToQueue(snsWrapped(event), snsWrapped({ ...event, occurredAt: '2026-11-23T10:00:00+00:00' }));

    expect((await movements())['kind.TEMPORARY_ABSENCE_OUT']).toBe(before + 1);
    const view = (await getJson(`${gatehouse.url}/cases/H2000BB`)).body;
    expect(view.cases).toEqual([]);
    expect(view.movements).toMatchObject([{ reason: 'TEMPORARY_ABSENCE_RELEASE', reviewNeeded: false }]);
  });

  it.each([
    ['SENT_TO_COURT', 'COURT_OUT', '2026-11-24T09:00:00Z'],
    ['TRANSFERRED', 'TRANSFER_OUT', '2026-11-25T11:00:00Z'],
  ])('records a %s movement (%s) with no case and no alert', async (reason, kind, occurredAt) => {
    const outbox = (await readOutbox(gatehouse.outboxFile)).length;
    await sendToQueue(
      snsWrapped(
        hmpps('prison-offender-events.prisoner.released', occurredAt, { nomsNumber: 'H3000CC', reason }),
      ),
    );
    expect((await movements())[`kind.${kind}`]).toBe(1);
    expect((await getJson(`${gatehouse.url}/cases/H3000CC`)).body.cases).toEqual([]);
    expect(await readOutbox(gatehouse.outboxFile)).toHaveLength(outbox);
  });

  it("flags an UNKNOWN movement for review on the person's record and in the figures", async () => {
    await postJson(
      `${gatehouse.url}/custody-events`,
      hmpps('prison-offender-events.prisoner.released', '2026-11-24T12:00:00Z', {
        nomsNumber: 'H4000DD',
        reason: 'UNKNOWN',
      }),
    );
    await gatehouse.settle();
    const view = (await getJson(`${gatehouse.url}/cases/H4000DD`)).body;
    expect(view.reviewNeeded).toMatchObject([{ reason: 'UNKNOWN', occurredAt: '2026-11-24T12:00:00Z' }]);
    expect(await movements()).toMatchObject({ 'kind.UNKNOWN': 1, reviewNeeded: 1 });
  });

  it('counts the immediate prisoner-search release as unconfirmed and never alerts on it', async () => {
    const outbox = (await readOutbox(gatehouse.outboxFile)).length;
    await sendToQueue(
      snsWrapped(
        hmpps('prisoner-offender-search.prisoner.released', '2026-11-27T16:50:00Z', {
          nomsNumber: 'H5000EE',
        }),
      ),
    );
    expect((await movements())['kind.UNCONFIRMED_RELEASE']).toBe(1);
    expect((await getJson(`${gatehouse.url}/cases/H5000EE`)).body.cases).toEqual([]);
    expect(await readOutbox(gatehouse.outboxFile)).toHaveLength(outbox);
  });

  it('closes the case when HMPPS says the person was received back', async () => {
    await sendToQueue(
      hmpps('prison-offender-events.prisoner.received', '2026-12-01T09:00:00Z', {
        nomsNumber: 'H1000AA',
        reason: 'ADMISSION',
      }),
    );
    const view = (await getJson(`${gatehouse.url}/cases/H1000AA`)).body;
    expect(view.current).toMatchObject({ status: 'RETURNED', returnedAt: '2026-12-01T09:00:00Z' });
    expect((await movements())['kind.ADMISSION']).toBe(1);
    expect((await releases('E06000047')).total).toBe(1);
  });

  it('keeps a bad HMPPS event in the dead-letter queue, naming the field inside the SNS message', async () => {
    await sendToQueue(
      snsWrapped(
        hmpps('prison-offender-events.prisoner.released', '2026-11-24T12:00:00Z', { reason: 'ESCAPED' }),
      ),
    );
    expect(gatehouse.deadLetters.custody.messages.at(-1)!.reason).toBe(
      'Message.additionalInformation.reason: expected one of "RELEASED", "RELEASED_TO_HOSPITAL", "TEMPORARY_ABSENCE_RELEASE", "SENT_TO_COURT", "TRANSFERRED", "UNKNOWN"',
    );
    const response = await postJson(
      `${gatehouse.url}/custody-events`,
      hmpps('prison-offender-events.prisoner.received', 'yesterday'),
    );
    expect(response.status).toBe(400);
    expect(response.body.invalid[0].errors[0].path).toBe('occurredAt');
  });
});
