/**
 * The minute sweep, as a specification: escalation, reminders, end of life, the outbox's re-sends and expiry,
 * pre-release warnings and digests. The real use case on in-memory ports, from Friday 20 November 2026.
 */
import { describe, expect, it } from 'vitest';
import { acknowledge, type Alert } from '#domain/alerts';
import type { AccommodationTold } from '#domain/release-facts';
import { recordCustodyEvent } from '#use-cases/record-custody-event';
import { released, scheduled } from '#test-support/custody-events';
import { inMemoryGatehouse, type InMemoryGatehouse } from '#test-support/in-memory/world';

const start = '2026-11-20T17:00:00Z';
const darlington = { la: 'E06000005', prison: 'DMI' };
const homeless = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'NO_FIXED_ABODE',
  needs: ['HEALTH'],
} satisfies Parameters<typeof released>[2];
const housed = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'SETTLED',
  aftercarePlan: 'IN_PLACE',
  needs: ['HEALTH'],
} satisfies Parameters<typeof released>[2];

/** CAS3 telling Gatehouse of a bed for the scheduled person (as events/hmpps/cas3.ts maps it). */
function cas3Told(eventId: string, occurredAt: string, how: string): AccommodationTold {
  return {
    eventId,
    eventType: 'accommodation.recorded',
    occurredAt,
    prisonId: '',
    person: { prisonNumber: scheduled('x', occurredAt, '2026-11-24').person.prisonNumber },
    accommodation: 'CAS3',
    source: 'cas3',
    how,
  };
}

const tell = (g: InMemoryGatehouse, event: AccommodationTold) =>
  recordCustodyEvent(event, 'hmpps', g.deps.record);
const openWarnings = (g: InMemoryGatehouse) =>
  g.tables.withPrefix<Alert>('ALERT#').filter((a) => a.kind === 'PRE_RELEASE_WARNING' && a.alertId);

/** A CRITICAL release whose first pages the stream has sent. */
async function pagedRelease(g: InMemoryGatehouse): Promise<Alert> {
  const { alertIds } = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
  await g.stream();
  return (await g.ports.alerts.load(alertIds[0]!))!;
}

describe('due alerts', () => {
  it("pages the next step when nobody acknowledged within the step's wait, and not before", async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await pagedRelease(g);
    g.clock.advance(14);
    expect((await g.sweep()).escalated).toBe(0);
    g.clock.advance(1);
    expect((await g.sweep()).escalated).toBe(1);
    expect(await g.ports.alerts.load(alert.alertId)).toMatchObject({ step: 1, version: 1 });
    expect(g.ports.outbox.notice(alert.alertId, 'page.001')?.status).toBe('PENDING');
    expect(g.tables.counts('alerts', darlington, '2026-11-20')).toMatchObject({
      escalated: 1,
      'escalated.CRITICAL_RELEASE': 1,
    });
  });

  it('skips an alert another sweep changed first, so the next step is paged once', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await pagedRelease(g);
    g.clock.advance(15);
    g.ports.alerts.interleave(async () => void (await g.sweep()));
    expect(await g.sweep()).toMatchObject({ escalated: 0, skipped: 1 });
    expect(await g.ports.alerts.load(alert.alertId)).toMatchObject({ step: 1, version: 1 });
    expect(g.tables.count('alerts', darlington, '2026-11-20', 'escalated')).toBe(1);
  });

  it('reminds whoever acknowledged while the alert is unresolved', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await pagedRelease(g);
    const decision = acknowledge(alert, 'darlington-out-of-hours', g.clock(), g.routing);
    if (decision.outcome !== 'acknowledged') throw new Error(decision.why);
    await g.ports.alerts.apply(decision.change, g.clock());
    g.clock.advance(g.routing.reNotifyAcknowledgedAfterMinutes);
    expect(await g.sweep()).toMatchObject({ reminded: 1, escalated: 0 });
    expect(g.ports.outbox.notice(alert.alertId, 'reminder.001')?.status).toBe('PENDING');
  });

  it('closes an alert nobody acknowledged as EXPIRED at the end of its life', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await pagedRelease(g);
    g.clock.advance(g.routing.alertLifetimeHours * 60);
    expect((await g.sweep()).closed).toBe(1);
    expect(await g.ports.alerts.load(alert.alertId)).toMatchObject({ status: 'EXPIRED' });
    expect((await g.ports.alerts.load(alert.alertId))!.dueAt).toBeUndefined();
  });
});

