import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appProps } from './app-props';
import { buildApp } from '#infra/app';
import { acknowledgements } from '#infra/nag-acknowledgements';
import { alertStreamFilter } from '#commons/resources';
import { partners } from '#domain/partners';

describe.each(['dev', 'prod'])('the %s stack', (stage) => {
  let built: ReturnType<typeof buildApp>;
  let template: Template;
  beforeAll(() => {
    built = buildApp(stage, appProps(stage));
    template = Template.fromStack(built.stack);
  });

  it('synthesises with cdk-nag AwsSolutions registered and no unacknowledged finding', () => {
    expect(() => built.app.synth()).not.toThrow();
  });

  it('has the records table (stream, TTL, indexes) and a separate aggregates table, both on the customer-managed key with PITR', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `gatehouse-${stage}-records`,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'byDue' }),
        Match.objectLike({ IndexName: 'bySchedule' }),
      ],
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

  it('feeds dispatch from the records stream, filtered to newly inserted notices, with an on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataRecords'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(alertStreamFilter) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      BisectBatchOnFunctionError: true,
    });
  });

  it('sweeps every minute with EventBridge Scheduler, querying the due and schedule indexes (never scanning)', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      KmsKeyArn: Match.anyValue(),
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertingSweeper'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
    const sweeperPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.startsWith('AlertingSweeperRole'),
    )![1];
    const statements = sweeperPolicy.Properties.PolicyDocument.Statement as {
      Action: string | string[];
      Resource: unknown;
    }[];
    const query = statements.find((s) => [s.Action].flat().includes('dynamodb:Query'))!;
    expect(JSON.stringify(query.Resource)).toContain('/index/byDue');
    expect(JSON.stringify(query.Resource)).toContain('/index/bySchedule');
  });

  it('keeps the Notify key and signing keys in one secret each on the stack key, each readable only by the functions that use it', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: Match.anyValue(),
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: '1',
        SecretStringTemplate: '{"current":"1"}',
      }),
    });
    const readersOf = (secret: string) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([, p]) =>
          (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).some(
            (st) =>
              [st.Action].flat().includes('secretsmanager:GetSecretValue') &&
              JSON.stringify(st.Resource).includes(secret),
          ),
        )
        .map(([id]) => id.replace(/Function.*|ServiceRole.*|Role.*/, ''))
        .sort();
    // The sweeper sends from the outbox, so it holds what dispatch holds; Notify's callbacks answer replies and escalate.
    expect(readersOf('AlertingLinkSigningKeys')).toEqual([
      'AlertDispatch',
      'AlertingSweeper',
      'Api',
      'ApiNotifyCallbacks',
    ]);
    expect(readersOf('AlertingNotifyApiKey')).toEqual([
      'AlertDispatch',
      'AlertingSweeper',
      'ApiNotifyCallbacks',
    ]);
    expect(readersOf('AlertingWebhookSigningKeys')).toEqual([
      'AlertDispatch',
      'AlertingSweeper',
      'ApiNotifyCallbacks',
    ]);
    expect(readersOf('AlertingNotifyCallbackToken')).toEqual(['ApiNotifyCallbacks']);
    expect(readersOf('IdentifierKey')).toEqual([
      'AlertDispatch',
      'AlertingSweeper',
      'ApiNotifyCallbacks',
      'CustodyEvents',
      'PartnerDrops',
    ]);
  });

  it('runs every function on Node.js 24, arm64, with tracing and its own encrypted log group', () => {
    // Gatehouse's own functions (CDK's BucketDeployment function, which publishes the dashboard, is not one).
    const functions = Object.fromEntries(
      Object.entries(template.findResources('AWS::Lambda::Function')).filter(
        ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
      ),
    );
    expect(Object.keys(functions)).toHaveLength(6);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: stage === 'prod' ? 90 : 30,
      KmsKeyId: Match.anyValue(),
    });
  });

  it('puts the HTTP API behind a Cognito JWT authorizer with access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    for (const route of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
      // Only the acknowledge and resolve links (a signed token) and Notify's callbacks (Notify's bearer token) are open.
      const ownToken =
        /^((GET|POST) \/alerts\/\{alertId\}\/(ack|resolve)|POST \/notify\/(delivery-status|inbound-sms))$/.test(
          route.Properties.RouteKey,
        );
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe(ownToken ? 'NONE' : 'JWT');
    }
  });

  it('serves the dashboard from a private bucket through CloudFront: OAC, HTTPS only, security headers, access logs', () => {
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp("script-src 'self'"),
            Override: true,
          },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63072000 }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'] });
  });

  it('signs the dashboard in through the Cognito hosted UI with the authorization code flow, back to the distribution', () => {
    const distribution = Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    const callback = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']] };
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [callback],
      GenerateSecret: Match.absent(),
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }]] }],
        AllowMethods: ['GET'],
        AllowHeaders: ['authorization'],
        MaxAge: 3600,
      },
    });
  });

  it('grants no function a managed policy or a wildcard data action', () => {
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
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
    const listed = acknowledgements(built.stack).map(([, a]) => ({
      path: a.path,
      id: a.id.replace(/<[^>]+>/, '<LogGroup>'),
    }));
    expect(listed).toEqual([
      { path: 'CustodyEvents/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'CustodyEvents/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'Api/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'Api/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'Api/NotifyCallbacksRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'Api/NotifyCallbacksRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'PartnerDrops/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'PartnerDrops/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'Alerting/SweeperRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      { path: 'Alerting/SweeperRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: 'AlertDispatch/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]' },
      {
        path: 'AlertDispatch/FunctionRole/DefaultPolicy',
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      },
      { path: 'AlertDispatch/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
      { path: 'Api/Http/GET--alerts--{alertId}--ack/Resource', id: 'AwsSolutions-APIG4' },
      { path: 'Api/Http/POST--alerts--{alertId}--ack/Resource', id: 'AwsSolutions-APIG4' },
      { path: 'Api/Http/GET--alerts--{alertId}--resolve/Resource', id: 'AwsSolutions-APIG4' },
      { path: 'Api/Http/POST--alerts--{alertId}--resolve/Resource', id: 'AwsSolutions-APIG4' },
      { path: 'Api/Http/POST--notify--delivery-status/Resource', id: 'AwsSolutions-APIG4' },
      { path: 'Api/Http/POST--notify--inbound-sms/Resource', id: 'AwsSolutions-APIG4' },
      { path: 'AlertRouting', id: 'AwsSolutions-SMG4' },
      { path: 'IdentifierKey', id: 'AwsSolutions-SMG4' },
      { path: 'Alerting/LinkSigningKeys', id: 'AwsSolutions-SMG4' },
      { path: 'Alerting/NotifyApiKey', id: 'AwsSolutions-SMG4' },
      { path: 'Alerting/NotifyCallbackToken', id: 'AwsSolutions-SMG4' },
      { path: 'Alerting/WebhookSigningKeys', id: 'AwsSolutions-SMG4' },
      { path: 'HmppsApis/ClientCredentials', id: 'AwsSolutions-SMG4' },
      { path: 'Alerting/ScheduleDeadLetterQueue', id: 'AwsSolutions-SQS3' },
      {
        path: 'SchedulerRoleForTarget-1c2591/DefaultPolicy',
        id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]',
      },
      { path: 'Dashboard/Distribution', id: 'AwsSolutions-CFR4' },
      { path: 'Dashboard/Distribution', id: 'AwsSolutions-CFR2' },
      { path: 'Dashboard/PublishRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>:*]' },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        path: 'Dashboard/PublishRole/DefaultPolicy',
        id: `AwsSolutions-IAM5[Action::${action}]`,
      })),
      {
        path: 'Dashboard/PublishRole/DefaultPolicy',
        id: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-<LogGroup>-eu-west-2/*]',
      },
      { path: 'Dashboard/PublishRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::<LogGroup>/*]' },
      { path: 'Dashboard/PublishRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      { path: expect.stringMatching(/^Custom::CDKBucketDeployment/), id: 'AwsSolutions-L1' },
      ...['incoming/', 'reports/', 'quarantine/', 'archive/'].map((prefix) => ({
        path: 'PartnerDrops/FunctionRole/DefaultPolicy',
        id: `AwsSolutions-IAM5[Resource::<LogGroup>/${prefix}*]`,
      })),
      ...partners.flatMap((p) =>
        ['incoming', 'reports'].map((prefix) => ({
          path: `PartnerDrops/Partner-${p.id}/DefaultPolicy`,
          id: `AwsSolutions-IAM5[Resource::<LogGroup>/${prefix}/${p.id}/*]`,
        })),
      ),
    ]);
    for (const [, a] of acknowledgements(built.stack)) expect(a.reason.length).toBeGreaterThan(40);
  });
});
