/**
 * The alert ports in memory (use-cases/alert-ports.ts and the DeliveryStore of dispatch-alert.ts), with the
 * DynamoDB adapters' semantics: an alert changes only at the version it was decided on; raising one twice
 * leaves the first; a notice enters the outbox once and is settled once; a delivery is claimed by one
 * dispatcher at a time (a claim older than the lease is free again), and a receipt moves it only forward.
 */
import type { DigestEntry } from '#domain/alert-policy';
import {
  firstNotice,
  noticeKey,
  outboxTimes,
  sendPartition,
  type Alert,
  type AlertKind,
  type Notice,
  type NoticeStatus,
  type PendingNotice,
} from '#domain/alerts';
import { londonTime } from '#domain/calendar';
import type { PersonReleases } from '#domain/release-case';
import type { Recipient } from '#domain/routing';
import type { RotaEntry } from '#domain/rota';
import type {
  AlertStore,
  DigestReader,
  HeartbeatStore,
  NoticeOutbox,
  RotaStore,
  ScheduleReader,
} from '#use-cases/alert-ports';
import type {
  DeliveryAttempt,
  DeliveryState,
  DeliveryStatus,
  DeliveryStore,
  PagedNumber,
} from '#use-cases/dispatch-alert';
import { claimLeaseMs } from '#adapters/dynamodb/delivery-store';
import type { CounterDelta } from '#domain/aggregates';
import type { InMemoryTables } from './tables';

export const alertKey = (alertId: string) => `ALERT#${alertId}|ALERT`;
export const noticeItemKey = (alertId: string, notice: string) => `ALERT#${alertId}|NOTICE#${notice}`;
export const deliveryItemKey = (alertId: string, notice: string, recipientId: string) =>
  `ALERT#${alertId}|DELIVERY#${notice}#${recipientId}`;
export const digestPrefix = (localAuthority: string, date: string) => `DIGEST#${localAuthority}#${date}|`;
export const rotaPrefix = (localAuthority: string) => `ROTA#${localAuthority}|`;

/** A notice item as the outbox holds it. */
export interface StoredNotice extends PendingNotice {
  kind: AlertKind;
  status: NoticeStatus;
  createdAt: string;
  duePartition?: string;
  settledAt?: string;
  reason?: string;
  lastTriedAt?: string;
}

/** A notice enters the outbox once: a repeat leaves the first as it is (the adapters' insertOnce / attribute_not_exists). */
export function insertNotice(tables: InMemoryTables, notice: Notice, kind: AlertKind, at: Date): boolean {
  const key = noticeItemKey(notice.alertId, noticeKey(notice));
  if (tables.has(key)) return false;
  const { dueAt, sendUntil } = outboxTimes(notice.purpose, kind, at);
  const item: StoredNotice = {
    alertId: notice.alertId,
    purpose: notice.purpose,
    index: notice.index,
    kind,
    status: 'PENDING',
    createdAt: at.toISOString(),
    duePartition: sendPartition,
    dueAt,
    sendUntil,
    tries: 0,
  };
  tables.put(key, item);
  return true;
}

function alertCounters(alert: Alert, counts: Record<string, number>): CounterDelta[] {
  if (Object.keys(counts).length === 0) return [];
  return [
    {
      family: 'alerts',
      dimensions: { la: alert.localAuthority, prison: alert.prisonId },
      date: londonTime(alert.raisedAt).date,
      counts,
    },
  ];
}

export interface InMemoryAlertStore extends AlertStore {
  /** Runs once, inside the next apply, before its condition is checked: another writer getting there first. */
  interleave(writer: () => Promise<void>): void;
}

