import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config/stages';
import { HmppsApis, hmppsProduction } from '../../infra/constructs/hmpps-apis';

/** A stack holding only the construct and one function to connect (no bundling, so the test stays small). */
function build(stage: 'dev' | 'prod') {
  const stack = new Stack(new App(), 'HmppsApisTest', { env: { region: 'eu-west-2' } });
  const key = new Key(stack, 'Key');
  const fn = new LambdaFunction(stack, 'Fn', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('export const handler = async () => {}') });
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
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('HmppsApisClientCredentials') } }),
        ]),
      },
    });
  });

  it('refuses, at synth, to deploy production with the sample postcode lookup', () => {
    expect(() => build('prod')).toThrow(/is the repository's sample, not the ONS Postcode Directory/);
  });
});
