import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { appProps } from './app-props';
import { buildApp } from '#infra/app';
import { stageConfig } from '#infra/config/stages';
import { Observability } from '#infra/constructs/observability';

/** These tests read the template; the bundles themselves are checked by stack.test.ts. */
const withoutBundling = { context: { 'aws:cdk:bundling-stacks': [] } };

describe.each(['dev', 'prod'])('operations of the %s stack', (stage) => {
  let template: Template;
  let built: ReturnType<typeof buildApp>;
  beforeAll(() => {
    built = buildApp(stage, appProps(stage, withoutBundling));
    template = Template.fromStack(built.stack);
  });

  const fn = (service: string) =>
    Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
    );
  const alarmsOn = (metricName: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.MetricName === metricName,
    );

  it('alarms on any message in every dead-letter queue', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const deadLetterQueues = Object.entries(queues).filter(([, q]) => /-dlq$/.test(q.Properties.QueueName));
    expect(deadLetterQueues.length).toBeGreaterThanOrEqual(2);
    const depthAlarms = alarmsOn('ApproximateNumberOfMessagesVisible');
    for (const [logicalId] of deadLetterQueues) {
      expect(
        depthAlarms.some((a) => JSON.stringify(a.Properties.Dimensions).includes(logicalId)),
        logicalId,
      ).toBe(true);
    }
    for (const a of depthAlarms)
      expect(a.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('gives every work queue a dead-letter queue and an alarm on the age of its oldest message', () => {
    const work = Object.entries(template.findResources('AWS::SQS::Queue')).filter(
      ([, q]) => !/-dlq$/.test(q.Properties.QueueName),
    );
    expect(work.length).toBeGreaterThanOrEqual(1);
    const ageAlarms = alarmsOn('ApproximateAgeOfOldestMessage');
    for (const [logicalId, queue] of work) {
      expect(queue.Properties.RedrivePolicy, logicalId).toBeDefined();
      expect(
        ageAlarms.some((a) => JSON.stringify(a.Properties.Dimensions).includes(logicalId)),
        logicalId,
      ).toBe(true);
    }
  });

  it('alarms on errors and throttles of every function, and on failed alert deliveries', () => {
    // Gatehouse's own functions; CDK's deploy-time helpers (the site upload) run only during a deploy.
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .map(([id]) => id);
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const metric of ['Errors', 'Throttles']) {
      const alarms = alarmsOn(metric);
      for (const fn of functions)
        expect(
          alarms.some((a) => JSON.stringify(a.Properties.Dimensions).includes(fn)),
          `${metric} ${fn}`,
        ).toBe(true);
    }
    const deliveryAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('AlertDeliveryFailed'),
    );
    expect(deliveryAlarms).toHaveLength(1);
    expect(JSON.stringify(deliveryAlarms[0]!.Properties.Metrics)).toContain('AlertMessagesRejected');
    expect(alarmsOn('AlertPagesUndeliverable')).toHaveLength(1);
    const outboxAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('NoticesResendFailed'),
    );
    expect(outboxAlarms).toHaveLength(1);
    expect(JSON.stringify(outboxAlarms[0]!.Properties.Metrics)).toContain('NoticesExpired');
  });

  it('alarms from 90 days before the loaded bank holidays end, and on any release outside them, with the refresh command', () => {
    const [endingSoon] = alarmsOn('BankHolidayCoverageDaysLeft');
    expect(endingSoon?.Properties).toMatchObject({
      Threshold: 90,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Dimensions: [{ Name: 'service', Value: 'gatehouse-sweeper' }],
    });
    expect(endingSoon?.Properties.AlarmDescription).toContain('npm run bank-holidays:refresh');
    const [outside] = alarmsOn('ReleasesOutsideBankHolidayCoverage');
    expect(outside?.Properties).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'service', Value: 'gatehouse-custody-events' }],
    });
  });

  it('sends every alarm, and its recovery, to the encrypted operations topic, with what to do', () => {
    const topic = Object.entries(template.findResources('AWS::SNS::Topic')).find(([, t]) =>
      /operations/.test(t.Properties.DisplayName),
    );
    expect(topic?.[1].Properties.KmsMasterKeyId).toBeDefined();
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic![0] }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic![0] }]);
      expect(alarm.Properties.AlarmDescription).toMatch(/docs\/operations\.md#/);
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('lets CloudWatch use the data key to publish alarms to the operations topic, and only to that topic', () => {
    const [topicId] = Object.entries(template.findResources('AWS::SNS::Topic')).find(([, t]) =>
      /operations/.test(t.Properties.DisplayName),
    )!;
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const statements = key!.Properties.KeyPolicy.Statement as {
      Principal?: { Service?: unknown };
      Action: string | string[];
      Condition?: unknown;
    }[];
    const forCloudWatch = statements.filter((s) =>
      JSON.stringify(s.Principal?.Service ?? '').includes('cloudwatch.amazonaws.com'),
    );
    expect(forCloudWatch).toHaveLength(1);
    expect([forCloudWatch[0]!.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    const topicName = template.findResources('AWS::SNS::Topic')[topicId]!.Properties.TopicName as string;
    expect(topicName).toBe(`gatehouse-${stage}-operations`);
    const condition = JSON.stringify(forCloudWatch[0]!.Condition);
    expect(condition).toContain('"StringEquals":{"kms:EncryptionContext:aws:sns:topicArn"');
    expect(condition).toContain(`:${topicName}`);
  });

  it('alarms when a feed goes silent (the sweeper reports it) and when the rota has a gap ahead', () => {
    for (const metric of ['FeedsOverdue', 'RotaGaps']) {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
        (a) => a.Properties.MetricName === metric,
      );
      expect(alarms, metric).toHaveLength(1);
      expect(alarms[0]!.Properties).toMatchObject({
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it("alarms when calls to HMPPS's APIs keep failing, in either function that fetches, with what to do", () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('HmppsApiFailures'),
    );
    expect(alarms).toHaveLength(1);
    const props = alarms[0]!.Properties;
    expect(props).toMatchObject({ Threshold: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const services = (props.Metrics as { MetricStat?: { Metric: { Dimensions: { Value: string }[] } } }[])
      .flatMap((m) => m.MetricStat?.Metric.Dimensions.map((d) => d.Value) ?? [])
      .sort();
    expect(services).toEqual(['gatehouse-custody-events', 'gatehouse-sweeper']);
    expect(props.AlarmDescription).toContain('HmppsApis client-credentials secret');
  });

  it('alarms when the sweeper stops running, treating its silence as breaching', () => {
    const [silent] = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
      id.includes('SweeperSilent'),
    );
    expect(silent?.[1].Properties).toMatchObject({
      MetricName: 'Invocations',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect(JSON.stringify(silent![1].Properties.Dimensions)).toContain('AlertingSweeper');
  });

  it("subscribes the stage's operations contacts", () => {
    template.resourceCountIs('AWS::SNS::Subscription', stageConfig(stage).operationsEmails.length);
  });

  it("keeps case and alert items for the stage's retention period and logs for its log retention", () => {
    const custody = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment.Variables.CUSTODY_DLQ_URL,
    );
    expect(custody?.Properties.Environment.Variables.RETENTION_DAYS).toBe(
      String(stageConfig(stage).retentionDays),
    );
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: stageConfig(stage).logRetentionDays,
    });
  });

  it("reserves concurrency for dispatch in prod only, to stay within GOV.UK Notify's rate limit", () => {
    expect(fn('gatehouse-dispatch')?.Properties.ReservedConcurrentExecutions).toBe(
      stage === 'prod' ? 5 : undefined,
    );
  });

  it(
    stage === 'prod'
      ? 'refuses to run dispatch or the sweeper without a GOV.UK Notify key, since prod pages people'
      : 'lets dev run without a Notify key (sends to SMS and e-mail are then refused, escalated and alarmed)',
    () => {
      for (const name of ['gatehouse-dispatch', 'gatehouse-sweeper']) {
        expect(fn(name)?.Properties.Environment.Variables.NOTIFY_REQUIRED, name).toBe(
          stage === 'prod' ? 'true' : undefined,
        );
        expect(fn(name)?.Properties.Environment.Variables.NOTIFY_API_KEY_SECRET_ARN, name).toBeDefined();
      }
    },
  );

  it('sends alerts only through channels that reach a person: no SNS topic without subscribers', () => {
    const topics = Object.values(template.findResources('AWS::SNS::Topic')).map(
      (t) => t.Properties.DisplayName,
    );
    expect(topics).toEqual([`Gatehouse ${stage} operations`]);
  });

  it('caps on-demand throughput of both tables', () => {
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      OnDemandThroughput: { MaxReadRequestUnits: Match.anyValue(), MaxWriteRequestUnits: Match.anyValue() },
    });
  });
});

describe('a queue without a dead-letter queue', () => {
  it('stops the stack from synthesising', () => {
    const { stack } = buildApp('dev', withoutBundling);
    new Queue(stack, 'Forgotten');
    expect(() => new Observability(stack, 'Again', { config: stageConfig('dev'), key: stack.key })).toThrow(
      /Gatehouse-dev\/Forgotten has no dead-letter queue/,
    );
  });
});

describe('prod without its alert routing', () => {
  it('refuses to synthesise rather than page the example contacts', () => {
    expect(() => buildApp('prod', withoutBundling)).toThrow(
      /stage prod needs its real alert routing: pass -c routingFile=/,
    );
  });
});
