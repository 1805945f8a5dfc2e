/**
 * AWS SDK clients, created once per process. In AWS the SDK finds region and credentials itself;
 * the local runtime and the tests point them at DynamoDB Local and the S3 emulator through AWS_ENDPOINT_URL_*.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let documentClient: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sqs: SQSClient | undefined;

export function dynamoDocuments(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function s3Client(): S3Client {
  // Path-style addressing works with both S3 and the local emulator; checksums only where S3 requires them.
  s3 ??= new S3Client({
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
}

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({});
  return sqs;
}

let sns: SNSClient | undefined;

export function snsClient(): SNSClient {
  sns ??= new SNSClient({});
  return sns;
}

let secrets: SecretsManagerClient | undefined;

export function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient({});
  return secrets;
}
