import { testIdentifierKey } from '#test-support/custody-events';
import { describe, expect, it } from 'vitest';
import {
  ackBucket,
  acknowledge,
  dueChange,
  escalate,
  openAlert,
  resolve,
  type Alert,
  type AlertDraft,
} from '#domain/alerts';
import { defaultEscalationPolicy, escalationStep, totalSteps } from '#domain/escalation';

const settings = { reNotifyAcknowledgedAfterMinutes: 120, alertLifetimeHours: 72 };
const raisedAt = new Date('2026-11-20T16:45:00Z');
const at = (minutes: number) => new Date(raisedAt.getTime() + minutes * 60_000);

const draft: AlertDraft = {
  kind: 'CRITICAL_RELEASE',
  dedupKey: 'CRITICAL_RELEASE|A1234BC|2026-11-20|oncall:E06000005',
  recipientGroup: 'oncall:E06000005',
  urgency: 'CRITICAL',
  caseRef: 'GH-ABCD-EFGH',
  prisonId: 'DMI',
  localAuthority: 'E06000005',
  reasons: [],
  needs: [],
  policy: defaultEscalationPolicy,
};

/** Runs the sweeper's decision at each minute and returns the alert and the pages it sent. */
function run(alert: Alert, minutes: number[], acknowledgeAt?: number) {
  const pages: [number, number][] = [];
  for (const minute of minutes) {
    if (acknowledgeAt !== undefined && minute >= acknowledgeAt && alert.status === 'OPEN') {
      const ack = acknowledge(alert, 'rota.primary', at(acknowledgeAt), settings);
      if (ack.outcome === 'acknowledged') alert = ack.change.after;
    }
    const change = dueChange(alert, at(minute), settings);
    if (!change) continue;
    if (change.notice?.purpose === 'page') pages.push([minute, change.notice.index]);
    alert = change.after;
  }
  return { alert, pages };
}

const everyMinute = Array.from({ length: 120 }, (_, i) => i + 1);

describe('the escalation policy', () => {
  it('is primary, secondary, manager 15 minutes apart, run twice, by default', () => {
    expect(totalSteps(defaultEscalationPolicy)).toBe(6);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => escalationStep(defaultEscalationPolicy, i)?.target)).toEqual([
      { tier: 'primary' },
      { tier: 'secondary' },
      { tier: 'manager' },
      { tier: 'primary' },
      { tier: 'secondary' },
      { tier: 'manager' },
      undefined,
    ]);
  });

  it('pages the secondary at +15 and the manager at +30 when nobody acknowledges, then runs the list again', () => {
    const { pages } = run(openAlert(draft, raisedAt, settings, testIdentifierKey), everyMinute);
    expect(pages).toEqual([
      [15, 1],
      [30, 2],
      [45, 3],
      [60, 4],
      [75, 5],
    ]);
  });

  it('pages nobody more once the primary acknowledges at +10', () => {
    const { pages, alert } = run(openAlert(draft, raisedAt, settings, testIdentifierKey), everyMinute, 10);
    expect(pages).toEqual([]);
    expect(alert).toMatchObject({ status: 'ACKNOWLEDGED', step: 0, acknowledgedBy: 'rota.primary' });
  });

  it('reminds whoever acknowledged every two hours until resolved, and closes the alert at the end of its life', () => {
    let alert = openAlert(draft, raisedAt, settings, testIdentifierKey);
    const ack = acknowledge(alert, 'rota.primary', at(4), settings);
    if (ack.outcome !== 'acknowledged') throw new Error('expected an acknowledgement');
    expect(ack.change.counts).toEqual({
      acknowledged: 1,
      'acknowledged.CRITICAL_RELEASE': 1,
      'ackMinutes.sum': 4,
      'ackMinutes.count': 1,
      'ackWithin.lt5': 1,
    });
    alert = ack.change.after;
    expect(dueChange(alert, at(123), settings)).toBeUndefined();
    const reminder = dueChange(alert, at(124), settings)!;
    expect(reminder.notice).toEqual({ alertId: alert.alertId, purpose: 'reminder', index: 1 });
    const closed = dueChange(reminder.after, at(72 * 60), settings)!;
    expect(closed.after).toMatchObject({ status: 'EXPIRED' });
    expect(closed.after.dueAt).toBeUndefined();
  });

  it('changes nothing and says why when an alert is acknowledged twice, or after it was resolved or expired', () => {
    const alert = openAlert(draft, raisedAt, settings, testIdentifierKey);
    const acked = (acknowledge(alert, 'rota.primary', at(3), settings) as { change: { after: Alert } }).change
      .after;
    expect(acknowledge(acked, 'rota.secondary', at(5), settings)).toEqual({
      outcome: 'unchanged',
      why: 'already acknowledged at 16:48 (by someone else who was paged)',
    });
    const resolved = (resolve(acked, at(30)) as { change: { after: Alert } }).change.after;
    expect(acknowledge(resolved, 'rota.primary', at(31), settings)).toEqual({
      outcome: 'unchanged',
      why: 'this alert was resolved: nothing more is needed',
    });
    expect(acknowledge(alert, 'rota.primary', at(72 * 60), settings)).toMatchObject({
      outcome: 'unchanged',
      why: expect.stringContaining('expired'),
    });
  });

  it('moves straight to the next step when the current one could not be delivered', () => {
    const change = escalate(openAlert(draft, raisedAt, settings, testIdentifierKey), at(1))!;
    expect(change.notice).toMatchObject({ purpose: 'page', index: 1 });
    expect(change.after.dueAt).toBe(at(16).toISOString());
  });

  it('puts acknowledgement times in the buckets < 5, 5–15, 15–30, 30–60, > 60 minutes', () => {
    expect([0, 4, 5, 14, 15, 29, 30, 60, 61].map(ackBucket)).toEqual([
      'lt5',
      'lt5',
      '5to15',
      '5to15',
      '15to30',
      '15to30',
      '30to60',
      '30to60',
      'gt60',
    ]);
  });
});
