/**
 * λ api: the HTTP API (API Gateway HTTP API in AWS; the local server forwards to it too).
 * Routes live in api-routes.ts; this file maps API Gateway events to them and their answers back.
 */
import { dynamoDocuments, secretsClient } from '../commons/clients';
import { alertSettingsFromEnvironment, runtimeConfig } from '../adapters/config';
import { loadLinkKeys } from '../adapters/alert-secrets';
import { dynamoAlertStore } from '../adapters/dynamodb/alert-store';
import type { AcknowledgeDependencies } from '../use-cases/acknowledge-alert';
import { lazily } from '../commons/lambda';
import { dynamoAggregateReader } from '../adapters/dynamodb/aggregate-reader';
import { dynamoReleaseStore } from '../adapters/dynamodb/release-store';
import { dynamoCaseReadAudit } from '../adapters/dynamodb/audit-store';
import { dynamoTimelineReader } from '../adapters/dynamodb/alert-timeline';
import { apiRoutes, type ApiDependencies } from './api-routes';
import { httpHandler } from './http';

// The HTTP plumbing moved to http.ts (the Notify callbacks function shares it); re-exported for the local server.
export { callerOf, errorName, httpHandler } from './http';

export function apiHandler(deps: ApiDependencies) {
  return httpHandler(apiRoutes(deps));
}

export function apiDependencies(clock: () => Date = () => new Date()): ApiDependencies {
  const config = runtimeConfig();
  const client = dynamoDocuments();
  // Bounded: a warm container re-reads the link keys every few minutes, so a rotation reaches it.
  let acknowledgements: { at: number; value: Promise<AcknowledgeDependencies> } | undefined;
  const keysMaxAgeMs = 5 * 60_000;
  return {
    releases: dynamoReleaseStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }),
    audit: dynamoCaseReadAudit(client, required(config.auditTable, 'AUDIT_TABLE'), config.auditRetentionDays),
    aggregates: dynamoAggregateReader(client, config.aggregatesTable),
    acknowledgements: () => {
      if (!acknowledgements || Date.now() - acknowledgements.at > keysMaxAgeMs) {
        const value = loadLinkKeys(process.env, secretsClient).then((linkKeys) => ({
          alerts: dynamoAlertStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }, config.retentionDays),
          linkKeys,
          settings: alertSettingsFromEnvironment(),
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

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set: case reads could not be audited, so none would be answered`);
  return value;
}

export const handler = lazily(() => apiHandler(apiDependencies()));