export function inMemoryAlertStore(tables: InMemoryTables): InMemoryAlertStore {
  let interleaved: (() => Promise<void>) | undefined;
  return {
    interleave(writer) {
      interleaved = writer;
    },
    async load(alertId) {
      return tables.get<Alert>(alertKey(alertId));
    },

    async apply(change, at) {
      if (interleaved) {
        const writer = interleaved;
        interleaved = undefined;
        await writer();
      }
      const stored = tables.peek<Alert>(alertKey(change.before.alertId));
      if (!stored || stored.version !== change.before.version) return 'conflict';
      if (change.notice && tables.has(noticeItemKey(change.notice.alertId, noticeKey(change.notice))))
        return 'conflict';
      tables.put(alertKey(change.before.alertId), change.after);
      if (change.notice) insertNotice(tables, change.notice, change.before.kind, at);
      tables.addCounters(alertCounters(change.before, change.counts));
      return 'applied';
    },

    async raise(alert) {
      if (tables.has(alertKey(alert.alertId))) return 'exists';
      tables.put(alertKey(alert.alertId), alert);
      insertNotice(tables, firstNotice(alert), alert.kind, new Date(alert.raisedAt));
      tables.addCounters(alertCounters(alert, { raised: 1, [`raised.${alert.kind}`]: 1 }));
      return 'raised';
    },

    async due(now, limit) {
      return tables
        .withPrefix<Alert & { entity?: never }>('ALERT#')
        .filter(
          (a): a is Alert =>
            // In the byDue index's one partition while something is due (adapters/dynamodb/alert-items.ts).
            'version' in a && a.dueAt !== undefined && a.dueAt <= now.toISOString(),
        )
        .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!))
        .slice(0, limit);
    },

    async count(alert, counts) {
      tables.addCounters(alertCounters(alert, counts));
    },

    async recordAckMinutesMax(alert, minutes) {
      const [delta] = alertCounters(alert, { 'ackMinutes.max': minutes });
      tables.setMax(delta!, 'ackMinutes.max', minutes);
    },
  };
}

export function inMemoryNoticeOutbox(
  tables: InMemoryTables,
): NoticeOutbox & { notice(alertId: string, key: string): StoredNotice | undefined } {
  const key = (n: Notice) => noticeItemKey(n.alertId, noticeKey(n));
  return {
    notice: (alertId, k) => tables.get<StoredNotice>(noticeItemKey(alertId, k)),
    async pending(now, limit) {
      return [...tables.items.keys()]
        .filter((k) => k.includes('|NOTICE#'))
        .map((k) => tables.get<StoredNotice>(k)!)
        .filter((n) => n.duePartition === sendPartition && n.dueAt <= now.toISOString())
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
        .slice(0, limit)
        .map(({ alertId, purpose, index, dueAt, sendUntil, tries }) => ({
          alertId,
          purpose,
          index,
          dueAt,
          sendUntil,
          tries,
        }));
    },
    async settle(notice, status, at, reason) {
      const stored = tables.get<StoredNotice>(key(notice));
      if (!stored)
        throw new Error(
          `no notice ${key(notice)}: the DynamoDB adapter's condition fails on a missing item too`,
        );
      const { duePartition: _p, dueAt: _d, ...rest } = stored;
      if (stored.status !== 'PENDING') {
        tables.put(key(notice), rest);
        return false;
      }
      tables.put(key(notice), {
        ...rest,
        status,
        settledAt: at.toISOString(),
        ...(reason ? { reason } : {}),
      });
      return true;
    },
    async postpone(notice, dueAt, at) {
      const stored = tables.get<StoredNotice>(key(notice));
      if (stored?.status !== 'PENDING') return;
      tables.put(key(notice), { ...stored, dueAt, lastTriedAt: at.toISOString(), tries: stored.tries + 1 });
    },
  };
}

/** A delivery item: the claim and every attempt. */
export interface StoredDelivery extends DeliveryState {
  alertId: string;
  notice: string;
  channel: string;
  claimedAt?: string;
  attempts: Omit<DeliveryAttempt, 'alertId' | 'notice' | 'recipientId' | 'status'>[];
  providerRef?: string;
  reason?: string;
  receipt?: { status: string; at: string; providerRef: string };
  /** While it awaits its receipt (the adapter's sparse RECEIPT partition of byDue): when to ask the provider. */
  receiptDueAt?: string;
  sentAt?: string;
  polls?: number;
}

