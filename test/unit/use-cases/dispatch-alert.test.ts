/**
 * Dispatching a notice, as a specification: who receives it, exactly once, and what happens when nobody can.
 * The real use case on in-memory ports; Friday 20 November 2026, 17:00 in London.
 */
import { describe, expect, it } from 'vitest';
import { acknowledge, type Notice } from '#domain/alerts';
import { dispatchNotice } from '#use-cases/dispatch-alert';
import type { RotaEntry } from '#domain/rota';
import { released } from '#test-support/custody-events';
import { inMemoryGatehouse, type InMemoryGatehouse } from '#test-support/in-memory/world';

const start = '2026-11-20T17:00:00Z';
const darlington = { la: 'E06000005', prison: 'DMI' };
const homeless = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'NO_FIXED_ABODE',
  needs: ['HEALTH'],
} satisfies Parameters<typeof released>[2];
const onCall = (tier: RotaEntry['tier'], address: string, displayName: string): RotaEntry => ({
  localAuthority: 'E06000005',
  tier,
  start: '2026-11-20T12:00:00Z',
  end: '2026-11-23T09:00:00Z',
  channel: 'sms',
  address,
  displayName,
  source: 'test',
});

/** A CRITICAL release of a person with nowhere to live: an on-call alert and a referral. */
async function criticalRelease(g: InMemoryGatehouse) {
  const { alertIds } = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
  const [oncall, referral] = await Promise.all(alertIds.map(async (id) => (await g.ports.alerts.load(id))!));
  return { oncall: oncall!, referral: referral! };
}
const page = (alertId: string, index = 0): Notice => ({ alertId, purpose: 'page', index });

describe('who receives a notice', () => {
  it("pages whoever is on the rota at the escalation step's tier, with a link to acknowledge", async () => {
    const g = inMemoryGatehouse({ start });
    await g.ports.rota.save([onCall('primary', '07700900111', 'Sam')]);
    const { oncall } = await criticalRelease(g);
    expect(await g.dispatch(page(oncall.alertId))).toEqual({
      outcome: 'sent',
      sent: 1,
      rejected: 0,
      escalated: false,
    });
    expect(g.channel.accepted.map((m) => [m.recipient.address, m.recipient.label, m.template])).toEqual([
      ['07700900111', 'Sam, primary on call', 'critical'],
    ]);
    expect(g.channel.accepted[0]!.text).toContain('http://gatehouse.test');
    expect(g.tables.count('alerts', darlington, '2026-11-20', 'uncovered')).toBe(0);
    expect(g.ports.outbox.notice(oncall.alertId, 'page.000')?.status).toBe('DONE');
  });

  it("falls back to the area's configured contact when nobody is on the rota, and counts the page as uncovered", async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    await g.dispatch(page(oncall.alertId));
    expect(g.channel.accepted.map((m) => m.recipient.id)).toEqual(['darlington-out-of-hours']);
    expect(g.tables.count('alerts', darlington, '2026-11-20', 'uncovered')).toBe(1);
  });

  it('sends a referral to the accommodation services (no fixed abode) and the services for each need', async () => {
    const g = inMemoryGatehouse({ start });
    const { referral } = await criticalRelease(g);
    expect(await g.dispatch(page(referral.alertId))).toMatchObject({ outcome: 'sent', sent: 2 });
    expect(g.channel.accepted.map((m) => m.recipient.id).sort()).toEqual([
      'darlington-housing-options',
      'darlington-mental-health',
    ]);
  });

  it('tells everyone the alert reached, except whoever acknowledged, that it was acknowledged', async () => {
    const g = inMemoryGatehouse({ start });
    await g.ports.rota.save([
      onCall('primary', '07700900111', 'Sam'),
      onCall('secondary', '07700900112', 'Alex'),
    ]);
    const { oncall } = await criticalRelease(g);
    await g.dispatch(page(oncall.alertId));
    g.clock.advance(16);
    await g.sweep(); // nobody acknowledged: step 1 pages the secondary (and the sweep sends the referral the stream left)
    await g.dispatch(page(oncall.alertId, 1));
    const messages = () => g.channel.accepted.filter((m) => m.alertId === oncall.alertId);
    const now = (await g.ports.alerts.load(oncall.alertId))!;
    const decision = acknowledge(now, messages()[1]!.recipient.id, g.clock(), g.routing);
    if (decision.outcome !== 'acknowledged') throw new Error(decision.why);
    expect(await g.ports.alerts.apply(decision.change, g.clock())).toBe('applied');
    await g.dispatch(decision.change.notice!);
    expect(messages().map((m) => [m.template, m.recipient.label])).toEqual([
      ['critical', 'Sam, primary on call'],
      ['critical', 'Alex, secondary on call'],
      ['acknowledged', 'Sam, primary on call'],
    ]);
    expect(messages()[2]!.personalisation).toMatchObject({ acknowledged_by: 'Alex, secondary on call' });
  });
});

