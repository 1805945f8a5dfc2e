/**
 * The HTTP API: API Gateway HTTP API in front of the `api` function. Board and case routes sit behind a
 * Cognito JWT authorizer that also checks each route's OAuth scope (figures or cases; functions/domain/access.ts);
 * routes that must answer a signed link (an alert acknowledgement) opt out explicitly.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type CfnRoute,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  LogGroupLogDestination,
  type HttpRouteProps,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Aws } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { caseWorkerGroup, groups, partnershipAreas, resourceServer, scopes } from '#domain/access';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';

/**
 * Routes of the HTTP API, with the OAuth scope each needs, or that it is public. All are answered by the api function
 * except GOV.UK Notify's callbacks, which go to the notify-callbacks function (it holds the routing and the Notify
 * key, which the api function must not).
 */
export const apiRoutes: {
  method: HttpMethod;
  path: string;
  public?: boolean;
  scope?: string;
  fn?: 'notify-callbacks';
}[] = [
  { method: HttpMethod.GET, path: '/cases/{prisonNumber}', scope: scopes.cases },
  { method: HttpMethod.GET, path: '/aggregates', scope: scopes.figures },
  { method: HttpMethod.GET, path: '/aggregates/export.csv', scope: scopes.figures },
  { method: HttpMethod.GET, path: '/metrics', scope: scopes.figures },
  // An alert's timeline (notices, recipients by role, delivery statuses): the operators group (checked by the function).
  { method: HttpMethod.GET, path: '/alerts/{alertId}', scope: scopes.figures },
  // Acknowledge and resolve links from alert messages: the signed token in the link is the authorisation.
  { method: HttpMethod.GET, path: '/alerts/{alertId}/ack', public: true },
  { method: HttpMethod.POST, path: '/alerts/{alertId}/ack', public: true },
  { method: HttpMethod.GET, path: '/alerts/{alertId}/resolve', public: true },
  { method: HttpMethod.POST, path: '/alerts/{alertId}/resolve', public: true },
  // GOV.UK Notify's callbacks: the bearer token Notify sends is the authorisation (checked by the function).
  { method: HttpMethod.POST, path: '/notify/delivery-status', public: true, fn: 'notify-callbacks' },
  { method: HttpMethod.POST, path: '/notify/inbound-sms', public: true, fn: 'notify-callbacks' },
];

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly handler: GatehouseFunction;
  /** GOV.UK Notify's delivery receipts and text-message replies (its grants: infra/constructs/alerting.ts). */
  readonly notifyCallbacks: GatehouseFunction;
  /** The Cognito hosted UI the dashboard signs in with. */
  readonly signIn?: UserPoolDomain;

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: StageConfig;
      key: IKey;
      data: DataStores;
      dashboard?: { url: string; signInCallback: string };
    },
  ) {
    super(scope, id);
    const { config, key, data, dashboard } = props;

    // Board members and partnership staff sign in; no self sign-up, MFA required.
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `gatehouse-${config.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      deletionProtection: config.protectData,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Who reads what is a group (given by an administrator); the scope on each route is what the client asked for.
    const figuresScope = new ResourceServerScope({
      scopeName: scopes.figures.split('/')[1]!,
      scopeDescription: 'Read the published figures',
    });
    const casesScope = new ResourceServerScope({
      scopeName: scopes.cases.split('/')[1]!,
      scopeDescription: 'Read release cases of the areas one works in (audited)',
    });
    const server = this.userPool.addResourceServer('Gatehouse', {
      identifier: resourceServer,
      scopes: [figuresScope, casesScope],
    });
    for (const [name, description] of [
      [groups.board, 'Board members: figures only'],
      [groups.operators, 'Operators: exact figures'],
      ...partnershipAreas.map((la) => [
        caseWorkerGroup(la),
        `Case workers of ${la}: that area's release cases, every read audited`,
      ]),
    ] as const) {
      new CfnUserPoolGroup(this, `Group-${name}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: name,
        description,
      });
    }
    this.client = this.userPool.addClient('Dashboard', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // The dashboard is a public client: authorization code with PKCE through the hosted UI, no secret, no implicit flow.
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      ...(dashboard
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [
                OAuthScope.OPENID,
                OAuthScope.EMAIL,
                OAuthScope.resourceServer(server, figuresScope),
                OAuthScope.resourceServer(server, casesScope),
              ],
              callbackUrls: [dashboard.signInCallback],
              logoutUrls: [dashboard.signInCallback],
            },
          }
        : { oAuth: { flows: {} } }),
    });
    if (dashboard) {
      // Hosted UI prefixes are unique per region across all accounts: the account id keeps ours apart.
      this.signIn = this.userPool.addDomain('SignIn', {
        cognitoDomain: { domainPrefix: `gatehouse-${config.stage}-${Aws.ACCOUNT_ID}` },
      });
    }

    this.handler = new GatehouseFunction(this, 'Function', {
      name: 'api',
      config,
      key,
      environment: { ...data.environment, ...data.auditEnvironment },
    });
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [data.records.tableArn],
      }),
    );
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [data.aggregates.tableArn],
      }),
    );
    // Every case read is recorded before it is answered: new entries only (the table's policy denies the rest).
    this.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [data.audit.tableArn],
      }),
    );
    this.handler.grantKeyUse(key);

    const authorizer = new HttpJwtAuthorizer('Cognito', this.userPool.userPoolProviderUrl, {
      jwtAudience: [this.client.userPoolClientId],
    });
    this.httpApi = new HttpApi(this, 'Http', {
      apiName: `gatehouse-${config.stage}`,
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      // The dashboard on CloudFront reads the API from its own origin, sending the token in Authorization.
      ...(dashboard
        ? {
            corsPreflight: {
              allowOrigins: [dashboard.url],
              allowMethods: [CorsHttpMethod.GET],
              allowHeaders: ['authorization'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays === 90 ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH,
      encryptionKey: key,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    this.notifyCallbacks = new GatehouseFunction(this, 'NotifyCallbacks', {
      name: 'notify-callbacks',
      config,
      key,
      environment: { ...data.environment },
    });
    this.notifyCallbacks.grantKeyUse(key);

    const integration = new HttpLambdaIntegration('Api', this.handler);
    const callbacksIntegration = new HttpLambdaIntegration('NotifyCallbacks', this.notifyCallbacks);
    const cfnStage = stage.node.defaultChild as CfnStage;
    for (const r of apiRoutes) {
      const [route] = this.httpApi.addRoutes({
        path: r.path,
        methods: [r.method],
        integration: r.fn === 'notify-callbacks' ? callbacksIntegration : integration,
        ...(r.public ? { authorizer: new HttpNoneAuthorizer() } : { authorizationScopes: [r.scope!] }),
      });
      if (r.public) cfnStage.addDependency(route!.node.defaultChild as CfnRoute);
    }
    // The public acknowledgement routes need no sign-in, so they get a budget of their own: a flood of guessed links
    // neither reaches the stage's whole limit nor starves the board. On-call workers click a handful an hour.
    // Notify's callbacks come one per message sent (a receipt each), so they get more, still below the stage's limit.
    cfnStage.routeSettings = Object.fromEntries(
      apiRoutes
        .filter((r) => r.public)
        .map((r) => [
          `${r.method} ${r.path}`,
          r.fn === 'notify-callbacks'
            ? { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 }
            : { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        ]),
    );
  }

  addRoute(
    route: Omit<HttpRouteProps, 'httpApi' | 'routeKey'> & { path: string; methods: HttpMethod[] },
  ): void {
    this.httpApi.addRoutes(route);
  }
}
