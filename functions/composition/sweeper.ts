/** Composition of λ sweeper: its dependencies from an environment (process.env in Lambda) and the host's few choices. */
import { rebuiltEvery5Minutes } from '#handlers/sweeper';
import * as z from 'zod';
import { awsClients, type Environment } from '#commons/clients';
import { routingFromEnvironment, runtimeConfig } from '#adapters/config';
import { envNames } from '#commons/env-names';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoHeartbeats } from '#adapters/dynamodb/heartbeats';
import { dynamoDigestReader, dynamoFactsDue, dynamoScheduleReader } from '#adapters/dynamodb/sweep-sources';
import { recheckReleaseFacts } from '#use-cases/recheck-release-facts';
import { recordDependencies } from './custody-events';
import { identifierKey, routingFromSecret } from '#adapters/secrets';
import { englandAndWales } from '#domain/calendar';
import { defaultExpectations, feedExpectationSchema, type FeedExpectation } from '#domain/heartbeats';
import type { DispatchDependencies } from '#use-cases/dispatch-alert';
import type { SweepDependencies } from '#use-cases/sweep';
import { loadNotifyApiKey } from '#adapters/alert-secrets';
import { notifyClient, notifyReceiptSource } from '#adapters/channels/notify';
import { dynamoRotaGapWarnings } from '#adapters/dynamodb/rota-gap-warnings';
import { composeDispatch, notifyTimeoutMs } from './dispatch';
import { wallClock, type Host } from './host';

export interface SweeperHost extends Host {
  /** The dispatch dependencies the outbox is sent with; composed from the same environment unless the host shares its own. */
  dispatch?: DispatchDependencies;
  /** Whether feeds are checked for silence (HEARTBEATS); the local runtime checks them only when asked. */
  heartbeats?: boolean;
}

/** Sweeping without sending: the stores, the routing and the rules. */
export function sweepDependencies(
  env: Environment,
  idKey: string,
  clock: () => Date = wallClock,
): SweepDependencies {
  const config = runtimeConfig(env);
  const client = awsClients(env).dynamoDocuments;
  // With HMPPS_AUTH_URL set, releases waiting for HMPPS's facts are asked for again (the same port as custody-events).
  const record = recordDependencies(env, idKey, clock);
  const releaseFacts = record.releaseFacts;
  return {
    ...(releaseFacts
      ? {
          facts: {
            due: dynamoFactsDue(client, config.recordsTable).due,
            recheck: (pn: string) => recheckReleaseFacts(pn, { ...record, releaseFacts }),
          },
        }
      : {}),
    alerts: dynamoAlertStore(
      client,
      { records: config.recordsTable, aggregates: config.aggregatesTable },
      config.retentionDays,
    ),
    schedules: dynamoScheduleReader(client, config.recordsTable),
    digests: dynamoDigestReader(client, config.recordsTable),
    routing: routingFromEnvironment(env),
    calendar: englandAndWales,
    retentionDays: config.retentionDays,
    idKey,
    clock,
    heartbeats: {
      store: dynamoHeartbeats(client, config.recordsTable),
      expectations: heartbeatExpectations(env),
    },
    rotaGapWarnings: dynamoRotaGapWarnings(client, config.recordsTable),
  };
}

/** The sweeper sends from the outbox with dispatch's own dependencies (channels, secrets, links, rota). */
export async function composeSweeper(given: Environment, host: SweeperHost = {}): Promise<SweepDependencies> {
  const clients = awsClients(given);
  const env = await routingFromSecret(given, () => clients.secrets);
  const dispatch = host.dispatch ?? (await composeDispatch(env, host));
  const { heartbeats, ...sweep } = sweepDependencies(
    env,
    await identifierKey(env, () => clients.secrets),
    host.clock,
  );
  const receipts = await receiptPolling(env, () => clients.secrets);
  return {
    ...sweep,
    ...(host.heartbeats === false ? {} : { heartbeats }),
    resend: { outbox: dispatch.outbox, dispatch },
    rota: dispatch.rota,
    ...(receipts ? { receipts } : {}),
  };
}

/**
 * NOTIFY_RECEIPTS=poll (a stage whose Notify service cannot call back, infra/config/stages.ts `notifyReceipts`):
 * the sweeper asks Notify about messages still SENT NOTIFY_POLL_AFTER_MINUTES (default 3) after they were accepted.
 * Without a Notify key nothing goes to Notify, so there is nothing to ask about.
 */
export async function receiptPolling(
  env: Environment,
  secrets: Parameters<typeof loadNotifyApiKey>[1],
): Promise<SweepDependencies['receipts']> {
  const mode = env[envNames.notifyReceipts] ?? 'callbacks';
  if (mode !== 'poll' && mode !== 'callbacks')
    throw new Error(
      `${envNames.notifyReceipts} is '${mode}': expected 'callbacks' (Notify calls back) or 'poll' (the sweeper asks Notify)`,
    );
  if (mode === 'callbacks') return undefined;
  const given = env[envNames.notifyPollAfterMinutes];
  const afterMinutes = Number(given ?? 3);
  if (!Number.isInteger(afterMinutes) || afterMinutes < 1)
    throw new Error(
      `${envNames.notifyPollAfterMinutes} is '${given}': expected a whole number of minutes, at least 1`,
    );
  const notifyApiKey = await loadNotifyApiKey(env, secrets);
  if (!notifyApiKey) return undefined;
  return {
    source: notifyReceiptSource(
      notifyClient(notifyApiKey, env[envNames.notifyBaseUrl] || undefined, notifyTimeoutMs(env)),
    ),
    afterMinutes,
  };
}

/** HEARTBEATS: a JSON list of feed expectations (domain/heartbeats.ts); HMPPS events in working hours by default. */
export function heartbeatExpectations(env: Environment): FeedExpectation[] {
  const json = env[envNames.heartbeats];
  if (!json) return defaultExpectations;
  const parsed = z.array(feedExpectationSchema).safeParse(JSON.parse(json));
  if (!parsed.success)
    throw new Error(
      `${envNames.heartbeats} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The Lambda entry: built on the first invocation. */
// Rebuilt every five minutes, so rotated keys reach a warm container; the once-a-day warnings are kept across rebuilds.
export const handler = rebuiltEvery5Minutes(() => composeSweeper(process.env));