const finalStatuses: DeliveryStatus[] = ['DELIVERED', 'REJECTED', 'EXPIRED'];

export function inMemoryDeliveryStore(
  tables: InMemoryTables,
): DeliveryStore & { deliveries(alertId: string): StoredDelivery[] } {
  const deliveries = (alertId: string, prefix = '') =>
    tables.withPrefix<StoredDelivery>(`ALERT#${alertId}|DELIVERY#${prefix}`);
  return {
    deliveries: (alertId) => deliveries(alertId),
    async claim({ alertId, notice, recipient, channel }, now) {
      const key = deliveryItemKey(alertId, notice, recipient.id);
      const stored = tables.get<StoredDelivery>(key);
      const stale = new Date(now.getTime() - claimLeaseMs).toISOString();
      const free =
        !stored || stored.status === 'FAILED' || (stored.status === 'SENDING' && stored.claimedAt! < stale);
      if (!free) return stored.status === 'SENDING' ? 'busy' : 'done';
      tables.put(key, {
        ...stored,
        alertId,
        notice,
        recipient,
        channel,
        status: 'SENDING',
        claimedAt: now.toISOString(),
        attempts: stored?.attempts ?? [],
        firstClaimedAt: stored?.firstClaimedAt ?? now.toISOString(),
      } satisfies StoredDelivery);
      return 'claimed';
    },
    async record(attempt) {
      const { alertId, notice, recipientId, status, ...rest } = attempt;
      const key = deliveryItemKey(alertId, notice, recipientId);
      const stored = tables.get<StoredDelivery>(key) ?? ({ attempts: [] } as unknown as StoredDelivery);
      // A receipt that came back before the attempt was recorded stands.
      const withStatus = stored.receipt === undefined;
      tables.put(key, {
        ...stored,
        ...(withStatus ? { status } : {}),
        attempts: [...(stored.attempts ?? []), rest],
        ...(rest.providerRef ? { providerRef: rest.providerRef } : {}),
        ...(withStatus && rest.error && status === 'REJECTED' ? { reason: rest.error } : {}),
        ...(withStatus && status === 'SENT' && rest.providerRef !== undefined
          ? { receiptDueAt: rest.at, sentAt: rest.at }
          : {}),
      });
    },
    async expire(alertId, notice, at, reason) {
      let expired = 0;
      const stale = new Date(at.getTime() - claimLeaseMs).toISOString();
      for (const d of deliveries(alertId, `${notice}#`)) {
        if (finalStatuses.includes(d.status)) continue;
        if (d.status === 'SENDING' && !(d.claimedAt! < stale)) continue;
        const { receiptDueAt: _due, ...rest } = d;
        tables.put(deliveryItemKey(alertId, notice, d.recipient.id), { ...rest, status: 'EXPIRED', reason });
        expired += 1;
      }
      return expired;
    },
    async receipt(key, outcome) {
      const itemKey = deliveryItemKey(key.alertId, key.notice, key.recipientId);
      const stored = tables.get<StoredDelivery>(itemKey);
      const delivered = outcome.status === 'DELIVERED';
      const moves =
        stored !== undefined &&
        (delivered ? stored.status !== 'DELIVERED' : stored.status === 'SENT' || stored.status === 'SENDING');
      if (!moves) return { changed: false, ...(stored ? { delivery: stored } : {}) };
      const { receiptDueAt: _due, ...held } = stored;
      const after: StoredDelivery = {
        ...held,
        status: outcome.status,
        receipt: { status: outcome.providerStatus, at: outcome.at, providerRef: outcome.providerRef },
        ...(delivered ? {} : { reason: outcome.reason ?? outcome.providerStatus }),
      };
      tables.put(itemKey, after);
      return { changed: true, delivery: after };
    },
    async awaitingReceipt(sentBefore, limit) {
      return [...tables.items.keys()]
        .filter((k) => k.includes('|DELIVERY#'))
        .map((k) => tables.get<StoredDelivery>(k)!)
        .filter(
          (d) =>
            d.receiptDueAt !== undefined &&
            d.receiptDueAt <= sentBefore.toISOString() &&
            d.status === 'SENT' &&
            d.providerRef,
        )
        .sort((a, b) => a.receiptDueAt!.localeCompare(b.receiptDueAt!))
        .slice(0, limit)
        .map((d) => ({
          alertId: d.alertId,
          notice: d.notice,
          recipientId: d.recipient.id,
          providerRef: d.providerRef!,
          sentAt: d.sentAt ?? d.receiptDueAt!,
          polls: d.polls ?? 0,
        }));
    },
    async pollAgain(key, dueAt) {
      const itemKey = deliveryItemKey(key.alertId, key.notice, key.recipientId);
      const stored = tables.get<StoredDelivery>(itemKey);
      // Only while it still awaits its receipt, as the adapter's condition says.
      if (!stored || stored.receiptDueAt === undefined || stored.status !== 'SENT') return;
      const { receiptDueAt: _due, ...rest } = stored;
      tables.put(itemKey, {
        ...rest,
        ...(dueAt ? { receiptDueAt: dueAt } : {}),
        polls: (stored.polls ?? 0) + 1,
      });
    },
    async rememberPage(numberKey, page) {
      tables.put(`REPLY#${numberKey}|PAGE#${page.pagedAt}#${page.alertId}#${page.notice}`, page);
    },
    async pagesTo(numberKey) {
      return tables.withPrefix<PagedNumber>(`REPLY#${numberKey}|PAGE#`).reverse();
    },
    async reached(alertId) {
      const reached = new Map<string, Recipient>();
      for (const d of deliveries(alertId))
        if ((d.status === 'SENT' || d.status === 'DELIVERED') && !reached.has(d.recipient.id))
          reached.set(d.recipient.id, d.recipient);
      return [...reached.values()];
    },
  };
}

