/**
 * The one definition of Gatehouse's tables, indexes, stream filter and buckets.
 * The CDK stack, the local runtime and the tests all build their resources from this file,
 * so the cloud and the laptop cannot drift apart.
 */

export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Logical id in CDK, and the suffix of the table name everywhere. */
  readonly id: string;
  /** Environment variable through which a function learns the table's real name. */
  readonly envVar: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  readonly globalIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute?: string;
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** Whether items may hold personal data (drives encryption and who may read it). */
  readonly personalData: boolean;
}

/**
 * Records: the event ledger, release cases, alerts (the transactional outbox) and their deliveries.
 * Single-table design; `entity` names what an item is.
 */
export const recordsTable: TableDefinition = {
  id: 'Records',
  envVar: 'RECORDS_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    // Open alerts by the time their next step is due: the sweeper queries this, never scans.
    {
      indexName: 'byDue',
      partitionKey: { name: 'duePartition', type: 'S' },
      sortKey: { name: 'dueAt', type: 'S' },
    },
    // Scheduled releases by date: pre-release warnings.
    {
      indexName: 'bySchedule',
      partitionKey: { name: 'schedulePartition', type: 'S' },
      sortKey: { name: 'scheduledFor', type: 'S' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  personalData: true,
};

/** Aggregates: counters only, never personal data, so the dashboard may read this table and nothing else. */
export const aggregatesTable: TableDefinition = {
  id: 'Aggregates',
  envVar: 'AGGREGATES_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [],
  personalData: false,
};

/**
 * Audit of case reads: who read which person's cases, when, and what they were shown. Append-only: the api function
 * may only put new items (conditionally), and the table's resource policy denies every principal item updates and
 * deletes. Operators query it by person (pk) or by reader (byReader).
 */
export const auditTable: TableDefinition = {
  id: 'Audit',
  envVar: 'AUDIT_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    {
      indexName: 'byReader',
      partitionKey: { name: 'readerId', type: 'S' },
      sortKey: { name: 'at', type: 'S' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  personalData: true,
};

export const tables = [recordsTable, aggregatesTable, auditTable] as const;

export interface BucketDefinition {
  readonly id: string;
  readonly envVar: string;
  readonly personalData: boolean;
}

/** Partner file drops: incoming/, reports/, quarantine/, archive/. */
export const partnerDropsBucket: BucketDefinition = {
  id: 'PartnerDrops',
  envVar: 'PARTNER_DROPS_BUCKET',
  personalData: true,
};

export const buckets = [partnerDropsBucket] as const;

/** Entities stored in the records table. */
export const entity = {
  ledger: 'ledger',
  releases: 'releases',
  alert: 'alert',
  alertNotice: 'alertNotice',
  delivery: 'delivery',
  /** An on-call page by SMS under the recipient's keyed number, for replies (domain/replies.ts). */
  pagedNumber: 'pagedNumber',
  digestEntry: 'digestEntry',
  // Partner file drops (issue 4).
  partnerFile: 'partnerFile',
  partnerFileChunk: 'partnerFileChunk',
  partnerDrop: 'partnerDrop',
  rotaEntry: 'rotaEntry',
  rotaGapWarning: 'rotaGapWarning',
  accommodationOutcome: 'accommodationOutcome',
  referralOutcome: 'referralOutcome',
} as const;

/**
 * The stream hands `dispatch` only newly inserted notices (an alert's first page, written with it; a later
 * page, an acknowledgement to pass on, a reminder): an update to an alert (a repeat of the same release, an
 * escalation's bookkeeping) or to a notice (settled, postponed) must not page anyone again.
 * Written as a Lambda event-filter pattern; the local stream poller evaluates the same pattern.
 */
export const alertStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: [entity.alertNotice] } } },
} as const;

/** The real name of a resource in one deployment: `gatehouse-{stage}-{id}` lower-cased. */
export function resourceName(stage: string, id: string): string {
  return `gatehouse-${stage}-${id}`.toLowerCase();
}
