/**
 * AWS SDK clients, made from an explicit environment and kept once per connection (region, endpoints, credentials).
 * In Lambda the environment is process.env and the SDK finds region and credentials itself; the local runtime and
 * the tests pass their own environment, whose AWS_ENDPOINT_URL_* and keys point the clients at DynamoDB Local and
 * the S3 emulator, so nothing writes to process.env.
 *
 * Every client is traced (X-Ray through Powertools; a no-op where tracing is off, as on a laptop). The X-Ray SDK
 * records only its allow-list of request fields (table, index, queue, topic, bucket and object key, which are
 * ids and file names) and no response body; POWERTOOLS_TRACER_CAPTURE_RESPONSE=false keeps handler results out too.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from './powertools';

/** The environment a function is composed from: process.env in Lambda, the local runtime's own object on a laptop. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface AwsClients {
  dynamoDocuments: DynamoDBDocumentClient;
  s3: S3Client;
  sqs: SQSClient;
  sns: SNSClient;
  secrets: SecretsManagerClient;
}

const made = new Map<string, AwsClients>();

/** The clients for this environment's connection settings; the same objects for the same settings. */
export function awsClients(env: Environment = process.env): AwsClients {
  const settings = connection(env);
  const key = JSON.stringify(settings);
  let clients = made.get(key);
  if (!clients) {
    const { region, credentials, endpoints } = settings;
    const common = { ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) };
    clients = {
      dynamoDocuments: DynamoDBDocumentClient.from(
        tracer.captureAWSv3Client(
          new DynamoDBClient({ ...common, maxAttempts: 5, ...endpoint(endpoints.dynamodb) }),
        ),
        {
          marshallOptions: { removeUndefinedValues: true },
        },
      ),
      // Path-style addressing works with both S3 and the local emulator; checksums only where S3 requires them.
      s3: tracer.captureAWSv3Client(
        new S3Client({
          ...common,
          ...endpoint(endpoints.s3),
          forcePathStyle: Boolean(endpoints.s3),
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
      ),
      sqs: tracer.captureAWSv3Client(new SQSClient({ ...common, ...endpoint(endpoints.sqs) })),
      sns: tracer.captureAWSv3Client(new SNSClient({ ...common, ...endpoint(endpoints.sns) })),
      secrets: tracer.captureAWSv3Client(
        new SecretsManagerClient({ ...common, ...endpoint(endpoints.secretsManager) }),
      ),
    };
    made.set(key, clients);
  }
  return clients;
}

/**
 * Keys are passed on only with an endpoint of its own (an emulator's, whose keys the environment holds); against AWS
 * the SDK's own chain finds region defaults and credentials, as it always did.
 */
function connection(env: Environment) {
  const endpoints = {
    dynamodb: env.AWS_ENDPOINT_URL_DYNAMODB,
    s3: env.AWS_ENDPOINT_URL_S3,
    sqs: env.AWS_ENDPOINT_URL_SQS,
    sns: env.AWS_ENDPOINT_URL_SNS,
    secretsManager: env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
  };
  const emulated = Object.values(endpoints).some(Boolean);
  return {
    region: env.AWS_REGION,
    credentials:
      emulated && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          }
        : undefined,
    endpoints,
  };
}

function endpoint(url: string | undefined): { endpoint?: string } {
  return url ? { endpoint: url } : {};
}

export function dynamoDocuments(env: Environment = process.env): DynamoDBDocumentClient {
  return awsClients(env).dynamoDocuments;
}

export function s3Client(env: Environment = process.env): S3Client {
  return awsClients(env).s3;
}

export function sqsClient(env: Environment = process.env): SQSClient {
  return awsClients(env).sqs;
}

export function snsClient(env: Environment = process.env): SNSClient {
  return awsClients(env).sns;
}

export function secretsClient(env: Environment = process.env): SecretsManagerClient {
  return awsClients(env).secrets;
}
