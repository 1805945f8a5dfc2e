/**
 * λ custody-events: an SQS batch of custody events and HMPPS domain events (bare or SNS-wrapped) → record each exactly once.
 * A record that fails goes back to the queue (ReportBatchItemFailures); one that can never be valid goes
 * straight to the dead-letter queue with its reason.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseCustodyMessage } from '../../events/custody-message';
import { describe } from '../../events/validation';
import { dynamoDocuments, secretsClient, sqsClient } from '../commons/clients';
import { routingFromEnvironment, runtimeConfig, type RuntimeConfig } from '../commons/config';
import { lambdaHandler, lazilyAsync, loggingFailures } from '../commons/lambda';
import { logger, metrics } from '../commons/powertools';
import { dynamoReleaseStore } from '../adapters/dynamodb/release-store';
import { deadLetterQueue, type RejectedMessages } from '../adapters/rejected-messages';
import { identifierKey, routingFromSecret } from '../adapters/secrets';
import { bankHolidaysRefreshCommand, englandAndWales } from '../domain/calendar';
import { bankHolidayMetrics } from '../commons/operations-metrics';
import { recordCustodyEvent, type RecordDependencies } from '../use-cases/record-custody-event';
import type { HeartbeatStore } from '../use-cases/alert-ports';
import { dynamoHeartbeats } from '../adapters/dynamodb/heartbeats';
import { sharedReleaseFactsSources } from '../adapters/hmpps/release-facts-sources';
import { factsWaitFromEnvironment } from '../adapters/hmpps/config';
import { postcodeAreas } from '../commons/postcode-areas';
import { fetchReleaseFacts } from '../use-cases/fetch-release-facts';
import { rereadReleaseDates } from '../use-cases/reread-release-dates';
import type { PrisonerSearchPort } from '../use-cases/release-facts-ports';

export interface CustodyEventsDependencies {
  record: RecordDependencies;
  rejected: RejectedMessages;
  /** Records that HMPPS events arrive (domain/heartbeats.ts); the sweeper notices when they stop. */
  heartbeats?: HeartbeatStore;
  /** Prisoner Search, to re-read release dates when calculate-release-dates says they changed. */
  releaseDates?: PrisonerSearchPort;
}

export function custodyEventsHandler(deps: CustodyEventsDependencies) {
  const processor = new BatchProcessor(EventType.SQS);

  const recordMessage = async (message: SQSRecord): Promise<void> => {
    const parsed = parseCustodyMessage(message.body, deps.record.idKey);
    if (!parsed.ok) {
      logger.warn('custody message rejected', { messageId: message.messageId, reason: describe(parsed.errors) });
      await deps.rejected.keep({ messageId: message.messageId, body: message.body, errors: parsed.errors });
      metrics.addMetric('CustodyEventsRejected', MetricUnit.Count, 1);
      return;
    }
    if (parsed.event.eventType === 'release.dates-changed') {
      // The event says only that the dates changed: they are re-read from Prisoner Search (when fetching is on).
      if (!deps.releaseDates) {
        logger.warn('release dates changed, but HMPPS fetching is off (HMPPS_AUTH_URL unset): not re-read', { eventId: parsed.event.eventId });
        metrics.addMetric('ReleaseDatesNotReread', MetricUnit.Count, 1);
        return;
      }
      const reread = await rereadReleaseDates(parsed.event, parsed.source, { ...deps.record, prisonerSearch: deps.releaseDates });
      await deps.heartbeats?.seen('hmpps-events', deps.record.clock().toISOString());
      logger.info('release dates re-read', { eventId: parsed.event.eventId, outcome: reread.outcome, ...('caseRef' in reread ? { caseRef: reread.caseRef } : {}) });
      return;
    }
    const movement = 'movement' in parsed.event ? parsed.event.movement : undefined;
    const result = await recordCustodyEvent(parsed.event, parsed.source, deps.record);
    if (parsed.source.startsWith('hmpps:')) await deps.heartbeats?.seen('hmpps-events', deps.record.clock().toISOString());
    logger.info('custody event recorded', {
      eventId: result.eventId,
      eventType: parsed.event.eventType,
      source: parsed.source,
      outcome: result.outcome,
      transition: result.transition,
      caseRef: result.caseRef,
      movement: movement?.reason,
      movementKind: movement?.kind,
      late: result.late,
      facts: result.facts,
      alerts: result.alertIds.length,
    });
    if (movement?.reviewNeeded && result.outcome === 'recorded') {
      // The code and the kind are NOMIS reference data, not personal data: they tell the operator what to look up.
      logger.warn('HMPPS movement recorded for review', { eventId: result.eventId, reason: movement.reason, code: movement.code, kind: movement.kind });
      metrics.addMetric('MovementsForReview', MetricUnit.Count, 1);
    }
    metrics.addMetric(result.outcome === 'duplicate' ? 'CustodyEventsDuplicate' : 'CustodyEventsRecorded', MetricUnit.Count, 1);
    if (result.alertIds.length > 0) metrics.addMetric('AlertsRaised', MetricUnit.Count, result.alertIds.length);
    if (result.bankHolidaysUnknown) {
      logger.warn('release on a day whose bank holidays are not loaded: classified as possibly non-working', { eventId: result.eventId, caseRef: result.caseRef, refresh: bankHolidaysRefreshCommand });
      metrics.addMetric(bankHolidayMetrics.releasesOutsideCoverage, MetricUnit.Count, 1);
    }
  };

  return lambdaHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, loggingFailures((m: SQSRecord) => m.messageId, recordMessage), processor, { context }),
  );
}

