/** Building blocks for DynamoDB transactions shared by every use case that writes. */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { rolledUp, type CounterDelta } from '#domain/aggregates';
import { aggregateKey } from './keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Writes an item the first time and leaves it as it is on a repeat, without failing the transaction:
 * every attribute is set only if it does not exist yet. The stream sees an INSERT once.
 */
export function insertOnce(tableName: string, item: Record<string, unknown>): TransactItem {
  const { pk, sk, ...attributes } = item;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      return `#a${i} = if_not_exists(#a${i}, :a${i})`;
    });
  return {
    Update: {
      TableName: tableName,
      Key: { pk, sk },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** One ADD per counter item, after rolling each delta up to its area/prison/all series and merging. */
export function counterUpdates(tableName: string, deltas: CounterDelta[], updatedAt: string): TransactItem[] {
  return rolledUp(deltas)
    .map((item) => ({ ...item, counts: Object.entries(item.counts).filter(([, n]) => n !== 0) }))
    .filter((item) => item.counts.length > 0)
    .map(({ series, date, counts }) => ({
      Update: {
        TableName: tableName,
        Key: aggregateKey({ series, date }),
        UpdateExpression: `ADD ${counts.map((_, i) => `#c${i} :c${i}`).join(', ')} SET #updatedAt = :updatedAt`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(counts.map(([name], i) => [`#c${i}`, name])),
          '#updatedAt': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(counts.map(([, n], i) => [`:c${i}`, n])),
          ':updatedAt': updatedAt,
        },
      },
    }));
}
