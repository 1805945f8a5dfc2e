/**
 * Every cdk-nag finding Gatehouse accepts, each on the resource it concerns and with the reason.
 * The infra tests compare this list with what synth reports, so a new acknowledgement cannot slip in unnoticed.
 */
import { Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { GatehouseStack } from './gatehouse-stack';
import { GatehouseFunction } from './constructs/gatehouse-function';

export interface NagAcknowledgement {
  /** Construct path below the stack. */
  path: string;
  id: string;
  reason: string;
}

export function acknowledgements(stack: GatehouseStack): [IConstruct, NagAcknowledgement][] {
  const found: [IConstruct, NagAcknowledgement][] = [];
  const ack = (construct: IConstruct, id: string, reason: string) =>
    found.push([construct, { path: construct.node.path.replace(`${stack.node.path}/`, ''), id, reason }]);
  const policyOf = (fn: GatehouseFunction) => fn.role!.node.findChild('DefaultPolicy');

  const functions = stack.node.findAll().filter((c): c is GatehouseFunction => c instanceof GatehouseFunction);
  for (const fn of functions) {
    const logGroupId = stack.getLogicalId(fn.logGroup.node.defaultChild as CfnElement);
    ack(policyOf(fn), `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`, 'Log streams of this function\'s own log group: Lambda names them at run time, so they can only be matched under the group.');
    ack(policyOf(fn), 'AwsSolutions-IAM5[Resource::*]', fn === stack.alertDispatch.handler
      ? 'xray:PutTraceSegments/PutTelemetryRecords (tracing) and dynamodb:ListStreams (stream event source) support no resource-level permissions.'
      : 'xray:PutTraceSegments/PutTelemetryRecords (tracing) support no resource-level permissions.');
  }
  const dispatchPolicy = policyOf(stack.alertDispatch.handler);
  for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
    ack(dispatchPolicy, `AwsSolutions-IAM5[Action::${action}]`, 'Granted by CDK for the stream event source\'s on-failure SQS destination (queue.grantSendMessages); limited to the stack\'s one data key.');
  }
  ack(stack.alertDispatch.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the on-failure destination of the dispatch stream event source; a dead-letter queue needs none of its own.');

  // Partner drops: object keys under a prefix can only be granted with a wildcard after the prefix.
  const drops = stack.partnerDrops;
  const bucketId = stack.getLogicalId(drops.bucket.node.defaultChild as CfnElement);
  const prefixAck = (construct: IConstruct, prefix: string, why: string) => ack(construct, `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`, why);
  const dropPolicy = policyOf(drops.handler);
  prefixAck(dropPolicy, 'incoming/', 'partner-drop reads, then removes, the files partners drop: any key under incoming/, named only at run time by the S3 notification.');
  prefixAck(dropPolicy, 'reports/', 'partner-drop writes a report for every file under reports/{partnerId}/, for every registered partner.');
  prefixAck(dropPolicy, 'quarantine/', 'partner-drop moves files it cannot read to quarantine/, under the partner and name they arrived with.');
  prefixAck(dropPolicy, 'archive/', 'partner-drop moves files it has read to archive/, under the partner, kind and date they arrived.');
  for (const [partnerId, role] of drops.partnerRoles) {
    const policy = role.node.findChild('DefaultPolicy');
    prefixAck(policy, `incoming/${partnerId}/`, `The ${partnerId} partner may put files, under names it chooses, only below its own incoming/${partnerId}/ prefix.`);
    prefixAck(policy, `reports/${partnerId}/`, `The ${partnerId} partner may read only the reports on its own files, below reports/${partnerId}/.`);
  }
  return found;
}

export function acknowledgeFindings(stack: GatehouseStack): void {
  for (const [construct, { id, reason }] of acknowledgements(stack)) Validations.of(construct).acknowledge({ id, reason });
}
