/**
 * `npx tsx bench/notices.ts [--notices 10000] [--inFlight 8] [--out file.json]`, and part of `npm run bench`
 * (`-- --notices N` sets the size there; 10,000 by default, 500 with --quick): the notice outbox under load on
 * DynamoDB Local.
 *
 * N referral notices (two recipients each) are raised; the "stream" hands each to dispatch, with 20 % of the
 * records delivered twice, shuffled, `inFlight` at a time; the channel fails 5 % of sends (429, 500, or a timeout,
 * answered at once so the bench measures Gatehouse, not waiting). Whatever the stream pass leaves (a failed
 * record is not retried here: the stream is taken to have given up) the sweeper drains from the outbox.
 * It checks that every (notice, recipient) was accepted exactly once and nothing is left pending, and reports the
 * time to drain beside the same run's floor: the bare DynamoDB writes a delivery needs (claim + record), with the
 * same concurrency, on tables of their own.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import '#local/environment';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoDeliveryStore } from '#adapters/dynamodb/delivery-store';
import { dynamoNoticeOutbox } from '#adapters/dynamodb/notice-outbox';
import { dynamoRotaStore } from '#adapters/dynamodb/rota-store';
import { dynamoDigestReader, dynamoScheduleReader } from '#adapters/dynamodb/sweep-sources';
import { dynamoDocuments } from '#commons/clients';
import { openAlert, type AlertDraft } from '#domain/alerts';
import { englandAndWales } from '#domain/calendar';
import { parseRoutingConfig } from '#domain/routing';
import {
  DeliveryError,
  dispatchNotice,
  type Channel,
  type DispatchDependencies,
  type OutgoingMessage,
} from '#use-cases/dispatch-alert';
import { sweep } from '#use-cases/sweep';
import { localCredentials, startDynamoDbLocal } from '#local/emulators';
import { provisionTables, resourceNames } from '#local/provision';
import { localRouting } from '#local/routing';

import type { Figure } from './figures';

/** The outbox bench at `notices` referral notices (two deliveries each); on its own DynamoDB Local. */
export async function noticeBenchmarks(options: {
  notices: number;
  inFlight?: number;
  onProgress?: (step: string) => void;
}): Promise<Record<string, Figure>> {
  const { notices } = options;
  const inFlight = options.inFlight ?? 8;
  const progress = options.onProgress ?? ((step: string) => process.stderr.write(`${step}\n`));
  const dynamo = await startDynamoDbLocal();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
  try {
    const raw = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'eu-west-2',
      credentials: localCredentials,
    });
    const names = resourceNames(`bench${randomBytes(3).toString('hex')}`);
    const floorNames = resourceNames(`floor${randomBytes(3).toString('hex')}`);
    await provisionTables(raw, names);
    await provisionTables(raw, floorNames);
    raw.destroy();
    const client = dynamoDocuments();
    const records = names.tables.Records!;
    // A fixed instant in 2025, moved by hand: nothing here depends on today.
    let now = Date.parse('2025-06-16T10:00:00Z');
    const clock = () => new Date(now);
    const routing = parseRoutingConfig(localRouting);

    const accepted = new Map<string, number>();
    let sends = 0;
    let injected = 0;
    const channel: Channel = {
      name: 'govuk-notify',
      async send(message: OutgoingMessage) {
        sends += 1;
        // 5 % of sends fail for a passing reason, spread over 429, 500 and a timeout.
        if (sends % 20 === 7) {
          injected += 1;
          const kind = injected % 3;
          throw new DeliveryError(
            kind === 0
              ? 'GOV.UK Notify answered 429'
              : kind === 1
                ? 'GOV.UK Notify answered 500'
                : 'GOV.UK Notify could not be reached: timeout',
            false,
            kind === 2 ? undefined : kind === 0 ? 429 : 500,
          );
        }
        const key = `${message.alertId} ${message.notice} ${message.recipient.id}`;
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
        return { providerRef: `n-${sends}` };
      },
    };
    // A fresh identifier key for the run, as each deployment has its own.
    const idKey = randomBytes(32).toString('hex');
    const deps: DispatchDependencies = {
      alerts: dynamoAlertStore(client, { records, aggregates: names.tables.Aggregates! }),
      deliveries: dynamoDeliveryStore(client, records),
      outbox: dynamoNoticeOutbox(client, records),
      rota: dynamoRotaStore(client, records),
      routing,
      channels: { sms: channel, email: channel, webhook: channel },
      links: {
        baseUrl: 'http://bench.local',
        keys: { current: '1', keys: { '1': 'bench-only-link-signing-key-0123456789' } },
      },
      numberKey: idKey,
      // One attempt per invocation: a failed send fails the record back, and the stream is taken to have given up on it.
      retry: { attempts: 1, backoffMs: 0, attemptTimeoutMs: 1 },
      clock,
      backoff: { sleep: async () => undefined, random: Math.random },
    };

    // Measured first, on a DynamoDB Local not yet filled by the run (it slows as it fills).
    const expected = notices * 2;
    // The floor: the two writes each delivery needs at the least (a conditional claim and the recorded attempt).
    const floorTable = floorNames.tables.Records!;
    const floorStart = performance.now();
    await pool(
      Array.from({ length: expected }, (_, i) => i),
      inFlight,
      async (i) => {
        const Key = { pk: `ALERT#${i >> 1}`, sk: `DELIVERY#page.000#${i & 1}` };
        await client.send(
          new UpdateCommand({
            TableName: floorTable,
            Key,
            UpdateExpression: 'SET #s = :s',
            ConditionExpression: 'attribute_not_exists(pk)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': 'SENDING' },
          }),
        );
        await client.send(
          new UpdateCommand({
            TableName: floorTable,
            Key,
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': 'SENT' },
          }),
        );
      },
    );
    const floorMs = performance.now() - floorStart;
    progress(`notices: floor ${Math.round(floorMs)} ms; raising ${notices} referral notices`);
    const ids: string[] = [];
    await pool(
      Array.from({ length: notices }, (_, i) => i),
      inFlight,
      async (i) => {
        const draft: AlertDraft = {
          kind: 'REFERRAL',
          dedupKey: `bench|${i}`,
          recipientGroup: 'services:E06000005',
          urgency: 'HIGH',
          caseRef: `GH-BNCH-${String(i).padStart(5, '0')}`,
          prisonId: 'DMI',
          localAuthority: 'E06000005',
          releasedAt: '2025-06-16T08:00:00Z',
          flags: {
            unplanned: true,
            lateWeek: false,
            lateDay: false,
            nonWorkingDay: false,
            noFixedAbode: true,
            noAftercarePlan: false,
            bankHolidaysUnknown: false,
          },
          reasons: ['Unplanned release'],
          needs: ['DRUGS_AND_ALCOHOL'],
        };
        const alert = openAlert(draft, clock(), routing, idKey);
        await deps.alerts.raise(alert, Math.floor(now / 1000) + 86_400);
        ids.push(alert.alertId);
      },
    );
    progress('notices: the stream pass (20 % duplicates, 5 % failures), then the sweeper drains the outbox');

    const stream = [...ids, ...ids.filter((_, i) => i % 5 === 0)];
    shuffle(stream);
    const started = performance.now();
    let streamFailures = 0;
    await pool(stream, inFlight, async (alertId) => {
      try {
        await dispatchNotice({ alertId, purpose: 'page', index: 0 }, deps);
      } catch {
        streamFailures += 1;
      }
    });
    const streamMs = performance.now() - started;
    let sweeps = 0;
    let resent = 0;
    for (;;) {
      now += 5 * 60_000;
      const result = await sweep({
        alerts: deps.alerts,
        schedules: dynamoScheduleReader(client, records),
        digests: dynamoDigestReader(client, records),
        routing,
        calendar: englandAndWales,
        retentionDays: 30,
        idKey,
        clock,
        resend: { outbox: deps.outbox, dispatch: deps },
        batchSize: 1000,
      });
      sweeps += 1;
      resent += result.resent;
      if ((await deps.outbox.pending(new Date(now + 86_400_000), 1)).length === 0 || sweeps > 50) break;
    }
    const drainMs = performance.now() - started;

    const once = [...accepted.values()].filter((n) => n === 1).length;
    const twice = [...accepted.values()].filter((n) => n > 1).length;
    const exact = accepted.size === expected && once === expected && twice === 0;

    const figures: Record<string, Figure> = {
      'notices.count': {
        value: notices,
        unit: `referral notices, ${expected} deliveries, ${stream.length - notices} duplicate stream records`,
        target: 'recorded',
        met: null,
      },
      'notices.injectedFailures': {
        value: injected,
        unit: `sends failed on purpose (429, 500, timeout) of ${sends}`,
        target: '≈ 5 %',
        met: null,
      },
      'notices.exactlyOnce': {
        value: exact ? 1 : 0,
        unit: `boolean (${once} accepted once, ${twice} more than once, ${expected - accepted.size} never)`,
        target: 'every delivery once',
        met: exact,
      },
      'notices.streamPassMs': {
        value: Math.round(streamMs),
        unit: `ms (${streamFailures} records failed back to the stream)`,
        target: 'recorded',
        met: null,
      },
      'notices.drainMs': {
        value: Math.round(drainMs),
        unit: `ms (stream pass, then ${sweeps} sweeps re-sending ${resent} notices)`,
        target: 'recorded',
        met: null,
      },
      'notices.floorMs': {
        value: Math.round(floorMs),
        unit: `ms (${expected} × claim + record, ${inFlight} in flight, same DynamoDB Local)`,
        target: 'reference',
        met: null,
      },
      'notices.drainToFloor': {
        value: Math.round((drainMs / floorMs) * 100) / 100,
        unit: 'ratio',
        target: 'recorded',
        met: null,
      },
      'notices.sweepsMs': {
        value: Math.round(drainMs - streamMs),
        unit: `ms (${sweeps} sweeps after the stream pass)`,
        target: 'recorded',
        met: null,
      },
    };
    return figures;
  } finally {
    await dynamo.stop();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      notices: { type: 'string', default: '10000' },
      inFlight: { type: 'string', default: '8' },
      out: { type: 'string' },
    },
  });
  const figures = await noticeBenchmarks({
    notices: Number(values.notices),
    inFlight: Number(values.inFlight),
  });
  console.table(Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, `${f.value} ${f.unit}`])));
  if (values.out)
    await writeFile(
      values.out,
      `${JSON.stringify({ recordedAt: new Date().toISOString(), figures }, null, 2)}\n`,
    );
  if (figures['notices.exactlyOnce']!.met !== true) process.exitCode = 1;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function shuffle<T>(items: T[]): void {
  // Deterministic, so runs compare: a fixed-seed LCG.
  let seed = 42;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
