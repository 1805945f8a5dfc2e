/**
 * Alarms and the operations dashboard, for everything in the stack. Built last: it walks the finished stack,
 * so a queue or function added by any construct is watched without anyone remembering to wire it here.
 *
 * - every work queue must have a dead-letter queue (synth fails otherwise);
 * - a dead-letter queue with any message in it alarms;
 * - a work queue whose oldest message is getting old alarms (the consumer is failing or too slow);
 * - every function alarms on errors and on throttles;
 * - alert deliveries that failed alarm.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IAlarm,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { GatehouseFunction } from './gatehouse-function';
import { bankHolidayMetrics, hmppsApiFailuresMetric } from '#commons/operations-metrics';
import { bankHolidayWarningDays } from '#domain/calendar';

/** What an operator should do about each kind of alarm; the same words are in docs/operations.md. */
export const runbook = {
  deadLetters:
    'Messages were parked after repeated failures or because they can never be valid. Read them (the rejectionReason attribute says why), fix the cause, then `npm run redrive -- <queue> --stage <stage>`. See docs/operations.md#dead-letter-queues.',
  oldestMessage:
    "A queue is not being drained: its function is failing, throttled or too slow. Check the function's errors and logs. See docs/operations.md#a-queue-is-backing-up.",
  errors:
    'A function failed. Failed records are retried and then parked in a dead-letter queue; check its logs (no personal data is logged: use the ids to look records up). See docs/operations.md#function-errors.',
  throttles:
    'A function was throttled: records wait and are retried. Check account concurrency and reserved concurrency. See docs/operations.md#throttles.',
  undeliverable:
    "Check the routing configuration and the on-call rota of the alert's area: a tier had nobody to page. See docs/operations.md#alert-delivery-failures.",
  bankHolidays:
    'Refresh the bank holidays: `npm run bank-holidays:refresh -- <bank-holidays.json downloaded from https://www.gov.uk/bank-holidays.json>`, commit, deploy. Until then releases on days outside the loaded years are treated as possibly non-working (CRITICAL when they need help). See docs/operations.md#bank-holidays.',
  feedOverdue:
    'The sweeper\'s log line "a feed Gatehouse depends on has gone silent" names the feed and since when. Check the HMPPS subscription (the custody queue\'s SNS subscription) or ask the partner for the file. See docs/operations.md#a-feed-has-gone-silent.',
  rotaGap:
    'The sweeper\'s log line "the on-call rota has a gap" names the area, tier and times. Ask the area to send a corrected on-call-rota file; until then a page in the gap goes to the configured contact (counted as uncovered). See docs/operations.md#rota-gaps.',
  sweeperSilent:
    "Check the EveryMinute schedule (EventBridge Scheduler), its dead-letter queue and the sweeper's errors. See docs/operations.md#the-sweeper-is-silent.",
  outbox:
    "A notice stayed unsent past the stream's grace and the sweeper could not send it either (it keeps trying), or one expired unsent. Check the channel (GOV.UK Notify's status, the key in the alert secrets) and the sweeper's logs. See docs/operations.md#the-notice-outbox.",
  hmppsApis:
    "HMPPS's APIs (Auth, Prisoner Search, the probation lookup, the Resettlement Passport, CAS3) failed calls after their retries, an API's circuit opened, HMPPS Auth refused the client credentials, or an answer lacked a field Gatehouse reads. Releases still page after their wait, saying which details could not be fetched. The custody-events and sweeper logs name the API and the cause (never the person); check HMPPS's status and the HmppsApis client-credentials secret. See docs/operations.md#hmpps-apis.",
  deliveryFailures:
    "An alert could not be delivered on a channel (GOV.UK Notify, webhook, SNS). The alert moves to its next escalation step; check the channel's status and credentials. See docs/operations.md#alert-delivery-failures.",
} as const;

export const metricNamespace = 'Gatehouse';
/** Emitted by dispatch: a send that failed after its retries, a message a channel refused, a page that reached nobody. */
export const deliveryMetrics = {
  failed: 'AlertDeliveryFailed',
  rejected: 'AlertMessagesRejected',
  undeliverable: 'AlertPagesUndeliverable',
  sent: 'AlertMessagesSent',
} as const;

/** Emitted by the sweeper about the notice outbox. */
export const outboxMetrics = {
  resent: 'NoticesResent',
  resendFailed: 'NoticesResendFailed',
  expired: 'NoticesExpired',
} as const;

