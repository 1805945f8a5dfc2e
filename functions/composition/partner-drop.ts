/** Composition of λ partner-drop: its dependencies from an environment (process.env in Lambda) and the host's few choices. */
import { lazilyAsync } from '#commons/lambda';
import { partnerDropHandler } from '#handlers/partner-drop';
import { awsClients, type Environment } from '#commons/clients';
import { runtimeConfig } from '#adapters/config';
import { envNames } from '#commons/env-names';
import { partnerDropsBucket } from '#commons/resources';
import { dynamoPartnerFileLedger } from '#adapters/dynamodb/partner-file-ledger';
import { dynamoHeartbeats, oncePerMinute } from '#adapters/dynamodb/heartbeats';
import { deadLetterQueue } from '#adapters/rejected-messages';
import { s3PartnerDropBucket } from '#adapters/s3/partner-drop-bucket';
import { identifierKey, routingFromSecret } from '#adapters/secrets';
import type { IngestDependencies } from '#use-cases/ingest-partner-file';
import { recordCustodyEvent } from '#use-cases/record-custody-event';
import type { PartnerDropDependencies } from '#handlers/partner-drop';
import { recordDependencies } from './custody-events';
import { wallClock, type Host } from './host';

export const defaultMaxFileBytes = 50 * 1024 * 1024;

export function ingestDependencies(
  env: Environment,
  idKey: string,
  clock: () => Date = wallClock,
): IngestDependencies {
  const config = runtimeConfig(env);
  const clients = awsClients(env);
  const record = recordDependencies(env, idKey, clock);
  return {
    bucket: s3PartnerDropBucket(clients.s3, dropsBucket(env)),
    ledger: dynamoPartnerFileLedger(clients.dynamoDocuments, {
      records: config.recordsTable,
      aggregates: config.aggregatesTable,
    }),
    recordEvent: (event, source) => recordCustodyEvent(event, source, record),
    maxBytes: Number(env[envNames.partnerFileMaxBytes] ?? defaultMaxFileBytes),
    retentionDays: config.retentionDays,
    clock,
  };
}

export async function composePartnerDrop(
  given: Environment,
  host: Host = {},
): Promise<PartnerDropDependencies> {
  const clients = awsClients(given);
  const env = await routingFromSecret(given, () => clients.secrets);
  const config = runtimeConfig(env);
  const bucket = dropsBucket(env);
  const rejected = host.rejected ?? dlq();
  return {
    ingest: ingestDependencies(env, await identifierKey(env, () => clients.secrets), host.clock),
    rejected,
    bucket,
    heartbeats: oncePerMinute(dynamoHeartbeats(clients.dynamoDocuments, config.recordsTable)),
  };

  function dlq() {
    const url = env[envNames.partnerDropsDeadLetterQueueUrl];
    if (!url)
      throw new Error(
        `${envNames.partnerDropsDeadLetterQueueUrl} is not set: rejected messages would have nowhere to go`,
      );
    return deadLetterQueue(clients.sqs, url, 'partner-drop');
  }
}

function dropsBucket(env: Environment): string {
  const bucket = env[partnerDropsBucket.envVar];
  if (!bucket)
    throw new Error(
      `${partnerDropsBucket.envVar} is not set: the function cannot find the partner drops bucket`,
    );
  return bucket;
}

/** The Lambda entry: built on the first invocation. */
export const handler = lazilyAsync(async () => partnerDropHandler(await composePartnerDrop(process.env)));
