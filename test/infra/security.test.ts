/** Privacy and security of the synthesized stack (issue 15), in dev and prod, with cdk.json's feature flags. */
import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app';
import { appProps, cdkJsonContext } from './app-props';

const withoutBundling = { 'aws:cdk:bundling-stacks': [] };

type Statement = {
  Effect: string;
  Principal?: { Service?: string; AWS?: unknown };
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

describe.each(['dev', 'prod'])('the %s stack', (stage) => {
  let built: ReturnType<typeof buildApp>;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const functions = () =>
    ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
  const statementsOf = (type: string, document: string) =>
    ofType(type).flatMap(([, r]) => r.Properties[document].Statement as Statement[]);
  beforeAll(() => {
    built = buildApp(stage, appProps(stage, { context: withoutBundling }));
    template = Template.fromStack(built.stack);
    resources = template.toJSON().Resources;
  });

  describe('traces (4)', () => {
    it('record neither responses nor errors of any function', () => {
      expect(functions()).toHaveLength(6);
      for (const [id, fn] of functions()) {
        expect(fn.Properties.Environment.Variables, id).toMatchObject({
          POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
          POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        });
      }
    });
  });

  describe('the custody queue and the key (3)', () => {
    const ruleArn = `rule/gatehouse-${stage}-custody/gatehouse-${stage}-custody-events-v1`;

    it('let EventBridge send to the queues and use the key only for the custody-events rule (aws:SourceArn)', () => {
      const fromEvents = [
        ...statementsOf('AWS::SQS::QueuePolicy', 'PolicyDocument'),
        ...statementsOf('AWS::KMS::Key', 'KeyPolicy'),
      ].filter((s) => s.Principal?.Service === 'events.amazonaws.com');
      // The custody queue, its dead-letter queue, and the key.
      expect(fromEvents).toHaveLength(3);
      for (const s of fromEvents)
        expect(JSON.stringify(s.Condition?.ArnEquals?.['aws:SourceArn'])).toContain(ruleArn);
      template.hasResourceProperties('AWS::Events::Rule', { Name: `gatehouse-${stage}-custody-events-v1` });
    });

    it('give no AWS service the key without a condition that names what it acts for', () => {
      for (const s of statementsOf('AWS::KMS::Key', 'KeyPolicy').filter((s) => s.Principal?.Service)) {
        expect(s.Condition, JSON.stringify(s.Principal)).toBeDefined();
      }
    });
  });
});

describe('cdk.json (3)', () => {
  // Reviewed deviations: Gatehouse deploys to eu-west-2 only, so no China-partition lookups are wanted.
  const deviations: Record<string, unknown> = { '@aws-cdk/core:target-partitions': ['aws'] };

  it('sets every feature flag aws-cdk-lib recommends, at its recommended value or a reviewed deviation', () => {
    const recommended = JSON.parse(
      readFileSync('node_modules/aws-cdk-lib/recommended-feature-flags.json', 'utf8'),
    ) as Record<string, unknown>;
    for (const [flag, value] of Object.entries(recommended))
      expect(cdkJsonContext[flag], flag).toEqual(flag in deviations ? deviations[flag] : value);
  });
});

describe.each(['dev', 'prod'])('the identifier key of the %s stack (1)', (stage) => {
  it('is a generated secret on the stack key, named to the functions that raise alerts or record events', () => {
    const template = Template.fromStack(buildApp(stage, appProps(stage, { context: withoutBundling })).stack);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('alert ids and HMPPS event ids'),
      KmsKeyId: Match.anyValue(),
      GenerateSecretString: Match.objectLike({ PasswordLength: 48 }),
    });
    const withKey = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.IDENTIFIER_KEY_SECRET_ARN)
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    // Dispatch and Notify's callbacks key the paged phone numbers with it (a reply finds its page by that HMAC).
    expect(withKey.sort()).toEqual([
      'AlertDispatchFunction',
      'AlertingSweeper',
      'ApiNotifyCallbacks',
      'CustodyEventsFunction',
      'PartnerDropsFunction',
    ]);
  });
});

