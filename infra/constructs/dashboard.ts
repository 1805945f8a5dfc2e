/**
 * The LCJB dashboard: the static site of functions/dashboard in a private S3 bucket, served by CloudFront
 * through an origin access control, over HTTPS, with security headers and access logs. The page signs in
 * with the Cognito hosted UI (authorization code + PKCE) and reads the HTTP API with the access token.
 *
 * Built in two steps because the API and the site need each other's addresses: the distribution first
 * (its URL is the sign-in callback and the API's CORS origin), then `publish` once the API exists.
 */
import { scopes } from '#domain/access';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  GeoRestriction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, siteFiles, type DashboardConfig } from '#dashboard/site';
import type { StageConfig } from '#infra/config/stages';
import type { Api } from './api';

export class Dashboard extends Construct {
  readonly site: Bucket;
  readonly accessLogs: Bucket;
  readonly distribution: Distribution;
  /** https://…cloudfront.net, without a trailing slash: the API's CORS origin. */
  readonly url: string;
  /** Where the hosted UI sends the user back to with the authorization code. */
  readonly signInCallback: string;
  /** The role of CDK's deployment function, and its log group (for the cdk-nag acknowledgements). */
  publishRole?: Role;
  publishLogs?: LogGroup;
  private readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;
    this.config = config;

    // CloudFront standard logs are written with bucket ACLs, hence BUCKET_OWNER_PREFERRED on this bucket only.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.site = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'site-bucket/',
      // Its content is rebuilt from the repository by every deployment.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const region = Stack.of(this).region;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Gatehouse dashboard: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        // The API and the sign-in domain are named by wildcard: their exact names would make CloudFront and
        // the API depend on each other (the API allows the distribution's origin).
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy([
            `https://*.execute-api.${region}.amazonaws.com`,
            `https://*.auth.${region}.amazoncognito.com`,
          ]),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Gatehouse LCJB dashboard (${config.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
      },
      // The partnership and its board work in England.
      geoRestriction: GeoRestriction.allowlist('GB'),
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.accessLogs,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    this.signInCallback = `${this.url}/`;
  }

  /** Puts the site's files and its config.json (the API's address and how to sign in) into the bucket. */
  publish(api: Api, key: IKey): void {
    if (!api.signIn) throw new Error('the API has no sign-in domain: construct it with the dashboard');
    const config: DashboardConfig = {
      apiUrl: api.httpApi.apiEndpoint,
      auth: {
        domain: api.signIn.baseUrl(),
        clientId: api.client.userPoolClientId,
        redirectUri: this.signInCallback,
        scopes: ['openid', 'email', scopes.figures],
      },
    };
    this.publishLogs = new LogGroup(this, 'PublishLogs', {
      retention: this.config.logRetentionDays === 90 ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH,
      encryptionKey: key,
      removalPolicy: this.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const logGroup = this.publishLogs;
    // Its own role (instead of the managed basic-execution policy CDK would attach), writing to its own log group.
    this.publishRole = new Role(this, 'PublishRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Gatehouse dashboard deployment (CDK BucketDeployment)',
    });
    const role = this.publishRole;
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`],
      }),
    );
    new BucketDeployment(this, 'Publish', {
      destinationBucket: this.site,
      // Exactly the files the local server serves, the chart library included (no CDN at run time).
      sources: [
        ...siteFiles.map((f) => Source.data(f.key, f.contents())),
        Source.jsonData('config.json', config),
      ],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      role,
      logGroup,
      memoryLimit: 256,
    });
  }
}
