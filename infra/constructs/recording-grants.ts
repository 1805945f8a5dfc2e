/**
 * What a function that records custody events needs (custody-events, and partner-drop for the release-schedule rows
 * it records with the same use case): read the person; write the ledger, the person and the alerts in one
 * transaction; add to the counters; and put what can never be valid on its dead-letter queue.
 */
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { DataStores } from './data-stores';
import type { GatehouseFunction } from './gatehouse-function';

export function grantRecording(
  fn: GatehouseFunction,
  data: DataStores,
  deadLetterQueue: Queue,
  /** Further actions on the records table the function needs besides (partner-drop reads in batches). */
  moreRecordActions: string[] = [],
): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: [
        'dynamodb:GetItem',
        ...moreRecordActions,
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ],
      resources: [data.records.tableArn],
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['dynamodb:UpdateItem'],
      resources: [data.aggregates.tableArn],
    }),
  );
  // Rejected messages go straight to the dead-letter queue (the key grant covers its encryption).
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['sqs:SendMessage'],
      resources: [deadLetterQueue.queueArn],
    }),
  );
}
