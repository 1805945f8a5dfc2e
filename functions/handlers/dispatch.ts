/**
 * λ dispatch: the records table's stream, filtered to newly raised alerts and alert notices → send each
 * notice to its recipients. A failed send is reported back (ReportBatchItemFailures) and retried; the
 * stream's failures end in a DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoDocuments, secretsClient } from '../commons/clients';
import { routingFromEnvironment, runtimeConfig } from '../adapters/config';
import { lambdaHandler, lazilyAsync } from '../commons/lambda';
import { logger, metrics } from '../commons/powertools';
import { loadAlertSecrets, type AlertSecrets } from '../adapters/alert-secrets';
import { identifierKey, routingFromSecret } from '../adapters/secrets';
import { dynamoAlertStore } from '../adapters/dynamodb/alert-store';
import { dynamoDeliveryStore } from '../adapters/dynamodb/delivery-store';
import { dynamoNoticeOutbox } from '../adapters/dynamodb/notice-outbox';
import { dynamoRotaStore } from '../adapters/dynamodb/rota-store';
import { localOutbox, type OutboxEntry } from '../adapters/channels/local-outbox';
import { notifyChannel, notifyClient } from '../adapters/channels/notify';
import { webhookChannel } from '../adapters/channels/webhook';
import type { Notice } from '../domain/alerts';
import type { RoutingConfig } from '../domain/routing';
import { DeliveryError, dispatchNotice, type Channel, type Channels, type DispatchDependencies } from '../use-cases/dispatch-alert';

export function dispatchHandler(deps: DispatchDependencies) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  let context!: Context;
  const dispatchRecord = async (record: DynamoDBRecord): Promise<void> => {
    const image = record.dynamodb?.NewImage;
    if (!image) throw new Error(`stream record ${record.eventID} has no new image: the stream must send NEW_IMAGE`);
    const notice = noticeOf(unmarshall(image as Record<string, AttributeValue>));
    let result;
    try {
      result = await dispatchNotice(notice, { ...deps, deadline: deps.clock().getTime() + context.getRemainingTimeInMillis() - deadlineMarginMs });
    } catch (error) {
      // Every attempt is recorded on the alert by the use case; counted here for the alarm; thrown so the record is retried.
      metrics.addMetric('AlertDeliveryFailed', MetricUnit.Count, 1);
      throw error;
    }
    logger.info('alert notice dispatched', { alertId: notice.alertId, purpose: notice.purpose, index: notice.index, ...result });
    if (result.sent > 0) metrics.addMetric('AlertMessagesSent', MetricUnit.Count, result.sent);
    if (result.rejected > 0) metrics.addMetric('AlertMessagesRejected', MetricUnit.Count, result.rejected);
    if (result.outcome === 'deferred') metrics.addMetric('AlertNoticesDeferred', MetricUnit.Count, 1);
    if (result.outcome === 'undeliverable') {
      // Not thrown: a retry cannot route it, and a failed record would hold up every alert behind it in the shard.
      logger.error('a page reached nobody; the alert moved to its next step', { alertId: notice.alertId, index: notice.index, escalated: result.escalated });
      metrics.addMetric('AlertPagesUndeliverable', MetricUnit.Count, 1);
    }
  };

  return lambdaHandler(async (event: DynamoDBStreamEvent, invocation: Context): Promise<DynamoDBBatchResponse> => {
    context = invocation;
    return processPartialResponse(event, dispatchRecord, processor, { context });
  });
}

/** Time kept back from the function's timeout for recording the last attempt and answering the batch. */
const deadlineMarginMs = 3000;

/** A notice item names what to send (an alert's first page is a notice written with it). */
function noticeOf(item: Record<string, unknown>): Notice {
  return { alertId: item.alertId as string, purpose: item.purpose as Notice['purpose'], index: item.index as number };
}

