/**
 * Alerts out: the records table's stream, filtered to newly raised alerts, feeds the dispatch function,
 * which sends each through its channel. Failed batches end in a dead-letter queue.
 */
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './queues';
import { Construct } from 'constructs';
import { alertStreamFilter } from '#commons/resources';
import type { StageConfig } from '#infra/config/stages';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';
import { envNames } from '#commons/env-names';

export class AlertDispatch extends Construct {
  readonly deadLetterQueue: Queue;
  readonly handler: GatehouseFunction;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey; data: DataStores }) {
    super(scope, id);
    const { config, key, data } = props;

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', {
      stage: config.stage,
      name: 'dispatch',
      key,
    });

    this.handler = new GatehouseFunction(this, 'Function', {
      name: 'dispatch',
      config,
      key,
      // A stage that pages people must not start dispatch without a GOV.UK Notify key (functions/composition/dispatch.ts).
      environment: {
        ...data.environment,
        ...(config.pagesPeople ? { [envNames.notifyRequired]: 'true' } : {}),
      },
      ...(config.dispatchReservedConcurrency
        ? { reservedConcurrentExecutions: config.dispatchReservedConcurrency }
        : {}),
    });
    this.handler.addEventSource(
      new DynamoEventSource(data.records, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [FilterCriteria.filter(alertStreamFilter)],
      }),
    );

    // Deliveries are claimed and recorded beside their alert.
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [data.records.tableArn],
      }),
    );
    this.handler.grantKeyUse(key);
  }
}
