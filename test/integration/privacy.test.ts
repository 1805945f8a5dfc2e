/**
 * Privacy and security of the running local system (issue 15): what travels carries no personal data, and
 * what it carries differs between deployments.
 */
import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../functions/adapters/channels/local-outbox';
import { dynamoDocuments } from '../../functions/commons/clients';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { hmpps } from '../support/custody-events';
import { fridayRelease } from '../support/events';
import { getJson, postJson, testGatehouse } from '../support/gatehouse';

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

  const pages = async (g: Gatehouse) => (await readOutbox(g.outboxFile)).filter((a) => a.template === 'critical');

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
    const unkeyed = createHash('sha256').update(['CRITICAL_RELEASE', 'P1500AA', '2026-11-20', 'oncall:E06000005'].join('|')).digest('hex').slice(0, 24);
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
    const item = await dynamoDocuments().send(new GetCommand({ TableName: first.names.tables.Records, Key: keys.alert(critical[0]!.alertId) }));
    expect(item.Item).toMatchObject({ repeats: 1 });
  });

  it('derives a different id for the same HMPPS event in each fresh start, with no prison number in it', async () => {
    const event = hmpps('prison-offender-events.prisoner.released', '2025-03-04T10:00:00Z', { nomsNumber: 'P1600BB', reason: 'TEMPORARY_ABSENCE_RELEASE' });
    const [a, b] = await Promise.all([first, second].map(async (g) => (await postJson(`${g.url}/custody-events`, event)).body.accepted[0] as string));
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
    (await dynamoDocuments().send(new QueryCommand({ TableName: gatehouse.names.tables.Audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CASE#${prisonNumber}` } }))).Items ?? [];

  it('refuses a board member 403 on the case route, and records the attempt', async () => {
    const response = await fetch(`${gatehouse.url}/cases/P1700CC`, asGroups('board'));
    expect(response.status).toBe(403);
    expect(await auditOf('P1700CC')).toEqual([expect.objectContaining({ readerId: 'local-developer', outcome: 'refused', caseRefs: [] })]);
    // The figures stay open to the board.
    expect((await fetch(`${gatehouse.url}/metrics`, asGroups('board'))).status).toBe(200);
  });

  it("shows the case to a case worker of the person's area only, and records who read which case, when", async () => {
    expect((await fetch(`${gatehouse.url}/cases/P1700CC`, asGroups('case-workers-E06000047'))).status).toBe(404);
    const darlington = await fetch(`${gatehouse.url}/cases/P1700CC`, asGroups('case-workers-E06000005'));
    expect(darlington.status).toBe(200);
    const { current } = (await darlington.json()) as { current: { caseRef: string } };
    const entries = await auditOf('P1700CC');
    expect(entries.map((e) => e.outcome)).toEqual(['refused', 'not-found', 'shown']);
    expect(entries[2]).toMatchObject({ caseRefs: [current.caseRef], prisonNumber: 'P1700CC', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
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