/**
 * Channels by recipient channel: SMS and e-mail through GOV.UK Notify when a key is configured (the local outbox on
 * a laptop), webhooks signed with the webhook key. Without a Notify key SMS and e-mail are refused for good, with
 * the reason: each page then moves to its next step at once and the delivery alarm fires, instead of a message
 * recorded as sent into nothing. A stage that pages people (NOTIFY_REQUIRED) refuses to start without the key.
 */
export function channelsFor(
  secrets: AlertSecrets,
  routing: RoutingConfig,
  env: NodeJS.ProcessEnv = process.env,
  onOutboxSent?: (entry: OutboxEntry) => void,
  clock: () => Date = () => new Date(),
): Channels {
  const outbox = env.OUTBOX_FILE ? localOutbox(env.OUTBOX_FILE, clock, onOutboxSent) : undefined;
  if (!secrets.notifyApiKey && env.NOTIFY_REQUIRED === 'true') {
    throw new Error(`stage ${env.STAGE ?? '?'} pages people and has no GOV.UK Notify key: put {"apiKey": ...} in the NotifyApiKey secret (docs/operations.md#gov-uk-notify-key); nothing is sent until then, and pending notices wait in the outbox`);
  }
  const notify = secrets.notifyApiKey
    ? notifyChannel(notifyClient(secrets.notifyApiKey, env.NOTIFY_BASE_URL || undefined, notifyTimeoutMs(env)), routing.notifyTemplates ?? { sms: {}, email: {} })
    : (outbox ?? unconfigured('govuk-notify', 'no GOV.UK Notify key in the alert secrets'));
  // Locally, webhooks land in the outbox like everything else unless WEBHOOKS_LIVE is set.
  // A live webhook is signed at the wall clock (a transport timestamp the receiver checks against its own), never a
  // story clock. Each receiver has its own signing key (a receiver without one is refused for good, with the reason),
  // so no receiver can sign a message another would accept.
  const webhook = outbox && !env.WEBHOOKS_LIVE ? outbox : webhookChannel(secrets.webhookKeys);
  return { sms: notify, email: notify, webhook };
}

export function notifyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.NOTIFY_TIMEOUT_MS ?? 5000);
}

/** A channel that refuses every message for good, with the reason: the alert moves on and the failure is counted. */
function unconfigured(name: string, why: string): Channel {
  return {
    name,
    send: async () => {
      throw new DeliveryError(`${name} is not configured: ${why}`, true);
    },
  };
}

export async function dispatchDependencies(env: NodeJS.ProcessEnv = process.env): Promise<DispatchDependencies> {
  const config = runtimeConfig(env);
  const routing = routingFromEnvironment(env);
  const [secrets, numberKey] = await Promise.all([loadAlertSecrets(env, secretsClient), identifierKey(env, secretsClient)]);
  const client = dynamoDocuments();
  if (!env.PUBLIC_BASE_URL) throw new Error('PUBLIC_BASE_URL is not set: acknowledge links would point nowhere');
  return {
    alerts: dynamoAlertStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }, config.retentionDays),
    deliveries: dynamoDeliveryStore(client, config.recordsTable, config.retentionDays),
    outbox: dynamoNoticeOutbox(client, config.recordsTable),
    rota: dynamoRotaStore(client, config.recordsTable),
    routing,
    channels: channelsFor(secrets, routing, env),
    links: { baseUrl: env.PUBLIC_BASE_URL, keys: secrets.linkKeys },
    numberKey,
    retry: { attempts: 4, backoffMs: 500, attemptTimeoutMs: notifyTimeoutMs(env) + 500 },
    clock: () => new Date(),
  };
}

// Rebuilt every five minutes, so a rotated or withdrawn link or webhook key reaches a warm container.
export const handler = lazilyAsync(async () => {
  await routingFromSecret(process.env, secretsClient);
  return dispatchHandler(await dispatchDependencies());
}, { maxAgeMs: 5 * 60_000 });
