import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox, type OutboxEntry } from '#adapters/channels/local-outbox';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoDocuments } from '#commons/clients';
import type { RotaEntry } from '#domain/rota';
import { sweepDependencies } from '#composition/sweeper';
import { sweep } from '#use-cases/sweep';
import { localRouting } from '#local/routing';
import { manualClock } from '#test-support/clock';
import { fridayRelease } from '#test-support/events';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

const darlington = 'E06000005';
const rota = (tier: RotaEntry['tier'], phone: string, displayName: string): RotaEntry => ({
  localAuthority: darlington,
  tier,
  start: '2026-11-20T08:00:00Z',
  end: '2026-11-23T08:00:00Z',
  channel: 'sms',
  address: phone,
  displayName,
  source: 'incoming/darlington-housing/on-call-rota/2026-w47.csv',
});

describe('escalation of a CRITICAL release alert, with a clock the test moves', () => {
  const clock = manualClock('2026-11-20T16:45:00Z');
  let gatehouse: Gatehouse;

  beforeAll(async () => {
    gatehouse = await testGatehouse({
      clock,
      sweepEveryMs: 0,
      sendBackoffMs: 1,
      routing: { ...localRouting, reNotifyAcknowledgedAfterMinutes: 60 },
    });
    await gatehouse.saveRota([
      rota('primary', '07700900301', 'Sam'),
      rota('secondary', '07700900302', 'Alex'),
      rota('manager', '07700900303', 'Jo'),
    ]);
  });
  afterAll(() => gatehouse.stop());

  /** Releases someone on the Friday afternoon and returns the pages of their on-call alert as they go out. */
  async function criticalRelease(prisonNumber: string) {
    const event = fridayRelease({
      person: { prisonNumber },
      occurredAt: clock().toISOString(),
      release: { releasedAt: clock().toISOString() },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, event)).status).toBe(202);
    await gatehouse.settle();
    const caseRef = (await getJson(`${gatehouse.url}/cases/${prisonNumber}`)).body.current.caseRef as string;
    const messages = async (): Promise<OutboxEntry[]> =>
      (await readOutbox(gatehouse.outboxFile)).filter(
        (m) => m.text.includes(caseRef) && ['critical', 'acknowledged', 'reminder'].includes(m.template),
      );
    return { caseRef, messages };
  }

  async function sweepAfter(minutes: number) {
    clock.advance(minutes);
    const result = await gatehouse.sweep();
    await gatehouse.settle();
    return result;
  }

  const ackLink = (message: OutboxEntry) => /Acknowledge: (\S+)/.exec(message.text)![1]!;

  it('pages the primary at once, the secondary at +15 and the manager at +30 when nobody acknowledges', async () => {
    const { messages } = await criticalRelease('E1000AA');
    expect((await messages()).map((m) => [m.notice, m.recipientLabel])).toEqual([
      ['page.000', 'Sam, primary on call'],
    ]);

    await sweepAfter(14);
    expect(await messages()).toHaveLength(1);

    await sweepAfter(1);
    await sweepAfter(15);
    expect((await messages()).map((m) => [m.notice, m.recipientLabel])).toEqual([
      ['page.000', 'Sam, primary on call'],
      ['page.001', 'Alex, secondary on call'],
      ['page.002', 'Jo, manager on call'],
    ]);
    const escalated = (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=${darlington}`)).body
      .totals;
    expect(escalated).toMatchObject({ 'escalated.CRITICAL_RELEASE': 2 });
  });

  it('stops escalating when the primary acknowledges at +10; a second click changes nothing', async () => {
    const { messages } = await criticalRelease('E2000BB');
    const [first] = await messages();

    clock.advance(10);
    const page = await fetch(ackLink(first!));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("I've got it");
    const ack = await fetch(ackLink(first!), { method: 'POST', headers: { accept: 'application/json' } });
    expect(await ack.json()).toMatchObject({ outcome: 'done', alert: { status: 'ACKNOWLEDGED', step: 0 } });
    await gatehouse.settle();

    await sweepAfter(5);
    await sweepAfter(15);
    await sweepAfter(15);
    expect((await messages()).map((m) => m.notice)).toEqual(['page.000']);

    const again = await fetch(ackLink(first!), { method: 'POST', headers: { accept: 'application/json' } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { why: string }).why).toMatch(
      /^already acknowledged at \d\d:\d\d \(by you\)$/,
    );
  });

  it('tells the primary when the secondary acknowledges, and counts the time to acknowledge', async () => {
    const before = (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=${darlington}`)).body.totals;
    const { messages } = await criticalRelease('E3000CC');
    await sweepAfter(15);
    const secondaryPage = (await messages()).find((m) => m.notice === 'page.001')!;
    clock.advance(7);
    await fetch(ackLink(secondaryPage), { method: 'POST' });
    await gatehouse.settle();

    expect((await messages()).map((m) => [m.notice, m.recipientLabel])).toEqual([
      ['page.000', 'Sam, primary on call'],
      ['page.001', 'Alex, secondary on call'],
      ['acknowledged.001', 'Sam, primary on call'],
    ]);
    expect((await messages())[2]!.text).toMatch(
      /was acknowledged at \d\d:\d\d by Alex, secondary on call\. No action needed from you\.$/,
    );
    const after = (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=${darlington}`)).body.totals;
    expect(after['acknowledged.CRITICAL_RELEASE'] - (before['acknowledged.CRITICAL_RELEASE'] ?? 0)).toBe(1);
    expect(after['ackWithin.15to30'] - (before['ackWithin.15to30'] ?? 0)).toBe(1);
    expect(after['ackMinutes.sum'] - (before['ackMinutes.sum'] ?? 0)).toBe(22);
    expect(after['ackMinutes.max']).toBeGreaterThanOrEqual(22);
  });

  it('sends each step once when two sweeps run at the same moment', async () => {
    const { messages } = await criticalRelease('E4000DD');
    clock.advance(15);
    const results = await Promise.all([gatehouse.sweep(), gatehouse.sweep(), gatehouse.sweep()]);
    await gatehouse.settle();
    expect(results.reduce((n, r) => n + r.escalated, 0)).toBeGreaterThanOrEqual(1);
    expect((await messages()).map((m) => m.notice)).toEqual(['page.000', 'page.001']);
  });

  it('sends each step once when two sweeps both read the due alert before either acts', async () => {
    const { messages } = await criticalRelease('E4100DE');
    const store = dynamoAlertStore(dynamoDocuments(gatehouse.env), {
      records: gatehouse.names.tables.Records!,
      aggregates: gatehouse.names.tables.Aggregates!,
    });
    let arrived = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const racing = {
      ...store,
      async due(now: Date, limit: number) {
        const due = await store.due(now, limit);
        if (++arrived === 2) bothRead();
        await barrier;
        return due;
      },
    };
    clock.advance(15);
    const [a, b] = await Promise.all([
      sweep({ ...sweepDependencies(gatehouse.env, gatehouse.identifierKey), alerts: racing, clock }),
      sweep({ ...sweepDependencies(gatehouse.env, gatehouse.identifierKey), alerts: racing, clock }),
    ]);
    await gatehouse.settle();
    expect(a.skipped + b.skipped).toBeGreaterThanOrEqual(1);
    expect((await messages()).map((m) => m.notice)).toEqual(['page.000', 'page.001']);
  });

  it('re-notifies whoever acknowledged when the alert is still not resolved an hour later, until they resolve it', async () => {
    const { messages } = await criticalRelease('E5000EE');
    const [first] = await messages();
    clock.advance(3);
    await fetch(ackLink(first!), { method: 'POST' });
    await gatehouse.settle();

    await sweepAfter(59);
    expect((await messages()).filter((m) => m.template === 'reminder')).toHaveLength(0);
    await sweepAfter(1);
    const reminders = (await messages()).filter((m) => m.template === 'reminder');
    expect(reminders.map((m) => [m.notice, m.recipientLabel])).toEqual([
      ['reminder.001', 'Sam, primary on call'],
    ]);

    const resolveLink = /Resolve: (\S+)/.exec(reminders[0]!.text)![1]!;
    const resolved = await fetch(resolveLink, { method: 'POST', headers: { accept: 'application/json' } });
    expect(await resolved.json()).toMatchObject({ outcome: 'done', alert: { status: 'RESOLVED' } });
    await sweepAfter(61);
    expect((await messages()).filter((m) => m.template === 'reminder')).toHaveLength(1);

    const lateAck = await fetch(ackLink(first!), { method: 'POST', headers: { accept: 'application/json' } });
    expect(lateAck.status).toBe(409);
    expect(((await lateAck.json()) as { why: string }).why).toBe(
      'this alert was resolved: nothing more is needed',
    );
  });

  it('closes an unacknowledged alert at the end of its life; an acknowledgement after that changes nothing and says why', async () => {
    const { messages } = await criticalRelease('E6000FF');
    const [first] = await messages();
    for (let i = 0; i < 6; i++) await sweepAfter(15);
    expect((await messages()).map((m) => m.notice)).toEqual([
      'page.000',
      'page.001',
      'page.002',
      'page.003',
      'page.004',
      'page.005',
    ]);

    await sweepAfter(72 * 60);
    const ack = await fetch(ackLink(first!), { method: 'POST', headers: { accept: 'application/json' } });
    expect(ack.status).toBe(409);
    expect(((await ack.json()) as { why: string }).why).toMatch(/^this alert expired at /);
  });

  it('notes a second report of the same release (another event id) on the open alert and pages nobody again', async () => {
    const { messages } = await criticalRelease('E8000HH');
    const repeat = fridayRelease({
      person: { prisonNumber: 'E8000HH' },
      occurredAt: clock().toISOString(),
      release: { releasedAt: clock().toISOString(), needs: ['DRUGS_AND_ALCOHOL', 'HEALTH'] },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, repeat)).status).toBe(202);
    await gatehouse.settle();
    const pages = await messages();
    expect(pages.map((m) => m.notice)).toEqual(['page.000']);
    const { Item } = await dynamoDocuments(gatehouse.env).send(
      new GetCommand({
        TableName: gatehouse.names.tables.Records!,
        Key: { pk: `ALERT#${pages[0]!.alertId}`, sk: 'ALERT' },
      }),
    );
    expect(Item).toMatchObject({ status: 'OPEN', repeats: 1 });
  });

  it('refuses a link that was altered, without changing the alert', async () => {
    const { messages } = await criticalRelease('E7000GG');
    const link = ackLink((await messages())[0]!);
    const altered = link.replace(/t=(.)/, (_, c: string) => `t=${c === 'A' ? 'B' : 'A'}`);
    const response = await fetch(altered, { method: 'POST', headers: { accept: 'application/json' } });
    expect(response.status).toBe(403);
    await sweepAfter(15);
    expect((await messages()).map((m) => m.notice)).toEqual(['page.000', 'page.001']);
  });
});
