import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { redrive } from '#infra/ops/redrive';

// There is no SQS emulator here: the client is mocked to check what the command asks SQS to do.
const sqs = mockClient(SQSClient);

describe('npm run redrive', () => {
  beforeEach(() => {
    sqs.reset();
    sqs
      .on(GetQueueUrlCommand, { QueueName: 'gatehouse-prod-custody-events-dlq' })
      .resolves({ QueueUrl: 'https://sqs/dlq' });
  });

  it("moves the messages of the named queue's dead-letter queue back to their source", async () => {
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        QueueArn: 'arn:aws:sqs:eu-west-2:1:gatehouse-prod-custody-events-dlq',
        ApproximateNumberOfMessages: '7',
      },
    });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    const result = await redrive(new SQSClient({ region: 'eu-west-2' }), 'prod', 'custody-events');
    expect(result).toEqual({
      deadLetterQueue: 'gatehouse-prod-custody-events-dlq',
      messages: 7,
      taskHandle: 'task-1',
    });
    // No destination: SQS returns each message to the queue it was dead-lettered from.
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: 'arn:aws:sqs:eu-west-2:1:gatehouse-prod-custody-events-dlq',
    });
  });

  it('starts nothing when the dead-letter queue is empty', async () => {
    sqs
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { QueueArn: 'arn', ApproximateNumberOfMessages: '0' } });
    expect(await redrive(new SQSClient({ region: 'eu-west-2' }), 'prod', 'custody-events')).toEqual({
      deadLetterQueue: 'gatehouse-prod-custody-events-dlq',
      messages: 0,
    });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('refuses to "redrive" the dispatch dead-letter queue, whose records are stream pointers, and says where the notices are', async () => {
    await expect(redrive(new SQSClient({ region: 'eu-west-2' }), 'prod', 'dispatch')).rejects.toThrow(
      /holds the stream's failure records .* the sweeper sends every notice the stream could not/,
    );
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });
});
