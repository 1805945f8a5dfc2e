import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { acknowledgements } from '../../infra/nag-acknowledgements';
import { alertStreamFilter } from '../../functions/commons/resources';
import { partners } from '../../functions/commons/partners';

describe.each(['dev', 'prod'])('the %s stack', (stage) => {
  let built: ReturnType<typeof buildApp>;
  let template: Template;
  beforeAll(() => {
    built = buildApp(stage);
    template = Template.fromStack(built.stack);
  });

  it('synthesises with cdk-nag AwsSolutions registered and no unacknowledged finding', () => {
    expect(() => built.app.synth()).not.toThrow();
  });

  it('has the records table (stream, TTL, indexes) and a separate aggregates table, both on the customer-managed key with PITR', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `gatehouse-${stage}-records`,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byDue' }), Match.objectLike({ IndexName: 'bySchedule' })],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `gatehouse-${stage}-aggregates`,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      StreamSpecification: Match.absent(),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('gives the custody queue a dead-letter queue and reports batch item failures', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: stage === 'prod' ? 5 : 3 },
      VisibilityTimeout: 180,
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustodyEventsQueue'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('feeds dispatch from the records stream, filtered to newly inserted alerts, with an on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataRecords'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(alertStreamFilter) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      BisectBatchOnFunctionError: true,
    });
  });

  it('runs every function on Node.js 24, arm64, with tracing and its own encrypted log group', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(4);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, LoggingConfig: { LogFormat: 'JSON' } });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: stage === 'prod' ? 90 : 30, KmsKeyId: Match.anyValue() });
  });

  it('puts the HTTP API behind a Cognito JWT authorizer with access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: { DestinationArn: Match.anyValue() } });
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    for (const route of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('JWT');
    }
  });

  it('grants no function a managed policy or a wildcard data action', () => {
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('dynamodb:') && a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
  });

  it('protects data in prod only: deletion protection and RETAIN', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
    for (const table of tables) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(stage === 'prod');
      expect(table.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    }
  });

  it('acknowledges exactly these cdk-nag findings, each with a specific reason', () => {
    const listed = acknowledgements(built.stack).map(([, a]) => ({ path: a.path, id: a.id.replace(/<[^>]+>/, '<LogGroup>') }));
    expect(listed).toEqual([
      { path: 'CustodyEvents/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'CustodyEvents/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'Api/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'Api/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'PartnerDrops/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'PartnerDrops/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]' },
      { path: 'AlertDispatch/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
      ...['incoming/', 'reports/', 'quarantine/', 'archive/'].map((prefix) => ({ path: 'PartnerDrops/FunctionRole/DefaultPolicy', id: `AwsSolutions-IAM5[Resource::<LogGroup>/${prefix}*]` })),
      ...partners.flatMap((p) => ['incoming', 'reports'].map((prefix) => ({ path: `PartnerDrops/Partner-${p.id}/DefaultPolicy`, id: `AwsSolutions-IAM5[Resource::<LogGroup>/${prefix}/${p.id}/*]` }))),
    ]);
    for (const [, a] of acknowledgements(built.stack)) expect(a.reason.length).toBeGreaterThan(40);
  });
});
