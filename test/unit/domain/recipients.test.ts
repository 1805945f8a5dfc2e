import { describe, expect, it } from 'vitest';
import type { Alert, Notice } from '#domain/alerts';
import { defaultEscalationPolicy } from '#domain/escalation';
import { needsReached, needsRota, recipientsFor } from '#domain/recipients';
import type { RotaEntry } from '#domain/rota';
import { parseRoutingConfig, type Recipient } from '#domain/routing';
import { localRouting } from '#local/routing';

const routing = parseRoutingConfig(localRouting);
const fridayEvening = new Date('2025-10-17T17:30:00Z');

function alert(overrides: Partial<Alert>): Alert {
  return {
    alertId: 'a1',
    kind: 'CRITICAL_RELEASE',
    dedupKey: 'k',
    recipientGroup: 'oncall:E06000005',
    urgency: 'critical',
    prisonId: 'DMI',
    localAuthority: 'E06000005',
    reasons: [],
    needs: [],
    status: 'OPEN',
    raisedAt: '2025-10-17T16:59:00Z',
    step: 0,
    version: 1,
    expiresAfter: '2025-10-19T16:59:00Z',
    reminders: 0,
    policy: defaultEscalationPolicy,
    ...overrides,
  } as Alert;
}

const page = (index: number): Notice => ({ alertId: 'a1', purpose: 'page', index });
const none = { routing, rota: [], reached: [], now: fridayEvening };
const onCall: RotaEntry = {
  localAuthority: 'E06000005',
  tier: 'secondary',
  start: '2025-10-17T17:00:00Z',
  end: '2025-10-18T08:00:00Z',
  channel: 'sms',
  address: '07700900555',
  source: 'rota.csv',
  displayName: 'Sam',
};

describe('who a notice goes to', () => {
  it("pages the rota entry on call at the step's tier, and needs the rota only for such a step", () => {
    const critical = alert({});
    expect(needsRota(critical, page(1))).toBe(true);
    expect(recipientsFor(critical, page(1), { ...none, rota: [onCall] })).toEqual({
      recipients: [
        {
          id: 'rota.secondary.20251017T170000Z',
          label: 'Sam, secondary on call',
          channel: 'sms',
          address: '07700900555',
        },
      ],
    });
    expect(needsRota(critical, page(9))).toBe(false);
    expect(recipientsFor(critical, page(9), none)).toEqual({ recipients: [] });
  });

  it('falls to the configured contact when nobody is on the rota at the tier, and says the page was uncovered', () => {
    expect(recipientsFor(alert({}), page(2), none)).toEqual({
      recipients: [expect.objectContaining({ id: 'darlington-housing-manager' })],
      uncovered: true,
    });
  });

  it('sends a referral to the services for its needs, and to the accommodation services when nobody covers them', () => {
    const referral = alert({
      kind: 'REFERRAL',
      recipientGroup: 'services:E06000005',
      policy: undefined,
      needs: ['HEALTH'],
    });
    expect(needsRota(referral, page(0))).toBe(false);
    expect(recipientsFor(referral, page(0), none).recipients.map((r) => r.id)).toEqual([
      'darlington-mental-health',
    ]);
    expect(
      recipientsFor({ ...referral, needs: ['FINANCE_AND_ID'] }, page(0), none).recipients.map((r) => r.id),
    ).toEqual(['darlington-housing-options']);
  });

  it('sends a pre-release warning to the accommodation services only', () => {
    const warning = alert({
      kind: 'PRE_RELEASE_WARNING',
      recipientGroup: 'services:E06000005',
      policy: undefined,
      needs: ['HEALTH'],
    });
    expect(recipientsFor(warning, page(0), none).recipients.map((r) => r.id)).toEqual([
      'darlington-housing-options',
    ]);
  });

  it('refuses a digest whose service has left the routing', () => {
    expect(() =>
      recipientsFor(
        alert({ kind: 'DIGEST', recipientGroup: 'service:gone', policy: undefined }),
        page(0),
        none,
      ),
    ).toThrow(/no longer in the routing config/);
  });

  it('tells everyone else the alert reached that it was acknowledged, and reminds only whoever acknowledged', () => {
    const reached: Recipient[] = [
      { id: 'rota.primary.x', label: 'Sam, primary on call', channel: 'sms', address: '07700900001' },
      {
        id: 'darlington-housing-manager',
        label: 'Darlington housing duty manager',
        channel: 'sms',
        address: '07700900102',
      },
    ];
    const acknowledged = alert({ status: 'ACKNOWLEDGED', acknowledgedBy: 'rota.primary.x' });
    const news: Notice = { alertId: 'a1', purpose: 'acknowledged', index: 1 };
    expect(needsReached(news)).toBe(true);
    expect(needsReached(page(0))).toBe(false);
    expect(recipientsFor(acknowledged, news, { ...none, reached })).toEqual({
      recipients: [reached[1]],
      acknowledgedBy: 'Sam, primary on call',
    });
    expect(
      recipientsFor(acknowledged, { alertId: 'a1', purpose: 'reminder', index: 1 }, { ...none, reached }),
    ).toEqual({ recipients: [reached[0]] });
  });
});
