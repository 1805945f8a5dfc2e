/**
 * Partner file drops: the bucket partners put files into, the S3 → SQS notification on incoming/, the queue
 * (with its dead-letter queue) and the partner-drop function, and one role per partner in the registry that
 * may only put files under its own incoming/{partnerId}/ and read its own reports/{partnerId}/.
 */
import { Aws, type CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { workQueue } from './queues';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { partners, type Partner } from '#domain/partners';
import { partnerDropsBucket, resourceName } from '#commons/resources';
import { prefixes } from '#adapters/s3/drop-layout';
import { scopeEnvironment, type StageConfig } from '#infra/config/stages';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';
import { grantRecording } from './recording-grants';
import { envNames } from '#commons/env-names';

/** The IAM principals that may act for a partner: created by the account's administrators under these names. */
export function partnerPrincipals(partnerId: string): string[] {
  return [
    `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/gatehouse-partner-${partnerId}-*`,
    `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/gatehouse-partner/${partnerId}/*`,
  ];
}

/** What a partner's uploader passes as ExternalId when it assumes the partner's role. */
export function partnerExternalId(stage: string, partnerId: string): string {
  return `gatehouse-${stage}-${partnerId}`;
}

export class PartnerDrops extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly handler: GatehouseFunction;
  readonly partnerRoles = new Map<string, Role>();

  constructor(
    scope: Construct,
    id: string,
    props: { config: StageConfig; key: IKey; data: DataStores; registry?: readonly Partner[] },
  ) {
    super(scope, id);
    // Access-log delivery by bucket policy, not by ACL: ACLs stay disabled (object ownership enforced) on both buckets.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const { config, key, data, registry = partners } = props;
    const removalPolicy = config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const timeout = Duration.minutes(10); // a 50 MB file is read twice and written in chunks

    // Server access logs cannot be delivered to a KMS-encrypted bucket: this one uses S3-managed keys.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });

    // Named (not generated) so the queue policy and the key policy can name it without a dependency cycle.
    const bucketName = `${resourceName(config.stage, partnerDropsBucket.id)}-${Aws.ACCOUNT_ID}`;
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'partner-drops/',
      lifecycleRules: [
        // Files are moved out of incoming/ once read; what is left there failed and is kept for a redrive.
        { id: 'incoming', prefix: prefixes.incoming, expiration: Duration.days(30) },
        {
          id: 'reports',
          prefix: prefixes.reports,
          expiration: Duration.days(Math.max(config.retentionDays, 90)),
        },
        { id: 'quarantine', prefix: prefixes.quarantine, expiration: Duration.days(90) },
        {
          id: 'archive',
          prefix: prefixes.archive,
          ...(config.retentionDays > 60
            ? {
                transitions: [
                  {
                    storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
                    transitionAfter: Duration.days(30),
                  },
                ],
              }
            : {}),
          expiration: Duration.days(config.retentionDays),
        },
        {
          id: 'old-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy,
    });

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueue(this, {
      stage: config.stage,
      name: 'partner-drops',
      key,
      maxReceiveCount: config.maxReceiveCount,
      consumerTimeout: timeout,
    }));

    // S3 → SQS on incoming/ only: reports, quarantine and archive writes must not notify.
    const fromThisBucket = {
      ArnLike: { 'aws:SourceArn': bucketArn },
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    };
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: fromThisBucket,
      }),
    );
    // The queue is encrypted with the stack's key, so S3 needs to use the key to send to it.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisBucket,
      }),
    );
    const cfnBucket = this.bucket.node.defaultChild as CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          queue: this.queue.queueArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: prefixes.incoming }] } },
        },
      ],
    };
    // S3 checks it may send when the notification is created: the queue policy must exist first.
    cfnBucket.addResourceDependency(this.queue.node.findChild('Policy').node.defaultChild as CfnResource);

    this.handler = new GatehouseFunction(this, 'Function', {
      name: 'partner-drop',
      config,
      key,
      timeout,
      memorySize: 1024,
      environment: {
        ...data.environment,
        [partnerDropsBucket.envVar]: this.bucket.bucketName,
        [envNames.partnerDropsDeadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
        [envNames.partnerFileMaxBytes]: String(50 * 1024 * 1024),
        [envNames.lateDayFrom]: config.lateDayFrom,
        ...scopeEnvironment(config),
        [envNames.retentionDays]: String(config.retentionDays),
      },
    });
    // One file per invocation: a file can take minutes, and a failure retries only that file.
    this.handler.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }),
    );

    const objects = (prefix: string) => `${this.bucket.bucketArn}/${prefix}*`;
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [objects(prefixes.incoming)],
      }),
    );
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [prefixes.reports, prefixes.quarantine, prefixes.archive].map(objects),
      }),
    );
    // Rows become release cases (the custody events use case), tracked outcomes, rota entries and counters.
    grantRecording(this.handler, data, this.deadLetterQueue, ['dynamodb:BatchGetItem']);
    this.handler.grantKeyUse(key);

    const region = Stack.of(this).region;
    for (const partner of registry) {
      const role = new Role(this, `Partner-${partner.id}`, {
        // Not the whole account: only the principals named for this partner (roles gatehouse-partner-{id}-*, users
        // under the path /gatehouse-partner/{id}/), and only with the partner's external id, so a principal allowed
        // sts:AssumeRole on * elsewhere in the account cannot become a partner, nor one partner another.
        assumedBy: new AccountPrincipal(Aws.ACCOUNT_ID).withConditions({
          ArnLike: { 'aws:PrincipalArn': partnerPrincipals(partner.id) },
          StringEquals: { 'sts:ExternalId': partnerExternalId(config.stage, partner.id) },
        }),
        description: `Gatehouse partner drops: ${partner.name}`.slice(0, 1000),
        maxSessionDuration: Duration.hours(1),
      });
      role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:PutObject'],
          resources: [objects(`${prefixes.incoming}${partner.id}/`)],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:GetObject'],
          resources: [objects(`${prefixes.reports}${partner.id}/`)],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      );
      this.partnerRoles.set(partner.id, role);
    }
  }
}
