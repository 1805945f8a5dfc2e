/**
 * Custody events in: the queue (with its dead-letter queue) and the function that records each event once.
 */
import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueName, type StageConfig } from '../config/stages';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';

export class CustodyEvents extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly handler: GatehouseFunction;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey; data: DataStores }) {
    super(scope, id);
    const { config, key, data } = props;
    const timeout = Duration.seconds(30);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: queueName(config.stage, 'custody-events', 'dlq'),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: queueName(config.stage, 'custody-events'),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // AWS's guidance: at least six times the function timeout, so a retried batch is not received twice at once.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: config.maxReceiveCount },
    });

    this.handler = new GatehouseFunction(this, 'Function', {
      name: 'custody-events',
      config,
      key,
      timeout,
      environment: {
        ...data.environment,
        CUSTODY_DLQ_URL: this.deadLetterQueue.queueUrl,
        LATE_DAY_FROM: config.lateDayFrom,
        RETENTION_DAYS: String(config.retentionDays),
      },
    });
    this.handler.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), reportBatchItemFailures: true }),
    );

    // Least privilege: read the person, write ledger/person/alerts in one transaction, add to counters.
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        resources: [data.records.tableArn],
      }),
    );
    this.handler.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:UpdateItem'], resources: [data.aggregates.tableArn] }),
    );
    // Rejected messages go straight to the dead-letter queue (the key grant covers its encryption).
    this.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    this.handler.grantKeyUse(key);
  }
}
