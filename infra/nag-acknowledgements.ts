/**
 * Every cdk-nag finding Gatehouse accepts, each on the resource it concerns and with the reason.
 * The infra tests compare this list with what synth reports, so a new acknowledgement cannot slip in unnoticed.
 */
import { DefaultStackSynthesizer, Token, Validations, type CfnElement } from 'aws-cdk-lib';
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

  const functions = stack.node
    .findAll()
    .filter((c): c is GatehouseFunction => c instanceof GatehouseFunction);
  for (const fn of functions) {
    const logGroupId = stack.getLogicalId(fn.logGroup.node.defaultChild as CfnElement);
    ack(
      policyOf(fn),
      `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`,
      "Log streams of this function's own log group: Lambda names them at run time, so they can only be matched under the group.",
    );
    ack(
      policyOf(fn),
      'AwsSolutions-IAM5[Resource::*]',
      fn === stack.alertDispatch.handler
        ? 'xray:PutTraceSegments/PutTelemetryRecords (tracing) and dynamodb:ListStreams (stream event source) support no resource-level permissions.'
        : 'xray:PutTraceSegments/PutTelemetryRecords (tracing) support no resource-level permissions.',
    );
  }
  const dispatchPolicy = policyOf(stack.alertDispatch.handler);
  for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
    ack(
      dispatchPolicy,
      `AwsSolutions-IAM5[Action::${action}]`,
      "Granted by CDK for the stream event source's on-failure SQS destination (queue.grantSendMessages); limited to the stack's one data key.",
    );
  }
  ack(
    stack.alertDispatch.deadLetterQueue,
    'AwsSolutions-SQS3',
    'This queue is itself the on-failure destination of the dispatch stream event source; a dead-letter queue needs none of its own.',
  );

  // Alerting: acknowledge links, Notify's callbacks, the alert secret, the sweeper's schedule.
  for (const r of apiRoutes.filter((r) => r.public)) {
    const route = stack.api.httpApi.node.findChild(`${r.method}${r.path.replaceAll('/', '--')}`).node
      .defaultChild as IConstruct;
    ack(
      route,
      'AwsSolutions-APIG4',
      r.path.startsWith('/notify/')
        ? "Called by GOV.UK Notify, which cannot sign in: the bearer token registered with Notify's callback is the authorisation, compared in constant time by the function before anything is read or changed."
        : 'Opened from an SMS or e-mail by an on-call worker with no account: the HMAC-signed, expiring token in the link is the authorisation, checked by the function before anything is read or changed.',
    );
  }
  ack(
    stack.routing,
    'AwsSolutions-SMG4',
    'The alert routing is configuration (who is paged), changed by an operator with npm run routing:put when contacts change; there is nothing to rotate.',
  );
  ack(
    stack.identifierKey,
    'AwsSolutions-SMG4',
    'Alert ids and HMPPS event ids are derived with this key so that a repeat of a release finds its open alert; rotating it would split one alert into two and page someone twice.',
  );
  ack(
    stack.alerting.linkSigningKeys,
    'AwsSolutions-SMG4',
    'Rotated by an operator (docs/operations.md): a new key id becomes current while the previous one still verifies the links already sent, then is removed after the longest alert lifetime; an automatic rotation would drop the previous key.',
  );
  ack(
    stack.alerting.notifyApiKey,
    'AwsSolutions-SMG4',
    'The GOV.UK Notify API key is issued and revoked in Notify by an operator, then pasted here; Secrets Manager cannot rotate it.',
  );
  ack(
    stack.alerting.notifyCallbackToken,
    'AwsSolutions-SMG4',
    'The token is registered in GOV.UK Notify by an operator; rotating it means registering the new one in Notify at the same time (docs/operations.md), which Secrets Manager cannot do.',
  );
  ack(
    stack.alerting.webhookSigningKeys,
    'AwsSolutions-SMG4',
    'Each key is shared with one webhook receiver, which must install the new key at the same time; rotation is agreed with the receiver (docs/operations.md).',
  );
  ack(
    stack.hmpps.secret,
    'AwsSolutions-SMG4',
    'The HMPPS Auth client id and secret are issued and rotated by HMPPS (a request to the HMPPS Auth team), then put here by an operator; Secrets Manager cannot rotate them at HMPPS.',
  );
  ack(
    stack.alerting.scheduleDeadLetterQueue,
    'AwsSolutions-SQS3',
    "This queue is itself the dead-letter queue of the sweeper's EventBridge Scheduler target; a dead-letter queue needs none of its own.",
  );
  const schedulerPolicy = stack.node
    .findAll()
    .find(
      (c) => c.node.id === 'DefaultPolicy' && c.node.scope?.node.id.startsWith('SchedulerRoleForTarget'),
    )!;
  const sweeperId = stack.getLogicalId(stack.alerting.sweeper.node.defaultChild as CfnElement);
  ack(
    schedulerPolicy,
    `AwsSolutions-IAM5[Resource::<${sweeperId}.Arn>:*]`,
    'Created by CDK for EventBridge Scheduler to invoke the sweeper: lambda:InvokeFunction on the one function and its versions, nothing else.',
  );

  acknowledgeDashboard(stack, ack);

  // Partner drops: object keys under a prefix can only be granted with a wildcard after the prefix.
  const drops = stack.partnerDrops;
  const bucketId = stack.getLogicalId(drops.bucket.node.defaultChild as CfnElement);
  const prefixAck = (construct: IConstruct, prefix: string, why: string) =>
    ack(construct, `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`, why);
  const dropPolicy = policyOf(drops.handler);
  prefixAck(
    dropPolicy,
    'incoming/',
    'partner-drop reads, then removes, the files partners drop: any key under incoming/, named only at run time by the S3 notification.',
  );
  prefixAck(
    dropPolicy,
    'reports/',
    'partner-drop writes a report for every file under reports/{partnerId}/, for every registered partner.',
  );
  prefixAck(
    dropPolicy,
    'quarantine/',
    'partner-drop moves files it cannot read to quarantine/, under the partner and name they arrived with.',
  );
  prefixAck(
    dropPolicy,
    'archive/',
    'partner-drop moves files it has read to archive/, under the partner, kind and date they arrived.',
  );
  for (const [partnerId, role] of drops.partnerRoles) {
    const policy = role.node.findChild('DefaultPolicy');
    prefixAck(
      policy,
      `incoming/${partnerId}/`,
      `The ${partnerId} partner may put files, under names it chooses, only below its own incoming/${partnerId}/ prefix.`,
    );
    prefixAck(
      policy,
      `reports/${partnerId}/`,
      `The ${partnerId} partner may read only the reports on its own files, below reports/${partnerId}/.`,
    );
  }
  return found;
}

