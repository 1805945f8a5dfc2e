/**
 * Privacy and security of the running local system (issue 15): what travels carries no personal data, and
 * what it carries differs between deployments.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { dynamoDocuments } from '#commons/clients';
import { keys } from '#adapters/dynamodb/keys';
import { hmpps } from '#test-support/custody-events';
import { partnerDrops } from '#test-support/partner-drops';
import { fridayRelease } from '#test-support/events';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('identifiers that travel', () => {
  let first: Gatehouse;
  let second: Gatehouse;
  beforeAll(async () => {
    first = await testGatehouse();
    second = await testGatehouse();
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
  });

  const pages = async (g: Gatehouse) =>
    (await readOutbox(g.outboxFile)).filter((a) => a.template === 'critical');

  it('gives the same release a different alert id in each fresh start, and none of them is a hash of the prison number', async () => {
    const event = fridayRelease({ person: { prisonNumber: 'P1500AA' } });
    for (const g of [first, second]) {
      expect((await postJson(`${g.url}/custody-events`, event)).status).toBe(202);
      await g.settle();
    }
    const [a] = await pages(first);
    const [b] = await pages(second);
    expect(a!.alertId).toMatch(/^[0-9a-f]{24}$/);
    expect(a!.alertId).not.toBe(b!.alertId);
    // What the old id was: sha256 of the deduplication key, recoverable by trying every prison number.
    const unkeyed = createHash('sha256')
      .update(['CRITICAL_RELEASE', 'P1500AA', '2026-11-20', 'oncall:E06000005'].join('|'))
      .digest('hex')
      .slice(0, 24);
    expect([a!.alertId, b!.alertId]).not.toContain(unkeyed);
    for (const page of [a!, b!]) {
      expect(page.reference).toContain(page.alertId);
      expect(JSON.stringify(page)).not.toContain('P1500AA');
    }
  });

  it('still lands a repeat of the release on the one open alert: nobody is paged twice', async () => {
    const again = fridayRelease({ person: { prisonNumber: 'P1500AA' } });
    expect((await postJson(`${first.url}/custody-events`, again)).status).toBe(202);
    await first.settle();
    const critical = await pages(first);
    expect(critical).toHaveLength(1);
    const item = await dynamoDocuments(first.env).send(
      new GetCommand({ TableName: first.names.tables.Records, Key: keys.alert(critical[0]!.alertId) }),
    );
    expect(item.Item).toMatchObject({ repeats: 1 });
  });

  it('derives a different id for the same HMPPS event in each fresh start, with no prison number in it', async () => {
    const event = hmpps('prison-offender-events.prisoner.released', '2025-03-04T10:00:00Z', {
      nomsNumber: 'P1600BB',
      reason: 'TEMPORARY_ABSENCE_RELEASE',
    });
    const [a, b] = await Promise.all(
      [first, second].map(
        async (g) => (await postJson(`${g.url}/custody-events`, event)).body.accepted[0] as string,
      ),
    );
    expect(a).toMatch(/^hmpps-[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    const unkeyed = `hmpps-${createHash('sha256').update('prison-offender-events.prisoner.released|P1600BB|2025-03-04T10:00:00.000Z').digest('hex').slice(0, 32)}`;
    expect([a, b]).not.toContain(unkeyed);
  });
});

describe('case reads on the running system (2)', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
    await postJson(`${gatehouse.url}/custody-events`, fridayRelease({ person: { prisonNumber: 'P1700CC' } }));
    await gatehouse.settle();
  });
  afterAll(() => gatehouse.stop());

  const asGroups = (groups: string) => ({ headers: { 'x-gatehouse-local-groups': groups } });
  const auditOf = async (prisonNumber: string) =>
    (
      await dynamoDocuments(gatehouse.env).send(
        new QueryCommand({
          TableName: gatehouse.names.tables.Audit,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `CASE#${prisonNumber}` },
        }),
      )
    ).Items ?? [];

  it('refuses a board member 403 on the case route, and records the attempt', async () => {
    const response = await fetch(`${gatehouse.url}/cases/P1700CC`, asGroups('board'));
    expect(response.status).toBe(403);
    expect(await auditOf('P1700CC')).toEqual([
      expect.objectContaining({ readerId: 'local-developer', outcome: 'refused', caseRefs: [] }),
    ]);
    // The figures stay open to the board.
    expect((await fetch(`${gatehouse.url}/metrics`, asGroups('board'))).status).toBe(200);
  });

  it("shows the case to a case worker of the person's area only, and records who read which case, when", async () => {
    expect((await fetch(`${gatehouse.url}/cases/P1700CC`, asGroups('case-workers-E06000047'))).status).toBe(
      404,
    );
    const darlington = await fetch(`${gatehouse.url}/cases/P1700CC`, asGroups('case-workers-E06000005'));
    expect(darlington.status).toBe(200);
    const { current } = (await darlington.json()) as { current: { caseRef: string } };
    const entries = await auditOf('P1700CC');
    expect(entries.map((e) => e.outcome)).toEqual(['refused', 'not-found', 'shown']);
    expect(entries[2]).toMatchObject({
      caseRefs: [current.caseRef],
      prisonNumber: 'P1700CC',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('keeps working for the local developer, who is in every group', async () => {
    expect((await getJson(`${gatehouse.url}/cases/P1700CC`)).status).toBe(200);
  });
});

describe('a malformed path on the running system (10)', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
  });
  afterAll(() => gatehouse.stop());

  it('answers 400 on the public acknowledgement route, with no sign-in', async () => {
    const response = await fetch(`${gatehouse.url}/alerts/%E0%A4%A/ack`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/percent-encoding/);
  });
});

describe('partner outcome rows on the running system (7)', () => {
  let gatehouse: Gatehouse;
  let drops: ReturnType<typeof partnerDrops>;
  beforeAll(async () => {
    // Its own s3rver, whose put events the runtime hears (as S3 notifies the queue in AWS).
    gatehouse = await testGatehouse({ s3Endpoint: undefined });
    drops = partnerDrops(gatehouse);
  });
  afterAll(async () => {
    drops.close();
    await gatehouse.stop();
  });

  it("refuses accommodation outcomes for another council's area and referral outcomes for services the partner does not run, row by row ", async () => {
    await drops.drop(
      'incoming/durham-housing/accommodation-outcome/both-areas.csv',
      'prison_number,release_date,local_authority,night1\nC2000AA,2026-11-20,E06000047,SETTLED\nC2000BB,2026-11-20,E06000005,NO_FIXED_ABODE\n',
    );
    const outcomes = await drops.report('durham-housing/accommodation-outcome/both-areas');
    expect(outcomes).toMatchObject({
      outcome: 'partiallyAccepted',
      rows: { total: 2, accepted: 1, rejected: 1 },
    });
    expect(outcomes.rejections).toEqual([
      {
        line: 3,
        column: 'local_authority',
        value: 'E06000005',
        reason: 'durham-housing may report accommodation outcomes only for E06000047',
      },
    ]);

    await drops.drop(
      'incoming/treatment-services/referral-outcome/mixed.csv',
      'referral_id,service,referral_date,outcome\nDA-9,DRUGS_AND_ALCOHOL,2026-11-16,ENGAGED\nFI-9,FINANCE_AND_ID,2026-11-16,DECLINED\n',
    );
    const referrals = await drops.report('treatment-services/referral-outcome/mixed');
    expect(referrals).toMatchObject({
      outcome: 'partiallyAccepted',
      rows: { total: 2, accepted: 1, rejected: 1 },
    });
    expect(referrals.rejections).toEqual([
      {
        line: 3,
        column: 'service',
        value: 'FINANCE_AND_ID',
        reason: 'treatment-services may report referral outcomes only for DRUGS_AND_ALCOHOL, HEALTH',
      },
    ]);
  });

  it("finds duplicates within one partner's files only, and never names another partner's file (20)", async () => {
    const csv = 'prison_number,release_date,local_authority,night1\nC2100AA,2025-02-03,E06000047,SETTLED\n';
    await drops.drop('incoming/durham-housing/accommodation-outcome/feb.csv', csv);
    await drops.drop('incoming/accommodation-providers/accommodation-outcome/same-bytes.csv', csv);
    const other = await drops.report('accommodation-providers/accommodation-outcome/same-bytes');
    expect(other).toMatchObject({ outcome: 'accepted', rows: { accepted: 1 } });
    expect(JSON.stringify(other)).not.toContain('durham-housing');
    await drops.drop('incoming/durham-housing/accommodation-outcome/feb again.csv', csv);
    expect(await drops.report('durham-housing/accommodation-outcome/feb again')).toMatchObject({
      outcome: 'duplicate',
      duplicateOf: { file: 'incoming/durham-housing/accommodation-outcome/feb.csv' },
    });
  });
});

describe('published figures on the running system (6)', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
    await postJson(`${gatehouse.url}/custody-events`, fridayRelease({ person: { prisonNumber: 'P1800DD' } }));
    await gatehouse.settle();
  });
  afterAll(() => gatehouse.stop());

  const board = { headers: { 'x-gatehouse-local-groups': 'board' } };
  const query =
    'metric=releases.total,releases.need.DRUGS_AND_ALCOHOL,releases.noFixedAbode.rate&from=2026-11-20&to=2026-11-20&granularity=day';

  it('shows the board "fewer than 5" for the one release of the day, its need and its share', async () => {
    const body = (await (await fetch(`${gatehouse.url}/aggregates?${query}`, board)).json()) as {
      totals: Record<string, unknown>;
    };
    expect(body.totals).toEqual({
      'releases.total': { value: null, suppressed: 'fewer than 5' },
      'releases.need.DRUGS_AND_ALCOHOL': { value: null, suppressed: 'fewer than 5' },
      'releases.noFixedAbode.rate': { value: null, suppressed: 'fewer than 5' },
    });
    const raw = (await (
      await fetch(`${gatehouse.url}/aggregates?la=E06000005&from=2026-11-20&to=2026-11-20`, board)
    ).json()) as { totals: Record<string, unknown> };
    expect(raw.totals.total).toBe('fewer than 5');
    const csv = await (await fetch(`${gatehouse.url}/aggregates/export.csv?${query}`, board)).text();
    expect(csv).toMatch(/\n[^,\n]*,releases\.total,[^\n]*,releases,fewer than 5,/);
    expect(csv).not.toMatch(/,1,,/);
  });

  it('keeps the stored counters exact: an operator reads 1', async () => {
    const body = (await (
      await fetch(`${gatehouse.url}/aggregates?${query}`, {
        headers: { 'x-gatehouse-local-groups': 'operators' },
      })
    ).json()) as { totals: Record<string, { value: number }> };
    expect(body.totals['releases.total']).toEqual({ value: 1 });
  });
});

describe('the local server against other web pages (15)', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
  });
  afterAll(() => gatehouse.stop());

  /** A raw request, so the Host header can be what a DNS-rebinding page's would be. */
  const raw = (path: string, headers: Record<string, string>, method = 'GET', body?: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${gatehouse.url}${path}`, { method, headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(body);
    });

  it('refuses a request whose Host is not this machine (DNS rebinding), so no page can read the outbox', async () => {
    expect(await raw('/alerts', { host: 'attacker.example:80' })).toBe(421);
    expect(await raw('/alerts', {})).toBe(200);
  });

  it('refuses a cross-site post, and a post that is not application/json', async () => {
    const event = JSON.stringify(fridayRelease({ person: { prisonNumber: 'P1900EE' } }));
    expect(
      await raw(
        '/custody-events',
        { origin: 'https://attacker.example', 'content-type': 'application/json' },
        'POST',
        event,
      ),
    ).toBe(403);
    expect(await raw('/custody-events', { 'content-type': 'text/plain' }, 'POST', event)).toBe(415);
    expect(await raw('/custody-events', { 'content-type': 'application/json' }, 'POST', event)).toBe(202);
  });
});
