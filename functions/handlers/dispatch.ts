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
import { lambdaHandler } from '#commons/lambda';
import { logger, metrics } from '#commons/powertools';
import type { Notice } from '#domain/alerts';
import { dispatchNotice, type DispatchDependencies } from '#use-cases/dispatch-alert';

export function dispatchHandler(deps: DispatchDependencies) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  let context!: Context;
  const dispatchRecord = async (record: DynamoDBRecord): Promise<void> => {
    const image = record.dynamodb?.NewImage;
    if (!image)
      throw new Error(`stream record ${record.eventID} has no new image: the stream must send NEW_IMAGE`);
    const notice = noticeOf(unmarshall(image as Record<string, AttributeValue>));
    let result: Awaited<ReturnType<typeof dispatchNotice>>;
    try {
      result = await dispatchNotice(notice, {
        ...deps,
        deadline: deps.clock().getTime() + context.getRemainingTimeInMillis() - deadlineMarginMs,
      });
    } catch (error) {
      // Every attempt is recorded on the alert by the use case; counted here for the alarm; thrown so the record is retried.
      metrics.addMetric('AlertDeliveryFailed', MetricUnit.Count, 1);
      throw error;
    }
    logger.info('alert notice dispatched', {
      alertId: notice.alertId,
      purpose: notice.purpose,
      index: notice.index,
      ...result,
    });
    if (result.sent > 0) metrics.addMetric('AlertMessagesSent', MetricUnit.Count, result.sent);
    if (result.rejected > 0) metrics.addMetric('AlertMessagesRejected', MetricUnit.Count, result.rejected);
    if (result.outcome === 'deferred') metrics.addMetric('AlertNoticesDeferred', MetricUnit.Count, 1);
    if (result.outcome === 'undeliverable') {
      // Not thrown: a retry cannot route it, and a failed record would hold up every alert behind it in the shard.
      logger.error('a page reached nobody; the alert moved to its next step', {
        alertId: notice.alertId,
        index: notice.index,
        escalated: result.escalated,
      });
      metrics.addMetric('AlertPagesUndeliverable', MetricUnit.Count, 1);
    }
  };

  return lambdaHandler(
    async (event: DynamoDBStreamEvent, invocation: Context): Promise<DynamoDBBatchResponse> => {
      context = invocation;
      return processPartialResponse(event, dispatchRecord, processor, { context });
    },
  );
}

/** Time kept back from the function's timeout for recording the last attempt and answering the batch. */
const deadlineMarginMs = 3000;

/** A notice item names what to send (an alert's first page is a notice written with it). */
function noticeOf(item: Record<string, unknown>): Notice {
  return {
    alertId: item.alertId as string,
    purpose: item.purpose as Notice['purpose'],
    index: item.index as number,
  };
}
