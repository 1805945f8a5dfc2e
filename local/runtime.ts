/**
 * Gatehouse on one machine: DynamoDB Local and s3rver, the tables and buckets from the shared definitions,
 * the same handlers Lambda runs wired as AWS wires them (queue batches, the filtered stream), and the
 * local HTTP API. Used by `npm start`, `npm run demo` and the integration tests.
 */
import './environment';
import { join, resolve } from 'node:path';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { alertStreamFilter, partnerDropsBucket, recordsTable } from '#commons/resources';
import { dynamoDocuments } from '#commons/clients';
import { startFakeNotify, type FakeNotify } from './fake-notify';
import { localOutbox } from '#adapters/channels/local-outbox';
import { templateNames } from '#domain/alert-message';
import type { Channel, Channels } from '#use-cases/channel-ports';
import { dynamoRotaStore } from '#adapters/dynamodb/rota-store';
import { envNames } from '#commons/env-names';
import { custodyEventsHandler } from '#handlers/custody-events';
import { dispatchHandler } from '#handlers/dispatch';
import type { FeedExpectation } from '#domain/heartbeats';
import { sweeperHandler } from '#handlers/sweeper';
import { partnerDropHandler } from '#handlers/partner-drop';
import { composeCustodyEvents } from '#composition/custody-events';
import { composePartnerDrop } from '#composition/partner-drop';
import { composeDispatch } from '#composition/dispatch';
import { composeSweeper } from '#composition/sweeper';
import type { RoutingConfigInput } from '#domain/routing';
import type { RotaEntry } from '#domain/rota';
import type { SweepResult } from '#use-cases/sweep';
import { localRouting } from './routing';
import { localCredentials, startDynamoDbLocal, startS3, type RunningEmulator } from './emulators';
import { s3NotificationBody, type S3rverEvent } from './s3-notifications';
import { provisionBuckets, provisionTables, resourceNames, type ResourceNames } from './provision';
import { LocalDeadLetterQueue, LocalQueue } from './queue';
import { StreamPoller } from './stream-poller';
import { startServer, type RunningServer } from './server';
import { lambdaContext } from './lambda-context';
import { startHmppsStandIns, type HmppsStandInOptions, type HmppsStandIns } from './stand-ins/hmpps/server';
import { clockFromEnvironment } from './clock';

export interface GatehouseOptions {
  /** Where data persists between runs. */
  dataDir?: string;
  /** Start from an empty store. */
  fresh?: boolean;
  /** HTTP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Name prefix of tables and buckets; tests use their own to stay apart on a shared emulator. */
  stage?: string;
  /** Reuse emulators that are already running (the tests start them once per run). */
  dynamoEndpoint?: string;
  s3Endpoint?: string;
  /** Extra environment for the functions (e.g. LATE_DAY_FROM). */
  env?: Record<string, string>;
  /** Retry timing of the local queue; tests make it short. */
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  /** The functions' clock (by default the wall clock, or GATEHOUSE_CLOCK_START's); the demo and the escalation tests drive their own. */
  clock?: () => Date;
  /** How often the sweeper runs (EventBridge Scheduler's minute in AWS); 0 = only when `sweep()` is called. */
  sweepEveryMs?: number;
  /** Alert routing (contacts, escalation, templates); the local one in local/routing.ts by default. */
  routing?: RoutingConfigInput;
  /** Retry backoff of alert sends; tests make it short. */
  sendBackoffMs?: number;
  /** Local stand-ins for HMPPS Auth and the HMPPS APIs (local/stand-ins/hmpps); on unless false; options (e.g. the people they know) when given. */
  hmppsStandIns?: boolean | HmppsStandInOptions;
  /** Feed expectations the sweeper checks (domain/heartbeats.ts); off unless given. */
  heartbeats?: FeedExpectation[];
  /**
   * Runs the local GOV.UK Notify stand-in (local/fake-notify.ts) and sends SMS and e-mail through it, as in AWS:
   * Notify accepts, then calls back with the delivery receipt, and forwards text-message replies. Each accepted
   * message is also shown in the local outbox. `npm start` and the demo turn it on.
   */
  notifyStandIn?: boolean;
}

