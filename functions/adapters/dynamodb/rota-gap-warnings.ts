/**
 * Rota-gap warnings on DynamoDB: one item per gap per check (`ROTAGAP#{warningId}` / `WARNING`), written with a
 * condition that it does not exist, so sweeps that find the same gap (one after another, or at the same moment)
 * write it once. Until it is settled it sits in the byDue index under its own partition `WARN`, which the alert
 * sweep (`DUE`) and the notice outbox (`SEND`) do not read. No stream record sends it (the stream passes alert
 * notices only): the sweeper does.
 */
import { PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity, recordsTable } from '#commons/resources';
import type { PendingRotaGapWarning, RotaGapWarningStore } from '#use-cases/alert-ports';
import { keys } from './keys';

const byDue = recordsTable.globalIndexes.find((i) => i.indexName === 'byDue')!;

/** The byDue partition of the rota-gap warnings not yet sent. */
export const warnPartition = 'WARN';

export function dynamoRotaGapWarnings(
  client: DynamoDBDocumentClient,
  tableName: string,
): RotaGapWarningStore {
  const key = (warningId: string) => keys.rotaGapWarning(warningId);
  const ignoringConditionFailure = (error: Error) => {
    if (error.name !== 'ConditionalCheckFailedException') throw error;
  };
  return {
    async add(warning, at, expiresAt) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(warning.warningId),
              entity: entity.rotaGapWarning,
              ...warning,
              status: 'PENDING',
              createdAt: at.toISOString(),
              duePartition: warnPartition,
              dueAt: at.toISOString(),
              // A warning is worth sending until the gap is over.
              sendUntil: warning.until,
              tries: 0,
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'added';
      } catch (error) {
        ignoringConditionFailure(error as Error);
        return 'exists';
      }
    },

    async pending(now, limit) {
      const pending: PendingRotaGapWarning[] = [];
      const pages = paginateQuery(
        { client, pageSize: Math.min(limit, 100) },
        {
          TableName: tableName,
          IndexName: byDue.indexName,
          KeyConditionExpression: '#partition = :warn AND #dueAt <= :now',
          ExpressionAttributeNames: { '#partition': byDue.partitionKey.name, '#dueAt': byDue.sortKey!.name },
          ExpressionAttributeValues: { ':warn': warnPartition, ':now': now.toISOString() },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          pending.push({
            warningId: item.warningId,
            checkDate: item.checkDate,
            localAuthority: item.localAuthority,
            tier: item.tier,
            from: item.from,
            until: item.until,
            sendUntil: item.sendUntil,
            tries: item.tries ?? 0,
          });
        }
        if (pending.length >= limit) break;
      }
      return pending.slice(0, limit);
    },

    async settle(warningId, status, at, reason) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(warningId),
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
        ignoringConditionFailure(error as Error);
        return false;
      }
    },

    async postpone(warningId, dueAt, at) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(warningId),
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
        .catch(ignoringConditionFailure);
    },
  };
}
