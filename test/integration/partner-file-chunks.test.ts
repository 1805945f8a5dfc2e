import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoPartnerFileLedger } from '#adapters/dynamodb/partner-file-ledger';
import { dynamoDocuments } from '#commons/clients';
import { runtimeConfig } from '#adapters/config';
import { recordsTable } from '#commons/resources';
import { ingestDependencies } from '#composition/partner-drop';
import {
  ingestPartnerFile,
  type DroppedObject,
  type IngestDependencies,
} from '#use-cases/ingest-partner-file';
import type { CounterDelta } from '#domain/aggregates';
import { getJson, testGatehouse } from '#test-support/gatehouse';
import { partnerDrops } from '#test-support/partner-drops';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

/** The use case with the real S3 and DynamoDB adapters, and a ledger that dies once, at chunk `k`. */
function crashingAfter(
  deps: IngestDependencies,
  k: number,
): IngestDependencies & { chunksCommitted: () => number } {
  let committed = 0;
  let crashed = false;
  return {
    ...deps,
    ledger: {
      ...deps.ledger,
      async commitChunk(chunk) {
        if (chunk.index === k && !crashed) {
          crashed = true;
          throw new Error(`injected: the function died before chunk ${chunk.index}`);
        }
        const result = await deps.ledger.commitChunk(chunk);
        if (result === 'committed') committed += 1;
        return result;
      },
    },
    chunksCommitted: () => committed,
  };
}

