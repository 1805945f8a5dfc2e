/**
 * The notice outbox on DynamoDB. A notice item (`ALERT#{id}` / `NOTICE#{page.000}`) is written with the change
 * that sends it and carries `duePartition = SEND` and `dueAt` until it is settled, so the byDue index lists
 * exactly the notices nobody has finished sending (a sparse index: a settled notice leaves it).
 */
import { UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity, recordsTable } from '#commons/resources';
import {
  noticeKey,
  outboxTimes,
  sendPartition,
  type AlertKind,
  type Notice,
  type NoticeStatus,
  type PendingNotice,
} from '#domain/alerts';
import type { NoticeOutbox } from '#use-cases/alert-ports';
import { keys } from './keys';

const byDue = recordsTable.globalIndexes.find((i) => i.indexName === 'byDue')!;

/** The item of a notice as it enters the outbox: pending, due for the sweeper once the stream's grace is over. */
export function noticeItem(
  notice: Notice,
  kind: AlertKind,
  at: Date,
  expiresAt: number,
): Record<string, unknown> {
  const { dueAt, sendUntil } = outboxTimes(notice.purpose, kind, at);
  return {
    ...keys.alertNotice(notice.alertId, noticeKey(notice)),
    entity: entity.alertNotice,
    ...notice,
    kind,
    status: 'PENDING' satisfies NoticeStatus,
    createdAt: at.toISOString(),
    duePartition: sendPartition,
    dueAt,
    sendUntil,
    tries: 0,
    expiresAt,
  };
}

export function dynamoNoticeOutbox(client: DynamoDBDocumentClient, tableName: string): NoticeOutbox {
  const key = (notice: Notice) => keys.alertNotice(notice.alertId, noticeKey(notice));
  return {
    async pending(now, limit) {
      const pending: PendingNotice[] = [];
      const pages = paginateQuery(
        { client, pageSize: Math.min(limit, 100) },
        {
          TableName: tableName,
          IndexName: byDue.indexName,
          KeyConditionExpression: '#partition = :send AND #dueAt <= :now',
          ExpressionAttributeNames: { '#partition': byDue.partitionKey.name, '#dueAt': byDue.sortKey!.name },
          ExpressionAttributeValues: { ':send': sendPartition, ':now': now.toISOString() },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          pending.push({
            alertId: item.alertId,
            purpose: item.purpose,
            index: item.index,
            dueAt: item.dueAt,
            sendUntil: item.sendUntil,
            tries: item.tries ?? 0,
          });
        }
        if (pending.length >= limit) break;
      }
      return pending.slice(0, limit);
    },

    async settle(notice, status, at, reason) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(notice),
            UpdateExpression: `SET #status = :status, settledAt = :at${reason ? ', reason = :reason' : ''} REMOVE duePartition, dueAt`,
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': status,
              ':at': at.toISOString(),
              ':pending': 'PENDING',
              ...(reason ? { ':reason': reason } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        // Settled before: the first settlement stands; the notice only leaves the index (if it was put back in).
        await client
          .send(
            new UpdateCommand({
              TableName: tableName,
              Key: key(notice),
              UpdateExpression: 'REMOVE duePartition, dueAt',
              ConditionExpression: 'attribute_exists(pk)',
            }),
          )
          .catch((e: Error) => {
            if (e.name !== 'ConditionalCheckFailedException') throw e;
          });
        return false;
      }
    },

    async postpone(notice, dueAt, at) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(notice),
            UpdateExpression: 'SET dueAt = :due, lastTriedAt = :at ADD tries :one',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':due': dueAt,
              ':at': at.toISOString(),
              ':one': 1,
              ':pending': 'PENDING',
            },
          }),
        )
        .catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        });
    },
  };
}
