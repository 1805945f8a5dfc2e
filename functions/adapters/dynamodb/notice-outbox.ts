/**
 * The notice outbox on DynamoDB. A notice item (`ALERT#{id}` / `NOTICE#{page.000}`) is written with the change
 * that sends it and carries `duePartition = SEND` and `dueAt` until it is settled, so the byDue index lists
 * exactly the notices nobody has finished sending (a sparse index: a settled notice leaves it).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '#commons/resources';
import {
  noticeKey,
  outboxTimes,
  sendPartition,
  type AlertKind,
  type Notice,
  type NoticeStatus,
} from '#domain/alerts';
import type { NoticeOutbox } from '#use-cases/alert-ports';
import { dueItems, ignoringConditionFailure, postponeDue, settleOnce } from './due-items';
import { keys } from './keys';

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
    pending: (now, limit) =>
      dueItems(client, tableName, sendPartition, now, limit, (item) => ({
        alertId: item.alertId as string,
        purpose: item.purpose as Notice['purpose'],
        index: item.index as number,
        dueAt: item.dueAt as string,
        sendUntil: item.sendUntil as string,
        tries: (item.tries as number | undefined) ?? 0,
      })),

    async settle(notice, status, at, reason) {
      if (await settleOnce(client, tableName, key(notice), status, at, reason)) return true;
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
        .catch(ignoringConditionFailure);
      return false;
    },

    postpone: (notice, dueAt, at) => postponeDue(client, tableName, key(notice), dueAt, at),
  };
}
