/**
 * Deliveries live beside their alert (same partition), one item per notice and recipient: the claim that
 * makes sending exactly-once, and the record of every attempt. The item holds the recipient's address so
 * that "acknowledged" and reminders reach exactly the people the alert reached (the records table is the
 * encrypted, personal-data table; the address never goes into logs or metrics).
 *
 * Statuses: SENDING (claimed), FAILED (for a passing reason: claimable again), SENT (the provider accepted it;
 * a receipt is to come), and the final DELIVERED, REJECTED (with the reason) and EXPIRED.
 */
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { entity, recordsTable } from '#commons/resources';
import type { Recipient } from '#domain/routing';
import type {
  AwaitingReceipt,
  DeliveryState,
  DeliveryStatus,
  DeliveryStore,
  PagedNumber,
} from '#use-cases/dispatch-alert';
import { expiresAt } from '#commons/retention';

/**
 * A claim older than this is taken to belong to a dispatcher that died mid-send. Longer than any dispatcher
 * holds one (dispatch stops starting attempts before its 30 s timeout, the sweeper before its 50 s), shorter
 * than the outbox's stream grace, so the sweeper finds an abandoned claim free.
 */
export const claimLeaseMs = 2 * 60_000;

export function deliveryKey(alertId: string, notice: string, recipientId: string) {
  return { pk: `ALERT#${alertId}`, sk: `DELIVERY#${notice}#${recipientId}` };
}

const finalStatuses: DeliveryStatus[] = ['DELIVERED', 'REJECTED', 'EXPIRED'];

const byDue = recordsTable.globalIndexes.find((i) => i.indexName === 'byDue')!;

/**
 * The byDue partition of deliveries the provider accepted (SENT) whose receipt has not come: `dueAt` is when the
 * sweeper may ask the provider (getNotificationById) where polling stands in for callbacks. A receipt, however it
 * comes, or the delivery's expiry takes it out (a sparse index: it lists exactly the deliveries awaiting a receipt).
 */
export const receiptPartition = 'RECEIPT';