export function recordDependencies(config: RuntimeConfig, idKey: string, env: NodeJS.ProcessEnv = process.env, clock: () => Date = () => new Date()): RecordDependencies {
  return {
    ...releaseFactsDependencies(env, clock),
    store: dynamoReleaseStore(dynamoDocuments(), { records: config.recordsTable, aggregates: config.aggregatesTable }),
    rules: { calendar: englandAndWales, lateDayFrom: config.lateDayFrom },
    routing: routingFromEnvironment(),
    scope: config.scope,
    scheduleWindowDays: config.scheduleWindowDays,
    retentionDays: config.retentionDays,
    idKey,
    clock,
  };
}

export function releaseDatesDependency(env: NodeJS.ProcessEnv): Pick<CustodyEventsDependencies, 'releaseDates'> {
  const sources = sharedReleaseFactsSources(env);
  return sources ? { releaseDates: sources.prisonerSearch } : {};
}

/** With HMPPS_AUTH_URL set, HMPPS releases have their facts fetched (one token and breakers per container). */
export function releaseFactsDependencies(env: NodeJS.ProcessEnv, clock: () => Date): Pick<RecordDependencies, 'releaseFacts' | 'factsWait'> {
  const sources = sharedReleaseFactsSources(env);
  if (!sources) return {};
  return {
    releaseFacts: (prisonNumber, circumstances) => fetchReleaseFacts(prisonNumber, circumstances, { sources, areas: postcodeAreas(), clock }),
    factsWait: factsWaitFromEnvironment(env),
  };
}

/** Wiring for AWS: everything from the environment, built on the first invocation. */
export async function dependenciesFromEnvironment(): Promise<CustodyEventsDependencies> {
  const config = runtimeConfig();
  if (!config.custodyDeadLetterQueueUrl) throw new Error('CUSTODY_DLQ_URL is not set: rejected messages would have nowhere to go');
  return {
    record: recordDependencies(config, await identifierKey(process.env, secretsClient)),
    rejected: deadLetterQueue(sqsClient(), config.custodyDeadLetterQueueUrl, 'custody-events'),
    heartbeats: dynamoHeartbeats(dynamoDocuments(), config.recordsTable),
    ...releaseDatesDependency(process.env),
  };
}

export const handler = lazilyAsync(async () => {
  await routingFromSecret(process.env, secretsClient);
  return custodyEventsHandler(await dependenciesFromEnvironment());
});