describe('the notice outbox', () => {
  it('sends a notice the stream never settled once its grace is over', async () => {
    const g = inMemoryGatehouse({ start });
    const { alertIds } = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    expect((await g.sweep()).resent).toBe(0);
    g.clock.advance(3);
    expect((await g.sweep()).resent).toBe(2);
    expect(alertIds.map((id) => g.ports.outbox.notice(id, 'page.000')?.status)).toEqual(['DONE', 'DONE']);
    expect((await g.sweep()).resent).toBe(0);
    expect(g.channel.accepted).toHaveLength(3); // the on-call page and the referral's two services, once each
  });

  it('postpones a re-send that failed for a passing reason, and says why', async () => {
    const g = inMemoryGatehouse({ start });
    const { alertIds } = await g.record(released('r1', '2026-11-20T16:40:00Z', { ...homeless, needs: [] }));
    g.clock.advance(3);
    g.channel.plan('unavailable', 'unavailable', 'unavailable');
    const result = await g.sweep();
    expect(result.resendsPostponed).toBe(1);
    expect(result.resendErrors).toEqual([`${alertIds[0]} page.000: 503 service unavailable`]);
    expect(g.ports.outbox.notice(alertIds[0]!, 'page.000')).toMatchObject({ status: 'PENDING', tries: 1 });
  });

  it('expires a notice that could not be sent in its time, counting it once', async () => {
    const g = inMemoryGatehouse({ start });
    const { alertIds } = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    g.channel.plan(...Array.from({ length: 30 }, () => 'unavailable' as const));
    g.clock.advance(60);
    const first = await g.sweep();
    expect(first.expired).toBe(1);
    expect(g.ports.outbox.notice(alertIds[0]!, 'page.000')).toMatchObject({ status: 'EXPIRED' });
    expect((await g.sweep()).expired).toBe(0);
    expect(g.tables.count('alerts', darlington, '2026-11-20', 'deliveryExpired')).toBe(1);
  });
});

describe('warnings and digests', () => {
  it('warns the accommodation services once of a release due within two working days with nowhere to live', async () => {
    const g = inMemoryGatehouse({ start: '2026-11-23T09:00:00Z' });
    await g.record(scheduled('s1', '2026-11-23T08:00:00Z', '2026-11-24', homeless));
    expect((await g.sweep()).warnings).toBe(1);
    expect((await g.sweep()).warnings).toBe(0);
    expect(g.tables.count('alerts', darlington, '2026-11-23', 'raised.PRE_RELEASE_WARNING')).toBe(1);
  });

  it('resolves an open warning, exactly once, when CAS3 confirms a bed for the release; a redelivery or a later arrival changes nothing', async () => {
    const g = inMemoryGatehouse({ start: '2026-11-23T09:00:00Z' });
    await g.record(scheduled('s1', '2026-11-23T08:00:00Z', '2026-11-24', homeless));
    expect((await g.sweep()).warnings).toBe(1);
    const [warning] = openWarnings(g);
    expect(warning).toMatchObject({ status: 'OPEN' });
    g.clock.advance(30);

    const confirmed = cas3Told('cas3-confirmed', '2026-11-23T09:20:00Z', 'CAS3: booking confirmed');
    const first = await tell(g, confirmed);
    expect(first.resolvedAlertIds).toEqual([warning!.alertId]);
    const resolved = await g.ports.alerts.load(warning!.alertId);
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: '2026-11-23T09:30:00.000Z',
      version: warning!.version + 1,
    });
    expect(resolved!.dueAt).toBeUndefined();

    expect(await tell(g, confirmed)).toMatchObject({ outcome: 'duplicate' });
    const arrived = await tell(
      g,
      cas3Told('cas3-arrived', '2026-11-23T09:25:00Z', 'CAS3: the person arrived at the premises'),
    );
    expect(arrived.outcome).toBe('recorded');
    expect(arrived.resolvedAlertIds).toBeUndefined();
    expect(await g.ports.alerts.load(warning!.alertId)).toEqual(resolved);
    expect((await g.sweep()).warnings).toBe(0);
  });

  it('resolves the warning once when the sweeper changes it at the same moment (the commit is decided again)', async () => {
    const g = inMemoryGatehouse({ start: '2026-11-23T09:00:00Z' });
    await g.record(scheduled('s1', '2026-11-23T08:00:00Z', '2026-11-24', homeless));
    await g.sweep();
    const [warning] = openWarnings(g);
    // Another writer acknowledges the warning between the read and the commit.
    g.ports.releases.interleave(async () => {
      const decided = acknowledge(warning!, 'contact.services', g.clock(), g.routing);
      if (decided.outcome !== 'acknowledged') throw new Error(decided.why);
      expect(await g.ports.alerts.apply(decided.change, g.clock())).toBe('applied');
    });
    const told = await tell(g, cas3Told('cas3-confirmed', '2026-11-23T09:05:00Z', 'CAS3: booking confirmed'));
    expect(told.resolvedAlertIds).toEqual([warning!.alertId]);
    expect(g.ports.releases.commits).toMatchObject({ conflict: 1 });
    expect(await g.ports.alerts.load(warning!.alertId)).toMatchObject({
      status: 'RESOLVED',
      acknowledgedBy: 'contact.services',
      version: warning!.version + 2,
    });
  });

  it("sends each service one digest of yesterday's ROUTINE releases, from the digest hour", async () => {
    const g = inMemoryGatehouse({ start: '2026-11-18T12:00:00Z' });
    await g.record(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-18', housed));
    await g.record(released('r1', '2026-11-18T10:00:00Z', housed));
    g.clock.advance((24 - 12 + 7) * 60 + 59); // 07:59 the next morning
    expect((await g.sweep()).digests).toBe(0);
    g.clock.advance(1);
    expect((await g.sweep()).digests).toBe(1);
    expect((await g.sweep()).digests).toBe(0);
  });
});
