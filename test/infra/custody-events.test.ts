import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appProps } from './app-props';
import { hmppsEventTypes } from '#events/hmpps/domain-event';
import { buildApp } from '#infra/app';

const topicArn = 'arn:aws:sns:eu-west-2:111111111111:hmpps-domain-events-prod';

describe('the custody queue subscribed to the HMPPS domain-events topic given by config', () => {
  let built: ReturnType<typeof buildApp>;
  let template: Template;
  beforeAll(() => {
    built = buildApp('prod', appProps('prod', { context: { hmppsDomainEventsTopicArn: topicArn } }));
    template = Template.fromStack(built.stack);
  });

  it('still synthesises with no unacknowledged cdk-nag finding', () => {
    expect(() => built.app.synth()).not.toThrow();
  });

  it('subscribes the queue to that topic, filtered on eventType to the three HMPPS events Gatehouse reads, in the SNS envelope', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: topicArn,
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustodyEventsQueue'), 'Arn'] },
      FilterPolicy: { eventType: Object.values(hmppsEventTypes) },
      RawMessageDelivery: false,
    });
  });

  it('lets that topic, and only it, send to the queue and use the key', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
          }),
        ]),
      },
    });
  });
});

describe.each(['dev', 'prod'])('direct producers in %s', (stage) => {
  it('publish custody events v1 to the Gatehouse bus; a rule puts the event itself on the custody queue, with a dead-letter queue', () => {
    const template = Template.fromStack(buildApp(stage, appProps(stage)).stack);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: `gatehouse-${stage}-custody` });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': ['custody-event.v1'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustodyEventsQueue'), 'Arn'] },
          InputPath: '$.detail',
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustodyEventsDeadLetterQueue'), 'Arn'] },
          },
        }),
      ],
    });
    // No topic is configured for prod here, so the custody queue subscribes to none (operations e-mail aside).
    expect(
      Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'sqs' } })),
    ).toHaveLength(0);
  });
});
