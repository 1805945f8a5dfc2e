/**
 * Partner file ingest: rows per second for a 100,000-row file next to what DynamoDB Local takes by BatchWriteItem
 * of as many comparable items in the same run, and the peak RSS of ingesting 100,000 and 1,000,000 rows.
 * Runs against a local stack it starts itself (fresh, in a temporary folder).
 */
import '../local/environment';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { partnerDropsBucket, recordsTable } from '../functions/commons/resources';
import { localCredentials, startDynamoDbLocal } from '../local/emulators';
import { startGatehouse, type Gatehouse } from '../local/runtime';
import type { Figure } from './figures';

const header = 'prison_number,release_date,local_authority,night1,day7\n';
const statuses = ['SETTLED', 'TEMPORARY', 'CAS3', 'NO_FIXED_ABODE'];
// The areas accommodation providers serve (a partner reports outcomes of its own areas only).
const areas = ['E06000005', 'E06000047'];

/** Row i of a synthetic accommodation-outcome file: a distinct person, a few areas and release dates. */
function row(i: number, run: string): string {
  const letters = (n: number) => String.fromCharCode(65 + (n % 26)) + String.fromCharCode(65 + (Math.floor(n / 26) % 26));
  const prisonNumber = `${run}${String(i % 10_000).padStart(4, '0')}${letters(Math.floor(i / 10_000))}`;
  return `${prisonNumber},2026-11-${String(16 + (i % 5)).padStart(2, '0')},${areas[i % areas.length]},${statuses[i % statuses.length]},\n`;
}

function file(rows: number, run: string): Buffer {
  const parts = [header];
  for (let i = 0; i < rows; i++) parts.push(row(i, run));
  return Buffer.from(parts.join(''));
}

export async function ingestBenchmarks(options: { quick: boolean }): Promise<Record<string, Figure>> {
  const rows = options.quick ? 2_000 : 100_000;
  const large = options.quick ? 4_000 : 1_000_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-ingest-'));
  // DynamoDB Local in memory, as the tests run it: on disk it measures the disk, not the ingest.
  const dynamo = await startDynamoDbLocal();
  const gatehouse = await startGatehouse({ fresh: true, port: 0, dataDir, stage: 'bench', dynamoEndpoint: dynamo.endpoint, env: { PARTNER_FILE_MAX_BYTES: String(100 * 1024 * 1024), POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  try {
    const s3 = new S3Client({ endpoint: gatehouse.endpoints.s3, region: 'eu-west-2', credentials: localCredentials, forcePathStyle: true });
    const put = async (key: string, body: Buffer) => {
      // Stored without a notification reaching the queue: the child process is the one to ingest it.
      gatehouse.partnerDropQueue.stop();
      await s3.send(new PutObjectCommand({ Bucket: gatehouse.names.buckets[partnerDropsBucket.id], Key: key, Body: body }));
      return body.length;
    };

    // A fresh DynamoDB Local is a cold JVM: whatever runs first pays for its warm-up. Warm it for both figures.
    await batchWriteCeiling(gatehouse, 5_000, 'W');
    const small = await ingestInChild(gatehouse, 'incoming/accommodation-providers/accommodation-outcome/bench-100k.csv', await put('incoming/accommodation-providers/accommodation-outcome/bench-100k.csv', file(rows, 'A')));
    const ceiling = await batchWriteCeiling(gatehouse, rows);
    const big = await ingestInChild(gatehouse, 'incoming/accommodation-providers/accommodation-outcome/bench-1m.csv', await put('incoming/accommodation-providers/accommodation-outcome/bench-1m.csv', file(large, 'B')));
    s3.destroy();

    const rowsPerSecond = rows / (small.ms / 1000);
    const ratio = rowsPerSecond / ceiling;
    const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`);
    return {
      'ingest.rowsPerSecond': { value: round(rowsPerSecond), unit: `rows/s (accommodation-outcome, ${rows.toLocaleString('en-GB')} rows)`, target: '≥ 50% of the batch-write ceiling', met: ratio >= 0.5 },
      'ingest.batchWriteCeilingRowsPerSecond': { value: round(ceiling), unit: `items/s (BatchWriteItem, ${rows.toLocaleString('en-GB')} items, 4 in flight)`, target: 'reference', met: null },
      'ingest.ratioToCeiling': { value: Math.round(ratio * 100) / 100, unit: 'ratio', target: '≥ 0.5', met: ratio >= 0.5 },
      [`ingest.peakRssMb.${label(rows)}`]: { value: round(small.maxRssMb), unit: `MB peak RSS of the ingesting process (${rows.toLocaleString('en-GB')} rows)`, target: '≤ 256', met: small.maxRssMb <= 256 },
      [`ingest.peakRssMb.${label(large)}`]: { value: round(big.maxRssMb), unit: `MB peak RSS of the ingesting process (${large.toLocaleString('en-GB')} rows)`, target: '≤ 256', met: big.maxRssMb <= 256 },
    };
  } finally {
    await gatehouse.stop();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function ingestInChild(gatehouse: Gatehouse, key: string, size: number): Promise<{ ms: number; maxRssMb: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), key, String(size)], {
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`ingesting ${key} failed (exit ${code})`);
  const result = JSON.parse(out.trim().split('\n').pop()!);
  if (result.outcome !== 'accepted') throw new Error(`ingesting ${key}: ${JSON.stringify(result)}`);
  void gatehouse;
  return result;
}

/** BatchWriteItem of `count` items shaped like the outcomes the ingest writes, 25 per request, 4 requests in flight. */
async function batchWriteCeiling(gatehouse: Gatehouse, count: number, prefix = 'Z'): Promise<number> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: gatehouse.endpoints.dynamodb, region: 'eu-west-2', credentials: localCredentials }));
  const table = gatehouse.names.tables[recordsTable.id]!;
  const item = (i: number) => ({
    pk: `PERSON#${prefix}${String(i % 10_000).padStart(4, '0')}${i}`,
    sk: 'ACCOMMODATION#2026-11-16',
    entity: 'benchmark',
    facts: { localAuthority: 'E06000005', releaseDate: '2026-11-16', night1: 'SETTLED' },
    contribution: [{ family: 'accommodation', dimensions: { la: 'E06000005' }, date: '2026-11-16', counts: { 'night1.SETTLED': 1, 'night1.total': 1 } }],
    version: 1,
  });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + 25);
      let request: Record<string, any> | undefined = { [table]: Array.from({ length: next - from }, (_, k) => ({ PutRequest: { Item: item(from + k) } })) };
      while (request && Object.keys(request).length > 0) request = (await client.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return count / seconds;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
