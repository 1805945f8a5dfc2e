/**
 * Custody events in: the queue (with its dead-letter queue) and the function that records each event once.
 * Producers reach the queue three ways: the HMPPS domain-events SNS topic (a subscription filtered on
 * `eventType`), Gatehouse's own EventBridge bus (a rule for custody events v1), or SQS directly.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import {
  EventBus,
  Rule,
  RuleTargetInput,
  type IRuleTarget,
  type RuleTargetConfig,
} from 'aws-cdk-lib/aws-events';
import { Topic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { SNS_SUBSCRIPTIONS_SQS_DECRYPTION_POLICY } from 'aws-cdk-lib/cx-api';
import { hmppsEventTypes } from '#events/hmpps/domain-event';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { workQueue } from './queues';
import { Construct } from 'constructs';
import { scopeEnvironment, type StageConfig } from '#infra/config/stages';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';
import { grantRecording } from './recording-grants';
import { envNames } from '#commons/env-names';

export class CustodyEvents extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly handler: GatehouseFunction;
  /** Direct producers put custody events v1 here (detail-type `custody-event.v1`, the event as `detail`). */
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey; data: DataStores }) {
    super(scope, id);
    // The key policy SNS gets is limited to the subscribed topic too, whatever cdk.json says (read from here down).
    this.node.setContext(SNS_SUBSCRIPTIONS_SQS_DECRYPTION_POLICY, true);
    const { config, key, data } = props;
    const timeout = Duration.seconds(30);

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueue(this, {
      stage: config.stage,
      name: 'custody-events',
      key,
      maxReceiveCount: config.maxReceiveCount,
      consumerTimeout: timeout,
    }));

    this.handler = new GatehouseFunction(this, 'Function', {
      name: 'custody-events',
      config,
      key,
      timeout,
      environment: {
        ...data.environment,
        [envNames.custodyDeadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
        [envNames.lateDayFrom]: config.lateDayFrom,
        ...scopeEnvironment(config),
        [envNames.retentionDays]: String(config.retentionDays),
      },
    });
    this.handler.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );

    // HMPPS domain events: only the three types Gatehouse reads, in the SNS envelope (no raw delivery) the handler unwraps.
    // The subscription adds the queue policy and the key policy for this one topic ARN (aws:SourceArn).
    const topicArn =
      config.hmppsDomainEventsTopicArn ??
      (this.node.tryGetContext('hmppsDomainEventsTopicArn') as string | undefined);
    if (topicArn) {
      Topic.fromTopicArn(this, 'HmppsDomainEvents', topicArn).addSubscription(
        new SqsSubscription(this.queue, {
          rawMessageDelivery: false,
          filterPolicy: {
            eventType: SubscriptionFilter.stringFilter({ allowlist: Object.values(hmppsEventTypes) }),
          },
        }),
      );
    }

    // Direct producers (HMP Durham's systems) publish to Gatehouse's bus; the rule hands the event itself to the queue.
    const busName = `gatehouse-${config.stage}-custody`;
    this.bus = new EventBus(this, 'Bus', { eventBusName: busName });
    // Named, so the queue and key policies can name the rule's ARN without a dependency cycle (key → rule → queue → key).
    const ruleName = `gatehouse-${config.stage}-custody-events-v1`;
    const ruleArn = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${busName}/${ruleName}`;
    new Rule(this, 'CustodyEventsV1', {
      eventBus: this.bus,
      ruleName,
      description: 'Custody events v1 from direct producers to the custody queue',
      eventPattern: { detailType: ['custody-event.v1'] },
      targets: [queueTargetOfRule(this.queue, this.deadLetterQueue, key, ruleArn)],
    });

    // Least privilege: read the person, write ledger/person/alerts in one transaction, add to counters.
    grantRecording(this.handler, data, this.deadLetterQueue);
    this.handler.grantKeyUse(key);
  }
}

/**
 * The rule's SQS target, with EventBridge's permissions on the queue, its dead-letter queue and the key limited to
 * this one rule (aws:SourceArn). CDK's SqsQueue target leaves the condition off for a KMS-encrypted queue (at most
 * aws:SourceAccount, with @aws-cdk/aws-events:eventsTargetQueueSameAccount), so any rule in the account could send.
 */
function queueTargetOfRule(queue: Queue, deadLetterQueue: Queue, key: IKey, ruleArn: string): IRuleTarget {
  return {
    bind(): RuleTargetConfig {
      const events = new ServicePrincipal('events.amazonaws.com');
      const fromTheRule = { ArnEquals: { 'aws:SourceArn': ruleArn } };
      for (const q of [queue, deadLetterQueue]) {
        q.addToResourcePolicy(
          new PolicyStatement({
            principals: [events],
            actions: ['sqs:SendMessage'],
            resources: [q.queueArn],
            conditions: fromTheRule,
          }),
        );
      }
      key.addToResourcePolicy(
        new PolicyStatement({
          principals: [events],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: fromTheRule,
        }),
      );
      return {
        arn: queue.queueArn,
        input: RuleTargetInput.fromEventPath('$.detail'),
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: Duration.hours(24).toSeconds() },
      };
    },
  };
}