describe('exactly once', () => {
  it('sends nothing twice when the same notice is delivered again', async () => {
    const g = inMemoryGatehouse({ start });
    const { referral } = await criticalRelease(g);
    await g.dispatch(page(referral.alertId));
    expect(await g.dispatch(page(referral.alertId))).toEqual({
      outcome: 'already-sent',
      sent: 0,
      rejected: 0,
      escalated: false,
    });
    expect(g.channel.calls).toHaveLength(2);
  });

  it('leaves a delivery another dispatcher holds to it, and the notice in the outbox for the sweeper', async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    const recipient = g.routing.areas.E06000005!.contacts.find((c) => c.id === 'darlington-out-of-hours')!;
    await g.ports.deliveries.claim(
      {
        alertId: oncall.alertId,
        notice: 'page.000',
        recipient: { ...recipient, label: recipient.label },
        channel: 'recording',
      },
      g.clock(),
    );
    expect(await g.dispatch(page(oncall.alertId))).toMatchObject({ outcome: 'deferred', sent: 0 });
    expect(g.channel.calls).toEqual([]);
    expect(g.ports.outbox.notice(oncall.alertId, 'page.000')?.status).toBe('PENDING');
  });

  it('does not send a page for an alert acknowledged meanwhile, and settles it as stale', async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    const decision = acknowledge(oncall, 'someone', g.clock(), g.routing);
    if (decision.outcome !== 'acknowledged') throw new Error(decision.why);
    await g.ports.alerts.apply(decision.change, g.clock());
    expect(await g.dispatch(page(oncall.alertId))).toMatchObject({ outcome: 'stale', sent: 0 });
    expect(g.channel.calls).toEqual([]);
    expect(g.ports.outbox.notice(oncall.alertId, 'page.000')).toMatchObject({
      status: 'STALE',
      reason: 'the alert was acknowledged before this page was sent',
    });
  });
});

describe('when a send fails', () => {
  it('retries a passing failure with backoff, recording every attempt, then sends', async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    g.channel.plan('unavailable', 'unavailable');
    expect(await g.dispatch(page(oncall.alertId))).toMatchObject({ outcome: 'sent', sent: 1 });
    expect(g.sleeps).toHaveLength(2);
    expect(g.sleeps[1]!).toBeGreaterThan(g.sleeps[0]!);
    const [delivery] = g.ports.deliveries.deliveries(oncall.alertId);
    expect(delivery!.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'sent']);
    expect(delivery!.status).toBe('SENT');
  });

  it('jitters its backoff with the injected random: three quarters to five quarters of a doubling delay', async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    g.channel.plan('unavailable', 'unavailable');
    const waits: number[] = [];
    const draws = [0, 0.999];
    const backoff = { sleep: async (ms: number) => void waits.push(ms), random: () => draws.shift()! };
    const result = await dispatchNotice(page(oncall.alertId), { ...g.deps.dispatch, backoff });
    expect(result).toMatchObject({ outcome: 'sent', sent: 1 });
    // retry.backoffMs is 500 in the in-memory world: 500 × 0.75 after the first failure, 1000 × ~1.25 after the second.
    expect(waits[0]).toBe(375);
    expect(waits[1]).toBeCloseTo(1249.5, 6);
    expect(draws).toEqual([]);
  });

  it('throws when the passing failure outlasts the retries, leaving the notice in the outbox and the delivery claimable', async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    g.channel.plan('unavailable', 'unavailable', 'unavailable');
    await expect(g.dispatch(page(oncall.alertId))).rejects.toThrow('503 service unavailable');
    expect(g.ports.outbox.notice(oncall.alertId, 'page.000')?.status).toBe('PENDING');
    expect(g.ports.deliveries.deliveries(oncall.alertId).map((d) => d.status)).toEqual(['FAILED']);
  });

  it('pages the next step at once when nobody could receive this one, and counts the failed delivery', async () => {
    const g = inMemoryGatehouse({ start });
    const { oncall } = await criticalRelease(g);
    g.channel.plan('rejected');
    expect(await g.dispatch(page(oncall.alertId))).toEqual({
      outcome: 'undeliverable',
      sent: 0,
      rejected: 1,
      escalated: true,
    });
    expect(await g.ports.alerts.load(oncall.alertId)).toMatchObject({ step: 1, status: 'OPEN' });
    expect(g.ports.outbox.notice(oncall.alertId, 'page.001')?.status).toBe('PENDING');
    expect(g.tables.counts('alerts', darlington, '2026-11-20')).toMatchObject({
      deliveryFailed: 1,
      escalated: 1,
    });
    // The next step's page goes to the secondary tier's contact.
    await g.dispatch(page(oncall.alertId, 1));
    expect(g.channel.accepted.map((m) => m.recipient.id)).toEqual(['darlington-out-of-hours']);
  });
});
