/** An SNS topic as a channel: operations can subscribe e-mail, SMS or a chat bridge to it. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Channel } from '../../use-cases/dispatch-alert';

export function snsTopic(sns: SNSClient, topicArn: string): Channel {
  return {
    name: 'sns',
    async send(message) {
      const { MessageId } = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: 'Gatehouse alert',
          Message: message.text,
          MessageAttributes: { recipient: { DataType: 'String', StringValue: message.recipient.id } },
        }),
      );
      return MessageId ? { providerRef: MessageId } : {};
    },
  };
}
