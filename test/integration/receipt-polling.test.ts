/**
 * Where GOV.UK Notify's callbacks cannot be configured (NOTIFY_RECEIPTS=poll), the sweeper asks Notify
 * (getNotificationById) about every message still SENT a few minutes after it was accepted, and records what Notify
 * says through the callback's own path: the same statuses, figures and escalation; a duplicate changes nothing.
 * The local Notify answers GET /v2/notifications/{id} in Notify's published shape and sends no callbacks here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onCallRota } from '#test-support/rota';
import { localRouting } from '#local/routing';
import { manualClock } from '#test-support/clock';
import { fridayRelease } from '#test-support/events';
import { startFakeNotify, type FakeNotify } from '#test-support/fake-notify';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

const token = 'a-callback-token-for-tests-only';
const templates = {
  sms: { critical: '2c1a9d4e-0000-4000-8000-000000000001' },
  email: { referral: '2c1a9d4e-0000-4000-8000-000000000011' },
};

describe('delivery receipts by asking GOV.UK Notify', () => {
  let notify: FakeNotify;
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  // Friday 20 November 2026, 17:05 in London: the fixtures' release day.
  const clock = manualClock('2026-11-20T17:05:00Z');

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
        NOTIFY_RECEIPTS: 'poll',
        NOTIFY_CALLBACK_TOKEN: token,
        NOTIFY_POLL_AFTER_MINUTES: '3',
        PARTNERSHIP_AREAS: 'E06000047,E06000005,E06000006,E06000007,E06000008',
      },
      routing: { ...localRouting, fallbackArea: 'E06000005', notifyTemplates: templates },
    });
  });
  afterAll(async () => {
    await gatehouse?.stop();
    await notify?.close();
  });

  async function release(prisonNumber: string, localAuthority: string) {
    const event = fridayRelease({
      person: { prisonNumber },
      release: { destinationLocalAuthority: localAuthority },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, event)).status).toBe(202);
    await gatehouse.settle();
  }
  const smsTo = (phone: string) =>
    notify.requests.filter((r) => r.body.phone_number === phone && r.answeredWith === 201);
  const timelineOf = async (phone: string) =>
    (await getJson(`${gatehouse.url}/alerts/${smsTo(phone)[0]!.body.reference!.slice(0, 24)}`)).body;
  const figures = async (la: string) =>
    (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=${la}`)).body.totals;
  const firstDelivery = async (phone: string) => (await timelineOf(phone)).notices[0].deliveries[0];

  it('asks about a page only once it is a few minutes old, records DELIVERED as the callback would, and asks no more', async () => {
    await gatehouse.saveRota(onCallRota('E06000006', '07700900611', '07700900612'));
    await release('R1000PA', 'E06000006');
    expect(await firstDelivery('07700900611')).toMatchObject({ status: 'SENT' });

    clock.advance(1);
    expect((await gatehouse.sweep()).receiptPolls).toMatchObject({ asked: 0 });
    clock.advance(3);
    // The page and the release's referral e-mails: each asked about once, each recorded.
    const polled = (await gatehouse.sweep()).receiptPolls!;
    expect(polled).toMatchObject({ escalated: 0, notYet: 0, errors: [] });
    expect(polled.recorded).toBe(polled.asked);
    const page = [...notify.notifications.values()].find((n) => n.phone_number === '07700900611')!;
    expect(notify.lookups.filter((id) => id === page.id)).toHaveLength(1);
    expect(await firstDelivery('07700900611')).toMatchObject({
      status: 'DELIVERED',
      receipt: expect.objectContaining({ status: 'delivered' }),
    });
    expect(await figures('E06000006')).toMatchObject({ pagesDelivered: 1, 'deliveredMinutes.count': 1 });

    clock.advance(10);
    expect((await gatehouse.sweep()).receiptPolls).toMatchObject({ asked: 0 });
    expect(smsTo('07700900612')).toEqual([]);
  });

  it('escalates a page at once when Notify says the phone was off, and a late callback of the same receipt changes nothing', async () => {
    await gatehouse.saveRota(onCallRota('E06000007', '07700900621', '07700900622'));
    notify.phoneOff.add('07700900621');
    await release('R2000PB', 'E06000007');
    clock.advance(4);
    expect((await gatehouse.sweep()).receiptPolls).toMatchObject({ escalated: 1, errors: [] });
    await gatehouse.settle();
    // Four minutes in, long before the escalation's 15-minute step: the secondary is paged because the page failed.
    expect(smsTo('07700900622').map((r) => r.body.reference?.match(/page\.\d{3}/)?.[0])).toEqual([
      'page.001',
    ]);
    expect(await firstDelivery('07700900621')).toMatchObject({
      status: 'REJECTED',
      reason: expect.stringMatching(/phone was off/),
    });
    const after = await figures('E06000007');
    expect(after).toMatchObject({
      deliveryFailed: 1,
      'deliveryFailed.receipt': 1,
      'escalated.CRITICAL_RELEASE': 1,
    });

    // The callback arrives after all: the same receipt, which changes and counts nothing.
    const page = [...notify.notifications.values()].find((n) => n.phone_number === '07700900621')!;
    notify.callbackTo(gatehouse.url, token);
    const at = page.completed_at as string;
    expect(
      await notify.sendReceipt({
        id: page.id,
        reference: page.reference,
        to: '07700900621',
        status: 'temporary-failure',
        created_at: at,
        completed_at: at,
        sent_at: at,
        notification_type: 'sms',
        template_id: templates.sms.critical,
        template_version: 1,
      }),
    ).toBe(200);
    await gatehouse.settle();
    expect(await figures('E06000007')).toEqual(after);
    expect((await timelineOf('07700900621')).step).toBe(1);
    expect(smsTo('07700900622')).toHaveLength(1);
  });

  it('asks again later, not every minute, while Notify is still sending', async () => {
    await gatehouse.saveRota(onCallRota('E06000008', '07700900631', '07700900632'));
    notify.stillSending.add('07700900631');
    await release('R3000PC', 'E06000008');
    const page = () => [...notify.notifications.values()].find((n) => n.phone_number === '07700900631')!;
    const askedAboutPage = () => notify.lookups.filter((id) => id === page().id).length;
    clock.advance(4);
    expect((await gatehouse.sweep()).receiptPolls).toMatchObject({ notYet: 1 });
    expect(askedAboutPage()).toBe(1);
    clock.advance(1);
    expect((await gatehouse.sweep()).receiptPolls).toMatchObject({ asked: 0 });
    clock.advance(4);
    expect((await gatehouse.sweep()).receiptPolls).toMatchObject({ asked: 1, notYet: 1 });
    expect(askedAboutPage()).toBe(2);
    expect(await firstDelivery('07700900631')).toMatchObject({ status: 'SENT' });
  });
});
