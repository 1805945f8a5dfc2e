/**
 * Acknowledging an alert through its signed link, as a specification: once, by the first, whatever races it.
 * The real use case on in-memory ports; Friday 20 November 2026, 17:00 in London.
 */
import { describe, expect, it } from 'vitest';
import { signLink, type LinkAction } from '#domain/alert-link';
import type { Alert } from '#domain/alerts';
import { released } from '#test-support/custody-events';
import { inMemoryGatehouse, linkKeys, type InMemoryGatehouse } from '#test-support/in-memory/world';

const start = '2026-11-20T17:00:00Z';
const darlington = { la: 'E06000005', prison: 'DMI' };
const homeless = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'NO_FIXED_ABODE',
  needs: ['HEALTH'],
} satisfies Parameters<typeof released>[2];

async function onCallAlert(g: InMemoryGatehouse): Promise<Alert> {
  const { alertIds } = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
  return (await g.ports.alerts.load(alertIds[0]!))!;
}
const token = (alert: Alert, recipient: string, action: LinkAction = 'ack') =>
  signLink(
    { alertId: alert.alertId, recipient, action, expires: Date.parse(alert.expiresAfter) / 1000 },
    linkKeys,
  );
const confirm = (g: InMemoryGatehouse, alert: Alert, recipient: string, action: LinkAction = 'ack') =>
  g.acknowledge({ alertId: alert.alertId, token: token(alert, recipient, action), action, confirm: true });

describe('acknowledging', () => {
  it('stops the escalation, tells the others who were paged, schedules the reminder and counts the time taken', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await onCallAlert(g);
    g.clock.advance(7);
    const result = await confirm(g, alert, 'darlington-out-of-hours');
    expect(result).toMatchObject({
      outcome: 'done',
      alert: { status: 'ACKNOWLEDGED', acknowledgedBy: 'darlington-out-of-hours' },
    });
    expect(g.ports.outbox.notice(alert.alertId, 'acknowledged.000')?.status).toBe('PENDING');
    expect((await g.ports.alerts.load(alert.alertId))!.dueAt).toBe(
      new Date(g.clock().getTime() + g.routing.reNotifyAcknowledgedAfterMinutes * 60_000).toISOString(),
    );
    expect(g.tables.counts('alerts', darlington, '2026-11-20')).toMatchObject({
      acknowledged: 1,
      'ackMinutes.sum': 7,
      'ackMinutes.count': 1,
      'ackMinutes.max': 7,
      'ackWithin.5to15': 1,
    });
    g.clock.advance(15);
    expect((await g.sweep()).escalated).toBe(0);
  });

  it('changes nothing the second time, says who got there first, and counts the acknowledgement once', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await onCallAlert(g);
    await confirm(g, alert, 'darlington-out-of-hours');
    const counts = g.tables.counts('alerts', darlington, '2026-11-20');
    expect(await confirm(g, alert, 'darlington-out-of-hours')).toMatchObject({
      outcome: 'unchanged',
      why: 'already acknowledged at 17:00 (by you)',
    });
    expect(await confirm(g, alert, 'darlington-housing-manager')).toMatchObject({
      outcome: 'unchanged',
      why: 'already acknowledged at 17:00 (by someone else who was paged)',
    });
    expect(g.tables.counts('alerts', darlington, '2026-11-20')).toEqual(counts);
    expect((await g.ports.alerts.load(alert.alertId))!.version).toBe(1);
  });

  it('only describes the alert when the link is opened, without confirming', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await onCallAlert(g);
    expect(
      await g.acknowledge({
        alertId: alert.alertId,
        token: token(alert, 'darlington-out-of-hours'),
        action: 'ack',
        confirm: false,
      }),
    ).toMatchObject({ outcome: 'view', actionable: true });
    expect(await g.ports.alerts.load(alert.alertId)).toEqual(alert);
  });

  it('refuses a link for another alert, another action, or not signed by Gatehouse', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await onCallAlert(g);
    expect(
      await g.acknowledge({
        alertId: alert.alertId,
        token: token({ ...alert, alertId: 'another' }, 'x'),
        action: 'ack',
        confirm: true,
      }),
    ).toMatchObject({ outcome: 'invalid-link' });
    expect(
      await g.acknowledge({
        alertId: alert.alertId,
        token: token(alert, 'x', 'resolve'),
        action: 'ack',
        confirm: true,
      }),
    ).toMatchObject({ outcome: 'invalid-link' });
    expect(
      await g.acknowledge({
        alertId: alert.alertId,
        token: `${token(alert, 'x')}0`,
        action: 'ack',
        confirm: true,
      }),
    ).toMatchObject({ outcome: 'invalid-link' });
    expect(await g.ports.alerts.load(alert.alertId)).toEqual(alert);
  });

  it('decides again when a sweep paged the next step meanwhile, and still acknowledges once', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await onCallAlert(g);
    g.clock.advance(15);
    g.ports.alerts.interleave(async () => void (await g.sweep()));
    expect(await confirm(g, alert, 'darlington-out-of-hours')).toMatchObject({
      outcome: 'done',
      alert: { status: 'ACKNOWLEDGED', step: 1 },
    });
    expect(g.ports.outbox.notice(alert.alertId, 'acknowledged.001')?.status).toBe('PENDING');
    expect(g.tables.count('alerts', darlington, '2026-11-20', 'acknowledged')).toBe(1);
  });

  it('resolves an acknowledged alert once: nothing more is due', async () => {
    const g = inMemoryGatehouse({ start });
    const alert = await onCallAlert(g);
    await confirm(g, alert, 'darlington-out-of-hours');
    expect(await confirm(g, alert, 'darlington-out-of-hours', 'resolve')).toMatchObject({
      outcome: 'done',
      alert: { status: 'RESOLVED' },
    });
    expect(await confirm(g, alert, 'darlington-out-of-hours', 'resolve')).toMatchObject({
      outcome: 'unchanged',
      why: 'this alert was already resolved',
    });
    expect((await g.ports.alerts.load(alert.alertId))!.dueAt).toBeUndefined();
  });
});
