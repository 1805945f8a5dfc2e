import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { buildApp } from '#infra/app';
import { appProps } from './app-props';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '#infra/config/stages';
import { HmppsApis, hmppsProduction } from '#infra/constructs/hmpps-apis';

/** A stack holding only the construct and one function to connect (no bundling, so the test stays small). */
function build(stage: 'dev' | 'prod') {
  const stack = new Stack(new App(), 'HmppsApisTest', { env: { region: 'eu-west-2' } });
  const key = new Key(stack, 'Key');
  const fn = new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => {}'),
  });
  const hmpps = new HmppsApis(stack, 'HmppsApis', { config: stageConfig(stage), key });
  hmpps.connect(fn);
  return Template.fromStack(stack);
}

describe('the HMPPS APIs piece', () => {
  it('keeps the client credentials in a secret encrypted with the stack key, and gives the function its name and the URLs', () => {
    const template = build('dev');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('HMPPS Auth client credentials'),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"clientId":"","clientSecret":""}' }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          HMPPS_AUTH_URL: hmppsProduction.authUrl,
          HMPPS_PRISONER_SEARCH_URL: hmppsProduction.prisonerSearchUrl,
          HMPPS_PROBATION_URL: hmppsProduction.probationUrl,
          HMPPS_RESETTLEMENT_PASSPORT_URL: hmppsProduction.resettlementPassportUrl,
          HMPPS_CAS3_URL: hmppsProduction.cas3Url,
          HMPPS_CLIENT_SECRET_ARN: { Ref: Match.stringLikeRegexp('HmppsApisClientCredentials') },
          POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
        },
      },
    });
  });

  it('lets the connected function read that secret', () => {
    build('dev').hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Effect: 'Allow',
            Resource: { Ref: Match.stringLikeRegexp('HmppsApisClientCredentials') },
          }),
        ]),
      },
    });
  });

  it('refuses, at synth, to deploy production with the sample postcode lookup', () => {
    expect(() => build('prod')).toThrow(/is the repository's sample, not the ONS Postcode Directory/);
  });
});

describe.each(['dev', 'prod'])('HMPPS APIs in the %s Gatehouse stack', (stage) => {
  const { stack } = buildApp(stage, appProps(stage));
  const template = Template.fromStack(stack);
  const functionsWith = (name: string) =>
    Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(
        ([, r]) =>
          (r as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties
            .Environment?.Variables?.[name] !== undefined,
      )
      .map(([id]) => id);

  it('gives custody-events and the sweeper, and no other function, the HMPPS APIs and the client credentials', () => {
    const ids = [
      stack.getLogicalId(stack.custodyEvents.handler.node.defaultChild as CfnElement),
      stack.getLogicalId(stack.alerting.sweeper.node.defaultChild as CfnElement),
    ].sort();
    expect(functionsWith('HMPPS_AUTH_URL').sort()).toEqual(ids);
    expect(functionsWith('HMPPS_CLIENT_SECRET_ARN').sort()).toEqual(ids);
    for (const id of ids) {
      const vars = template.toJSON().Resources[id].Properties.Environment.Variables as Record<
        string,
        unknown
      >;
      expect(vars).toMatchObject({
        HMPPS_PRISONER_SEARCH_URL: hmppsProduction.prisonerSearchUrl,
        POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
        LATE_DAY_FROM: expect.any(String),
        WATCHED_PRISONS: expect.any(String),
      });
    }
  });

  it('keeps the client credentials encrypted with the data key, kept when data is protected', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret', {
      Properties: { Description: Match.stringLikeRegexp('HMPPS Auth client credentials') },
    });
    const keyId = stack.getLogicalId(stack.key.node.defaultChild as CfnElement);
    expect(Object.values(secrets)).toMatchObject([
      {
        DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
        Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      },
    ]);
  });
});

describe('production and the sample postcode lookup', () => {
  it('refuses to synthesise production with the sample unless the context accepts it', () => {
    expect(() =>
      buildApp('prod', appProps('prod', { context: { allowSamplePostcodeAreas: false } })),
    ).toThrow(/postcode-areas:import/);
  });
});
