/** Composition of λ dispatch: its dependencies from an environment (process.env in Lambda) and the host's few choices. */
import { lazilyAsync } from '#commons/lambda';
import { dispatchHandler } from '#handlers/dispatch';
import { awsClients, type Environment } from '#commons/clients';
import { routingFromEnvironment, runtimeConfig } from '#adapters/config';
import { envNames } from '#commons/env-names';
import { realBackoff } from '#commons/retry';
import { loadAlertSecrets, type AlertSecrets } from '#adapters/alert-secrets';
import { identifierKey, routingFromSecret } from '#adapters/secrets';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoDeliveryStore } from '#adapters/dynamodb/delivery-store';
import { dynamoNoticeOutbox } from '#adapters/dynamodb/notice-outbox';
import { dynamoRotaStore } from '#adapters/dynamodb/rota-store';
import { localOutbox, type OutboxEntry } from '#adapters/channels/local-outbox';
import { notifyChannel, notifyClient } from '#adapters/channels/notify';
import { webhookChannel } from '#adapters/channels/webhook';
import type { RoutingConfig } from '#domain/routing';
import {
  DeliveryError,
  type Channel,
  type Channels,
  type DispatchDependencies,
} from '#use-cases/dispatch-alert';
import { wallClock, type Host } from './host';

export async function composeDispatch(given: Environment, host: Host = {}): Promise<DispatchDependencies> {
  const clients = awsClients(given);
  const secretsManager = () => clients.secrets;
  const env = await routingFromSecret(given, secretsManager);
  const config = runtimeConfig(env);
  const routing = routingFromEnvironment(env);
  const clock = host.clock ?? wallClock;
  const [secrets, numberKey] = await Promise.all([
    loadAlertSecrets(env, secretsManager),
    identifierKey(env, secretsManager),
  ]);
  const client = clients.dynamoDocuments;
  const baseUrl = env[envNames.publicBaseUrl];
  if (!baseUrl)
    throw new Error(`${envNames.publicBaseUrl} is not set: acknowledge links would point nowhere`);
  return {
    alerts: dynamoAlertStore(
      client,
      { records: config.recordsTable, aggregates: config.aggregatesTable },
      config.retentionDays,
    ),
    deliveries: dynamoDeliveryStore(client, config.recordsTable, config.retentionDays),
    outbox: dynamoNoticeOutbox(client, config.recordsTable),
    rota: dynamoRotaStore(client, config.recordsTable),
    routing,
    channels: (host.channels ?? ((c: Channels) => c))(
      channelsFor(secrets, routing, env, host.onOutboxSent, clock),
    ),
    links: { baseUrl, keys: secrets.linkKeys },
    numberKey,
    retry: {
      attempts: 4,
      backoffMs: host.sendBackoffMs ?? 500,
      attemptTimeoutMs: notifyTimeoutMs(env) + 500,
    },
    backoff: realBackoff,
    clock,
  };
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
  env: Environment,
  onOutboxSent?: (entry: OutboxEntry) => void,
  clock: () => Date = wallClock,
): Channels {
  const outboxFile = env[envNames.outboxFile];
  const outbox = outboxFile ? localOutbox(outboxFile, clock, onOutboxSent) : undefined;
  if (!secrets.notifyApiKey && env[envNames.notifyRequired] === 'true') {
    throw new Error(
      `stage ${env[envNames.stage] ?? '?'} pages people and has no GOV.UK Notify key: put {"apiKey": ...} in the NotifyApiKey secret (docs/operations.md#gov-uk-notify-key); nothing is sent until then, and pending notices wait in the outbox`,
    );
  }
  const notify = secrets.notifyApiKey
    ? notifyChannel(
        notifyClient(secrets.notifyApiKey, env[envNames.notifyBaseUrl] || undefined, notifyTimeoutMs(env)),
        routing.notifyTemplates ?? { sms: {}, email: {} },
      )
    : (outbox ?? unconfigured('govuk-notify', 'no GOV.UK Notify key in the alert secrets'));
  // Locally, webhooks land in the outbox like everything else unless WEBHOOKS_LIVE is set.
  // A live webhook is signed at the wall clock (a transport timestamp the receiver checks against its own), never a
  // story clock. Each receiver has its own signing key (a receiver without one is refused for good, with the reason),
  // so no receiver can sign a message another would accept.
  const webhook = outbox && !env[envNames.webhooksLive] ? outbox : webhookChannel(secrets.webhookKeys);
  return { sms: notify, email: notify, webhook };
}

export function notifyTimeoutMs(env: Environment): number {
  return Number(env[envNames.notifyTimeoutMs] ?? 5000);
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

/** The Lambda entry. */
// Rebuilt every five minutes, so a rotated or withdrawn link or webhook key reaches a warm container.
export const handler = lazilyAsync(async () => dispatchHandler(await composeDispatch(process.env)), {
  maxAgeMs: 5 * 60_000,
});
