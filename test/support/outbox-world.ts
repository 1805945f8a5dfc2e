/**
 * Dispatch and the sweeper as Lambda runs them, against fresh tables on the shared DynamoDB Local, with no
 * stream poller: the test is the stream, so it can kill a dispatcher mid-send or retry a record when it likes.
 * The channel is a stand-in whose behaviour for each next send the test queues up (hang, time out, fail).
 */
import '#local/environment';
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoDeliveryStore } from '#adapters/dynamodb/delivery-store';
import { dynamoNoticeOutbox } from '#adapters/dynamodb/notice-outbox';
import { dynamoRotaStore } from '#adapters/dynamodb/rota-store';
import { dynamoRotaGapWarnings } from '#adapters/dynamodb/rota-gap-warnings';
import { dynamoDigestReader, dynamoScheduleReader } from '#adapters/dynamodb/sweep-sources';
import { dynamoDocuments } from '#commons/clients';
import { openAlert, type Alert, type AlertDraft } from '#domain/alerts';
import { englandAndWales } from '#domain/calendar';
import { parseRoutingConfig } from '#domain/routing';
import {
  DeliveryError,
  type Channel,
  type DispatchDependencies,
  type OutgoingMessage,
} from '#use-cases/dispatch-alert';
import { sweep } from '#use-cases/sweep';
import { localCredentials } from '#local/emulators';
import { provisionTables, resourceNames } from '#local/provision';
import { localRouting } from '#local/routing';
import { manualClock } from './clock';

/** What the stand-in does with one send: accept it, never answer (the dispatcher is killed), time out, or answer with a status. */
export type SendPlan = 'ok' | 'hang' | 'timeout' | number;

export interface ScriptedChannel extends Channel {
  /** Messages the provider accepted, in order. */
  accepted: OutgoingMessage[];
  /** Every send that reached the provider, whatever became of it. */
  calls: OutgoingMessage[];
  plan(...next: SendPlan[]): void;
  /** Resolves when a send is hanging (the dispatcher holding it is as good as dead). */
  hanging(): Promise<void>;
}

export function scriptedChannel(
  clock: ReturnType<typeof manualClock>,
  attemptTimeoutMs: number,
): ScriptedChannel {
  const queue: SendPlan[] = [];
  let hung: () => void = () => undefined;
  let hangingNow = new Promise<void>((resolve) => (hung = resolve));
  const channel: ScriptedChannel = {
    name: 'govuk-notify',
    accepted: [],
    calls: [],
    plan: (...next) => queue.push(...next),
    hanging: () => hangingNow,
    async send(message) {
      channel.calls.push(message);
      const what = queue.shift() ?? 'ok';
      if (what === 'hang') {
        hung();
        hangingNow = new Promise<void>((resolve) => (hung = resolve));
        return new Promise(() => undefined);
      }
      if (what === 'timeout') {
        clock.advance(attemptTimeoutMs / 60_000);
        throw new DeliveryError(
          `GOV.UK Notify could not be reached: timeout of ${attemptTimeoutMs}ms exceeded`,
          false,
        );
      }
      if (typeof what === 'number')
        throw new DeliveryError(`GOV.UK Notify answered ${what}`, !(what === 429 || what >= 500), what);
      channel.accepted.push(message);
      return { providerRef: `notify-${channel.accepted.length}` };
    },
  };
  return channel;
}