export interface Gatehouse {
  url: string;
  /** The environment the functions are composed from, as Lambda's process.env would hold it (process.env is left alone). */
  env: Readonly<Record<string, string | undefined>>;
  names: ResourceNames;
  endpoints: { dynamodb: string; s3: string };
  outboxFile: string;
  /** This store's identifier key (alert and HMPPS event ids are keyed with it); new with every fresh start. */
  identifierKey: string;
  custodyQueue: LocalQueue;
  /** The local queues by the name operators use (`npm run redrive -- <name> --local`). */
  queues: Record<string, { queue: LocalQueue; deadLetters: LocalDeadLetterQueue }>;
  /** Tells listeners about every message the local outbox sends (`sent` events carry the OutboxEntry). */
  outbox: EventEmitter;
  clock: () => Date;
  /** Runs the sweeper once now, as the minute schedule does. */
  sweep(): Promise<SweepResult>;
  /** Writes on-call rota entries, as the partner-drops ingest does. */
  saveRota(entries: RotaEntry[]): Promise<void>;
  /** S3 notifications of files put under incoming/, as S3 sends them to SQS (only when this runtime runs the S3 emulator). */
  partnerDropQueue: LocalQueue;
  deadLetters: {
    custody: LocalDeadLetterQueue;
    dispatch: LocalDeadLetterQueue;
    partnerDrops: LocalDeadLetterQueue;
  };
  /** Resolves when every queued message is handled and the stream has been read past every write. */
  settle(): Promise<void>;
  /** The HMPPS stand-ins and their switches (slow, failing, unauthorised, unknown-person), when running. */
  hmpps?: HmppsStandIns;
  /** The GOV.UK Notify stand-in and its switches (phone off, no such number, still sending, replies), when running. */
  notify?: FakeNotify;
  stop(): Promise<void>;
}