/** Deliveries hold an address, so they expire with the alert they belong to (retention of case and alert items). */
export function dynamoDeliveryStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  retentionDays = 730,
): DeliveryStore {
  const deliveriesOf = async function* (alertId: string, prefix = '') {
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :deliveries)',
        ExpressionAttributeValues: { ':pk': `ALERT#${alertId}`, ':deliveries': `DELIVERY#${prefix}` },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) yield item;
  };

  return {
    async claim({ alertId, notice, recipient, channel }, now) {
      try {
        // An update, not a put: a re-claim keeps the attempts made before it.
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(alertId, notice, recipient.id),
            UpdateExpression:
              'SET entity = :entity, alertId = :alertId, notice = :notice, recipient = :recipient, channel = :channel, #status = :sending, claimedAt = :now, ' +
              'attempts = if_not_exists(attempts, :none), firstClaimedAt = if_not_exists(firstClaimedAt, :now), expiresAt = if_not_exists(expiresAt, :expires)',
            // Free, failed for a passing reason before, or abandoned by a dispatcher that died mid-send.
            ConditionExpression:
              'attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':entity': entity.delivery,
              ':alertId': alertId,
              ':notice': notice,
              ':recipient': recipient,
              ':channel': channel,
              ':sending': 'SENDING',
              ':failed': 'FAILED',
              ':now': now.toISOString(),
              ':none': [],
              ':expires': expiresAt(now, retentionDays),
              ':stale': new Date(now.getTime() - claimLeaseMs).toISOString(),
            },
          }),
        );
        return 'claimed';
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: deliveryKey(alertId, notice, recipient.id),
            ConsistentRead: true,
            ProjectionExpression: '#status',
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        );
        return Item?.status === 'SENDING' ? 'busy' : 'done';
      }
    },

    async record(attempt) {
      const { alertId, notice, recipientId, status, ...rest } = attempt;
      // Accepted by a provider that sends receipts (with the provider's id to ask about): it awaits its receipt.
      const awaitsReceipt = (withStatus: boolean) =>
        withStatus && status === 'SENT' && rest.providerRef !== undefined;
      const send = (withStatus: boolean) =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(alertId, notice, recipientId),
            UpdateExpression: `SET ${withStatus ? '#status = :status, ' : ''}attempts = list_append(if_not_exists(attempts, :none), :attempt), updatedAt = :at${rest.providerRef ? ', providerRef = :ref' : ''}${withStatus && rest.error && status === 'REJECTED' ? ', reason = :reason' : ''}${awaitsReceipt(withStatus) ? ', duePartition = :receipts, dueAt = :at, sentAt = :at' : ''}`,
            // A receipt can come back before the attempt is recorded (Notify is quick): its status stands.
            ...(withStatus ? { ConditionExpression: 'attribute_not_exists(receipt)' } : {}),
            ...(withStatus ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
            ExpressionAttributeValues: {
              ...(withStatus ? { ':status': status } : {}),
              ':attempt': [rest],
              ':none': [],
              ':at': attempt.at,
              ...(rest.providerRef ? { ':ref': rest.providerRef } : {}),
              ...(withStatus && rest.error && status === 'REJECTED' ? { ':reason': rest.error } : {}),
              ...(awaitsReceipt(withStatus) ? { ':receipts': receiptPartition } : {}),
            },
          }),
        );
      try {
        await send(true);
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        await send(false);
      }
    },

    async expire(alertId, notice, at, reason) {
      let expired = 0;
      for await (const item of deliveriesOf(alertId, `${notice}#`)) {
        if (finalStatuses.includes(item.status)) continue;
        try {
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression:
                'SET #status = :expired, reason = :reason, updatedAt = :at REMOVE duePartition, dueAt',
              // Not one that a dispatcher is sending right now, nor one that became final meanwhile.
              ConditionExpression: '#status = :seen AND (#status <> :sending OR claimedAt < :stale)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':expired': 'EXPIRED',
                ':reason': reason,
                ':at': at.toISOString(),
                ':seen': item.status,
                ':sending': 'SENDING',
                ':stale': new Date(at.getTime() - claimLeaseMs).toISOString(),
              },
            }),
          );
          expired += 1;
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      }
      return expired;
    },

    async receipt(key, outcome) {
      const delivered = outcome.status === 'DELIVERED';
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(key.alertId, key.notice, key.recipientId),
            UpdateExpression: `SET #status = :status, receipt = :receipt, updatedAt = :at${delivered ? ', deliveredAt = :at' : ', reason = :reason'} REMOVE duePartition, dueAt`,
            // A delivered receipt wins over any other state (the phone came back on); a failure only over a message still awaiting its receipt.
            // (Before the attempt is recorded the delivery is still SENDING: a quick receipt counts then too.)
            ConditionExpression: delivered
              ? 'attribute_exists(pk) AND #status <> :delivered'
              : 'attribute_exists(pk) AND (#status = :sent OR #status = :sending)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': outcome.status,
              ':receipt': {
                status: outcome.providerStatus,
                at: outcome.at,
                providerRef: outcome.providerRef,
              },
              ':at': outcome.at,
              ...(delivered
                ? { ':delivered': 'DELIVERED' }
                : {
                    ':sent': 'SENT',
                    ':sending': 'SENDING',
                    ':reason': outcome.reason ?? outcome.providerStatus,
                  }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { changed: true, delivery: Attributes as DeliveryState };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: deliveryKey(key.alertId, key.notice, key.recipientId),
            ConsistentRead: true,
          }),
        );
        return { changed: false, ...(Item ? { delivery: Item as DeliveryState } : {}) };
      }
    },

    async awaitingReceipt(sentBefore, limit) {
      const awaiting: AwaitingReceipt[] = [];
      const pages = paginateQuery(
        { client, pageSize: Math.min(limit, 100) },
        {
          TableName: tableName,
          IndexName: byDue.indexName,
          KeyConditionExpression: '#partition = :receipts AND #dueAt <= :before',
          ExpressionAttributeNames: { '#partition': byDue.partitionKey.name, '#dueAt': byDue.sortKey!.name },
          ExpressionAttributeValues: { ':receipts': receiptPartition, ':before': sentBefore.toISOString() },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          if (item.status !== 'SENT' || !item.providerRef) continue;
          awaiting.push({
            alertId: item.alertId,
            notice: item.notice,
            recipientId: (item.recipient as Recipient).id,
            providerRef: item.providerRef,
            sentAt: item.sentAt ?? item.dueAt,
            polls: item.polls ?? 0,
          });
        }
        if (awaiting.length >= limit) break;
      }
      return awaiting.slice(0, limit);
    },

    async pollAgain(key, dueAt) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(key.alertId, key.notice, key.recipientId),
            // Only while it still awaits its receipt: one that came meanwhile has taken it out of the index.
            UpdateExpression: dueAt
              ? 'SET dueAt = :due ADD polls :one'
              : 'REMOVE duePartition, dueAt ADD polls :one',
            ConditionExpression: 'attribute_exists(duePartition) AND #status = :sent',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':sent': 'SENT', ...(dueAt ? { ':due': dueAt } : {}) },
          }),
        )
        .catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        });
    },

    async rememberPage(numberKey, page) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `REPLY#${numberKey}`,
            sk: `PAGE#${page.pagedAt}#${page.alertId}#${page.notice}`,
            entity: entity.pagedNumber,
            ...page,
            expiresAt: expiresAt(page.pagedAt, retentionDays),
          },
        }),
      );
    },

    async pagesTo(numberKey) {
      const pages: PagedNumber[] = [];
      const query = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :page)',
          ExpressionAttributeValues: { ':pk': `REPLY#${numberKey}`, ':page': 'PAGE#' },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
      );
      for await (const page of query)
        for (const item of page.Items ?? [])
          pages.push({
            alertId: item.alertId,
            notice: item.notice,
            recipient: item.recipient,
            pagedAt: item.pagedAt,
          });
      return pages;
    },

    async reached(alertId) {
      const reached = new Map<string, Recipient>();
      for await (const item of deliveriesOf(alertId)) {
        if (item.status !== 'SENT' && item.status !== 'DELIVERED') continue;
        const recipient = item.recipient as Recipient;
        if (!reached.has(recipient.id)) reached.set(recipient.id, recipient);
      }
      return [...reached.values()];
    },
  };
}
