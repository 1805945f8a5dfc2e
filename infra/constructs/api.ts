/**
 * The HTTP API: API Gateway HTTP API in front of the `api` function. Board and case routes sit behind a
 * Cognito JWT authorizer; routes that must answer a signed link (an alert acknowledgement) opt out explicitly.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, LogGroupLogDestination, type HttpRouteProps } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Aws } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, OAuthScope, UserPool, UserPoolClientIdentityProvider, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';

/** Routes answered by the api function, with whether they need a signed-in user. */
export const apiRoutes: { method: HttpMethod; path: string; public?: boolean }[] = [
  { method: HttpMethod.GET, path: '/cases/{prisonNumber}' },
  { method: HttpMethod.GET, path: '/aggregates' },
  { method: HttpMethod.GET, path: '/aggregates/export.csv' },
  { method: HttpMethod.GET, path: '/metrics' },
  // An alert's timeline (notices, recipients by role, delivery statuses): signed-in operators.
  { method: HttpMethod.GET, path: '/alerts/{alertId}' },
  // Acknowledge and resolve links from alert messages: the signed token in the link is the authorisation.
  { method: HttpMethod.GET, path: '/alerts/{alertId}/ack', public: true },
  { method: HttpMethod.POST, path: '/alerts/{alertId}/ack', public: true },
  { method: HttpMethod.GET, path: '/alerts/{alertId}/resolve', public: true },
  { method: HttpMethod.POST, path: '/alerts/{alertId}/resolve', public: true },
  // GOV.UK Notify's callbacks: the bearer token Notify sends is the authorisation (checked by the function).
  { method: HttpMethod.POST, path: '/notify/delivery-status', public: true },
  { method: HttpMethod.POST, path: '/notify/inbound-sms', public: true },
];

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly handler: GatehouseFunction;
  /** The Cognito hosted UI the dashboard signs in with. */
  readonly signIn?: UserPoolDomain;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey; data: DataStores; dashboard?: { url: string; signInCallback: string } }) {
    super(scope, id);
    const { config, key, data, dashboard } = props;

    // Board members and partnership staff sign in; no self sign-up, MFA required.
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `gatehouse-${config.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      deletionProtection: config.protectData,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.client = this.userPool.addClient('Dashboard', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // The dashboard is a public client: authorization code with PKCE through the hosted UI, no secret, no implicit flow.
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      ...(dashboard
        ? { oAuth: { flows: { authorizationCodeGrant: true }, scopes: [OAuthScope.OPENID, OAuthScope.EMAIL], callbackUrls: [dashboard.signInCallback], logoutUrls: [dashboard.signInCallback] } }
        : { oAuth: { flows: {} } }),
    });
    if (dashboard) {
      // Hosted UI prefixes are unique per region across all accounts: the account id keeps ours apart.
      this.signIn = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: `gatehouse-${config.stage}-${Aws.ACCOUNT_ID}` } });
    }

    this.handler = new GatehouseFunction(this, 'Function', { name: 'api', config, key, environment: { ...data.environment } });
    this.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [data.records.tableArn] }));
    this.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [data.aggregates.tableArn] }));
    this.handler.grantKeyUse(key);

    const authorizer = new HttpJwtAuthorizer('Cognito', this.userPool.userPoolProviderUrl, { jwtAudience: [this.client.userPoolClientId] });
    this.httpApi = new HttpApi(this, 'Http', {
      apiName: `gatehouse-${config.stage}`,
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      // The dashboard on CloudFront reads the API from its own origin, sending the token in Authorization.
      ...(dashboard ? { corsPreflight: { allowOrigins: [dashboard.url], allowMethods: [CorsHttpMethod.GET], allowHeaders: ['authorization'], maxAge: Duration.hours(1) } } : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays === 90 ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH,
      encryptionKey: key,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    const integration = new HttpLambdaIntegration('Api', this.handler);
    for (const r of apiRoutes) this.addRoute({ path: r.path, methods: [r.method], integration, ...(r.public ? { authorizer: new HttpNoneAuthorizer() } : {}) });
  }

  addRoute(route: Omit<HttpRouteProps, 'httpApi' | 'routeKey'> & { path: string; methods: HttpMethod[] }): void {
    this.httpApi.addRoutes(route);
  }
}
