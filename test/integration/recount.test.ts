/**
 * `npm run recount`: the releases and movements figures recounted from the records come out as the events counted
 * them, wherever the counters had drifted, and persons recorded before the movement table are read in today's terms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { recountFigures } from '#infra/ops/recount';
import { englandAndWales } from '#domain/calendar';
import { defaultScope } from '#domain/scope';
import { keys } from '#adapters/dynamodb/keys';
import { localCredentials } from '#local/emulators';
import { hmpps, scheduled, snsWrapped } from '#test-support/custody-events';
import { runningFrom } from '#test-support/clock';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('recounting the release and movement figures from the records', () => {
  let gatehouse: Gatehouse;
  let documents: DynamoDBDocumentClient;
  const tables = () => ({
    records: gatehouse.names.tables.Records!,
    aggregates: gatehouse.names.tables.Aggregates!,
  });
  const options = () => ({
    recordsTable: tables().records,
    aggregatesTable: tables().aggregates,
    ctx: {
      rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
      scheduleWindowDays: 2,
      scope: defaultScope,
      newCaseRef: () => 'GH-NEW0-0000',
    },
    from: '2025-01-01',
    dryRun: false,
    now: new Date('2025-03-14T20:00:00Z'),
  });
  const totals = async (family: string) =>
    (await getJson(`${gatehouse.url}/aggregates?family=${family}&from=2025-03-01&to=2025-03-31`)).body
      .totals as Record<string, number>;

  beforeAll(async () => {
    gatehouse = await testGatehouse({ clock: runningFrom('2025-03-14T19:30:00Z'), sweepEveryMs: 0 });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: gatehouse.endpoints.dynamodb,
        region: 'eu-west-2',
        credentials: localCredentials,
      }),
    );
    await postJson(`${gatehouse.url}/custody-events`, [
      scheduled(
        'rc-s1',
        '2025-03-10T09:00:00Z',
        '2025-03-14',
        { destinationLocalAuthority: 'E06000005', accommodation: 'SETTLED', aftercarePlan: 'IN_PLACE' },
        'K1001AA',
      ),
    ]);
    await gatehouse.settle();
    const body = (at: string, n: string, reason: string, code: string, prisonId = 'DMI') =>
      JSON.stringify(
        snsWrapped(
          hmpps('prison-offender-events.prisoner.released', at, {
            nomsNumber: n,
            reason,
            nomisMovementReasonCode: code,
            prisonId,
          }),
        ),
      );
    await gatehouse.custodyQueue.send([
      body('2025-03-14T10:00:00Z', 'K1001AA', 'RELEASED', 'CR'),
      body('2025-03-14T10:30:00Z', 'K1002AA', 'RELEASED', 'HD'),
      body('2025-03-14T11:00:00Z', 'K1003AA', 'RELEASED', 'DEC'),
      body('2025-03-14T11:30:00Z', 'K1004AA', 'RELEASED', 'CR', 'SHI'),
      body('2025-03-14T12:00:00Z', 'K1005AA', 'SENT_TO_COURT', 'CRT'),
    ]);
    await gatehouse.settle();
  }, 60_000);
  afterAll(async () => {
    documents.destroy();
    await gatehouse.stop();
  });

  it('puts back exactly what the events counted after the counters were lost or corrupted', async () => {
    const releases = await totals('releases');
    const movements = await totals('movements');
    expect(releases).toMatchObject({ total: 2, notOurs: 1, 'kind.HDC': 1 });
    expect(movements).toMatchObject({ 'kind.RELEASE': 3, 'kind.DIED': 1, 'kind.COURT_OUT': 1 });

    // Drift: every counter item of the two families gone, and a stale one of a day nothing happened on.
    const items = (await documents.send(new ScanCommand({ TableName: tables().aggregates }))).Items ?? [];
    for (const item of items.filter((i) => /^(releases|movements)#/.test(String(i.pk))))
      await documents.send(
        new DeleteCommand({ TableName: tables().aggregates, Key: { pk: item.pk, sk: item.sk } }),
      );
    await documents.send(
      new PutCommand({
        TableName: tables().aggregates,
        Item: { pk: 'releases#la=*#prison=*', sk: '2025-03-12', total: 40 },
      }),
    );
    expect(await totals('releases')).toEqual({ total: 40 });

    const result = await recountFigures(documents, options());
    expect(result).toMatchObject({ ledgerItems: 6, counterItemsDeleted: 1, personsRewritten: 0 });
    expect(await totals('releases')).toEqual(releases);
    expect(await totals('movements')).toEqual(movements);
  });

  it("reads a person recorded before the movement table in today's terms: another prison's release leaves the board", async () => {
    // As Gatehouse stored it before: no scope on the case, counted in the board's total.
    const legacy = {
      ...keys.person('K2001AA'),
      entity: 'releases',
      prisonNumber: 'K2001AA',
      version: 1,
      facts: [
        {
          eventId: 'hmpps-legacy-1',
          eventType: 'prisoner.released',
          occurredAt: '2025-03-13T10:00:00Z',
          prisonId: 'WEI',
          person: { prisonNumber: 'K2001AA' },
          release: { releasedAt: '2025-03-13T10:00:00Z', reason: 'RELEASED' },
        },
      ],
      cases: [
        {
          caseRef: 'GH-OLD1-0001',
          status: 'RELEASED',
          prisonId: 'WEI',
          releasedAt: '2025-03-13T10:00:00Z',
          circumstances: { needs: [], cohorts: [], reason: 'RELEASED' },
          circumstancesAsOf: '2025-03-13T10:00:00Z',
          classification: { date: '2025-03-13', flags: {}, urgency: 'CRITICAL', reasons: [] },
          alertKeys: [],
          events: [
            { eventId: 'hmpps-legacy-1', eventType: 'prisoner.released', occurredAt: '2025-03-13T10:00:00Z' },
          ],
        },
      ],
      movements: [
        {
          eventId: 'hmpps-legacy-1',
          hmppsEventType: 'prison-offender-events.prisoner.released',
          reason: 'RELEASED',
          occurredAt: '2025-03-13T10:00:00Z',
          prisonId: 'WEI',
          reviewNeeded: false,
        },
      ],
    };
    await documents.send(new PutCommand({ TableName: tables().records, Item: legacy }));
    await documents.send(
      new PutCommand({
        TableName: tables().records,
        Item: {
          ...keys.ledger('hmpps-legacy-1'),
          entity: 'ledger',
          eventId: 'hmpps-legacy-1',
          eventType: 'prisoner.released',
          occurredAt: '2025-03-13T10:00:00Z',
          recordedAt: '2025-03-13T10:45:00Z',
          source: 'hmpps:prison-offender-events.prisoner.released via sns',
          outcome: 'opened',
          movement: 'RELEASED',
        },
      }),
    );

    const result = await recountFigures(documents, options());
    expect(result.personsRewritten).toBe(1);
    expect((await getJson(`${gatehouse.url}/cases/K2001AA`)).body.current).toMatchObject({
      caseRef: 'GH-OLD1-0001',
      ours: false,
      whose: 'NOT_OURS',
      kind: 'OTHER',
    });
    const day = (await getJson(`${gatehouse.url}/aggregates?from=2025-03-13&to=2025-03-13&prison=WEI`)).body
      .totals;
    expect(day).toEqual({ notOurs: 1 });
    const moved = (
      await getJson(`${gatehouse.url}/aggregates?family=movements&from=2025-03-13&to=2025-03-13`)
    ).body.totals;
    expect(moved).toEqual({ 'kind.RELEASE': 1, 'release.OTHER': 1 });
  });
});
