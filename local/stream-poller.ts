/**
 * A DynamoDB stream event source mapping, locally: reads the table's stream on DynamoDB Local, applies the
 * same filter pattern as the CDK stack, hands batches to the handler, and on a reported failure re-reads from
 * the failed record (the shard waits, as in Lambda) until `maxRetries`, then parks the record in a dead-letter list.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  TrimmedDataAccessException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { LocalDeadLetterQueue } from './queue';

// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda stream handler may answer nothing (aws-lambda's own type)
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: StreamHandler;
  /** A Lambda event-filter pattern (the subset of exact-value matching that Gatehouse uses). */
  filter: unknown;
  deadLetters: LocalDeadLetterQueue;
  batchSize?: number;
  maxRetries?: number;
  pollIntervalMs?: number;
}

interface ShardState {
  iterator?: string;
  /** Re-read from here after a failure. */
  retryFrom?: string;
  /** The last record handed on (or passed over by the filter): a fresh iterator starts after it. */
  lastSequence?: string;
  retries: number;
  closed: boolean;
}

export class StreamPoller {
  private streamArn = '';
  private readonly shards = new Map<string, ShardState>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private rounds = 0;
  private roundWaiters: { after: number; resolve: () => void }[] = [];
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: StreamPollerOptions) {}

  async start(): Promise<void> {
    const { Table } = await this.options.dynamo.send(
      new DescribeTableCommand({ TableName: this.options.tableName }),
    );
    if (!Table?.LatestStreamArn) throw new Error(`table ${this.options.tableName} has no stream`);
    this.streamArn = Table.LatestStreamArn;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Polls at once instead of at the end of the idle pause: called after a write, like a long poll returning. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Resolves once a whole polling round that began after the call found no new record on any shard:
   * everything written before the call has been handed to the handler.
   */
  caughtUp(): Promise<void> {
    const after = this.rounds + 1;
    return new Promise((resolve) => this.roundWaiters.push({ after, resolve }));
  }

  private async run(): Promise<void> {
    const { pollIntervalMs = 100 } = this.options;
    let lastDiscovery = 0;
    while (!this.stopped) {
      try {
        if (Date.now() - lastDiscovery > 2000 || this.shards.size === 0) {
          await this.discoverShards();
          lastDiscovery = Date.now();
        }
        let busy = false;
        for (const [shardId, state] of this.shards) {
          if (!state.closed) busy = (await this.pollShard(shardId, state)) || busy;
        }
        this.rounds += 1;
        // Only a round that read nothing proves the stream is drained; a busy round may have stopped at a page.
        if (!busy)
          this.roundWaiters = this.roundWaiters.filter((w) => {
            if (w.after >= this.rounds) return true;
            w.resolve();
            return false;
          });
        if (!busy)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollIntervalMs);
            this.wakeUp = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        this.wakeUp = undefined;
      } catch (error) {
        if (this.stopped) break;
        console.error(`[stream] ${(error as Error).message}`);
        await sleep(500);
      }
    }
    for (const w of this.roundWaiters.splice(0)) w.resolve();
  }

  private async discoverShards(): Promise<void> {
    const { StreamDescription } = await this.options.streams.send(
      new DescribeStreamCommand({ StreamArn: this.streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      if (shard.ShardId && !this.shards.has(shard.ShardId))
        this.shards.set(shard.ShardId, { retries: 0, closed: false });
    }
  }

  /** Returns whether the shard had records (so the loop polls again at once). */
  private async pollShard(shardId: string, state: ShardState): Promise<boolean> {
    if (!state.iterator) state.iterator = await this.iterator(shardId, state);
    let response: GetRecordsCommandOutput;
    try {
      response = await this.options.streams.send(
        new GetRecordsCommand({ ShardIterator: state.iterator, Limit: this.options.batchSize ?? 100 }),
      );
    } catch (error) {
      // An expired iterator, or (DynamoDB Local, when other tables' streams move on while this shard is empty)
      // one it calls trimmed: take a fresh one after the last record handled. Claims make any re-read harmless.
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        state.iterator = undefined;
        return true;
      }
      throw error;
    }
    const records = response.Records ?? [];
    if (!response.NextShardIterator) state.closed = true;
    state.iterator = response.NextShardIterator;
    const matching = records.map(toLambdaRecord).filter((r) => matches(this.options.filter, r));
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (matching.length === 0) {
      if (last) state.lastSequence = last;
      return records.length > 0;
    }

    const failedAt = await this.deliver(matching);
    if (failedAt === undefined) {
      state.retries = 0;
      state.retryFrom = undefined;
      if (last) state.lastSequence = last;
      return true;
    }
    const failed = matching.find((r) => r.dynamodb?.SequenceNumber === failedAt)!;
    state.retries += 1;
    if (state.retries > (this.options.maxRetries ?? 3)) {
      this.options.deadLetters.add({
        messageId: failed.eventID ?? failedAt,
        body: JSON.stringify(failed),
        reason: 'dispatch failed after retries',
        receiveCount: state.retries,
        at: this.options.deadLetters.clock().toISOString(),
      });
      const next = matching[matching.indexOf(failed) + 1]?.dynamodb?.SequenceNumber;
      state.retries = 0;
      state.retryFrom = next;
      if (next) state.iterator = undefined;
      return true;
    }
    // Re-read from the failed record after a pause, as Lambda does.
    state.retryFrom = failedAt;
    state.iterator = undefined;
    state.closed = false;
    await sleep(Math.min(2000, 100 * 2 ** state.retries));
    return true;
  }

  private async iterator(shardId: string, state: ShardState): Promise<string | undefined> {
    const position = state.retryFrom
      ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: state.retryFrom }
      : state.lastSequence
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: state.lastSequence }
        : { ShardIteratorType: 'TRIM_HORIZON' as const };
    const { ShardIterator } = await this.options.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ...position }),
    );
    return ShardIterator;
  }

  /** Returns the sequence number of the first failed record, if any. */
  private async deliver(records: DynamoDBRecord[]): Promise<string | undefined> {
    try {
      const response = await this.options.handler({ Records: records });
      const failures = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      return records
        .map((r) => r.dynamodb?.SequenceNumber)
        .find((s) => s !== undefined && failures.includes(s));
    } catch {
      return records[0]?.dynamodb?.SequenceNumber;
    }
  }
}

function toLambdaRecord(record: StreamRecord): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

/** Lambda event filtering for exact values: every key of the pattern must match; an array lists allowed values. */
export function matches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(value as never);
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof value !== 'object' || value === null) return false;
    return Object.entries(pattern).every(([key, sub]) =>
      matches(sub, (value as Record<string, unknown>)[key]),
    );
  }
  return pattern === value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
