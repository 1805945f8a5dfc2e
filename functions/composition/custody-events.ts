/** Composition of λ custody-events: its dependencies from an environment (process.env in Lambda) and the host's few choices. */
import { lazilyAsync } from '#commons/lambda';
import { custodyEventsHandler } from '#handlers/custody-events';
import { awsClients, type Environment } from '#commons/clients';
import { routingFromEnvironment, runtimeConfig } from '#adapters/config';
import { envNames } from '#commons/env-names';
import { dynamoReleaseStore } from '#adapters/dynamodb/release-store';
import { dynamoHeartbeats, oncePerMinute } from '#adapters/dynamodb/heartbeats';
import { deadLetterQueue } from '#adapters/rejected-messages';
import { identifierKey, routingFromSecret } from '#adapters/secrets';
import { englandAndWales } from '#domain/calendar';
import type { RecordDependencies } from '#use-cases/record-custody-event';
import type { CustodyEventsDependencies } from '#handlers/custody-events';
import { sharedReleaseFactsSources } from '#adapters/hmpps/release-facts-sources';
import { factsWaitFromEnvironment } from '#adapters/hmpps/config';
import { postcodeAreas } from '#adapters/postcode-areas';
import { fetchReleaseFacts } from '#use-cases/fetch-release-facts';
import { wallClock, type Host } from './host';

/** Recording a custody event; partner-drop records the events its files carry with the same. */
export function recordDependencies(
  env: Environment,
  idKey: string,
  clock: () => Date = wallClock,
): RecordDependencies {
  const config = runtimeConfig(env);
  return {
    ...releaseFactsDependencies(env, clock),
    store: dynamoReleaseStore(awsClients(env).dynamoDocuments, {
      records: config.recordsTable,
      aggregates: config.aggregatesTable,
    }),
    rules: { calendar: englandAndWales, lateDayFrom: config.lateDayFrom },
    routing: routingFromEnvironment(env),
    scope: config.scope,
    scheduleWindowDays: config.scheduleWindowDays,
    retentionDays: config.retentionDays,
    idKey,
    clock,
  };
}

/** With HMPPS_AUTH_URL set, HMPPS releases have their facts fetched (one token and breakers per container). */
export function releaseFactsDependencies(
  env: Environment,
  clock: () => Date,
): Pick<RecordDependencies, 'releaseFacts' | 'factsWait'> {
  const sources = sharedReleaseFactsSources(env);
  if (!sources) return {};
  return {
    releaseFacts: (prisonNumber, circumstances) =>
      fetchReleaseFacts(prisonNumber, circumstances, { sources, areas: postcodeAreas(), clock }),
    factsWait: factsWaitFromEnvironment(env),
  };
}

/** calculate-release-dates.prisoner.changed carries no dates: they are read again from Prisoner Search. */
export function releaseDatesDependency(env: Environment): Pick<CustodyEventsDependencies, 'releaseDates'> {
  const sources = sharedReleaseFactsSources(env);
  return sources ? { releaseDates: sources.prisonerSearch } : {};
}

export async function composeCustodyEvents(
  given: Environment,
  host: Host = {},
): Promise<CustodyEventsDependencies> {
  const clients = awsClients(given);
  const env = await routingFromSecret(given, () => clients.secrets);
  const config = runtimeConfig(env);
  const rejected = host.rejected ?? dlq(env);
  return {
    record: recordDependencies(env, await identifierKey(env, () => clients.secrets), host.clock),
    rejected,
    heartbeats: oncePerMinute(dynamoHeartbeats(clients.dynamoDocuments, config.recordsTable)),
    ...releaseDatesDependency(env),
  };

  function dlq(env: Environment) {
    const url = env[envNames.custodyDeadLetterQueueUrl];
    if (!url)
      throw new Error(
        `${envNames.custodyDeadLetterQueueUrl} is not set: rejected messages would have nowhere to go`,
      );
    return deadLetterQueue(clients.sqs, url, 'custody-events');
  }
}

/** The Lambda entry: built on the first invocation. */
export const handler = lazilyAsync(async () => custodyEventsHandler(await composeCustodyEvents(process.env)));