/** The dashboard's CloudFront distribution and CDK's BucketDeployment that publishes the site into it. */
function acknowledgeDashboard(
  stack: GatehouseStack,
  ack: (construct: IConstruct, id: string, reason: string) => void,
): void {
  const { distribution, publishRole, publishLogs, site } = stack.dashboard;
  ack(
    distribution,
    'AwsSolutions-CFR4',
    'The distribution has no custom domain yet, so it serves the default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1; add a domain and ACM certificate to require TLSv1.2_2021.',
  );
  ack(
    distribution,
    'AwsSolutions-CFR2',
    'A WAF web ACL for CloudFront must live in us-east-1 and this stack is in eu-west-2; the site is static files, restricted to GB, and every figure behind it needs a Cognito token at the API.',
  );
  const policy = publishRole!.node.findChild('DefaultPolicy');
  const logsId = stack.getLogicalId(publishLogs!.node.defaultChild as CfnElement);
  // With @aws-cdk/core:enablePartitionLiterals the partition is written out when the region is known.
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const assets = `arn:${partition}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-${stack.region}/*`;
  const siteId = stack.getLogicalId(site.node.defaultChild as CfnElement);
  const copy =
    "Granted by CDK's BucketDeployment to copy the site from the CDK asset bucket into the site bucket and prune old files; limited to those two buckets.";
  ack(
    policy,
    `AwsSolutions-IAM5[Resource::<${logsId}.Arn>:*]`,
    "Log streams of the deployment function's own log group: Lambda names them at run time, so they can only be matched under the group.",
  );
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'])
    ack(policy, `AwsSolutions-IAM5[Action::${action}]`, copy);
  ack(policy, `AwsSolutions-IAM5[Resource::${assets}]`, copy);
  ack(policy, `AwsSolutions-IAM5[Resource::<${siteId}.Arn>/*]`, copy);
  ack(
    policy,
    'AwsSolutions-IAM5[Resource::*]',
    "Granted by CDK's BucketDeployment for cloudfront:CreateInvalidation/GetInvalidation, so a new version of the site is served at once.",
  );
  const deployer = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))!;
  ack(
    deployer,
    'AwsSolutions-L1',
    "CDK's BucketDeployment function: its Python runtime is chosen by aws-cdk-lib and moves with it; it runs only during deployments.",
  );
}

export function acknowledgeFindings(stack: GatehouseStack): void {
  for (const [construct, { id, reason }] of acknowledgements(stack))
    Validations.of(construct).acknowledge({ id, reason });
}
