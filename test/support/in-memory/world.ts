/**
 * One Gatehouse in memory: the real use cases (record, ingest, dispatch, sweep, acknowledge) wired to the
 * in-memory ports, on a clock the test moves, with a channel that records what it was asked to send and
 * fails when told to. Fast enough that every rule of a use case can have its own test.
 */
import { englandAndWales } from '#domain/calendar';
import { parseRoutingConfig, type RoutingConfig, type RoutingConfigInput } from '#domain/routing';
import { defaultScope } from '#domain/scope';
import type { LinkKeys } from '#domain/alert-link';
import type { Notice } from '#domain/alerts';
import type { Partner } from '#domain/partners';
import { partners as registeredPartners } from '#domain/partners';
import type { CustodyEvent } from '#events/custody-event';
import type { RecordableEvent } from '#events/custody-message';
import { acknowledgeAlert, type AcknowledgeDependencies } from '#use-cases/acknowledge-alert';
import {
  DeliveryError,
  dispatchNotice,
  type Channel,
  type DispatchDependencies,
  type OutgoingMessage,
} from '#use-cases/dispatch-alert';
import {
  ingestPartnerFile,
  type DroppedObject,
  type IngestDependencies,
} from '#use-cases/ingest-partner-file';
import { recordCustodyEvent, type RecordDependencies } from '#use-cases/record-custody-event';
import { sweep, type SweepDependencies } from '#use-cases/sweep';
import { manualClock } from '#test-support/clock';
import { testIdentifierKey } from '#test-support/custody-events';
import { localRouting } from '#local/routing';
import {
  inMemoryAlertStore,
  inMemoryDeliveryStore,
  inMemoryDigestReader,
  inMemoryHeartbeats,
  inMemoryNoticeOutbox,
  inMemoryRotaStore,
  inMemoryScheduleReader,
} from './alert-store';
import { inMemoryDropBucket, inMemoryPartnerFileLedger } from './partner-files';
import { inMemoryReleaseStore } from './release-store';
import { InMemoryTables } from './tables';

/** What the recording channel does with the next send: accept it, refuse it for good, or fail for a passing reason. */
export type SendPlan = 'ok' | 'rejected' | 'unavailable';

export interface RecordingChannel extends Channel {
  /** Every message the provider accepted, in order. */
  accepted: OutgoingMessage[];
  /** Every send that reached the provider. */
  calls: OutgoingMessage[];
  /** Queues what the next sends do; once the queue is empty every send is accepted. */
  plan(...next: SendPlan[]): void;
}

export function recordingChannel(name: string, confirmed = false): RecordingChannel {
  const queue: SendPlan[] = [];
  const accepted: OutgoingMessage[] = [];
  const calls: OutgoingMessage[] = [];
  return {
    name,
    accepted,
    calls,
    plan: (...next) => void queue.push(...next),
    async send(message) {
      calls.push(message);
      const plan = queue.shift() ?? 'ok';
      if (plan === 'rejected')
        throw new DeliveryError('400 ValidationError: not a valid phone number', true, 400);
      if (plan === 'unavailable') throw new DeliveryError('503 service unavailable', false, 503);
      accepted.push(message);
      return { providerRef: `ref-${accepted.length}`, confirmed };
    },
  };
}

export const linkKeys: LinkKeys = {
  current: '1',
  keys: { '1': 'a-test-only-link-signing-key-of-some-length' },
};

export interface WorldOptions {
  /** The instant the world's clock starts at (a fixed date, never today). */
  start: string;
  routing?: RoutingConfigInput;
  partners?: readonly Partner[];
}

export function inMemoryGatehouse({
  start,
  routing: routingInput = localRouting,
  partners = registeredPartners,
}: WorldOptions) {
  const tables = new InMemoryTables();
  const clock = manualClock(start);
  const routing: RoutingConfig = parseRoutingConfig(routingInput);
  const releases = inMemoryReleaseStore(tables);
  const alerts = inMemoryAlertStore(tables);
  const outbox = inMemoryNoticeOutbox(tables);
  const deliveries = inMemoryDeliveryStore(tables);
  const rota = inMemoryRotaStore(tables);
  const ledger = inMemoryPartnerFileLedger(tables);
  const drops = inMemoryDropBucket();
  const heartbeats = inMemoryHeartbeats();
  const channel = recordingChannel('recording');
  const sleeps: number[] = [];

  const recordDeps: RecordDependencies = {
    store: releases,
    rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
    routing,
    scope: defaultScope,
    scheduleWindowDays: 2,
    retentionDays: 30,
    idKey: testIdentifierKey,
    clock,
  };
  const dispatchDeps: DispatchDependencies = {
    alerts,
    deliveries,
    outbox,
    rota,
    routing,
    channels: { sms: channel, email: channel, webhook: channel },
    links: { baseUrl: 'http://gatehouse.test', keys: linkKeys },
    numberKey: testIdentifierKey,
    retry: { attempts: 3, backoffMs: 500, attemptTimeoutMs: 5_000 },
    clock,
    // Backoff passes on the test's clock, not the wall clock.
    backoff: {
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms / 60_000);
      },
      random: () => 0.5,
    },
  };
  const sweepDeps: SweepDependencies = {
    alerts,
    schedules: inMemoryScheduleReader(tables),
    digests: inMemoryDigestReader(tables),
    routing,
    calendar: englandAndWales,
    retentionDays: 30,
    idKey: testIdentifierKey,
    clock,
    resend: { outbox, dispatch: dispatchDeps },
    rota,
    heartbeats: { store: heartbeats, expectations: [] },
  };
  const ackDeps: AcknowledgeDependencies = { alerts, linkKeys, settings: routing, clock };
  const record = (event: RecordableEvent, source = 'test') => recordCustodyEvent(event, source, recordDeps);
  const ingestDeps: IngestDependencies = {
    bucket: drops.bucket,
    ledger,
    recordEvent: (event: CustodyEvent, source: string) => record(event as RecordableEvent, source),
    partners,
    maxBytes: 1024 * 1024,
    retentionDays: 30,
    clock,
  };

  return {
    tables,
    clock,
    routing,
    channel,
    sleeps,
    ports: { releases, alerts, outbox, deliveries, rota, ledger, drops, heartbeats },
    deps: {
      record: recordDeps,
      dispatch: dispatchDeps,
      sweep: sweepDeps,
      acknowledge: ackDeps,
      ingest: ingestDeps,
    },
    record,
    ingest: (object: DroppedObject) => ingestPartnerFile(object, ingestDeps),
    dispatch: (notice: Notice) => dispatchNotice(notice, dispatchDeps),
    sweep: () => sweep(sweepDeps),
    acknowledge: (request: Parameters<typeof acknowledgeAlert>[0]) => acknowledgeAlert(request, ackDeps),
    /** Hands every notice still in the outbox to dispatch, as the stream does with each new one. */
    async stream(): Promise<void> {
      for (const n of await outbox.pending(new Date(8.64e15), 1000)) await dispatchNotice(n, dispatchDeps);
    },
  };
}

export type InMemoryGatehouse = ReturnType<typeof inMemoryGatehouse>;
