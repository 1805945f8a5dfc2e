import { describe, expect, it } from 'vitest';
import { awsClients } from '#commons/clients';

const emulators = {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'local-key',
  AWS_SECRET_ACCESS_KEY: 'local-secret',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8101',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:8102',
};

describe('the AWS SDK clients of an environment', () => {
  it('point at the endpoints and use the keys of the environment they are given, not process.env', async () => {
    const clients = awsClients(emulators);
    const dynamo = await clients.dynamoDocuments.config.endpoint!();
    const s3 = await clients.s3.config.endpoint!();
    expect(`${dynamo.protocol}//${dynamo.hostname}:${dynamo.port}`).toBe('http://127.0.0.1:8101');
    expect(`${s3.protocol}//${s3.hostname}:${s3.port}`).toBe('http://127.0.0.1:8102');
    expect(clients.s3.config.forcePathStyle).toBe(true);
    expect(await clients.dynamoDocuments.config.credentials()).toMatchObject({
      accessKeyId: 'local-key',
      secretAccessKey: 'local-secret',
    });
    expect(await clients.sqs.config.region()).toBe('eu-west-2');
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
  });

  it('are made once per connection: the same settings share them, other settings get their own', () => {
    expect(awsClients({ ...emulators })).toBe(awsClients(emulators));
    expect(
      awsClients({ ...emulators, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8103' }).dynamoDocuments,
    ).not.toBe(awsClients(emulators).dynamoDocuments);
  });

  it("leave credentials to the SDK's own chain against AWS (no endpoint of their own), as in Lambda", () => {
    const clients = awsClients({
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'from-lambda',
      AWS_SECRET_ACCESS_KEY: 'from-lambda',
    });
    expect(clients.s3.config.forcePathStyle).toBe(false);
    expect(clients.dynamoDocuments.config.endpoint).toBeUndefined();
  });
});
