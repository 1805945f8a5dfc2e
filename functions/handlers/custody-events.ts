/**
 * λ custody-events: an SQS batch of custody events and HMPPS domain events (bare or SNS-wrapped) → record each exactly once.
 * A record that fails goes back to the queue (ReportBatchItemFailures); one that can never be valid goes
 * straight to the dead-letter queue with its reason.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseCustodyMessage } from '#events/custody-message';
import { describe } from '#events/validation';
import { lambdaHandler, loggingFailures } from '#commons/lambda';
import { logger, metrics } from '#commons/powertools';
import type { RejectedMessages } from '#adapters/rejected-messages';
import { bankHolidaysRefreshCommand } from '#domain/calendar';
import { bankHolidayMetrics } from '#commons/operations-metrics';
import { recordCustodyEvent, type RecordDependencies } from '#use-cases/record-custody-event';
import type { HeartbeatStore } from '#use-cases/alert-ports';
import { rereadReleaseDates } from '#use-cases/reread-release-dates';
import type { PrisonerSearchPort } from '#use-cases/release-facts-ports';

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
      logger.warn('custody message rejected', {
        messageId: message.messageId,
        reason: describe(parsed.errors),
      });
      await deps.rejected.keep({ messageId: message.messageId, body: message.body, errors: parsed.errors });
      metrics.addMetric('CustodyEventsRejected', MetricUnit.Count, 1);
      return;
    }
    if (parsed.event.eventType === 'release.dates-changed') {
      // The event says only that the dates changed: they are re-read from Prisoner Search (when fetching is on).
      if (!deps.releaseDates) {
        logger.warn('release dates changed, but HMPPS fetching is off (HMPPS_AUTH_URL unset): not re-read', {
          eventId: parsed.event.eventId,
        });
        metrics.addMetric('ReleaseDatesNotReread', MetricUnit.Count, 1);
        return;
      }
      const reread = await rereadReleaseDates(parsed.event, parsed.source, {
        ...deps.record,
        prisonerSearch: deps.releaseDates,
      });
      await deps.heartbeats?.seen('hmpps-events', deps.record.clock().toISOString());
      logger.info('release dates re-read', {
        eventId: parsed.event.eventId,
        outcome: reread.outcome,
        ...('caseRef' in reread ? { caseRef: reread.caseRef } : {}),
      });
      return;
    }
    const movement = 'movement' in parsed.event ? parsed.event.movement : undefined;
    const result = await recordCustodyEvent(parsed.event, parsed.source, deps.record);
    if (parsed.source.startsWith('hmpps:'))
      await deps.heartbeats?.seen('hmpps-events', deps.record.clock().toISOString());
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
      logger.warn('HMPPS movement recorded for review', {
        eventId: result.eventId,
        reason: movement.reason,
        code: movement.code,
        kind: movement.kind,
      });
      metrics.addMetric('MovementsForReview', MetricUnit.Count, 1);
    }
    metrics.addMetric(
      result.outcome === 'duplicate' ? 'CustodyEventsDuplicate' : 'CustodyEventsRecorded',
      MetricUnit.Count,
      1,
    );
    if (result.alertIds.length > 0)
      metrics.addMetric('AlertsRaised', MetricUnit.Count, result.alertIds.length);
    if (result.bankHolidaysUnknown) {
      logger.warn('release on a day whose bank holidays are not loaded: classified as possibly non-working', {
        eventId: result.eventId,
        caseRef: result.caseRef,
        refresh: bankHolidaysRefreshCommand,
      });
      metrics.addMetric(bankHolidayMetrics.releasesOutsideCoverage, MetricUnit.Count, 1);
    }
  };

  return lambdaHandler(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(
        event,
        loggingFailures((m: SQSRecord) => m.messageId, recordMessage),
        processor,
        { context },
      ),
  );
}
