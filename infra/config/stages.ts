import { envNames } from '#commons/env-names';

/** What differs between deployments. `npx cdk deploy -c stage=prod` picks one. */
export interface StageConfig {
  stage: 'dev' | 'prod';
  region: string;
  /** Case and alert items expire this many days after the release. */
  retentionDays: number;
  /** CloudWatch log retention of every function. */
  logRetentionDays: number;
  /** Deletion protection and RETAIN on data stores. */
  protectData: boolean;
  /** Receives before a custody message is parked in its dead-letter queue. */
  maxReceiveCount: number;
  /** Upper bound on on-demand throughput of each table (requests per second). */
  maxTableRequestUnits: number;
  /** Local time from which a release counts as late in the day. */
  lateDayFrom: string;
  /**
   * The prisons whose releases are the partnership's when their destination is not known (HMP Durham `DMI`; add
   * e.g. `LNI` Low Newton for women from the area, `HHI` Holme House, `DTI` Deerbolt, `FKI` Frankland).
   */
  watchedPrisons: string[];
  /** The partnership's local authorities (ONS codes): a release to one of them is the partnership's from any prison. */
  partnershipAreas: string[];
  /** Who is subscribed (by e-mail) to the operations topic that every alarm notifies. */
  operationsEmails: string[];
  /** A work queue whose oldest message is older than this alarms. */
  oldestMessageAlarmMinutes: number;
  /**
   * Concurrency reserved for dispatch, so a burst cannot exceed GOV.UK Notify's rate limit (3,000 a minute).
   * Unset in dev: a new account's concurrency quota may be too small to reserve any.
   */
  dispatchReservedConcurrency?: number;
  /**
   * Whether the stage pages real people. Its dispatch and sweeper refuse to start without a GOV.UK Notify key,
   * so a page waits in the outbox (and the functions' error alarms fire) instead of going nowhere.
   */
  pagesPeople: boolean;
  /**
   * How GOV.UK Notify's delivery receipts reach Gatehouse: `callbacks` (Notify's service is set to call
   * POST /notify/delivery-status) or `poll` (where callbacks cannot be configured: the sweeper asks Notify,
   * getNotificationById, about every message still SENT a few minutes after Notify accepted it).
   */
  notifyReceipts: 'callbacks' | 'poll';
  /** Whether the stage may deploy with the example alert routing when no `-c routingFile` is given. */
  exampleRoutingAllowed: boolean;
  /**
   * The HMPPS `hmpps-domain-events` SNS topic to subscribe the custody queue to, when HMPPS has granted it
   * (`-c hmppsDomainEventsTopicArn=arn:aws:sns:…` overrides). Without one, only direct producers feed the queue.
   */
  hmppsDomainEventsTopicArn?: string;
}

const stages: Record<StageConfig['stage'], StageConfig> = {
  dev: {
    stage: 'dev',
    region: 'eu-west-2',
    retentionDays: 30,
    logRetentionDays: 30,
    protectData: false,
    maxReceiveCount: 3,
    maxTableRequestUnits: 1000,
    lateDayFrom: '15:00',
    watchedPrisons: ['DMI'],
    partnershipAreas: ['E06000047', 'E06000005'],
    operationsEmails: [],
    oldestMessageAlarmMinutes: 15,
    pagesPeople: false,
    // A dev Notify service is usually not set up to call back.
    notifyReceipts: 'poll',
    exampleRoutingAllowed: true,
  },
  prod: {
    stage: 'prod',
    region: 'eu-west-2',
    retentionDays: 730,
    logRetentionDays: 90,
    protectData: true,
    maxReceiveCount: 5,
    maxTableRequestUnits: 4000,
    lateDayFrom: '15:00',
    watchedPrisons: ['DMI'],
    partnershipAreas: ['E06000047', 'E06000005'],
    operationsEmails: ['gatehouse-operations@durham-pcc.example'],
    oldestMessageAlarmMinutes: 5,
    dispatchReservedConcurrency: 5,
    pagesPeople: true,
    notifyReceipts: 'callbacks',
    exampleRoutingAllowed: false,
  },
};

export function stageConfig(stage: string): StageConfig {
  const config = stages[stage as StageConfig['stage']];
  if (!config)
    throw new Error(
      `unknown stage '${stage}': expected one of ${Object.keys(stages).join(', ')} (-c stage=dev|prod)`,
    );
  return config;
}

/** The environment through which functions that record releases learn whose releases are the partnership's. */
export function scopeEnvironment(
  config: Pick<StageConfig, 'watchedPrisons' | 'partnershipAreas'>,
): Record<string, string> {
  return {
    [envNames.watchedPrisons]: config.watchedPrisons.join(','),
    [envNames.partnershipAreas]: config.partnershipAreas.join(','),
  };
}

/** Queues have fixed names, so an operator can name them: `npm run redrive -- custody-events --stage prod`. */
export function queueName(stage: string, queue: string, suffix?: 'dlq'): string {
  return `gatehouse-${stage}-${queue}${suffix ? `-${suffix}` : ''}`;
}