describe('ingesting a large partner file in chunks', () => {
  let gatehouse: Gatehouse;
  let drops: ReturnType<typeof partnerDrops>;
  let deps: IngestDependencies;
  beforeAll(async () => {
    gatehouse = await testGatehouse(); // the shared S3 emulator: the test hands the use case its notification
    drops = partnerDrops(gatehouse);
    deps = ingestDependencies(gatehouse.env, gatehouse.identifierKey);
  });
  afterAll(async () => {
    drops.close();
    await gatehouse.stop();
  });

  const totals = async (query: string) =>
    (await getJson(`${gatehouse.url}/aggregates?${query}`)).body.totals as Record<string, number>;

  async function put(key: string, rows: string[]): Promise<DroppedObject> {
    const body = `${rows.join('\n')}\n`;
    await drops.s3.send(new PutObjectCommand({ Bucket: drops.bucket, Key: key, Body: body }));
    return { key, size: Buffer.byteLength(body), sequencer: key, receivedAt: '2026-12-07T09:00:00.000Z' };
  }

  it('gives exact counts when the function dies after some chunks and the notification is retried', async () => {
    const people = Array.from({ length: 600 }, (_, i) => `P${String(1000 + i)}ZZ`);
    const rows = people.map(
      (p, i) => `${p},2026-12-04,E06000047,${i % 5 === 0 ? 'NO_FIXED_ABODE' : 'SETTLED'},`,
    );
    rows.splice(100, 0, 'BAD,2026-12-04,E06000047,SETTLED,'); // one refused row in the middle
    const object = await put('incoming/durham-housing/accommodation-outcome/backfill.csv', [
      'prison_number,release_date,local_authority,night1,day7',
      ...rows,
    ]);

    const crashing = crashingAfter(deps, 3);
    await expect(ingestPartnerFile(object, crashing)).rejects.toThrow(
      'injected: the function died before chunk 3',
    );
    // Chunks 0–2 (and any others already in flight) were applied; the counts appear when the whole file is in.
    expect(crashing.chunksCommitted()).toBeGreaterThanOrEqual(3);
    expect(crashing.chunksCommitted()).toBeLessThan(7);
    expect(await totals('family=accommodation&la=E06000047')).toEqual({});

    const retried = await ingestPartnerFile(object, deps);
    expect(retried.report).toMatchObject({
      outcome: 'partiallyAccepted',
      rows: { total: 601, accepted: 600, rejected: 1 },
    });
    expect(retried.report!.rejections).toEqual([
      {
        line: 102,
        column: 'prison_number',
        value: 'BAD',
        reason: 'expected a prison (NOMS) number such as A1234BC',
      },
    ]);
    expect(await totals('family=accommodation&la=E06000047')).toEqual({
      'night1.NO_FIXED_ABODE': 120,
      'night1.SETTLED': 480,
      'night1.total': 600,
    });
    expect(await totals('family=files&partner=durham-housing&kind=accommodation-outcome')).toEqual({
      received: 1,
      partiallyAccepted: 1,
      rowsAccepted: 600,
      rowsRejected: 1,
    });

    // And the notification once more: nothing changes.
    expect(await ingestPartnerFile(object, deps)).toEqual({ outcome: 'redelivered' });
    expect(await totals('family=accommodation&la=E06000047')).toEqual({
      'night1.NO_FIXED_ABODE': 120,
      'night1.SETTLED': 480,
      'night1.total': 600,
    });
  });

  it('records each release-schedule row once when a crash between chunks is retried', async () => {
    const rows = Array.from(
      { length: 150 },
      (_, i) => `S${String(1000 + i)}YY,DMI,2026-12-1${i % 10},E06000005,SETTLED,IN_PLACE,,,,`,
    );
    const object = await put('incoming/probation-durham/release-schedule/bulk.csv', [
      'prison_number,prison_id,scheduled_for,destination_local_authority,accommodation,aftercare_plan,needs,cohorts,release_reason,crn',
      ...rows,
    ]);
    await expect(ingestPartnerFile(object, crashingAfter(deps, 1))).rejects.toThrow('injected');
    const retried = await ingestPartnerFile(object, deps);
    expect(retried.report).toMatchObject({
      outcome: 'accepted',
      rows: { total: 150, accepted: 150, rejected: 0 },
    });
    const view = await getJson(`${gatehouse.url}/cases/S1042YY`);
    expect(view.body.cases).toHaveLength(1);
    expect(view.body.current.events).toHaveLength(1);
    expect(await totals('family=files&partner=probation-durham&kind=release-schedule')).toEqual({
      received: 1,
      accepted: 1,
      rowsAccepted: 150,
    });
  });

  it('splits a file of 1,000 rota entries into transactions of at most 100 actions and writes every entry', async () => {
    const hour = (i: number) => new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString();
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `E06000047,primary,${hour(i)},${hour(i + 1)},email,duty${i}@durham.gov.uk,`,
    );
    const object = await put('incoming/durham-housing/on-call-rota/year.csv', [
      'local_authority,tier,start,end,channel,address,display_name',
      ...rows,
    ]);
    const seen: number[] = [];
    const counting: IngestDependencies = {
      ...deps,
      ledger: {
        ...deps.ledger,
        commitChunk: (c) => {
          seen.push(c.rotaEntries.length);
          return deps.ledger.commitChunk(c);
        },
      },
    };
    const result = await ingestPartnerFile(object, counting);
    expect(result.report).toMatchObject({
      outcome: 'accepted',
      rows: { total: 1000, accepted: 1000, rejected: 0 },
    });
    expect(Math.max(...seen)).toBeLessThanOrEqual(99); // with the chunk's ledger item: 100 actions
    expect(seen.reduce((a, b) => a + b, 0)).toBe(1000);
    const { Count } = await dynamoDocuments(gatehouse.env).send(
      new QueryCommand({
        TableName: gatehouse.names.tables[recordsTable.id],
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ROTA#E06000047' },
        Select: 'COUNT',
      }),
    );
    expect(Count).toBe(1000);
  });

  it("adds a file's totals to the counters once when the fold takes several transactions and dies between them", async () => {
    // 120 areas and the all-areas series: 121 counter items, so two transactions.
    const counters: CounterDelta[] = Array.from({ length: 120 }, (_, i) => ({
      family: 'accommodation',
      dimensions: { la: `E0${String(6000100 + i)}` },
      date: '2026-12-02',
      counts: { 'night1.SETTLED': 2, 'night1.total': 2 },
    }));
    const fold = {
      sha256: 'fold-test',
      counters,
      recordedAt: '2026-12-07T09:00:00.000Z',
      expiresAt: 2_000_000_000,
    };
    const tables = {
      records: runtimeConfig(gatehouse.env).recordsTable,
      aggregates: runtimeConfig(gatehouse.env).aggregatesTable,
    };
    let transactions = 0;
    const dying = {
      send: (command: unknown) => {
        if (command instanceof TransactWriteCommand && ++transactions === 2)
          return Promise.reject(new Error('injected: the function died during the fold'));
        return dynamoDocuments(gatehouse.env).send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;

    await expect(dynamoPartnerFileLedger(dying, tables).foldCounters(fold)).rejects.toThrow('injected');
    expect((await totals('family=accommodation&la=E06000100'))['night1.total']).toBe(2);
    await dynamoPartnerFileLedger(dynamoDocuments(gatehouse.env), tables).foldCounters(fold);
    await dynamoPartnerFileLedger(dynamoDocuments(gatehouse.env), tables).foldCounters(fold);
    expect(await totals('family=accommodation&la=E06000100')).toEqual({
      'night1.SETTLED': 2,
      'night1.total': 2,
    }); // folded in the first transaction, kept once
    expect(await totals('family=accommodation&la=E06000219')).toEqual({
      'night1.SETTLED': 2,
      'night1.total': 2,
    });
  });
});
