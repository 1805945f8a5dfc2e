/**
 * Items waiting in the byDue index under a partition of their own (the notice outbox's `SEND`, the rota-gap
 * warnings' `WARN`): read those due by now, settle one once, or put one off. One item leaves the index when it is
 * settled (its `duePartition` and `dueAt` are removed), so the index lists exactly what is still to do.
 */
import { UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recordsTable } from '#commons/resources';

const byDue = recordsTable.globalIndexes.find((i) => i.indexName === 'byDue')!;

type Key = Record<string, string>;

/** A condition that did not hold: expected when another sweep (or the stream) got there first. */
export function ignoringConditionFailure(error: Error): void {
  if (error.name !== 'ConditionalCheckFailedException') throw error;
}

/** Up to `limit` items of `partition` due at or before `now`, oldest first, each read by `read`. */
export async function dueItems<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  now: Date,
  limit: number,
  read: (item: Record<string, unknown>) => T,
): Promise<T[]> {
  const due: T[] = [];
  const pages = paginateQuery(
    { client, pageSize: Math.min(limit, 100) },
    {
      TableName: tableName,
      IndexName: byDue.indexName,
      KeyConditionExpression: '#partition = :partition AND #dueAt <= :now',
      ExpressionAttributeNames: { '#partition': byDue.partitionKey.name, '#dueAt': byDue.sortKey!.name },
      ExpressionAttributeValues: { ':partition': partition, ':now': now.toISOString() },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) due.push(read(item));
    if (due.length >= limit) break;
  }
  return due.slice(0, limit);
}

/**
 * Settles a PENDING item once (`true`), out of the index; `false` if it was settled before: the first
 * settlement stands.
 */
export async function settleOnce(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  status: string,
  at: Date,
  reason?: string,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
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
}

/** Puts a PENDING item off until `dueAt`, counting the try; a settled one is left alone. */
export async function postponeDue(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  dueAt: string,
  at: Date,
): Promise<void> {
  await client
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
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
}
