/**
 * An SQS queue as the Lambda event source mapping sees it, in one process: batches, partial batch failures,
 * a visibility timeout, a receive count, and a dead-letter queue after `maxReceiveCount` receives.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { RejectedMessage, RejectedMessages } from '#adapters/rejected-messages';
import { describe } from '#events/validation';

// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda SQS handler may answer nothing (aws-lambda's own type)
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface DeadLetter {
  messageId: string;
  body: string;
  reason: string;
  receiveCount: number;
  at: string;
}

/** Keeps dead letters in memory for the API and in a JSON-lines file so they survive a restart. */
export class LocalDeadLetterQueue implements RejectedMessages {
  readonly messages: DeadLetter[] = [];

  constructor(
    readonly name: string,
    private readonly file?: string,
    /** When a message was parked: the runtime's clock. */
    readonly clock: () => Date = () => new Date(),
  ) {}

  add(letter: DeadLetter): void {
    this.messages.push(letter);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(letter)}\n`);
    }
  }

  /** Takes every parked message out (for a redrive), leaving the queue and its file empty. */
  drain(): DeadLetter[] {
    const drained = this.messages.splice(0);
    if (this.file) writeFileSync(this.file, '');
    return drained;
  }

  async keep(message: RejectedMessage): Promise<void> {
    this.add({
      messageId: message.messageId,
      body: message.body,
      reason: describe(message.errors),
      receiveCount: 1,
      at: this.clock().toISOString(),
    });
  }
}

interface Pending {
  record: SQSRecord;
  receiveCount: number;
  visibleAt: number;
  firstAttempt: { promise: Promise<void>; resolve: () => void };
}

export interface LocalQueueOptions {
  name: string;
  handler: SqsHandler;
  deadLetters: LocalDeadLetterQueue;
  maxReceiveCount?: number;
  visibilityTimeoutMs?: number;
  batchSize?: number;
  /** Messages handled at once: Lambda runs several batches in parallel too. */
  concurrency?: number;
}

export class LocalQueue {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: LocalQueueOptions) {}

  get depth(): number {
    return this.waiting.length + this.inFlight;
  }

  /** Enqueues messages; resolves once each has been handled once (successfully or not). */
  async send(bodies: string[], attributes: Record<string, string> = {}): Promise<string[]> {
    const pending = bodies.map((body) => this.pending(body, attributes));
    this.waiting.push(...pending);
    this.schedule(0);
    await Promise.all(pending.map((p) => p.firstAttempt.promise));
    return pending.map((p) => p.record.messageId);
  }

  /** Resolves when nothing is waiting or in flight (messages awaiting a retry count as waiting). */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private pending(body: string, attributes: Record<string, string>): Pending {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const messageId = randomUUID();
    return {
      record: {
        messageId,
        receiptHandle: messageId,
        body,
        attributes: {
          ApproximateReceiveCount: '0',
          SentTimestamp: String(Date.now()),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: '',
        },
        messageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([k, v]) => [
            k,
            { stringValue: v, dataType: 'String', stringListValues: [], binaryListValues: [] },
          ]),
        ),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:eu-west-2:000000000000:${this.options.name}`,
        awsRegion: 'eu-west-2',
      },
      receiveCount: 0,
      visibleAt: 0,
      firstAttempt: { promise, resolve },
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    const { batchSize = 10, concurrency = 4 } = this.options;
    const now = Date.now();
    const batches: Pending[][] = [];
    while (batches.length < concurrency) {
      const batch = this.takeVisible(now, batchSize);
      if (batch.length === 0) break;
      batches.push(batch);
    }
    await Promise.all(batches.map((batch) => this.deliver(batch)));
    this.afterPoll();
  }

  private takeVisible(now: number, max: number): Pending[] {
    const batch: Pending[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < max; ) {
      if (this.waiting[i]!.visibleAt <= now) batch.push(...this.waiting.splice(i, 1));
      else i++;
    }
    return batch;
  }

  private async deliver(batch: Pending[]): Promise<void> {
    this.inFlight += batch.length;
    for (const p of batch) {
      p.receiveCount += 1;
      p.record.attributes.ApproximateReceiveCount = String(p.receiveCount);
    }
    let failed: Set<string>;
    let reason = 'reported as failed by the handler';
    try {
      const response = await this.options.handler({ Records: batch.map((p) => p.record) });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // A handler that throws fails the whole batch, as in Lambda.
      failed = new Set(batch.map((p) => p.record.messageId));
      reason = `handler threw: ${(error as Error).message}`;
    }
    const { maxReceiveCount = 3, visibilityTimeoutMs = 500 } = this.options;
    for (const p of batch) {
      if (failed.has(p.record.messageId)) {
        if (p.receiveCount >= maxReceiveCount) {
          this.options.deadLetters.add({
            messageId: p.record.messageId,
            body: p.record.body,
            reason,
            receiveCount: p.receiveCount,
            at: this.options.deadLetters.clock().toISOString(),
          });
        } else {
          p.visibleAt = Date.now() + visibilityTimeoutMs;
          this.waiting.push(p);
        }
      }
      p.firstAttempt.resolve();
    }
    this.inFlight -= batch.length;
  }

  private afterPoll(): void {
    if (this.waiting.length > 0) {
      const next = Math.min(...this.waiting.map((p) => p.visibleAt));
      this.schedule(Math.max(0, next - Date.now()));
    } else if (this.depth === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
