/**
 * Deliveries live beside their alert (same partition), one item per notice and recipient: the claim that
 * makes sending exactly-once, and the record of every attempt. The item holds the recipient's address so
 * that "acknowledged" and reminders reach exactly the people the alert reached (the records table is the
 * encrypted, personal-data table; the address never goes into logs or metrics).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '../../commons/resources';
import type { Recipient } from '../../domain/routing';
import type { DeliveryStore } from '../../use-cases/dispatch-alert';

/** A claim older than this is taken to belong to a dispatcher that died mid-send. */
const claimLeaseMs = 5 * 60_000;

export function deliveryKey(alertId: string, notice: string, recipientId: string) {
  return { pk: `ALERT#${alertId}`, sk: `DELIVERY#${notice}#${recipientId}` };
}

/** Deliveries hold an address, so they expire with the alert they belong to (retention of case and alert items). */
export function dynamoDeliveryStore(client: DynamoDBDocumentClient, recordsTable: string, retentionDays = 730): DeliveryStore {
  return {
    async claim({ alertId, notice, recipient, channel }, now) {
      try {
        await client.send(
          new PutCommand({
            TableName: recordsTable,
            Item: {
              ...deliveryKey(alertId, notice, recipient.id),
              entity: entity.delivery,
              alertId,
              notice,
              recipient,
              channel,
              status: 'SENDING',
              claimedAt: now.toISOString(),
              attempts: [],
              expiresAt: Math.floor(now.getTime() / 1000) + retentionDays * 86_400,
            },
            // Free, failed for a passing reason before, or abandoned by a dispatcher that died mid-send.
            // SENT and REJECTED (refused for good) are final.
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
      const { alertId, notice, recipientId, ...rest } = attempt;
      const status = { sent: 'SENT', failed: 'FAILED', rejected: 'REJECTED' }[attempt.outcome];
      await client.send(
        new UpdateCommand({
          TableName: recordsTable,
          Key: deliveryKey(alertId, notice, recipientId),
          UpdateExpression: 'SET #status = :status, attempts = list_append(if_not_exists(attempts, :none), :attempt), updatedAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':attempt': [rest], ':none': [], ':at': attempt.at },
        }),
      );
    },

    async reached(alertId) {
      const reached = new Map<string, Recipient>();
      const pages = paginateQuery(
        { client },
        {
          TableName: recordsTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :deliveries)',
          FilterExpression: '#status = :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pk': `ALERT#${alertId}`, ':deliveries': 'DELIVERY#', ':sent': 'SENT' },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const recipient = item.recipient as Recipient;
          if (!reached.has(recipient.id)) reached.set(recipient.id, recipient);
        }
      }
      return [...reached.values()];
    },
  };
}
