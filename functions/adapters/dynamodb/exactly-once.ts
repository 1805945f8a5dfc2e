/**
 * Exactly-once on DynamoDB, in one place. An effect happens once because a ledger item — the event, the chunk,
 * the file, the drop — is put in the same transaction as the effect, on condition that it does not exist yet.
 * A transaction names its ledger items; when it is cancelled, the reasons are read by those names:
 * - a ledger item's condition failed → `{ duplicate: name }`: this was done before, nothing changed;
 * - any other condition failed, or another transaction held an item → 'conflict': decide again (or retry);
 * - anything else is an error.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { again, retrying, type Backoff } from '#commons/retry';
import type { TransactItem } from './expressions';

export interface OnceTransaction<N extends string> {
  /** The ledger items, in the order a duplicate is read: when several already exist, the first named wins. */
  ledger: { name: N; item: TransactItem }[];
  /** The effect: the writes that happen with the ledger items, or not at all. */
  writes: TransactItem[];
}

export type OnceResult<N extends string> = 'committed' | { duplicate: N } | 'conflict';

/** A ledger item: put on condition that it is not there yet. */
export function ledgerPut(tableName: string, item: Record<string, unknown>): TransactItem {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** A put at the version a decision was made on (0: the item must be new). */
export function versionedPut(
  tableName: string,
  item: Record<string, unknown>,
  expectedVersion: number,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
}

export async function transactOnce<N extends string>(
  client: DynamoDBDocumentClient,
  transaction: OnceTransaction<N>,
): Promise<OnceResult<N>> {
  const names = transaction.ledger.map((l) => l.name);
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [...transaction.ledger.map((l) => l.item), ...transaction.writes],
      }),
    );
    return 'committed';
  } catch (error) {
    const codes = cancellationCodes(error);
    const reading = codes && readCancellation(codes, names);
    if (!reading) throw error;
    return reading;
  }
}

/** As `transactOnce`, trying again after a backoff while other writers hold an item (for writes that need no new decision, such as ADDs). */
export function transactOnceRetrying<N extends string>(
  client: DynamoDBDocumentClient,
  transaction: OnceTransaction<N>,
  options: { attempts: number; backoff?: Backoff; exhausted: () => Error },
): Promise<'committed' | { duplicate: N }> {
  return retrying(options, async () => {
    const result = await transactOnce(client, transaction);
    return result === 'conflict' ? again : result;
  });
}

/**
 * Reads the cancellation reasons of a transaction whose first items are the ledger items `ledgerNames`, in
 * that order. Undefined when the reasons name no failed condition and no conflict (the caller rethrows).
 */
export function readCancellation<N extends string>(
  codes: readonly (string | undefined)[],
  ledgerNames: readonly N[],
): { duplicate: N } | 'conflict' | undefined {
  const duplicate = ledgerNames.find((_, i) => codes[i] === 'ConditionalCheckFailed');
  if (duplicate !== undefined) return { duplicate };
  if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict'))
    return 'conflict';
  return undefined;
}

/**
 * Why a transaction was cancelled: one code per item, in order ('None', 'ConditionalCheckFailed',
 * 'TransactionConflict', …); undefined when the error is not a cancelled transaction at all.
 */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as Error | undefined)?.name !== 'TransactionCanceledException'
  )
    return undefined;
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code);
}