export class Observability extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: IAlarm[] = [];

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey }) {
    super(scope, id);
    const { config, key } = props;
    const stack = Stack.of(this);

    // Named, so the key policy below can name its ARN without a reference cycle between key and topic.
    const topicName = `gatehouse-${config.stage}-operations`;
    this.topic = new Topic(this, 'OperationsTopic', {
      topicName,
      masterKey: key,
      enforceSSL: true,
      displayName: `Gatehouse ${config.stage} operations`,
    });
    // CloudWatch publishes alarms to the topic through SNS, which needs the topic's key on CloudWatch's behalf;
    // without this statement every alarm action fails silently. Scoped to this topic by SNS's encryption context.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToOperationsTopic',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({
              service: 'sns',
              resource: topicName,
            }),
          },
        },
      }),
    );
    for (const email of config.operationsEmails) this.topic.addSubscription(new EmailSubscription(email));
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, props: ConstructorParameters<typeof Alarm>[2]) => {
      const a = new Alarm(this, alarmId, { treatMissingData: TreatMissingData.NOT_BREACHING, ...props });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    const queues = stack.node.findAll().filter((c): c is Queue => c instanceof Queue);
    const deadLetterQueues = new Set<Queue>(
      queues.flatMap((q) => (q.deadLetterQueue ? [q.deadLetterQueue.queue as Queue] : [])),
    );
    // On-failure destinations (stream event sources, schedules) are dead-letter queues too; they are named so.
    for (const q of queues) if (q.node.id.endsWith('DeadLetterQueue')) deadLetterQueues.add(q);

    const queueWidgets: GraphWidget[] = [];
    for (const queue of queues) {
      const name = queueLabel(queue);
      if (deadLetterQueues.has(queue)) {
        alarm(`${name}Depth`, {
          alarmDescription: `${name} has messages. ${runbook.deadLetters}`,
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
        });
      } else {
        if (!queue.deadLetterQueue)
          throw new Error(
            `queue ${queue.node.path} has no dead-letter queue: every Gatehouse queue needs one`,
          );
        alarm(`${name}OldestMessage`, {
          alarmDescription: `${name}: the oldest message is over ${config.oldestMessageAlarmMinutes} minutes old. ${runbook.oldestMessage}`,
          metric: queue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: config.oldestMessageAlarmMinutes * 60,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
        });
      }
      queueWidgets.push(
        new GraphWidget({
          title: name,
          left: [queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) })],
          right: [queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) })],
        }),
      );
    }

    const functions = stack.node
      .findAll()
      .filter((c): c is GatehouseFunction => c instanceof GatehouseFunction);
    const functionWidgets: GraphWidget[] = [];
    for (const fn of functions) {
      const name = functionLabel(fn);
      alarm(`${name}Errors`, {
        alarmDescription: `${name} reported errors. ${runbook.errors}`,
        metric: fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `${name} was throttled. ${runbook.throttles}`,
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      functionWidgets.push(
        new GraphWidget({
          title: name,
          left: [
            fn.metricInvocations({ period: Duration.minutes(5) }),
            fn.metricErrors({ period: Duration.minutes(5) }),
            fn.metricThrottles({ period: Duration.minutes(5) }),
          ],
          right: [fn.metricDuration({ period: Duration.minutes(5), statistic: 'p95' })],
        }),
      );
    }

    const dispatchMetric = (metricName: string) =>
      new Metric({
        namespace: metricNamespace,
        metricName,
        dimensionsMap: { service: 'gatehouse-dispatch' },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    const deliveryFailures = new MathExpression({
      label: 'failed or refused deliveries',
      expression: 'FILL(failed, 0) + FILL(rejected, 0)',
      usingMetrics: {
        failed: dispatchMetric(deliveryMetrics.failed),
        rejected: dispatchMetric(deliveryMetrics.rejected),
      },
      period: Duration.minutes(5),
    });
    alarm('AlertDeliveryFailures', {
      alarmDescription: `Alert deliveries failed or were refused. ${runbook.deliveryFailures}`,
      metric: deliveryFailures,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('AlertPagesUndeliverable', {
      alarmDescription: `A page reached nobody (no route, or every channel refused it); the alert moved to its next step. ${runbook.undeliverable}`,
      metric: dispatchMetric(deliveryMetrics.undeliverable),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    alarm('BankHolidaysEndingSoon', {
      alarmDescription: `The loaded bank holidays end within ${bankHolidayWarningDays} days (the metric is the days left). ${runbook.bankHolidays}`,
      metric: new Metric({
        namespace: metricNamespace,
        metricName: bankHolidayMetrics.coverageDaysLeft,
        dimensionsMap: { service: 'gatehouse-sweeper' },
        period: Duration.hours(1),
        statistic: 'Minimum',
      }),
      threshold: bankHolidayWarningDays,
      comparisonOperator: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('ReleasesOutsideBankHolidays', {
      alarmDescription: `A release was recorded on a day whose bank holidays are not loaded; it was treated as possibly non-working. ${runbook.bankHolidays}`,
      metric: new Metric({
        namespace: metricNamespace,
        metricName: bankHolidayMetrics.releasesOutsideCoverage,
        dimensionsMap: { service: 'gatehouse-custody-events' },
        period: Duration.hours(1),
        statistic: 'Sum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    const sweeperMetric = (metricName: string) =>
      new Metric({
        namespace: metricNamespace,
        metricName,
        dimensionsMap: { service: 'gatehouse-sweeper' },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    alarm('NoticesNotSent', {
      alarmDescription: `Notices could not be sent from the outbox, or expired unsent. ${runbook.outbox}`,
      metric: new MathExpression({
        label: 'notices the sweeper could not send, or that expired',
        expression: 'FILL(resendFailed, 0) + FILL(expired, 0)',
        usingMetrics: {
          resendFailed: sweeperMetric(outboxMetrics.resendFailed),
          expired: sweeperMetric(outboxMetrics.expired),
        },
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // Silence matters here: a sweeper that stops running escalates nothing and sends nothing from the outbox,
    // so missing data is breaching.
    const sweeper = functions.find((fn) => fn.node.path.endsWith('/Sweeper'));
    if (sweeper) {
      alarm('SweeperSilent', {
        alarmDescription: `The sweeper has not run for 5 minutes: no escalations, reminders or re-sends from the outbox. ${runbook.sweeperSilent}`,
        metric: sweeper.metricInvocations({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      });
    }

    // HMPPS's APIs: failures are summed over the two functions that fetch (custody-events and the sweeper).
    const hmppsFailures = (service: string) =>
      new Metric({
        namespace: metricNamespace,
        metricName: hmppsApiFailuresMetric,
        dimensionsMap: { service },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    alarm('HmppsApisFailing', {
      alarmDescription: `Calls to HMPPS's APIs are failing. ${runbook.hmppsApis}`,
      metric: new MathExpression({
        label: 'HMPPS API calls failed',
        expression: 'FILL(custody, 0) + FILL(sweeper, 0)',
        usingMetrics: {
          custody: hmppsFailures('gatehouse-custody-events'),
          sweeper: hmppsFailures('gatehouse-sweeper'),
        },
        period: Duration.minutes(5),
      }),
      // A single failed call after its retries is not yet an outage; a handful in five minutes is.
      threshold: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    // Silence matters: a feed that stops is reported by the sweeper; if the sweeper stops, SweeperSilent fires.
    alarm('FeedOverdue', {
      alarmDescription: `A feed Gatehouse depends on has gone silent: HMPPS events in working hours, or a partner's regular file. ${runbook.feedOverdue}`,
      metric: sweeperMetric('FeedsOverdue').with({ statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('RotaGapAhead', {
      alarmDescription: `The on-call rota has a gap before the coming weekend or bank holiday (checked Thursdays and the last working day before a bank holiday, from 12:00). ${runbook.rotaGap}`,
      metric: sweeperMetric('RotaGaps').with({ statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    const business = (metricName: string, service: string) =>
      new Metric({
        namespace: metricNamespace,
        metricName,
        dimensionsMap: { service },
        period: Duration.hours(1),
        statistic: 'Sum',
      });
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `gatehouse-${config.stage}` });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Gatehouse ${config.stage}\nAlarms go to the operations topic. What to do: docs/operations.md`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Releases and alerts',
        left: [
          business('CustodyEventsRecorded', 'gatehouse-custody-events'),
          business('CustodyEventsDuplicate', 'gatehouse-custody-events'),
          business('CustodyEventsRejected', 'gatehouse-custody-events'),
        ],
        right: [
          business('AlertsRaised', 'gatehouse-custody-events'),
          business(deliveryMetrics.sent, 'gatehouse-dispatch'),
          business('AlertsEscalated', 'gatehouse-sweeper'),
          deliveryFailures,
        ],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Partner files',
        left: [
          business('PartnerFilesAccepted', 'gatehouse-partner-drop'),
          business('PartnerFilesPartiallyAccepted', 'gatehouse-partner-drop'),
          business('PartnerFilesRejected', 'gatehouse-partner-drop'),
          business('PartnerFilesQuarantined', 'gatehouse-partner-drop'),
        ],
        right: [business('PartnerRowsRejected', 'gatehouse-partner-drop')],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Notices, rota gaps and silent feeds',
        left: [
          business(outboxMetrics.resent, 'gatehouse-sweeper'),
          business(outboxMetrics.resendFailed, 'gatehouse-sweeper'),
          business(outboxMetrics.expired, 'gatehouse-sweeper'),
        ],
        right: [
          sweeperMetric('RotaGaps').with({ statistic: 'Maximum', period: Duration.hours(1) }),
          sweeperMetric('FeedsOverdue').with({ statistic: 'Maximum', period: Duration.hours(1) }),
        ],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(...queueWidgets);
    this.dashboard.addWidgets(...functionWidgets);
  }
}

function queueLabel(queue: Queue): string {
  return queue.node.path.split('/').slice(1).join('');
}

function functionLabel(fn: GatehouseFunction): string {
  return fn.node.path.split('/').slice(1).join('');
}
