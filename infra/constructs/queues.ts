/**
 * Gatehouse's queues, made one way: encrypted with the stack's key, TLS only, named so an operator can name them
 * (`npm run redrive -- <name>`), and every work queue with its dead-letter queue. Observability finds them all.
 */
import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { queueName } from '#infra/config/stages';

/** A queue that only ever holds what failed: kept 14 days, alarmed on (its construct id ends in DeadLetterQueue). */
export function deadLetterQueue(
  scope: Construct,
  id: `${string}DeadLetterQueue`,
  props: { stage: string; name: string; key: IKey },
): Queue {
  return new Queue(scope, id, {
    queueName: queueName(props.stage, props.name, 'dlq'),
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: props.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}

/** A work queue (construct id `Queue`) and its dead-letter queue (`DeadLetterQueue`) in `scope`. */
export function workQueue(
  scope: Construct,
  props: { stage: string; name: string; key: IKey; maxReceiveCount: number; consumerTimeout: Duration },
): { queue: Queue; deadLetterQueue: Queue } {
  const dlq = deadLetterQueue(scope, 'DeadLetterQueue', props);
  const queue = new Queue(scope, 'Queue', {
    queueName: queueName(props.stage, props.name),
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: props.key,
    enforceSSL: true,
    // AWS's guidance: at least six times the consumer's timeout, so a retried batch is not received twice at once.
    visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: dlq, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetterQueue: dlq };
}