describe.each(['dev', 'prod'])('case reads in the %s stack (2)', (stage) => {
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  beforeAll(() => {
    template = Template.fromStack(buildApp(stage, appProps(stage, { context: withoutBundling })).stack);
    resources = template.toJSON().Resources;
  });

  it('need the cases scope on every case route, and a figures-only token opens none of them', () => {
    const routes = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    const cases = routes.filter((r) => r.Properties.RouteKey.includes('/cases'));
    expect(cases.length).toBeGreaterThan(0);
    for (const route of cases)
      expect(route.Properties.AuthorizationScopes, route.Properties.RouteKey).toEqual([
        'gatehouse/cases.read',
      ]);
    for (const route of routes.filter((r) => /\/(aggregates|metrics)/.test(r.Properties.RouteKey)))
      expect(route.Properties.AuthorizationScopes).toEqual(['gatehouse/figures.read']);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'gatehouse',
      Scopes: [
        Match.objectLike({ ScopeName: 'figures.read' }),
        Match.objectLike({ ScopeName: 'cases.read' }),
      ],
    });
    const groups = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.Properties.GroupName);
    expect(groups.sort()).toEqual(['board', 'case-workers-E06000005', 'case-workers-E06000047', 'operators']);
  });

  it('are audited in an append-only table: the api may only put, and the table denies every principal updates and deletes', () => {
    const [auditId, audit] = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::DynamoDB::Table' && r.Properties.TableName === `gatehouse-${stage}-audit`,
    )!;
    expect(audit.Properties).toMatchObject({
      SSESpecification: { SSEType: 'KMS' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const deny = audit.Properties.ResourcePolicy.PolicyDocument.Statement[0];
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect([deny.Action].flat()).toEqual(
      expect.arrayContaining([
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:PartiQLUpdate',
        'dynamodb:PartiQLDelete',
        'dynamodb:BatchWriteItem',
      ]),
    );
    const grants = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([id, p]) =>
        (p.Properties.PolicyDocument.Statement as Statement[])
          .filter((s) => JSON.stringify(s.Resource).includes(auditId))
          .map((s) => ({ id: id.replace(/Function.*|Role.*/, ''), actions: [s.Action].flat() })),
      );
    expect(grants).toEqual([{ id: 'Api', actions: ['dynamodb:PutItem'] }]);
  });
});

describe.each(['dev', 'prod'])('the public acknowledgement routes of the %s stack (10)', (stage) => {
  it('have a throttle of their own, below the stage default', () => {
    const template = Template.fromStack(buildApp(stage, appProps(stage, { context: withoutBundling })).stack);
    const [cfnStage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = cfnStage!.Properties.RouteSettings as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    expect(Object.keys(settings).sort()).toEqual([
      'GET /alerts/{alertId}/ack',
      'GET /alerts/{alertId}/resolve',
      'POST /alerts/{alertId}/ack',
      'POST /alerts/{alertId}/resolve',
      'POST /notify/delivery-status',
      'POST /notify/inbound-sms',
    ]);
    for (const limit of Object.values(settings))
      expect(limit.ThrottlingRateLimit).toBeLessThan(
        cfnStage!.Properties.DefaultRouteSettings.ThrottlingRateLimit,
      );
  });
});

describe.each(['dev', 'prod'])('keys and contacts in the %s stack (5, 9, 12)', (stage) => {
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  beforeAll(() => {
    resources = Template.fromStack(
      buildApp(stage, appProps(stage, { context: withoutBundling })).stack,
    ).toJSON().Resources;
  });
  const api = () =>
    Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('ApiFunction'),
    )![1];

  it('gives the internet-facing api function no contact details: the alert lifetimes only', () => {
    const env = api().Properties.Environment.Variables as Record<string, unknown>;
    expect(env.ROUTING_CONFIG).toBeUndefined();
    expect(JSON.parse(env.ALERT_SETTINGS as string)).toEqual({
      reNotifyAcknowledgedAfterMinutes: expect.any(Number),
      alertLifetimeHours: expect.any(Number),
    });
    expect(JSON.stringify(env)).not.toMatch(/@|\+44|07\d{9}/);
  });

  it('lets the api function read the link-signing keys and no other secret', () => {
    const apiSecrets = Object.entries(resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('ApiFunctionRole'))
      .flatMap(([, p]) =>
        (p.Properties.PolicyDocument.Statement as Statement[]).filter((s) =>
          [s.Action].flat().includes('secretsmanager:GetSecretValue'),
        ),
      )
      .flatMap((s) => [s.Resource].flat().map((r) => JSON.stringify(r)));
    expect(apiSecrets).toEqual([expect.stringContaining('AlertingLinkSigningKeys')]);
  });

  it('holds the webhook signing keys as one key per receiver, apart from the Notify key', () => {
    const secrets = Object.values(resources)
      .filter((r) => r.Type === 'AWS::SecretsManager::Secret')
      .map((r) => r.Properties.Description as string);
    expect(secrets).toEqual(
      expect.arrayContaining([
        expect.stringContaining('one per receiver'),
        expect.stringContaining('GOV.UK Notify API key'),
        expect.stringContaining('current and previous keys'),
      ]),
    );
  });
});

