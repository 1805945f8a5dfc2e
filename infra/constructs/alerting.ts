/**
 * Alerts that reach a person: the routing every alerting function reads, the secret holding the Notify key
 * and the link and webhook signing keys, and the sweeper run every minute by EventBridge Scheduler. It also
 * gives the functions that raise, send and acknowledge alerts what they need for it, each explicitly.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './queues';
import { Construct } from 'constructs';
import { recordsTable } from '#commons/resources';
import type { StageConfig } from '#infra/config/stages';
import type { AlertDispatch } from './alert-dispatch';
import type { Api } from './api';
import type { CustodyEvents } from './custody-events';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';
import { envNames, secretArnVariable, secretNames } from '#commons/env-names';

export interface AlertingProps {
  config: StageConfig;
  key: IKey;
  data: DataStores;
  routingJson: string;
  custodyEvents: CustodyEvents;
  alertDispatch: AlertDispatch;
  api: Api;
}

export class Alerting extends Construct {
  /** One secret per purpose: each function is granted only the ones it uses. */
  readonly linkSigningKeys: Secret;
  readonly notifyApiKey: Secret;
  readonly webhookSigningKeys: Secret;
  /** The bearer token registered with GOV.UK Notify's callbacks: {"token": "..."}. */
  readonly notifyCallbackToken: Secret;
  readonly sweeper: GatehouseFunction;
  readonly schedule: Schedule;
  readonly scheduleDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    const { config, key, data, routingJson, alertDispatch, api } = props;
    // The routing itself is a secret (GatehouseStack.routing): only the retention travels in the environment.
    const routing = { [envNames.retentionDays]: String(config.retentionDays) };

    const removalPolicy = config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // The link keys are generated here as {"current": "1", "1": …}; rotation adds "2" and moves current (docs/operations.md).
    this.linkSigningKeys = new Secret(this, 'LinkSigningKeys', {
      description:
        'Gatehouse acknowledge links: {"current": "<key id>", "<key id>": "<key>", …} (current and previous keys)',
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: '1' }),
        generateStringKey: '1',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy,
    });
    // Operators put the Notify key and the webhook receivers' keys; until then Notify is off and webhooks are refused.
    this.notifyApiKey = new Secret(this, 'NotifyApiKey', {
      description: 'Gatehouse GOV.UK Notify API key: {"apiKey": "<name>-<service id>-<secret>"}',
      encryptionKey: key,
      secretObjectValue: {},
      removalPolicy,
    });
    this.webhookSigningKeys = new Secret(this, 'WebhookSigningKeys', {
      description:
        'Gatehouse webhook signing keys, one per receiver: {"<contact id>": "<key shared with that receiver only>"}',
      encryptionKey: key,
      secretObjectValue: {},
      removalPolicy,
    });
    // Generated here; an operator registers it with Notify's callbacks (docs/operations.md).
    this.notifyCallbackToken = new Secret(this, 'NotifyCallbackToken', {
      description: 'Gatehouse GOV.UK Notify callbacks bearer token: {"token": "<registered with Notify>"}',
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'token',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy,
    });
    const reads = (...secrets: Secret[]) =>
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: secrets.map((s) => s.secretArn),
      });
    const indexes = (...names: string[]) =>
      names.map(
        (n) =>
          `${data.records.tableArn}/index/${recordsTable.globalIndexes.find((i) => i.indexName === n)!.indexName}`,
      );

    // Sending: dispatch reads the alert, its rota and deliveries, settles the notice, writes the next step when a page cannot be delivered.
    const dispatchSecrets = {
      [secretArnVariable(secretNames.linkSigningKeys)]: this.linkSigningKeys.secretArn,
      [secretArnVariable(secretNames.notifyApiKey)]: this.notifyApiKey.secretArn,
      [secretArnVariable(secretNames.webhookSigningKeys)]: this.webhookSigningKeys.secretArn,
    };
    const notifyRequired: Record<string, string> = config.pagesPeople
      ? { [envNames.notifyRequired]: 'true' }
      : {};
    for (const [name, value] of Object.entries({
      ...routing,
      ...dispatchSecrets,
      [envNames.publicBaseUrl]: api.httpApi.apiEndpoint,
    }))
      alertDispatch.handler.addEnvironment(name, value);
    alertDispatch.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [data.records.tableArn],
      }),
    );
    alertDispatch.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [data.aggregates.tableArn],
      }),
    );
    alertDispatch.handler.addToRolePolicy(
      reads(this.linkSigningKeys, this.notifyApiKey, this.webhookSigningKeys),
    );

    // Acknowledging: the api function checks the signed link and moves the alert on, with its counters. It gets the
    // link keys and the alert lifetimes, never the contacts nor the Notify or webhook keys.
    const settings = JSON.parse(routingJson) as {
      reNotifyAcknowledgedAfterMinutes: number;
      alertLifetimeHours: number;
    };
    const alertSettings = {
      reNotifyAcknowledgedAfterMinutes: settings.reNotifyAcknowledgedAfterMinutes,
      alertLifetimeHours: settings.alertLifetimeHours,
    };
    for (const [name, value] of Object.entries({
      [envNames.alertSettings]: JSON.stringify(alertSettings),
      [envNames.retentionDays]: String(config.retentionDays),
      [secretArnVariable(secretNames.linkSigningKeys)]: this.linkSigningKeys.secretArn,
    }))
      api.handler.addEnvironment(name, value);
    api.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [data.records.tableArn],
      }),
    );
    api.handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [data.aggregates.tableArn],
      }),
    );
    api.handler.addToRolePolicy(reads(this.linkSigningKeys));

    // GOV.UK Notify's callbacks: record receipts, escalate a failed page, take a case by reply and answer the sender.
    const callbacks = api.notifyCallbacks;
    for (const [name, value] of Object.entries({
      ...routing,
      ...dispatchSecrets,
      [secretArnVariable(secretNames.notifyCallbackToken)]: this.notifyCallbackToken.secretArn,
    }))
      callbacks.addEnvironment(name, value);
    callbacks.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [data.records.tableArn],
      }),
    );
    callbacks.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [data.aggregates.tableArn],
      }),
    );
    callbacks.addToRolePolicy(
      reads(this.linkSigningKeys, this.notifyApiKey, this.webhookSigningKeys, this.notifyCallbackToken),
    );

    // Sweeping: query due alerts and pending schedules by index (never a scan), move alerts on, raise warnings and digests.
    // The sweeper also sends from the notice outbox what the stream could not, so it needs what dispatch needs to send.
    const sending = {
      ...dispatchSecrets,
      [envNames.publicBaseUrl]: api.httpApi.apiEndpoint,
      ...notifyRequired,
    };
    this.sweeper = new GatehouseFunction(this, 'Sweeper', {
      name: 'sweeper',
      config,
      key,
      timeout: Duration.seconds(50),
      environment: {
        ...data.environment,
        ...routing,
        ...sending,
        [envNames.notifyReceipts]: config.notifyReceipts,
      },
    });
    this.sweeper.addToRolePolicy(reads(this.linkSigningKeys, this.notifyApiKey, this.webhookSigningKeys));
    this.sweeper.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [data.records.tableArn, ...indexes('byDue', 'bySchedule')],
      }),
    );
    this.sweeper.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [data.records.tableArn],
      }),
    );
    this.sweeper.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [data.aggregates.tableArn],
      }),
    );
    this.sweeper.grantKeyUse(key);

    this.scheduleDeadLetterQueue = deadLetterQueue(this, 'ScheduleDeadLetterQueue', {
      stage: config.stage,
      name: 'sweeper-schedule',
      key,
    });
    // A missed minute is made good by the next one (everything due is still due), so an old invocation is dropped.
    this.schedule = new Schedule(this, 'EveryMinute', {
      description: 'Gatehouse sweeper: escalations, reminders, pre-release warnings, digests',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(this.sweeper, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(2),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
      key,
    });
  }
}
