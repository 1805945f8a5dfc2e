/**
 * Deliveries live beside their alert (same partition), one item per step and recipient: the claim that
 * makes sending exactly-once, and the record of every attempt.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryStore } from '../../use-cases/dispatch-alert';

/** A claim older than this is taken to belong to a dispatcher that died mid-send. */
const claimLeaseMs = 5 * 60_000;

export function deliveryKey(alertId: string, step: number, recipient: string) {
  return { pk: `ALERT#${alertId}`, sk: `DELIVERY#${String(step).padStart(3, '0')}#${recipient}` };
}

export function dynamoDeliveryStore(client: DynamoDBDocumentClient, recordsTable: string): DeliveryStore {
  return {
    async claim({ alertId, step, recipient, channel }, now) {
      try {
        await client.send(
          new PutCommand({
            TableName: recordsTable,
            Item: { ...deliveryKey(alertId, step, recipient), entity: 'delivery', alertId, step, recipient, channel, status: 'SENDING', claimedAt: now.toISOString(), attempts: [] },
            // Free, failed before, or abandoned by a dispatcher that died mid-send.
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':failed': 'FAILED', ':sending': 'SENDING', ':stale': new Date(now.getTime() - claimLeaseMs).toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    async record(attempt) {
      const { alertId, step, recipient, ...rest } = attempt;
      await client.send(
        new UpdateCommand({
          TableName: recordsTable,
          Key: deliveryKey(alertId, step, recipient),
          UpdateExpression: 'SET #status = :status, attempts = list_append(if_not_exists(attempts, :none), :attempt), updatedAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': attempt.outcome === 'sent' ? 'SENT' : 'FAILED', ':attempt': [rest], ':none': [], ':at': attempt.at },
        }),
      );
    },
  };
}
