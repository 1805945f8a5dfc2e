/** The whole of Gatehouse in one stack: one `cdk deploy` per stage. */
import { Aws, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from './config/stages';
import { AlertDispatch } from './constructs/alert-dispatch';
import { Alerting } from './constructs/alerting';
import { routingJson } from './config/routing';
import { Api } from './constructs/api';
import { CustodyEvents } from './constructs/custody-events';
import { Dashboard } from './constructs/dashboard';
import { DataStores } from './constructs/data-stores';
import { HmppsApis } from './constructs/hmpps-apis';
import { scopeEnvironment } from './config/stages';
import { Observability } from './constructs/observability';
import { PartnerDrops } from './constructs/partner-drops';
import { secretArnVariable, secretNames } from '#commons/env-names';

export interface GatehouseStackProps extends StackProps {
  config: StageConfig;
}

export class GatehouseStack extends Stack {
  readonly key: Key;
  readonly data: DataStores;
  readonly custodyEvents: CustodyEvents;
  readonly alertDispatch: AlertDispatch;
  readonly api: Api;
  readonly partnerDrops: PartnerDrops;
  readonly dashboard: Dashboard;
  readonly alerting: Alerting;
  readonly observability: Observability;
  /** HMPPS's APIs: the facts an HMPPS release does not carry, fetched by custody-events and re-asked by the sweeper. */
  readonly hmpps: HmppsApis;
  readonly identifierKey: Secret;
  /** The alert routing (staff contacts): a secret read by the four functions that raise or send alerts, never by api. */
  readonly routing: Secret;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id, props);
    const { config } = props;

    // One customer-managed key for everything that may hold personal data (UK GDPR Article 10 data).
    this.key = new Key(this, 'DataKey', {
      alias: `alias/gatehouse-${config.stage}`,
      description: 'Gatehouse: encrypts release cases, alerts, queues, topics and logs',
      enableKeyRotation: true,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch Logs encrypts the functions' log groups with it: for log groups of this account and region only.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${this.region}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    this.data = new DataStores(this, 'Data', { config, key: this.key });
    this.custodyEvents = new CustodyEvents(this, 'CustodyEvents', { config, key: this.key, data: this.data });
    this.alertDispatch = new AlertDispatch(this, 'AlertDispatch', { config, key: this.key, data: this.data });
    this.dashboard = new Dashboard(this, 'Dashboard', { config });
    this.api = new Api(this, 'Api', { config, key: this.key, data: this.data, dashboard: this.dashboard });
    this.dashboard.publish(this.api, this.key);
    this.partnerDrops = new PartnerDrops(this, 'PartnerDrops', { config, key: this.key, data: this.data });
    const routingFile = this.node.tryGetContext('routingFile') as string | undefined;
    // Validated here either way; only the example routing (invented contacts) is ever written into the template.
    // Real routing is put into the secret after the deploy (npm run routing:put), so it is in no template or asset.
    const routing = routingJson(routingFile, config);
    this.routing = new Secret(this, 'AlertRouting', {
      secretName: `gatehouse-${config.stage}-alert-routing`,
      description:
        'Gatehouse alert routing: contacts, escalation, templates (infra/config/routing.example.json); put with npm run routing:put',
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText(
        routingFile
          ? JSON.stringify({
              routingPending: `npm run routing:put -- --stage ${config.stage} ${routingFile}`,
            })
          : routing,
      ),
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.alerting = new Alerting(this, 'Alerting', {
      config,
      key: this.key,
      data: this.data,
      routingJson: routing,
      custodyEvents: this.custodyEvents,
      alertDispatch: this.alertDispatch,
      api: this.api,
    });
    // Alert ids and HMPPS event ids are HMACs with this key: no prison number in them, and another deployment's ids
    // differ. Read by the functions that raise alerts or record events, nobody else.
    this.identifierKey = new Secret(this, 'IdentifierKey', {
      description:
        'Gatehouse: the key that alert ids and HMPPS event ids are derived with (never rotated: open alerts are found by it)',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Release schedules in partner files are recorded by the same use case as custody events, alerts and all.
    // Notify's callbacks answer replies (the contacts and templates) and escalate failed pages.
    for (const fn of [
      this.custodyEvents.handler,
      this.partnerDrops.handler,
      this.alertDispatch.handler,
      this.alerting.sweeper,
      this.api.notifyCallbacks,
    ]) {
      fn.addEnvironment(secretArnVariable(secretNames.routing), this.routing.secretArn);
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.routing.secretArn],
        }),
      );
    }
    // Dispatch and the callbacks also key the paged phone numbers with it, so a reply finds its page.
    for (const fn of [
      this.custodyEvents.handler,
      this.partnerDrops.handler,
      this.alerting.sweeper,
      this.alertDispatch.handler,
      this.api.notifyCallbacks,
    ]) {
      fn.addEnvironment(secretArnVariable(secretNames.identifierKey), this.identifierKey.secretArn);
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.identifierKey.secretArn],
        }),
      );
    }
    // HMPPS's APIs. The postcode lookup is checked here: production refuses the repository's sample unless the
    // context says the sample is accepted (the infra tests do, as they pass the example routing; see the README).
    const allowSample =
      !config.protectData ||
      [true, 'true'].includes(this.node.tryGetContext('allowSamplePostcodeAreas') as boolean | string);
    this.hmpps = new HmppsApis(this, 'HmppsApis', {
      config,
      key: this.key,
      allowSamplePostcodeAreas: allowSample,
    });
    this.hmpps.connect(this.custodyEvents.handler);
    this.hmpps.connect(this.alerting.sweeper);
    // The sweeper records the facts it fetches again through the record use case: it needs what custody-events knows.
    for (const [name, value] of Object.entries({
      LATE_DAY_FROM: config.lateDayFrom,
      RETENTION_DAYS: String(config.retentionDays),
      ...scopeEnvironment(config),
    }))
      this.alerting.sweeper.addEnvironment(name, value);
    // Last: it watches every queue and function built above.
    this.observability = new Observability(this, 'Observability', { config, key: this.key });
  }
}
