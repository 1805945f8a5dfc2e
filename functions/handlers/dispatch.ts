/**
 * λ dispatch: the records table's stream, filtered to newly raised alerts → send each through its channel.
 * A failed send is reported back (ReportBatchItemFailures) and retried; the stream's failures end in a DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoDocuments, snsClient } from '../commons/clients';
import { runtimeConfig } from '../commons/config';
import { lambdaHandler, lazily } from '../commons/lambda';
import { logger, metrics } from '../commons/powertools';
import { dynamoDeliveryStore } from '../adapters/dynamodb/delivery-store';
import { localOutbox } from '../adapters/channels/local-outbox';
import { snsTopic } from '../adapters/channels/sns-topic';
import type { Alert } from '../domain/alerts';
import { dispatchAlert, type Channel, type DispatchDependencies } from '../use-cases/dispatch-alert';

export function dispatchHandler(deps: DispatchDependencies) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  const dispatchRecord = async (record: DynamoDBRecord): Promise<void> => {
    const image = record.dynamodb?.NewImage;
    if (!image) throw new Error(`stream record ${record.eventID} has no new image: the stream must send NEW_IMAGE`);
    const alert = unmarshall(image as Record<string, AttributeValue>) as Alert;
    let result;
    try {
      result = await dispatchAlert(alert, deps);
    } catch (error) {
      // Recorded on the alert by the use case; counted here for the alarm; thrown so the record is retried.
      metrics.addMetric('AlertDeliveryFailed', MetricUnit.Count, 1);
      throw error;
    }
    logger.info('alert dispatched', { alertId: alert.alertId, step: alert.step, kind: alert.kind, outcome: result.outcome, recipient: result.recipient });
    if (result.outcome === 'sent') metrics.addMetric('AlertsSent', MetricUnit.Count, 1);
  };

  return lambdaHandler(async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, dispatchRecord, processor, { context }),
  );
}

export function channelFromEnvironment(env: NodeJS.ProcessEnv = process.env): Channel {
  if (env.ALERTS_TOPIC_ARN) return snsTopic(snsClient(), env.ALERTS_TOPIC_ARN);
  if (env.OUTBOX_FILE) return localOutbox(env.OUTBOX_FILE);
  throw new Error('no alert channel configured: set ALERTS_TOPIC_ARN (AWS) or OUTBOX_FILE (local)');
}

export const handler = lazily(() =>
  dispatchHandler({
    deliveries: dynamoDeliveryStore(dynamoDocuments(), runtimeConfig().recordsTable),
    channel: channelFromEnvironment(),
    clock: () => new Date(),
  }),
);
