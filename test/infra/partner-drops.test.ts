import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app';
import { appProps } from './app-props';
import { partners } from '#domain/partners';

describe('the partner drops of the dev stack', () => {
  let template: Template;
  let bucketId: string;
  beforeAll(() => {
    const { stack } = buildApp('dev', appProps('dev'));
    template = Template.fromStack(stack);
    bucketId = stack.getLogicalId(stack.partnerDrops.bucket.node.defaultChild as never);
  });

  it('keeps files in a private, versioned, KMS-encrypted bucket with access logs, owner-enforced objects and a lifecycle per prefix', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['gatehouse-dev-partnerdrops-', { Ref: 'AWS::AccountId' }]] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'partner-drops/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'incoming', Prefix: 'incoming/', ExpirationInDays: 30 }),
          Match.objectLike({ Id: 'quarantine', Prefix: 'quarantine/', ExpirationInDays: 90 }),
          Match.objectLike({ Id: 'archive', Prefix: 'archive/', ExpirationInDays: 30 }),
        ]),
      },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('notifies the partner-drops queue of objects created under incoming/ only, and S3 may use the key to send', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Event: 's3:ObjectCreated:*',
            Queue: { 'Fn::GetAtt': [Match.stringLikeRegexp('PartnerDropsQueue'), 'Arn'] },
            Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 's3.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Principal: { Service: 's3.amazonaws.com' },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 3600,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('PartnerDropsQueue'), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('gives each registered partner a role that may only put under its own incoming/ and read its own reports/', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^Gatehouse partner drops: ') },
    });
    expect(Object.keys(roles)).toHaveLength(partners.length);
    for (const partner of partners) {
      const [roleId] = Object.entries(roles).find(
        ([, r]) => r.Properties.Description === `Gatehouse partner drops: ${partner.name}`,
      )!;
      const [policy] = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
      );
      expect(policy!.Properties.PolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/incoming/${partner.id}/*`]] },
        },
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/reports/${partner.id}/*`]] },
        },
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] },
          Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
        },
      ]);
    }
  });
});
