/**
 * GOV.UK Notify's delivery receipts, sent by the local Notify as Notify sends them (after the 201, with the
 * bearer token registered for the callback), through the real HTTP route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotaEntry } from '#domain/rota';
import { onCallRota } from '#test-support/rota';
import { localRouting } from '#local/routing';
import { manualClock } from '#test-support/clock';
import { fridayRelease } from '#test-support/events';
import { startFakeNotify, type FakeNotify } from '#test-support/fake-notify';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

const templates = {
  sms: {
    critical: '2c1a9d4e-0000-4000-8000-000000000001',
    acknowledged: '2c1a9d4e-0000-4000-8000-000000000002',
  },
  email: { referral: '2c1a9d4e-0000-4000-8000-000000000011' },
};
const token = 'a-callback-token-for-tests-only';

describe('delivery receipts from GOV.UK Notify', () => {
  let notify: FakeNotify;
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;

  beforeAll(async () => {
    notify = await startFakeNotify();
    gatehouse = await testGatehouse({
      sweepEveryMs: 0,
      sendBackoffMs: 1,
      env: {
        NOTIFY_API_KEY: notify.apiKey,
        NOTIFY_BASE_URL: notify.url,
        NOTIFY_TIMEOUT_MS: '300',
        NOTIFY_CALLBACK_TOKEN: token,
        PARTNERSHIP_AREAS:
          'E06000047,E06000005,E06000006,E06000007,E06000008,E06000009,E06000010,E06000011,E06000012',
      },
      routing: { ...localRouting, fallbackArea: 'E06000005', notifyTemplates: templates },
    });
    notify.callbackTo(gatehouse.url, token);
  });
  afterAll(async () => {
    await gatehouse.stop();
    await notify.close();
  });

  const quiet = () => quietAfter(gatehouse, notify);

  async function release(prisonNumber: string, localAuthority: string) {
    const event = fridayRelease({
      person: { prisonNumber },
      release: { destinationLocalAuthority: localAuthority },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, event)).status).toBe(202);
    await quiet();
  }
  const smsTo = (phone: string) => notify.requests.filter((r) => r.body.phone_number === phone);
  const timelineOf = async (phone: string) =>
    (await getJson(`${gatehouse.url}/alerts/${smsTo(phone)[0]!.body.reference!.slice(0, 24)}`)).body;
  const figures = async (la: string) =>
    (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=${la}`)).body.totals;

  it('records a delivered page as DELIVERED, and counts it with its minutes to delivered', async () => {
    await gatehouse.saveRota(onCallRota('E06000006', '07700900511', '07700900512'));
    await release('R1000AA', 'E06000006');
    const timeline = await timelineOf('07700900511');
    expect(timeline.notices[0].deliveries).toEqual([
      expect.objectContaining({
        recipient: 'primary on call (rota)',
        status: 'DELIVERED',
        receipt: expect.objectContaining({ status: 'delivered' }),
      }),
    ]);
    // Minutes to delivered: the sum over the count (the stand-in answers at once, so the sum is a few minutes at most).
    expect(await figures('E06000006')).toMatchObject({ pagesDelivered: 1, 'deliveredMinutes.count': 1 });
    expect(smsTo('07700900512')).toEqual([]);
  });

  it.each([
    ['a phone that is off', 'phoneOff', 'temporary-failure', /phone was off or out of signal/],
    ['a number that does not exist', 'noSuchNumber', 'permanent-failure', /number or address does not exist/],
  ] as const)(
    'moves the escalation on at once when the page fails on %s',
    async (_, switchName, status, reason) => {
      const la = switchName === 'phoneOff' ? 'E06000007' : 'E06000008';
      const [primary, secondary] =
        switchName === 'phoneOff' ? ['07700900521', '07700900522'] : ['07700900531', '07700900532'];
      await gatehouse.saveRota(onCallRota(la, primary, secondary));
      notify[switchName].add(primary);
      await release(switchName === 'phoneOff' ? 'R2000BB' : 'R3000CC', la);

      // No sweep has run: the receipt itself paged the secondary.
      expect(smsTo(secondary).map((r) => r.body.reference?.match(/page\.\d{3}/)?.[0])).toEqual(['page.001']);
      const timeline = await timelineOf(primary);
      expect(timeline.step).toBe(1);
      expect(
        timeline.notices.map(
          (n: {
            notice: string;
            deliveries: { status: string; reason?: string; receipt?: { status: string } }[];
          }) => [n.notice, n.deliveries.map((d) => [d.status, d.receipt?.status])],
        ),
      ).toEqual([
        ['page.000', [['REJECTED', status]]],
        ['page.001', [['DELIVERED', 'delivered']]],
      ]);
      expect(timeline.notices[0].deliveries[0].reason).toMatch(reason);
      expect(await figures(la)).toMatchObject({
        deliveryFailed: 1,
        'deliveryFailed.receipt': 1,
        'escalated.CRITICAL_RELEASE': 1,
        pagesDelivered: 1,
      });
    },
  );

  it('is unmoved by a duplicated receipt or a failure arriving after the delivered one', async () => {
    await gatehouse.saveRota(onCallRota('E06000009', '07700900541', '07700900542'));
    await release('R4000DD', 'E06000009');
    const original = notify.callbacks.find((c) => c.body.to === '07700900541')!.body;
    expect(await notify.sendReceipt(original)).toBe(200);
    expect(await notify.sendReceipt({ ...original, status: 'temporary-failure' })).toBe(200);
    await quiet();
    const timeline = await timelineOf('07700900541');
    expect(timeline).toMatchObject({ step: 0, status: 'OPEN' });
    expect(timeline.notices[0].deliveries[0]).toMatchObject({ status: 'DELIVERED' });
    expect(await figures('E06000009')).toMatchObject({ pagesDelivered: 1, 'deliveredMinutes.count': 1 });
    expect((await figures('E06000009')).deliveryFailed ?? 0).toBe(0);
    expect(smsTo('07700900542')).toEqual([]);
  });

  it('refuses a callback without the bearer token, or with another one (401), and changes nothing', async () => {
    const receipt = {
      id: '1a2b',
      reference: 'x-page.000-y',
      to: '07700900999',
      status: 'delivered',
      created_at: '2025-01-01T00:00:00.000000Z',
      notification_type: 'sms',
    };
    const none = await fetch(`${gatehouse.url}/notify/delivery-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(receipt),
    });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${gatehouse.url}/notify/delivery-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}x` },
      body: JSON.stringify(receipt),
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${gatehouse.url}/notify/delivery-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(receipt),
    });
    expect(await right.json()).toEqual({ outcome: 'unknown-reference', escalated: false });
  });
});

describe('acknowledging a page by replying to it', () => {
  let notify: FakeNotify;
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  const clock = manualClock('2025-06-13T15:40:00Z');
  const la = 'E06000010';
  const [primary, secondary] = ['07700900561', '07700900562'];
  const templatesWithReply = {
    ...templates,
    sms: { ...templates.sms, reply: '2c1a9d4e-0000-4000-8000-000000000004' },
  };

  beforeAll(async () => {
    notify = await startFakeNotify();
    gatehouse = await testGatehouse({
      clock,
      sweepEveryMs: 0,
      sendBackoffMs: 1,
      env: {
        NOTIFY_API_KEY: notify.apiKey,
        NOTIFY_BASE_URL: notify.url,
        NOTIFY_TIMEOUT_MS: '300',
        NOTIFY_CALLBACK_TOKEN: token,
        PARTNERSHIP_AREAS:
          'E06000047,E06000005,E06000006,E06000007,E06000008,E06000009,E06000010,E06000011,E06000012',
      },
      routing: { ...localRouting, fallbackArea: 'E06000005', notifyTemplates: templatesWithReply },
    });
    notify.callbackTo(gatehouse.url, token);
    const entry = (tier: RotaEntry['tier'], address: string, displayName: string): RotaEntry => ({
      localAuthority: la,
      tier,
      start: '2025-06-01T00:00:00Z',
      end: '2025-07-01T00:00:00Z',
      channel: 'sms',
      address,
      displayName,
      source: 'test',
    });
    await gatehouse.saveRota([entry('primary', primary, 'Sam'), entry('secondary', secondary, 'Alex')]);
  });
  afterAll(async () => {
    await gatehouse.stop();
    await notify.close();
  });

  const quiet = () => quietAfter(gatehouse, notify);

  const smsTo = (phone: string) => notify.requests.filter((r) => r.body.phone_number === phone);

  it('takes the case for whoever replies 1, tells the others, and answers a second reply, a stranger and a late reply as it should', async () => {
    const event = fridayRelease({
      person: { prisonNumber: 'R5000EE' },
      occurredAt: clock().toISOString(),
      release: { releasedAt: clock().toISOString(), destinationLocalAuthority: la },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, event)).status).toBe(202);
    await quiet();
    expect(smsTo(primary)[0]!.body.personalisation).toMatchObject({
      reply_hint: 'Reply 1 to take this case',
    });
    const alertId = smsTo(primary)[0]!.body.reference!.slice(0, 24);

    clock.advance(15);
    await gatehouse.sweep();
    await quiet();
    expect(smsTo(secondary).map((r) => r.body.template_id)).toEqual([templates.sms.critical]);

    // The secondary replies from the number paged, in Notify's international form.
    expect(await notify.reply(secondary, '1')).toBe(200);
    await quiet();
    const taken = (await getJson(`${gatehouse.url}/alerts/${alertId}`)).body;
    expect(taken).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: 'secondary on call (rota)' });
    expect(smsTo(primary).map((r) => r.body.template_id)).toEqual([
      templates.sms.critical,
      templates.sms.acknowledged,
    ]);
    expect(smsTo(primary)[1]!.body.personalisation).toMatchObject({
      acknowledged_by: 'Alex, secondary on call',
    });

    // A second reply changes nothing, and says why.
    await notify.reply(secondary, '1 again');
    await quiet();
    const answer = smsTo(secondary).at(-1)!;
    expect(answer.body.template_id).toBe(templatesWithReply.sms.reply);
    expect(answer.body.personalisation!.why).toMatch(/^already acknowledged at \d\d:\d\d \(by you\)$/);

    // A number that was never paged is refused.
    const strangers = notify.callbacks.length;
    await notify.reply('07700900999', '1');
    expect(notify.callbacks[strangers]!.status).toBe(200);
    expect(smsTo('07700900999')).toEqual([]);

    // After the alert's life is over, a reply changes nothing either, and the sender is told.
    clock.advance(73 * 60);
    await gatehouse.sweep();
    await quiet();
    expect((await getJson(`${gatehouse.url}/alerts/${alertId}`)).body.status).toBe('EXPIRED');
    await notify.reply(primary, '1');
    await quiet();
    expect(smsTo(primary).at(-1)!.body.personalisation!.why).toMatch(/^this alert expired at /);
    expect((await getJson(`${gatehouse.url}/alerts/${alertId}`)).body).toMatchObject({
      status: 'EXPIRED',
      acknowledgedBy: 'secondary on call (rota)',
    });
  });
});

/**
 * Until the stream, dispatch and Notify's callbacks have all gone quiet, twice in a row: a receipt's effect (the
 * next step's page) reaches the stream a moment after the callback has been answered, so one still round on a
 * loaded machine is not yet the end.
 */
async function quietAfter(
  gatehouse: Awaited<ReturnType<typeof testGatehouse>>,
  notify: Awaited<ReturnType<typeof startFakeNotify>>,
): Promise<void> {
  let seen = -1;
  let still = 0;
  while (still < 2) {
    const now = notify.requests.length + notify.callbacks.length;
    still = now === seen ? still + 1 : 0;
    seen = now;
    await gatehouse.settle();
    await notify.callbacksDone();
    await gatehouse.settle();
    if (still === 1) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
