/**
 * The two tables, built from the one definition in functions/commons/resources.ts, encrypted with the
 * stack's customer-managed key, with point-in-time recovery and a ceiling on on-demand throughput.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  aggregatesTable,
  auditTable,
  recordsTable,
  resourceName,
  type KeyDefinition,
  type TableDefinition,
} from '#commons/resources';
import type { StageConfig } from '#infra/config/stages';

export class DataStores extends Construct {
  readonly records: Table;
  readonly aggregates: Table;
  /** Append-only: who read which case, when. */
  readonly audit: Table;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey }) {
    super(scope, id);
    this.records = tableFrom(this, recordsTable, props);
    this.aggregates = tableFrom(this, aggregatesTable, props);
    // Nobody edits the audit: the table's own policy denies item updates and deletes to every principal, operators
    // and administrators included (TTL expiry is DynamoDB's own and unaffected). The api function may only add entries.
    const auditArn = `arn:${Aws.PARTITION}:dynamodb:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${resourceName(props.config.stage, auditTable.id)}`;
    this.audit = tableFrom(
      this,
      auditTable,
      props,
      new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AppendOnly',
            effect: Effect.DENY,
            principals: [new AnyPrincipal()],
            actions: [
              'dynamodb:UpdateItem',
              'dynamodb:DeleteItem',
              'dynamodb:PartiQLUpdate',
              'dynamodb:PartiQLDelete',
              'dynamodb:BatchWriteItem',
            ],
            resources: [auditArn],
          }),
        ],
      }),
    );
  }

  /** The environment through which functions learn the table names. */
  get environment(): Record<string, string> {
    return {
      [recordsTable.envVar]: this.records.tableName,
      [aggregatesTable.envVar]: this.aggregates.tableName,
    };
  }

  /** Only the api function needs the audit table. */
  get auditEnvironment(): Record<string, string> {
    return { [auditTable.envVar]: this.audit.tableName };
  }
}

function tableFrom(
  scope: Construct,
  definition: TableDefinition,
  { config, key }: { config: StageConfig; key: IKey },
  resourcePolicy?: PolicyDocument,
): Table {
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
    ...(resourcePolicy ? { resourcePolicy } : {}),
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
