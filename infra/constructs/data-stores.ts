/**
 * The two tables, built from the one definition in functions/commons/resources.ts, encrypted with the
 * stack's customer-managed key, with point-in-time recovery and a ceiling on on-demand throughput.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { aggregatesTable, recordsTable, resourceName, type KeyDefinition, type TableDefinition } from '../../functions/commons/resources';
import type { StageConfig } from '../config/stages';

export class DataStores extends Construct {
  readonly records: Table;
  readonly aggregates: Table;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey }) {
    super(scope, id);
    this.records = tableFrom(this, recordsTable, props);
    this.aggregates = tableFrom(this, aggregatesTable, props);
  }

  /** The environment through which functions learn the table names. */
  get environment(): Record<string, string> {
    return { [recordsTable.envVar]: this.records.tableName, [aggregatesTable.envVar]: this.aggregates.tableName };
  }
}

function tableFrom(scope: Construct, definition: TableDefinition, { config, key }: { config: StageConfig; key: IKey }): Table {
  const table = new Table(scope, definition.id, {
    tableName: resourceName(config.stage, definition.id),
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    maxReadRequestUnits: config.maxTableRequestUnits,
    maxWriteRequestUnits: config.maxTableRequestUnits,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: config.protectData,
    removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
    ...(definition.stream ? { stream: StreamViewType[definition.stream] } : {}),
  });
  for (const index of definition.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
      maxReadRequestUnits: config.maxTableRequestUnits,
      maxWriteRequestUnits: config.maxTableRequestUnits,
    });
  }
  return table;
}

function attribute(key: KeyDefinition): Attribute {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}
