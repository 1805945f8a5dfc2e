import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryKey } from '#adapters/dynamodb/delivery-store';
import { dynamoDocuments } from '#commons/clients';
import type { RotaEntry } from '#domain/rota';
import { onCallRota } from '#test-support/rota';
import { localRouting } from '#local/routing';
import { fridayRelease } from '#test-support/events';
import { startFakeNotify, type FakeNotify } from '#test-support/fake-notify';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

const templates = {
  sms: {
    critical: '2c1a9d4e-0000-4000-8000-000000000001',
    acknowledged: '2c1a9d4e-0000-4000-8000-000000000002',
    reminder: '2c1a9d4e-0000-4000-8000-000000000003',
  },
  email: {
    referral: '2c1a9d4e-0000-4000-8000-000000000011',
    critical: '2c1a9d4e-0000-4000-8000-000000000012',
  },
};

/** Each test releases to its own area (a fallback to Darlington's routing) so its rota is its own; on call now, by the runtime's clock. */
function onCall(now: Date, localAuthority: string, primary: string, secondary: string): RotaEntry[] {
  return onCallRota(localAuthority, primary, secondary, {
    start: rotaStart(now),
    end: new Date(now.getTime() + 86_400_000).toISOString(),
  });
}

/** The rota's start: the hour before `now`, in whole seconds, as a rota file gives it. */
function rotaStart(now: Date): string {
  return new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 3_600_000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** The recipient id dispatch gives whoever is on the primary tier of a rota starting at `start` (functions/domain/routing.ts). */
const primaryOnRota = (start: string) => `rota.primary.${start.replace(/[^0-9TZ]/g, '')}`;

describe('alerts through GOV.UK Notify (the real client against a local Notify on 127.0.0.1)', () => {
  let notify: FakeNotify;
  let gatehouse: Gatehouse;

  beforeAll(async () => {
    notify = await startFakeNotify();
    gatehouse = await testGatehouse({
      sweepEveryMs: 0,
      sendBackoffMs: 1,
      // Each test pages an area of its own, with no routing of its own: the partnership's, so the fallback serves them.
      env: {
        NOTIFY_API_KEY: notify.apiKey,
        NOTIFY_BASE_URL: notify.url,
        NOTIFY_TIMEOUT_MS: '300',
        PARTNERSHIP_AREAS: 'E06000047,E06000005,E06000001,E06000002,E06000003,E06000004',
      },
      routing: { ...localRouting, fallbackArea: 'E06000005', notifyTemplates: templates },
    });
  });
  afterAll(async () => {
    await gatehouse.stop();
    await notify.close();
  });

  async function release(prisonNumber: string, localAuthority: string) {
    const event = fridayRelease({
      person: { prisonNumber },
      release: { destinationLocalAuthority: localAuthority },
    });
    expect((await postJson(`${gatehouse.url}/custody-events`, event)).status).toBe(202);
    await gatehouse.settle();
    return (await getJson(`${gatehouse.url}/cases/${prisonNumber}`)).body.current.caseRef as string;
  }
  const smsTo = (phone: string) => notify.requests.filter((r) => r.body.phone_number === phone);

  it('sends the on-call SMS with the critical template and its personalisation, and e-mails the services the referral', async () => {
    await gatehouse.saveRota(onCall(gatehouse.clock(), 'E06000001', '07700900501', '07700900502'));
    const caseRef = await release('N1000AA', 'E06000001');

    const [sms] = smsTo('07700900501');
    expect(sms).toMatchObject({
      path: '/v2/notifications/sms',
      answeredWith: 201,
      authorization: expect.stringMatching(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/),
    });
    expect(sms!.body.template_id).toBe(templates.sms.critical);
    expect(sms!.body.personalisation).toEqual({
      case_ref: caseRef,
      urgency: 'CRITICAL',
      released: 'Fri 20/11 16:40',
      prison: 'HMP Durham',
      area: 'Hartlepool',
      flags:
        'Unplanned, last working day before a weekend or bank holiday, late in the day, no fixed abode, no aftercare plan',
      needs: 'drugs and alcohol',
      reasons: expect.stringContaining('* Unplanned release'),
      ack_link: expect.stringMatching(
        new RegExp(`^${gatehouse.url}/alerts/[0-9a-f]{24}/ack\\?t=[\\w-]+\\.[\\w-]+$`),
      ),
      reply_hint: 'Reply 1 to take this case',
    });
    expect(sms!.body.reference).toMatch(/^[0-9a-f]{24}-page\.000-rota\.primary\.\d{8}T\d{6}Z$/);

    const emails = notify.requests.filter(
      (r) => r.body.email_address && r.body.personalisation?.case_ref === caseRef,
    );
    expect(emails.map((r) => [r.body.email_address, r.body.template_id]).sort()).toEqual([
      ['housing-options@darlington.example.org', templates.email.referral],
      ['referrals@recovery.example.org', templates.email.referral],
    ]);
    for (const r of notify.requests) expect(JSON.stringify(r.body)).not.toContain('N1000AA');
  });

  it('retries 429 and 500 with backoff, and records every attempt beside the alert', async () => {
    const rota = onCall(gatehouse.clock(), 'E06000002', '07700900601', '07700900602');
    await gatehouse.saveRota(rota);
    notify.failNext('07700900601', 429, 500);
    await release('N2000BB', 'E06000002');

    expect(smsTo('07700900601').map((r) => r.answeredWith)).toEqual([429, 500, 201]);
    expect(smsTo('07700900602')).toEqual([]);
    const alertId = smsTo('07700900601')[0]!.body.reference!.slice(0, 24);
    const { Item } = await dynamoDocuments(gatehouse.env).send(
      new GetCommand({
        TableName: gatehouse.names.tables.Records!,
        Key: deliveryKey(alertId, 'page.000', primaryOnRota(rota[0]!.start)),
      }),
    );
    expect(Item).toMatchObject({ status: 'SENT', channel: 'govuk-notify' });
    expect(Item!.attempts.map((a: { outcome: string; attempt: number }) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'sent'],
    ]);
    expect(Item!.attempts[0].error).toContain('429');
  });

  it('gives up on a Notify that does not answer after the timeout, and retries', async () => {
    const rota = onCall(gatehouse.clock(), 'E06000004', '07700900801', '07700900802');
    await gatehouse.saveRota(rota);
    notify.failNext('07700900801', 0);
    await release('N4000DD', 'E06000004');

    expect(smsTo('07700900801').map((r) => r.answeredWith)).toEqual([0, 201]);
    expect(smsTo('07700900802')).toEqual([]);
    const alertId = smsTo('07700900801')[0]!.body.reference!.slice(0, 24);
    const { Item } = await dynamoDocuments(gatehouse.env).send(
      new GetCommand({
        TableName: gatehouse.names.tables.Records!,
        Key: deliveryKey(alertId, 'page.000', primaryOnRota(rota[0]!.start)),
      }),
    );
    expect(Item!.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['failed', 'sent']);
    expect(Item!.attempts[0].error).toMatch(/could not be reached: timeout of 300ms exceeded/);
  });

  it('moves the alert to the next step at once when Notify refuses the primary for good (400)', async () => {
    await gatehouse.saveRota(onCall(gatehouse.clock(), 'E06000003', '07700900701', '07700900702'));
    notify.refuse.add('07700900701');
    await release('N3000CC', 'E06000003');

    expect(smsTo('07700900701').map((r) => r.answeredWith)).toEqual([400]);
    const [secondary] = smsTo('07700900702');
    expect(secondary).toMatchObject({ answeredWith: 201, body: { template_id: templates.sms.critical } });
    expect(secondary!.body.reference).toMatch(/-page\.001-rota\.secondary\./);
    const figures = (await getJson(`${gatehouse.url}/aggregates?family=alerts&la=E06000003`)).body.totals;
    expect(figures).toMatchObject({ deliveryFailed: 1, 'escalated.CRITICAL_RELEASE': 1 });
  });
});
