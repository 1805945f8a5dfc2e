/**
 * Creates Gatehouse's tables and buckets on the local emulators from the same definitions the CDK stack
 * uses (functions/commons/resources.ts). Safe to run again on an existing store.
 */
import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { buckets, resourceName, tables, type KeyDefinition, type TableDefinition } from '#commons/resources';

export interface ResourceNames {
  tables: Record<string, string>;
  buckets: Record<string, string>;
  /** Environment variables that tell the functions these names. */
  env: Record<string, string>;
}

export function resourceNames(stage: string): ResourceNames {
  const tableNames = Object.fromEntries(tables.map((t) => [t.id, resourceName(stage, t.id)]));
  const bucketNames = Object.fromEntries(buckets.map((b) => [b.id, resourceName(stage, b.id)]));
  return {
    tables: tableNames,
    buckets: bucketNames,
    env: Object.fromEntries([
      ...tables.map((t) => [t.envVar, tableNames[t.id]!]),
      ...buckets.map((b) => [b.envVar, bucketNames[b.id]!]),
    ]),
  };
}

export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const keySchema = (pk: KeyDefinition, sk?: KeyDefinition): KeySchemaElement[] => [
    { AttributeName: pk.name, KeyType: 'HASH' },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  const attributes = new Map<string, AttributeDefinition>();
  for (const key of [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    if (key) attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    AttributeDefinitions: [...attributes.values()],
    ...(definition.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(definition.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }
      : {}),
  };
}

export async function provisionTables(dynamo: DynamoDBClient, names: ResourceNames): Promise<void> {
  for (const definition of tables) {
    const tableName = names.tables[definition.id]!;
    try {
      await dynamo.send(new CreateTableCommand(createTableInput(definition, tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      continue; // already there from an earlier run
    }
    if (definition.timeToLiveAttribute) {
      await dynamo.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: definition.timeToLiveAttribute },
        }),
      );
    }
  }
}

export async function provisionBuckets(s3: S3Client, names: ResourceNames): Promise<void> {
  for (const bucket of Object.values(names.buckets)) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (!(error instanceof BucketAlreadyOwnedByYou) && (error as Error).name !== 'BucketAlreadyExists')
        throw error;
    }
  }
}
