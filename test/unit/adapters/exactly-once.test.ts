import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ledgerPut,
  readCancellation,
  transactOnce,
  transactOnceRetrying,
  versionedPut,
} from '#adapters/dynamodb/exactly-once';
import { expiresAt } from '#commons/retention';
import { again, againAtOnce, backoffMs, retrying, type Backoff } from '#commons/retry';

/** A backoff that waits for nothing and remembers every delay asked for. */
function recordedBackoff(random = 0.5): Backoff & { delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms), random: () => random };
}

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** A DynamoDB client that answers each TransactWrite with the next of `answers` (an error is thrown). */
function client(...answers: (Error | 'ok')[]) {
  const sent: { TransactItems: unknown[] }[] = [];
  const fake = {
    sent,
    async send(command: { input: { TransactItems: unknown[] } }) {
      sent.push(command.input);
      const answer = answers.shift() ?? 'ok';
      if (answer !== 'ok') throw answer;
      return {};
    },
  };
  return fake as unknown as DynamoDBDocumentClient & { sent: typeof sent };
}

const put = (pk: string) => ledgerPut('records', { pk, sk: 'LEDGER' });
const write = {
  Update: {
    TableName: 'aggregates',
    Key: { pk: 'C', sk: 'D' },
    UpdateExpression: 'ADD n :one',
    ExpressionAttributeValues: { ':one': 1 },
  },
};

describe('reading why a transaction was cancelled', () => {
  it('names the ledger item whose condition failed as the duplicate', () => {
    expect(readCancellation(['None', 'ConditionalCheckFailed', 'None'], ['drop', 'file'])).toEqual({
      duplicate: 'file',
    });
  });

  it('prefers the ledger item named first when several exist', () => {
    expect(readCancellation(['ConditionalCheckFailed', 'ConditionalCheckFailed'], ['drop', 'file'])).toEqual({
      duplicate: 'drop',
    });
  });

  it('reads a failed condition beyond the ledger, or another transaction holding an item, as a conflict', () => {
    expect(readCancellation(['None', 'ConditionalCheckFailed'], ['event'])).toBe('conflict');
    expect(readCancellation(['TransactionConflict', 'None'], ['event'])).toBe('conflict');
  });

  it('has no reading for a cancellation that is neither (the caller rethrows it)', () => {
    expect(readCancellation(['None', 'ValidationError'], ['event'])).toBeUndefined();
  });
});

describe('a transaction made once by its named ledger items', () => {
  it('puts the ledger items first, in the order named, then the writes', async () => {
    const dynamo = client();
    await expect(
      transactOnce(dynamo, {
        ledger: [
          { name: 'drop', item: put('DROP#a') },
          { name: 'file', item: put('FILE#b') },
        ],
        writes: [write],
      }),
    ).resolves.toBe('committed');
    expect(dynamo.sent[0]!.TransactItems).toEqual([put('DROP#a'), put('FILE#b'), write]);
  });

  it('reports which ledger item existed, by name', async () => {
    const dynamo = client(cancelled('None', 'ConditionalCheckFailed', 'None'));
    await expect(
      transactOnce(dynamo, {
        ledger: [
          { name: 'drop', item: put('DROP#a') },
          { name: 'file', item: put('FILE#b') },
        ],
        writes: [write],
      }),
    ).resolves.toEqual({ duplicate: 'file' });
  });

  it('rethrows an error that is not a cancellation it can read', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    await expect(
      transactOnce(client(throttled), { ledger: [{ name: 'event', item: put('EVENT#1') }], writes: [] }),
    ).rejects.toBe(throttled);
    const invalid = cancelled('None', 'ValidationError');
    await expect(
      transactOnce(client(invalid), { ledger: [{ name: 'event', item: put('EVENT#1') }], writes: [write] }),
    ).rejects.toBe(invalid);
  });

  it('tries a conflicting transaction again after a backoff, and a duplicate not at all', async () => {
    const backoff = recordedBackoff();
    const dynamo = client(
      cancelled('None', 'TransactionConflict'),
      cancelled('None', 'TransactionConflict'),
      cancelled('ConditionalCheckFailed', 'None'),
    );
    const result = await transactOnceRetrying(
      dynamo,
      { ledger: [{ name: 'fold', item: put('FOLD#0') }], writes: [write] },
      { attempts: 8, backoff, exhausted: () => new Error('kept conflicting') },
    );
    expect(result).toEqual({ duplicate: 'fold' });
    expect(dynamo.sent).toHaveLength(3);
    expect(backoff.delays).toEqual([10, 20]);
  });

  it('gives up with its own error after the last attempt conflicted', async () => {
    const dynamo = client(...Array.from({ length: 3 }, () => cancelled('None', 'TransactionConflict')), 'ok');
    await expect(
      transactOnceRetrying(
        dynamo,
        { ledger: [{ name: 'fold', item: put('FOLD#0') }], writes: [write] },
        { attempts: 3, backoff: recordedBackoff(), exhausted: () => new Error('kept conflicting') },
      ),
    ).rejects.toThrow('kept conflicting');
    expect(dynamo.sent).toHaveLength(3);
  });

  it('writes an item at the version decided on, or only if it is new', () => {
    expect(versionedPut('records', { pk: 'P', sk: 'S' }, 0).Put).toEqual({
      TableName: 'records',
      Item: { pk: 'P', sk: 'S' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(versionedPut('records', { pk: 'P', sk: 'S' }, 3).Put).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
  });
});

describe('the retry with backoff and jitter', () => {
  it('doubles from 10 ms up to 200 ms, between half and one and a half times that', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, () => 0.5))).toEqual([
      10, 20, 40, 80, 160, 200, 200,
    ]);
    expect(backoffMs(3, () => 0)).toBe(20);
    expect(backoffMs(3, () => 0.999)).toBeCloseTo(59.96);
  });

  it('waits between attempts, not after the one that succeeded', async () => {
    const backoff = recordedBackoff(0);
    const answers: ('done' | typeof again)[] = [again, again, 'done'];
    const attempts: number[] = [];
    const result = await retrying({ attempts: 8, backoff, exhausted: () => new Error('no') }, async (n) => {
      attempts.push(n);
      return answers.shift()!;
    });
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(backoff.delays).toEqual([5, 10]);
  });

  it('goes again at once when told to, which still counts as an attempt', async () => {
    const backoff = recordedBackoff();
    const answers = [againAtOnce, again, 'done'] as const;
    let i = 0;
    await expect(
      retrying({ attempts: 3, backoff, exhausted: () => new Error('no') }, async () => answers[i++]!),
    ).resolves.toBe('done');
    expect(backoff.delays).toEqual([20]);
  });

  it('throws the error it was given once the attempts are spent', async () => {
    let calls = 0;
    await expect(
      retrying(
        { attempts: 4, backoff: recordedBackoff(), exhausted: () => new Error('the record kept changing') },
        async () => {
          calls++;
          return again;
        },
      ),
    ).rejects.toThrow('the record kept changing');
    expect(calls).toBe(4);
  });
});

describe('when an item expires', () => {
  it('is the retention in days after the instant it is kept from, in epoch seconds', () => {
    const at = '2025-03-10T12:00:00.500Z';
    const seconds = Date.parse('2025-03-10T12:00:00Z') / 1000;
    expect(expiresAt(at, 30)).toBe(seconds + 30 * 86_400);
    expect(expiresAt(new Date(at), 30)).toBe(seconds + 30 * 86_400);
    expect(expiresAt(Date.parse(at), 0)).toBe(seconds);
  });
});
