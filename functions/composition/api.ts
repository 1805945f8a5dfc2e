/** Composition of λ api: its dependencies from an environment (process.env in Lambda) and the host's clock. */
import { lazily } from '#commons/lambda';
import { apiHandler } from '#handlers/api';
import { awsClients, type Environment } from '#commons/clients';
import { alertSettingsFromEnvironment, runtimeConfig } from '#adapters/config';
import { auditTable } from '#commons/resources';
import { loadLinkKeys } from '#adapters/alert-secrets';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoAggregateReader } from '#adapters/dynamodb/aggregate-reader';
import { dynamoReleaseStore } from '#adapters/dynamodb/release-store';
import { dynamoCaseReadAudit } from '#adapters/dynamodb/audit-store';
import { dynamoTimelineReader } from '#adapters/dynamodb/alert-timeline';
import type { AcknowledgeDependencies } from '#use-cases/acknowledge-alert';
import type { ApiDependencies } from '#handlers/api-routes';
import { wallClock, type Host } from './host';

/** Bounded: a warm container re-reads the link keys every few minutes, so a rotation reaches it. */
const keysMaxAgeMs = 5 * 60_000;

export function composeApi(env: Environment, host: Pick<Host, 'clock'> = {}): ApiDependencies {
  const clock = host.clock ?? wallClock;
  const config = runtimeConfig(env);
  const clients = awsClients(env);
  const client = clients.dynamoDocuments;
  const tables = { records: config.recordsTable, aggregates: config.aggregatesTable };
  if (!config.auditTable)
    throw new Error(
      `${auditTable.envVar} is not set: case reads could not be audited, so none would be answered`,
    );
  let acknowledgements: { at: number; value: Promise<AcknowledgeDependencies> } | undefined;
  return {
    releases: dynamoReleaseStore(client, tables),
    audit: dynamoCaseReadAudit(client, config.auditTable, config.auditRetentionDays),
    aggregates: dynamoAggregateReader(client, config.aggregatesTable),
    acknowledgements: () => {
      if (!acknowledgements || Date.now() - acknowledgements.at > keysMaxAgeMs) {
        const value = loadLinkKeys(env, () => clients.secrets).then((linkKeys) => ({
          alerts: dynamoAlertStore(client, tables, config.retentionDays),
          linkKeys,
          settings: alertSettingsFromEnvironment(env),
          clock,
        }));
        const entry = { at: Date.now(), value };
        value.catch(() => {
          if (acknowledgements === entry) acknowledgements = undefined;
        });
        acknowledgements = entry;
      }
      return acknowledgements.value;
    },
    clock,
    timelines: dynamoTimelineReader(client, config.recordsTable),
  };
}

/** The Lambda entry: built on the first invocation. */
export const handler = lazily(() => apiHandler(composeApi(process.env)));
