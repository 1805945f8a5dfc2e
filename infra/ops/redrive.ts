/**
 * `npm run redrive -- <queue> [--stage dev|prod] [--local URL]`: moves the messages parked in a queue's
 * dead-letter queue back to the queue, once the cause is fixed.
 *
 * In AWS it starts an SQS message move task (StartMessageMoveTask) from `gatehouse-{stage}-{queue}-dlq` back
 * to its source queue. With `--local` it asks a running `npm start` to re-enqueue its local dead letters.
 */
import { parseArgs } from 'node:util';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { queueName } from '#infra/config/stages';

export interface RedriveResult {
  deadLetterQueue: string;
  messages: number;
  taskHandle?: string;
}

/** Dead-letter queues that hold pointers rather than messages: redriving them cannot work, so it is refused with what to do instead. */
export const notRedrivable: Record<string, string> = {
  dispatch:
    "the dispatch dead-letter queue holds the stream's failure records (shard pointers that expire after 24 hours), not notices. Nothing needs redriving: the sweeper sends every notice the stream could not from the notice outbox (docs/operations.md#the-notice-outbox).",
};

export async function redrive(sqs: SQSClient, stage: string, queue: string): Promise<RedriveResult> {
  if (notRedrivable[queue]) throw new Error(notRedrivable[queue]);
  const deadLetterQueue = queueName(stage, queue, 'dlq');
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: deadLetterQueue }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }),
  );
  const messages = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  if (messages === 0) return { deadLetterQueue, messages };
  // Without a destination, SQS returns each message to the queue it was dead-lettered from.
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: Attributes!.QueueArn! }),
  );
  return { deadLetterQueue, messages, ...(TaskHandle ? { taskHandle: TaskHandle } : {}) };
}

export async function moveTaskStatus(sqs: SQSClient, sourceArn: string): Promise<string> {
  const { Results } = await sqs.send(
    new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
  );
  const task = Results?.[0];
  return task
    ? `${task.Status}: ${task.ApproximateNumberOfMessagesMoved ?? 0} of ${task.ApproximateNumberOfMessagesToMove ?? '?'} moved`
    : 'no move task';
}

async function main(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { stage: { type: 'string', default: 'dev' }, local: { type: 'string' } },
  });
  const queue = positionals[0];
  if (!queue) {
    console.error(
      'usage: npm run redrive -- <queue> [--stage dev|prod] [--local http://127.0.0.1:3000]   (queues: custody-events, partner-drops; dispatch needs no redrive: see docs/operations.md#the-notice-outbox)',
    );
    process.exit(2);
  }
  if (values.local) {
    const response = await fetch(`${values.local}/dead-letters/${queue}/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await response.json()) as { redriven?: number; error?: string };
    console.log(
      response.ok
        ? `re-enqueued ${body.redriven} message(s) from the local ${queue} dead-letter queue`
        : `failed: ${body.error}`,
    );
    process.exit(response.ok ? 0 : 1);
  }
  const result = await redrive(new SQSClient({}), values.stage, queue);
  if (result.messages === 0) console.log(`${result.deadLetterQueue} is empty: nothing to redrive`);
  else
    console.log(
      `moving ${result.messages} message(s) from ${result.deadLetterQueue} back to ${queueName(values.stage, queue)} (task ${result.taskHandle})`,
    );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`redrive failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