export async function outboxWorld(start: string) {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  });
  const names = resourceNames(`o${randomBytes(4).toString('hex')}`);
  const dynamo = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'eu-west-2',
    credentials: localCredentials,
  });
  await provisionTables(dynamo, names);
  dynamo.destroy();
  const client = dynamoDocuments();
  const records = names.tables.Records!;
  const tables = { records, aggregates: names.tables.Aggregates! };
  const clock = manualClock(start);
  const routing = parseRoutingConfig(localRouting);
  const attemptTimeoutMs = 5500;
  // A fresh identifier key per world, as each deployment has its own.
  const idKey = randomBytes(32).toString('hex');
  const channel = scriptedChannel(clock, attemptTimeoutMs);
  const dispatch: DispatchDependencies = {
    alerts: dynamoAlertStore(client, tables),
    deliveries: dynamoDeliveryStore(client, records),
    outbox: dynamoNoticeOutbox(client, records),
    rota: dynamoRotaStore(client, records),
    routing,
    channels: { sms: channel, email: channel, webhook: channel },
    links: {
      baseUrl: 'http://gatehouse.test',
      keys: { current: '1', keys: { '1': 'a-test-only-link-signing-key-of-some-length' } },
    },
    numberKey: idKey,
    retry: { attempts: 4, backoffMs: 500, attemptTimeoutMs },
    clock,
    // Backoff passes on the test's clock, not the wall clock.
    backoff: { sleep: async (ms) => void clock.advance(ms / 60_000), random: () => 0.5 },
  };
  const sweepNow = (deadline?: number) =>
    sweep({
      alerts: dispatch.alerts,
      schedules: dynamoScheduleReader(client, records),
      digests: dynamoDigestReader(client, records),
      routing,
      calendar: englandAndWales,
      retentionDays: 30,
      idKey,
      clock,
      resend: { outbox: dispatch.outbox, dispatch },
      rota: dispatch.rota,
      rotaGapWarnings: dynamoRotaGapWarnings(client, records),
      ...(deadline !== undefined ? { deadline } : {}),
    });

  return {
    clock,
    channel,
    dispatch,
    routing,
    sweep: sweepNow,
    rota: dynamoRotaStore(client, records),
    async raise(draft: AlertDraft): Promise<Alert> {
      const alert = openAlert(draft, clock(), routing, idKey);
      await dispatch.alerts.raise(alert, Math.floor(clock().getTime() / 1000) + 86_400);
      return alert;
    },
    async notice(alertId: string, key: string) {
      return (
        await client.send(
          new GetCommand({
            TableName: records,
            Key: { pk: `ALERT#${alertId}`, sk: `NOTICE#${key}` },
            ConsistentRead: true,
          }),
        )
      ).Item;
    },
    async deliveries(alertId: string) {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: records,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
          ExpressionAttributeValues: { ':pk': `ALERT#${alertId}`, ':d': 'DELIVERY#' },
          ConsistentRead: true,
        }),
      );
      return Items ?? [];
    },
    /** A rota-gap warning's outbox item (use-cases/warn-rota-gaps.ts). */
    async rotaGapWarning(warningId: string) {
      return (
        await client.send(
          new GetCommand({
            TableName: records,
            Key: { pk: `ROTAGAP#${warningId}`, sk: 'WARNING' },
            ConsistentRead: true,
          }),
        )
      ).Item;
    },
    async alert(alertId: string) {
      return dispatch.alerts.load(alertId);
    },
    /** How many times the provider accepted each (notice, recipient) of an alert. */
    acceptedFor(alertId: string): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const m of channel.accepted.filter((m) => m.alertId === alertId))
        counts[`${m.notice} ${m.recipient.id}`] = (counts[`${m.notice} ${m.recipient.id}`] ?? 0) + 1;
      return counts;
    },
  };
}

let people = 0;

/** A referral to Darlington's accommodation and recovery services: two recipients. */
export function referralDraft(caseRef = `GH-TEST-${String(++people).padStart(4, '0')}`): AlertDraft {
  return {
    kind: 'REFERRAL',
    dedupKey: `REFERRAL|${caseRef}|2025-06-13|services:E06000005`,
    recipientGroup: 'services:E06000005',
    urgency: 'HIGH',
    caseRef,
    prisonId: 'DMI',
    localAuthority: 'E06000005',
    releasedAt: '2025-06-13T14:40:00Z',
    flags: {
      unplanned: true,
      lateWeek: true,
      lateDay: false,
      nonWorkingDay: false,
      noFixedAbode: true,
      noAftercarePlan: false,
      bankHolidaysUnknown: false,
    },
    reasons: ['Unplanned release'],
    needs: ['DRUGS_AND_ALCOHOL'],
  };
}
