/**
 * Where a message that can never be processed goes: the queue's dead-letter queue, at once and with its
 * reason, instead of being retried until it gets there anyway. Kept, alarmed on, and readable by an operator.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FieldError } from '#events/validation';
import { describe } from '#events/validation';

export interface RejectedMessage {
  messageId: string;
  body: string;
  errors: FieldError[];
}

export interface RejectedMessages {
  keep(message: RejectedMessage): Promise<void>;
}

export function deadLetterQueue(sqs: SQSClient, queueUrl: string, rejectedBy: string): RejectedMessages {
  return {
    async keep({ messageId, body, errors }) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: {
            rejectedBy: { DataType: 'String', StringValue: rejectedBy },
            originalMessageId: { DataType: 'String', StringValue: messageId },
            // SQS attributes hold at most 256 KB with the body; a reason is short, but bounded anyway.
            rejectionReason: { DataType: 'String', StringValue: describe(errors).slice(0, 4000) },
          },
        }),
      );
    },
  };
}
