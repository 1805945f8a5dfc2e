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
import { recordsTable } from '../../functions/commons/resources';
import type { StageConfig } from '../config/stages';
import type { AlertDispatch } from './alert-dispatch';
import type { Api } from './api';
import type { CustodyEvents } from './custody-events';
import type { DataStores } from './data-stores';
import { GatehouseFunction } from './gatehouse-function';

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
  readonly secret: Secret;
  readonly sweeper: GatehouseFunction;
  readonly schedule: Schedule;
  readonly scheduleDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    const { config, key, data, routingJson, custodyEvents, alertDispatch, api } = props;
    const routing = { ROUTING_CONFIG: routingJson, RETENTION_DAYS: String(config.retentionDays) };

    // The link key is generated here; operators add notifyApiKey (and webhookSigningKey, shared with receivers).
    this.secret = new Secret(this, 'AlertSecrets', {
      description: 'Gatehouse alerts: notifyApiKey (GOV.UK Notify), linkSigningKey (acknowledge links), webhookSigningKey',
      encryptionKey: key,
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'linkSigningKey', passwordLength: 48, excludePunctuation: true },
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const readSecret = new PolicyStatement({ effect: Effect.ALLOW, actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] });
    const indexes = (...names: string[]) => names.map((n) => `${data.records.tableArn}/index/${recordsTable.globalIndexes.find((i) => i.indexName === n)!.indexName}`);

    // Raising: the custody-events function opens alerts with the area's escalation policy.
    custodyEvents.handler.addEnvironment('ROUTING_CONFIG', routingJson);

    // Sending: dispatch reads the alert, its rota and deliveries, settles the notice, writes the next step when a page cannot be delivered.
    for (const [name, value] of Object.entries({ ...routing, ALERT_SECRETS_ARN: this.secret.secretArn, PUBLIC_BASE_URL: api.httpApi.apiEndpoint })) alertDispatch.handler.addEnvironment(name, value);
    alertDispatch.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [data.records.tableArn] }));
    alertDispatch.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:UpdateItem'], resources: [data.aggregates.tableArn] }));
    alertDispatch.handler.addToRolePolicy(readSecret);

    // Acknowledging: the api function checks the signed link and moves the alert on, with its counters.
    for (const [name, value] of Object.entries({ ...routing, ALERT_SECRETS_ARN: this.secret.secretArn })) api.handler.addEnvironment(name, value);
    api.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [data.records.tableArn] }));
    api.handler.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:UpdateItem'], resources: [data.aggregates.tableArn] }));
    api.handler.addToRolePolicy(readSecret);

    // Sweeping: query due alerts and pending schedules by index (never a scan), move alerts on, raise warnings and digests.
    // The sweeper also sends from the notice outbox what the stream could not, so it needs what dispatch needs to send.
    const sending = { ALERT_SECRETS_ARN: this.secret.secretArn, PUBLIC_BASE_URL: api.httpApi.apiEndpoint, ...(config.pagesPeople ? { NOTIFY_REQUIRED: 'true' } : {}) };
    this.sweeper = new GatehouseFunction(this, 'Sweeper', { name: 'sweeper', config, key, timeout: Duration.seconds(50), environment: { ...data.environment, ...routing, ...sending } });
    this.sweeper.addToRolePolicy(readSecret);
    this.sweeper.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [data.records.tableArn, ...indexes('byDue', 'bySchedule')] }));
    this.sweeper.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], resources: [data.records.tableArn] }));
    this.sweeper.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:UpdateItem'], resources: [data.aggregates.tableArn] }));
    this.sweeper.grantKeyUse(key);

    this.scheduleDeadLetterQueue = deadLetterQueue(this, 'ScheduleDeadLetterQueue', { stage: config.stage, name: 'sweeper-schedule', key });
    // A missed minute is made good by the next one (everything due is still due), so an old invocation is dropped.
    this.schedule = new Schedule(this, 'EveryMinute', {
      description: 'Gatehouse sweeper: escalations, reminders, pre-release warnings, digests',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(this.sweeper, { retryAttempts: 2, maxEventAge: Duration.minutes(2), deadLetterQueue: this.scheduleDeadLetterQueue }),
      key,
    });
  }
}
