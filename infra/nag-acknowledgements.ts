/**
 * Every cdk-nag finding Gatehouse accepts, each on the resource it concerns and with the reason.
 * The infra tests compare this list with what synth reports, so a new acknowledgement cannot slip in unnoticed.
 */
import { Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { GatehouseStack } from './gatehouse-stack';
import { GatehouseFunction } from './constructs/gatehouse-function';
import { apiRoutes } from './constructs/api';

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

  // Alerting: acknowledge links, the alert secret, the sweeper's schedule.
  for (const r of apiRoutes.filter((r) => r.public)) {
    const route = stack.api.httpApi.node.findChild(`${r.method}${r.path.replaceAll('/', '--')}`).node.defaultChild as IConstruct;
    ack(route, 'AwsSolutions-APIG4', 'Opened from an SMS or e-mail by an on-call worker with no account: the HMAC-signed, expiring token in the link is the authorisation, checked by the function before anything is read or changed.');
  }
  ack(stack.alerting.secret, 'AwsSolutions-SMG4', 'Holds the GOV.UK Notify API key (rotated in Notify by an operator, then pasted here) and the link and webhook signing keys; rotating those on a schedule would break every outstanding acknowledge link and every receiver\'s check.');
  ack(stack.alerting.scheduleDeadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the sweeper\'s EventBridge Scheduler target; a dead-letter queue needs none of its own.');
  const schedulerPolicy = stack.node.findAll().find((c) => c.node.id === 'DefaultPolicy' && c.node.scope?.node.id.startsWith('SchedulerRoleForTarget'))!;
  const sweeperId = stack.getLogicalId(stack.alerting.sweeper.node.defaultChild as CfnElement);
  ack(schedulerPolicy, `AwsSolutions-IAM5[Resource::<${sweeperId}.Arn>:*]`, 'Created by CDK for EventBridge Scheduler to invoke the sweeper: lambda:InvokeFunction on the one function and its versions, nothing else.');
  return found;
}

export function acknowledgeFindings(stack: GatehouseStack): void {
  for (const [construct, { id, reason }] of acknowledgements(stack)) Validations.of(construct).acknowledge({ id, reason });
}
