/** Composition of λ notify-callbacks: its dependencies from an environment (process.env in Lambda) and the host's clock. */
import { lazily } from '#commons/lambda';
import { httpHandler } from '#handlers/http';
import { notifyCallbackRoutes } from '#handlers/notify-callbacks';
import { awsClients, type Environment } from '#commons/clients';
import { routingFromEnvironment, runtimeConfig } from '#adapters/config';
import { loadAlertSecrets, loadNotifyCallbackToken } from '#adapters/alert-secrets';
import { identifierKey, routingFromSecret } from '#adapters/secrets';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoDeliveryStore } from '#adapters/dynamodb/delivery-store';
import type { CallbackDependencies } from '#handlers/notify-callbacks';
import { channelsFor } from './dispatch';
import { wallClock, type Host } from './host';

/** Bounded, as in dispatch and api: a rotated token or key reaches a warm container within five minutes. */
const maxAgeMs = 5 * 60_000;

/** Built on first use (the token and keys come from Secrets Manager), and again once five minutes old. */
export function composeNotifyCallbacks(
  given: Environment,
  host: Pick<Host, 'clock'> = {},
): () => Promise<CallbackDependencies> {
  const clock = host.clock ?? wallClock;
  const clients = awsClients(given);
  const secretsManager = () => clients.secrets;
  const build = async (): Promise<CallbackDependencies> => {
    const env = await routingFromSecret(given, secretsManager);
    const config = runtimeConfig(env);
    const [secrets, token, numberKey] = await Promise.all([
      loadAlertSecrets(env, secretsManager),
      loadNotifyCallbackToken(env, secretsManager),
      identifierKey(env, secretsManager),
    ]);
    const alerts = dynamoAlertStore(
      clients.dynamoDocuments,
      { records: config.recordsTable, aggregates: config.aggregatesTable },
      config.retentionDays,
    );
    const deliveries = dynamoDeliveryStore(
      clients.dynamoDocuments,
      config.recordsTable,
      config.retentionDays,
    );
    const routing = routingFromEnvironment(env);
    return {
      ...(token ? { token } : {}),
      receipts: { alerts, deliveries, clock },
      // The same key dispatch remembered the paged numbers under: the deployment's identifier key.
      replies: {
        alerts,
        deliveries,
        numberKey,
        settings: routing,
        channels: channelsFor(secrets, routing, env, undefined, clock),
        clock,
      },
    };
  };
  let built: { at: number; value: Promise<CallbackDependencies> } | undefined;
  return () => {
    if (!built || Date.now() - built.at > maxAgeMs) {
      const entry = { at: Date.now(), value: build() };
      entry.value.catch(() => {
        if (built === entry) built = undefined;
      });
      built = entry;
    }
    return built.value;
  };
}

/** The Lambda entry: built on the first invocation. */
export const handler = lazily(() => httpHandler(notifyCallbackRoutes(composeNotifyCallbacks(process.env))));