export async function startGatehouse(options: GatehouseOptions = {}): Promise<Gatehouse> {
  const dataDir = resolve(options.dataDir ?? '.gatehouse');
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  const stage = options.stage ?? 'local';
  const names = resourceNames(stage);
  const outboxFile = join(dataDir, 'outbox.jsonl');
  const identifierKey = localIdentifierKey(dataDir);

  const owned: RunningEmulator[] = [];
  const stopAll = async () => {
    for (const emulator of owned.reverse()) await emulator.stop().catch(() => undefined);
  };
  try {
    const dynamoEndpoint =
      options.dynamoEndpoint ??
      (await own(owned, startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') }))).endpoint;
    const ownS3 = options.s3Endpoint
      ? undefined
      : await own(owned, startS3({ directory: join(dataDir, 's3') }));
    const s3Endpoint = options.s3Endpoint ?? ownS3!.endpoint;
    const hmpps =
      options.hmppsStandIns === false
        ? undefined
        : await own(
            owned,
            startHmppsStandIns(typeof options.hmppsStandIns === 'object' ? options.hmppsStandIns : {}),
          );
    const notifyStandIn = options.notifyStandIn ? await startFakeNotify() : undefined;
    if (notifyStandIn) owned.push({ endpoint: notifyStandIn.url, stop: () => notifyStandIn.close() });
    const routingInput = notifyStandIn
      ? withLocalTemplates(options.routing ?? localRouting)
      : (options.routing ?? localRouting);

    // The functions find their tables, buckets and endpoints in an environment, as in Lambda: this one, not process.env.
    const givenBaseUrl = options.env?.[envNames.publicBaseUrl] ?? process.env[envNames.publicBaseUrl];
    const env: Record<string, string | undefined> = {
      ...process.env,
      AWS_REGION: process.env.AWS_REGION ?? 'eu-west-2',
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      [envNames.stage]: stage,
      [envNames.outboxFile]: outboxFile,
      [envNames.routingConfig]: JSON.stringify(routingInput),
      // Local-only keys: in AWS these come from Secrets Manager.
      LINK_SIGNING_KEY: 'local-only-link-signing-key-not-a-secret',
      IDENTIFIER_KEY: identifierKey,
      // One key per webhook receiver, as in AWS.
      WEBHOOK_SIGNING_KEYS: JSON.stringify(
        Object.fromEntries(
          webhookContacts(options.routing ?? localRouting).map((id) => [
            id,
            `local-only-webhook-key-for-${id}-not-a-secret`,
          ]),
        ),
      ),
      // Links point at the local server, whose port is known once it listens (below); a placeholder until then.
      [envNames.publicBaseUrl]: givenBaseUrl ?? 'http://127.0.0.1',
      ...(options.heartbeats ? { [envNames.heartbeats]: JSON.stringify(options.heartbeats) } : {}),
      ...hmpps?.env,
      ...(notifyStandIn
        ? {
            NOTIFY_API_KEY: notifyStandIn.apiKey,
            NOTIFY_BASE_URL: notifyStandIn.url,
            NOTIFY_CALLBACK_TOKEN: localCallbackToken,
          }
        : {}),
      ...names.env,
      ...options.env,
    };

    const dynamo = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: 'eu-west-2',
      credentials: localCredentials,
    });
    const s3 = new S3Client({
      endpoint: s3Endpoint,
      region: 'eu-west-2',
      credentials: localCredentials,
      forcePathStyle: true,
    });
    await provisionTables(dynamo, names);
    await provisionBuckets(s3, names);

    const clock = options.clock ?? clockFromEnvironment();
    const deadLetters = {
      custody: new LocalDeadLetterQueue(
        'custody-events-dlq',
        join(dataDir, 'dead-letters', 'custody-events.jsonl'),
        clock,
      ),
      dispatch: new LocalDeadLetterQueue(
        'dispatch-dlq',
        join(dataDir, 'dead-letters', 'dispatch.jsonl'),
        clock,
      ),
      partnerDrops: new LocalDeadLetterQueue(
        'partner-drops-dlq',
        join(dataDir, 'dead-letters', 'partner-drops.jsonl'),
        clock,
      ),
    };

    const outbox = new EventEmitter();
    let poller: StreamPoller | undefined;
    const custody = custodyEventsHandler(
      await composeCustodyEvents(env, { clock, rejected: deadLetters.custody }),
    );
    const custodyQueue = new LocalQueue({
      name: 'custody-events',
      handler: async (event) => {
        const response = await custody(event, lambdaContext('custody-events'));
        poller?.wake();
        return response;
      },
      deadLetters: deadLetters.custody,
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 1000,
      maxReceiveCount: options.maxReceiveCount ?? 3,
    });

    // Partner files: s3rver announces every put; like S3's notification on incoming/, it goes on a queue
    // in the SQS message shape S3 sends, and the very partner-drop handler ingests it.
    const dropsBucket = names.buckets[partnerDropsBucket.id]!;
    const partnerDrop = partnerDropHandler(
      await composePartnerDrop(env, { clock, rejected: deadLetters.partnerDrops }),
    );
    const partnerDropQueue = new LocalQueue({
      name: 'partner-drops',
      handler: (event) => partnerDrop(event, lambdaContext('partner-drop')),
      deadLetters: deadLetters.partnerDrops,
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 1000,
      maxReceiveCount: options.maxReceiveCount ?? 3,
      batchSize: 1,
      concurrency: 2,
    });
    ownS3?.server.on('event', (event: S3rverEvent) => {
      const body = s3NotificationBody(event, dropsBucket, clock);
      if (body) void partnerDropQueue.send([body]);
    });

    const shownInOutbox = notifyStandIn
      ? localOutbox(outboxFile, clock, (entry) => outbox.emit('sent', entry))
      : undefined;
    const dispatchDeps = await composeDispatch(env, {
      clock,
      onOutboxSent: (entry) => outbox.emit('sent', entry),
      sendBackoffMs: options.sendBackoffMs ?? 200,
      ...(shownInOutbox ? { channels: (composed: Channels) => localChannels(composed, shownInOutbox) } : {}),
    });
    const dispatch = dispatchHandler(dispatchDeps);
    // Heartbeats are opt-in locally: a demo week on a fast clock would otherwise warn of silent feeds every sweep.
    // NOTIFY_RECEIPTS=poll in the env: the sweeper asks the (local) Notify for receipts instead of waiting for callbacks.
    const sweeper = sweeperHandler(
      await composeSweeper(env, { clock, dispatch: dispatchDeps, heartbeats: Boolean(options.heartbeats) }),
    );
    const sweep = () => sweeper({}, lambdaContext('sweeper'));
    poller = new StreamPoller({
      dynamo,
      streams: new DynamoDBStreamsClient({
        endpoint: dynamoEndpoint,
        region: 'eu-west-2',
        credentials: localCredentials,
      }),
      tableName: names.tables[recordsTable.id]!,
      handler: (event) => dispatch(event, lambdaContext('dispatch')),
      filter: alertStreamFilter,
      deadLetters: deadLetters.dispatch,
    });
    await poller.start();

    // The minute schedule, locally: one sweep at a time, as a scheduled Lambda with reserved concurrency 1 would run.
    let sweeping: Promise<unknown> = Promise.resolve();
    const sweepTimer =
      (options.sweepEveryMs ?? 60_000) > 0
        ? setInterval(() => {
            sweeping = sweeping
              .then(sweep)
              .catch((error: Error) => console.error(`[sweeper] ${error.message}`));
          }, options.sweepEveryMs ?? 60_000)
        : undefined;
    sweepTimer?.unref();

    const settleOnce = async () => {
      await custodyQueue.idle();
      await partnerDropQueue.idle();
      await custodyQueue.idle();
      await poller!.caughtUp();
    };
    // With the Notify stand-in, a receipt's callback can page someone, whose receipt can call back again: until quiet.
    const settle = async () => {
      await settleOnce();
      for (let round = 0; notifyStandIn && round < 20; round++) {
        const before = notifyStandIn.callbacks.length + notifyStandIn.requests.length;
        await notifyStandIn.callbacksDone();
        await settleOnce();
        await notifyStandIn.callbacksDone();
        if (notifyStandIn.callbacks.length + notifyStandIn.requests.length === before) break;
      }
    };

    let server: RunningServer;
    const gatehouse: Gatehouse = {
      url: '',
      env,
      names,
      endpoints: { dynamodb: dynamoEndpoint, s3: s3Endpoint },
      outboxFile,
      identifierKey,
      outbox,
      custodyQueue,
      partnerDropQueue,
      deadLetters,
      queues: {
        'custody-events': { queue: custodyQueue, deadLetters: deadLetters.custody },
        'partner-drops': { queue: partnerDropQueue, deadLetters: deadLetters.partnerDrops },
      },
      clock,
      sweep,
      saveRota: (entries) =>
        dynamoRotaStore(dynamoDocuments(env), names.tables[recordsTable.id]!).save(entries),
      settle,
      ...(hmpps ? { hmpps } : {}),
      ...(notifyStandIn ? { notify: notifyStandIn } : {}),
      async stop() {
        clearInterval(sweepTimer);
        await sweeping;
        await server?.close();
        custodyQueue.stop();
        partnerDropQueue.stop();
        await poller!.stop();
        dynamo.destroy();
        s3.destroy();
        await stopAll();
      },
    };
    server = await startServer(gatehouse, options.port ?? 3000);
    gatehouse.url = server.url;
    env[envNames.publicBaseUrl] = dispatchDeps.links.baseUrl = givenBaseUrl ?? server.url;
    notifyStandIn?.callbackTo(server.url, env.NOTIFY_CALLBACK_TOKEN ?? localCallbackToken);
    return gatehouse;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Like the stack's generated secret: one random key per store, kept beside the data so a restart finds the same
 * alerts, and gone with `--fresh`, so two fresh starts never share ids.
 */
function localIdentifierKey(dataDir: string): string {
  const file = join(dataDir, 'identifier.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32).toString('base64url');
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    return key;
  }
}

/** The bearer token the local Notify stand-in calls back with (in AWS: the NotifyCallbackToken secret). */
const localCallbackToken = 'local-only-notify-callback-token-not-a-secret';

/** Local Notify template ids, one per template name, unless the routing brings its own. */
function withLocalTemplates(routing: RoutingConfigInput): RoutingConfigInput {
  if (routing.notifyTemplates) return routing;
  const ids = Object.fromEntries(
    templateNames.map((name, i) => [name, `10ca1000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`]),
  );
  return { ...routing, notifyTemplates: { sms: ids, email: ids } };
}

/**
 * With the Notify stand-in, SMS and e-mail go through it (accepted, then a receipt by callback), and each message it
 * accepted is shown in the local outbox too, so `GET /alerts` and the demo list every message as before.
 */
function localChannels(channels: Channels, shown: Channel | undefined): Channels {
  if (!shown) return channels;
  const shownToo = (notify: Channel): Channel => ({
    name: notify.name,
    async send(message) {
      const accepted = await notify.send(message);
      await shown.send(message);
      return accepted;
    },
  });
  return { ...channels, sms: shownToo(channels.sms), email: shownToo(channels.email) };
}

function webhookContacts(routing: RoutingConfigInput): string[] {
  return Object.values(routing.areas).flatMap((area) =>
    area.contacts.filter((c) => c.channel === 'webhook').map((c) => c.id),
  );
}

async function own<T extends RunningEmulator>(owned: RunningEmulator[], starting: Promise<T>): Promise<T> {
  const emulator = await starting;
  owned.push(emulator);
  return emulator;
}