describe.each(['dev', 'prod'])('partner roles of the %s stack (8)', (stage) => {
  it("trust only the principals named for that partner, with the partner's external id", () => {
    const template = Template.fromStack(buildApp(stage, appProps(stage, { context: withoutBundling })).stack);
    const roles = Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
      String(r.Properties.Description).startsWith('Gatehouse partner drops: '),
    );
    expect(roles.length).toBeGreaterThan(1);
    for (const role of roles) {
      const [trust] = role.Properties.AssumeRolePolicyDocument.Statement as Statement[];
      const named = JSON.stringify(trust!.Condition!.ArnLike!['aws:PrincipalArn']);
      const externalId = trust!.Condition!.StringEquals!['sts:ExternalId'] as string;
      const partnerId = externalId.replace(`gatehouse-${stage}-`, '');
      expect(named).toContain(`role/gatehouse-partner-${partnerId}-*`);
      expect(named).toContain(`user/gatehouse-partner/${partnerId}/*`);
      expect(named.match(/gatehouse-partner[-/]([a-z-]+?)[-/]\*/g)!.every((m) => m.includes(partnerId))).toBe(
        true,
      );
    }
  });
});

describe.each(['dev', 'prod'])('the alert routing of the %s stack (5)', (stage) => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildApp(stage, appProps(stage, { context: withoutBundling })).stack);
  });

  it("is in no function environment, and only the functions that raise or send alerts (and Notify's callbacks, which answer replies) may read its secret", () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
    for (const [id, fn] of functions)
      expect(fn.Properties.Environment.Variables.ROUTING_CONFIG, id).toBeUndefined();
    const [routingId] = Object.entries(template.findResources('AWS::SecretsManager::Secret')).find(
      ([, s]) => s.Properties.Name === `gatehouse-${stage}-alert-routing`,
    )!;
    const readers = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) =>
        (p.Properties.PolicyDocument.Statement as Statement[]).some((s) =>
          JSON.stringify(s.Resource).includes(routingId),
        ),
      )
      .map(([id]) => id.replace(/Function.*|Role.*/, ''))
      .sort();
    expect(readers).toEqual([
      'AlertDispatch',
      'AlertingSweeper',
      'ApiNotifyCallbacks',
      'CustodyEvents',
      'PartnerDrops',
    ]);
  });

  it('keeps a routing file given at synth out of the template altogether', () => {
    const text = JSON.stringify(template.toJSON());
    const addresses = [
      ...readFileSync('infra/config/routing.example.json', 'utf8').matchAll(/"address": "([^"]+)"/g),
    ].map((m) => m[1]!);
    expect(addresses.length).toBeGreaterThan(0);
    // prod is built with -c routingFile (the example file, as an operator passes a real one); dev runs on the built-in example.
    if (stage === 'prod') for (const address of addresses) expect(text).not.toContain(address);
  });
});