/** Rota entries by area; `save` puts entries as the on-call-rota partner file does (the same shift twice: the later wins). */
export function inMemoryRotaStore(
  tables: InMemoryTables,
): RotaStore & { save(entries: RotaEntry[]): Promise<void> } {
  return {
    async entries(localAuthority) {
      return tables.withPrefix<RotaEntry>(rotaPrefix(localAuthority));
    },
    async save(entries) {
      for (const e of entries) tables.put(rotaEntryKey(e), e);
    },
  };
}

export const rotaEntryKey = (e: RotaEntry) => `${rotaPrefix(e.localAuthority)}${e.tier}#${e.start}#${e.end}`;

/** Pending schedules (the bySchedule index: a person whose newest case is SCHEDULED, by its date). */
export function inMemoryScheduleReader(tables: InMemoryTables): ScheduleReader {
  return {
    async scheduledBetween(from, to) {
      return tables
        .withPrefix<PersonReleases>('PERSON#')
        .filter(
          (p) =>
            p.cases[0]?.status === 'SCHEDULED' &&
            p.cases[0].scheduledFor !== undefined &&
            p.cases[0].scheduledFor >= from &&
            p.cases[0].scheduledFor <= to,
        )
        .sort((a, b) =>
          `${a.cases[0]!.scheduledFor}#${a.prisonNumber}`.localeCompare(
            `${b.cases[0]!.scheduledFor}#${b.prisonNumber}`,
          ),
        )
        .map(({ prisonNumber, version, cases, lastReceivedAt }) => ({
          prisonNumber,
          version,
          cases,
          ...(lastReceivedAt ? { lastReceivedAt } : {}),
        }));
    },
  };
}

export function inMemoryDigestReader(tables: InMemoryTables): DigestReader {
  return {
    async entries(localAuthority, date) {
      return tables.withPrefix<DigestEntry>(digestPrefix(localAuthority, date));
    },
  };
}

export function inMemoryHeartbeats(): HeartbeatStore {
  const seen = new Map<string, string>();
  return {
    async seen(feed, at) {
      if (!seen.has(feed) || seen.get(feed)! < at) seen.set(feed, at);
    },
    async lastSeen(feeds) {
      return Object.fromEntries(feeds.map((f) => [f, seen.get(f)]));
    },
  };
}
