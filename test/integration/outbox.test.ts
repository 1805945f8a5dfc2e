/**
 * The notice outbox under faults, on DynamoDB Local: a dispatcher killed mid-send, a stream retry inside the
 * dead dispatcher's claim, a Notify so slow that the function's time runs out. However it goes, every notice
 * ends with each recipient reached exactly once, and nothing stays SENDING or pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeKey } from '#domain/alerts';
import { escalationPolicyFor, parseRoutingConfig } from '#domain/routing';
import { channelsFor } from '#composition/dispatch';
import { dispatchNotice } from '#use-cases/dispatch-alert';
import { defaultExpectations } from '#domain/heartbeats';
import { localRouting } from '#local/routing';
import { hmpps, snsWrapped } from '#test-support/custody-events';
import { manualClock } from '#test-support/clock';
import { fridayRelease } from '#test-support/events';
import { startFakeNotify, type FakeNotify } from '#test-support/fake-notify';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';
import { outboxWorld, referralDraft } from '#test-support/outbox-world';

const page0 = { purpose: 'page' as const, index: 0 };

describe('a dispatcher that dies mid-send', () => {
  it('leaves the claimed delivery to the sweeper, which sends it once the claim has lapsed; the stream retry inside the claim is not "already sent"', async () => {
    const world = await outboxWorld('2025-06-13T15:00:00Z');
    const alert = await world.raise(referralDraft());
    const notice = { alertId: alert.alertId, ...page0 };

    // The first recipient is sent; on the second the dispatcher is killed (its send never returns).
    world.channel.plan('ok', 'hang');
    void dispatchNotice(notice, world.dispatch);
    await world.channel.hanging();
    const stuck = (await world.deliveries(alert.alertId)).find((d) => d.status === 'SENDING')!;
    expect(stuck.attempts).toEqual([]);

    // The stream retries at once, inside the dead dispatcher's claim: nothing is sent twice, and the notice is not settled.
    world.clock.advance(0.5);
    expect(await dispatchNotice(notice, world.dispatch)).toMatchObject({ outcome: 'deferred', sent: 0 });
    expect((await world.notice(alert.alertId, noticeKey(page0)))!.status).toBe('PENDING');

    // Within the stream's grace the sweeper leaves it; after it, the lapsed claim is taken and the page sent.
    world.clock.advance(1);
    expect((await world.sweep()).resent).toBe(0);
    world.clock.advance(2);
    expect((await world.sweep()).resent).toBe(1);

    expect(world.acceptedFor(alert.alertId)).toEqual({
      'page.000 darlington-housing-options': 1,
      'page.000 darlington-recovery': 1,
    });
    const deliveries = await world.deliveries(alert.alertId);
    expect(deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT']);
    expect(
      deliveries.find((d) => d.sk === stuck.sk)!.attempts.map((a: { outcome: string }) => a.outcome),
    ).toEqual(['sent']);
    expect(await world.notice(alert.alertId, noticeKey(page0))).toMatchObject({ status: 'DONE' });
    expect((await world.notice(alert.alertId, noticeKey(page0)))!.duePartition).toBeUndefined();

    // Nothing is left for a later sweep to send again.
    world.clock.advance(30);
    expect(await world.sweep()).toMatchObject({ resent: 0, expired: 0 });
    expect(world.channel.accepted).toHaveLength(2);
  });
});

describe('a Notify that never answers in time', () => {
  it('stops before the function would be killed, leaving no delivery SENDING, and the sweeper sends both once Notify is back', async () => {
    const world = await outboxWorld('2025-06-13T15:00:00Z');
    const alert = await world.raise(referralDraft());
    const notice = { alertId: alert.alertId, ...page0 };
    const start = world.clock().getTime();
    const deadline = start + 27_000; // a 30 s function, 3 s kept back

    // Each attempt takes Notify's full timeout: four of them, with backoff, for the first recipient use the time up.
    world.channel.plan(...Array(4).fill('timeout'));
    await expect(dispatchNotice(notice, { ...world.dispatch, deadline })).rejects.toThrow(
      /timeout of 5500ms exceeded/,
    );
    expect(world.clock().getTime()).toBeLessThanOrEqual(deadline);
    const deliveries = await world.deliveries(alert.alertId);
    expect(deliveries.map((d) => d.status)).toEqual(['FAILED', 'FAILED']);
    expect(deliveries.map((d) => d.attempts.length)).toEqual([4, 1]);
    expect(deliveries[1]!.attempts[0].error).toMatch(/^not attempted: too little time left/);
    expect(world.channel.calls).toHaveLength(4);

    world.clock.advance(3);
    const swept = await world.sweep(world.clock().getTime() + 45_000);
    expect(swept).toMatchObject({ resent: 1, resendErrors: [] });
    expect(world.acceptedFor(alert.alertId)).toEqual({
      'page.000 darlington-housing-options': 1,
      'page.000 darlington-recovery': 1,
    });
    expect(await world.notice(alert.alertId, noticeKey(page0))).toMatchObject({ status: 'DONE' });
    // Re-claiming a failed delivery keeps what was tried before it: the four timeouts, then the send that went through.
    const after = await world.deliveries(alert.alertId);
    expect(after.map((d) => d.attempts.map((a: { outcome: string }) => a.outcome))).toEqual([
      ['failed', 'failed', 'failed', 'failed', 'sent'],
      ['failed', 'sent'],
    ]);
  });

  it('expires a notice it could not send within its time, with the reason, and its unfinished deliveries with it', async () => {
    const world = await outboxWorld('2025-06-16T10:00:00Z');
    const alert = await world.raise(referralDraft());
    world.channel.plan(...Array(400).fill(500));
    for (let minute = 0; minute <= 24 * 60; minute += 60) {
      world.clock.advance(60);
      await world.sweep();
    }
    const notice = await world.notice(alert.alertId, noticeKey(page0));
    expect(notice).toMatchObject({
      status: 'EXPIRED',
      reason: expect.stringMatching(
        /^not delivered by 2025-06-17T10:00:00.000Z, after \d+ tries from the outbox$/,
      ),
    });
    expect(notice!.duePartition).toBeUndefined();
    expect((await world.deliveries(alert.alertId)).map((d) => d.status)).toEqual(['EXPIRED', 'EXPIRED']);
    expect(world.channel.accepted).toHaveLength(0);
  });
});

describe('a stream that gives up', () => {
  const templates = {
    sms: { critical: '2c1a9d4e-0000-4000-8000-000000000001' },
    email: {
      referral: '2c1a9d4e-0000-4000-8000-000000000011',
      critical: '2c1a9d4e-0000-4000-8000-000000000012',
    },
  };
  let notify: FakeNotify;
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  const clock = manualClock('2025-06-13T15:40:00Z');
  beforeAll(async () => {
    notify = await startFakeNotify();
    gatehouse = await testGatehouse({
      clock,
      sweepEveryMs: 0,
      sendBackoffMs: 1,
      env: { NOTIFY_API_KEY: notify.apiKey, NOTIFY_BASE_URL: notify.url, NOTIFY_TIMEOUT_MS: '300' },
      routing: { ...localRouting, notifyTemplates: templates },
    });
  });
  afterAll(async () => {
    await gatehouse.stop();
    await notify.close();
  });

  it('loses no referral: after the stream parks it, the sweeper sends each e-mail once', async () => {
    // Every try of the stream (one and its three retries, four sends each) meets a Notify answering 500.
    const services = ['housing-options@darlington.example.org', 'referrals@recovery.example.org'];
    for (const to of services) notify.failNext(to, ...Array(16).fill(500));
    const event = fridayRelease({
      person: { prisonNumber: 'O1000AA' },
      occurredAt: clock().toISOString(),
      release: { releasedAt: clock().toISOString() },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, event)).status).toBe(202);
    await gatehouse.settle();
    const answers = (to: string) =>
      notify.requests.filter((r) => r.body.email_address === to).map((r) => r.answeredWith);
    for (const to of services) expect(answers(to)).toEqual(Array(16).fill(500));
    expect(gatehouse.deadLetters.dispatch.messages).toHaveLength(1);

    clock.advance(3);
    const swept = await gatehouse.sweep();
    expect(swept).toMatchObject({ resent: 1, resendErrors: [] });
    for (const to of services) expect(answers(to).filter((s) => s === 201)).toEqual([201]);

    clock.advance(60);
    await gatehouse.sweep();
    await gatehouse.settle();
    for (const to of services) expect(answers(to)).toHaveLength(17);
    // The timeline shows it all, by role, with no address, number or prison number in it.
    const alertId = notify.requests
      .find((r) => r.body.email_address === services[0])!
      .body.reference!.slice(0, 24);
    const timeline = await getJson(`${gatehouse.url}/alerts/${alertId}`);
    expect(timeline.status).toBe(200);
    expect(timeline.body).toMatchObject({ kind: 'REFERRAL', status: 'OPEN' });
    expect(
      timeline.body.notices.map((n: { notice: string; status: string }) => [n.notice, n.status]),
    ).toEqual([['page.000', 'DONE']]);
    const deliveries = timeline.body.notices[0].deliveries as {
      recipient: string;
      status: string;
      attempts: { outcome: string }[];
    }[];
    expect(
      deliveries.map((d) => [d.recipient, d.status, d.attempts.length, d.attempts.at(-1)!.outcome]),
    ).toEqual([
      ['Darlington housing options', 'SENT', 17, 'sent'],
      ['Darlington drug and alcohol recovery service', 'SENT', 17, 'sent'],
    ]);
    const text = JSON.stringify(timeline.body);
    for (const secret of ['O1000AA', '@', '07700', 'prisonNumber', 'address'])
      expect(text).not.toContain(secret);
    expect((await getJson(`${gatehouse.url}/alerts/000000000000000000000000`)).status).toBe(404);

    // Nobody is on Darlington's rota: the first page and the escalation an hour later fell to configured contacts, each counted so.
    expect(
      (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=E06000005`)).body.totals,
    ).toMatchObject({ uncovered: 2, 'escalated.CRITICAL_RELEASE': 1 });

    // The on-call page went out once, on the first try.
    expect(
      notify.requests
        .filter((r) => r.body.phone_number && r.body.reference?.includes('-page.000-'))
        .map((r) => r.answeredWith),
    ).toEqual([201]);
  });
});

describe('without a GOV.UK Notify key', () => {
  const secrets = {
    linkKeys: { current: '1', keys: { '1': 'a-test-only-link-signing-key-of-some-length' } },
    webhookKeys: {},
  };

  it('refuses to start dispatch in a stage that pages people, saying why', () => {
    expect(() =>
      channelsFor(secrets, parseRoutingConfig(localRouting), { STAGE: 'prod', NOTIFY_REQUIRED: 'true' }),
    ).toThrow(
      /^stage prod pages people and has no GOV.UK Notify key: put \{"apiKey": \.\.\.\} in the NotifyApiKey secret/,
    );
  });

  it('elsewhere refuses each SMS and e-mail for good, with the reason, and moves the page to the next step at once', async () => {
    const world = await outboxWorld('2025-06-13T15:40:00Z');
    const channels = channelsFor(secrets, world.routing, {});
    const alert = await world.raise({
      ...referralDraft(),
      kind: 'CRITICAL_RELEASE',
      urgency: 'CRITICAL',
      recipientGroup: 'oncall:E06000005',
      dedupKey: 'CRITICAL|no-key',
      policy: escalationPolicyFor(world.routing, 'E06000005'),
    });

    const result = await dispatchNotice(
      { alertId: alert.alertId, ...page0 },
      { ...world.dispatch, channels },
    );
    expect(result).toMatchObject({ outcome: 'undeliverable', rejected: 1, escalated: true });
    const [delivery] = await world.deliveries(alert.alertId);
    expect(delivery).toMatchObject({
      status: 'REJECTED',
      reason: 'govuk-notify is not configured: no GOV.UK Notify key in the alert secrets',
    });
    expect(await world.alert(alert.alertId)).toMatchObject({ step: 1 });
    expect(await world.notice(alert.alertId, 'page.001')).toMatchObject({ status: 'PENDING' });
    expect(await world.notice(alert.alertId, 'page.000')).toMatchObject({ status: 'DONE' });
  });
});

describe('the rota coverage check', () => {
  it('reports, from Thursday noon, each area and tier the rota leaves uncovered until 09:00 on Monday', async () => {
    const world = await outboxWorld('2025-06-12T10:55:00Z'); // Thursday 11:55 in London
    const entry = (tier: 'primary' | 'secondary' | 'manager', start: string, end: string) => ({
      localAuthority: 'E06000005',
      tier,
      start,
      end,
      channel: 'sms' as const,
      address: '07700900700',
      source: 'test',
    });
    await world.rota.save([
      entry('primary', '2025-06-12T08:00:00Z', '2025-06-14T16:00:00Z'),
      entry('secondary', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
      entry('manager', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
    ]);
    expect((await world.sweep()).rotaGaps).toEqual([]);

    world.clock.advance(10);
    const { rotaGaps } = await world.sweep();
    expect(rotaGaps.filter((g) => g.localAuthority === 'E06000005')).toEqual([
      {
        localAuthority: 'E06000005',
        tier: 'primary',
        from: '2025-06-14T16:00:00.000Z',
        until: '2025-06-16T08:00:00.000Z',
      },
    ]);
    expect(rotaGaps.filter((g) => g.localAuthority === 'E06000047').map((g) => g.tier)).toEqual([
      'primary',
      'secondary',
      'manager',
    ]);
    expect(JSON.stringify(rotaGaps)).not.toContain('07700');
  });
});

describe('heartbeats', () => {
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  const clock = manualClock('2025-06-11T06:30:00Z'); // Wednesday 07:30 in London
  const rota = {
    kind: 'cadence' as const,
    feed: 'file:darlington-housing:on-call-rota',
    label: 'Darlington on-call rota',
    everyDays: 7,
    graceHours: 0,
  };
  beforeAll(async () => {
    gatehouse = await testGatehouse({ clock, sweepEveryMs: 0, heartbeats: [...defaultExpectations, rota] });
  });
  afterAll(() => gatehouse.stop());

  it('reports HMPPS events silent for two hours of the working day and a partner file never received, until they arrive', async () => {
    expect((await gatehouse.sweep()).overdueFeeds.map((f) => f.feed)).toEqual([rota.feed]);
    clock.advance(91);
    expect((await gatehouse.sweep()).overdueFeeds.map((f) => f.feed)).toEqual(['hmpps-events', rota.feed]);

    await gatehouse.custodyQueue.send([
      JSON.stringify(
        snsWrapped(
          hmpps('prison-offender-events.prisoner.received', '2025-06-11T08:00:00+01:00', {
            nomsNumber: 'H9000ZZ',
            reason: 'ADMISSION',
          }),
        ),
      ),
    ]);
    await gatehouse.settle();
    expect((await gatehouse.sweep()).overdueFeeds.map((f) => f.feed)).toEqual([rota.feed]);
  });
});
