/**
 * The storage ports the alert use cases (dispatch, sweep, acknowledge) share; DynamoDB implements them in
 * adapters/dynamodb/. An alert is changed only through `apply`, conditional on the version it was decided on,
 * so two sweeps, a sweep and an acknowledgement, or two clicks on a link can never both act.
 */
import type { DigestEntry } from '#domain/alert-policy';
import type { Alert, AlertChange, Notice, NoticeStatus, PendingNotice } from '#domain/alerts';
import type { LocalDate } from '#domain/calendar';
import type { PersonReleases } from '#domain/release-case';
import type { RotaEntry } from '#domain/rota';
import type { RotaGapWarning } from '#domain/rota-coverage';

export interface AlertStore {
  load(alertId: string): Promise<Alert | undefined>;
  /** The alert change, the notice it sends and its counters, in one transaction; 'conflict' when the alert moved on. */
  apply(change: AlertChange, at: Date): Promise<'applied' | 'conflict'>;
  /** Raises an alert the sweeper decided on, once: 'exists' when it was raised before. */
  raise(alert: Alert, expiresAt: number): Promise<'raised' | 'exists'>;
  /** Alerts whose next step, reminder or end of life is due at `now` (the byDue index, never a scan). */
  due(now: Date, limit: number): Promise<Alert[]>;
  /** Adds to the alert's counters outside any change (a delivery that failed for good). */
  count(alert: Alert, counts: Record<string, number>, at: Date): Promise<void>;
  /** Raises ackMinutes.max to `minutes` where it is lower: idempotent, so safe to repeat. */
  recordAckMinutesMax(alert: Alert, minutes: number): Promise<void>;
}

/** The notices nobody has finished sending (see domain/alerts.ts, "the notice outbox"). */
export interface NoticeOutbox {
  /** Pending notices whose stream grace (or last try) is over at `now`, oldest first (the byDue index). */
  pending(now: Date, limit: number): Promise<PendingNotice[]>;
  /** Takes a notice out of the outbox for good (true the first time, false when it was settled before): DONE (each recipient's delivery is final or awaits only its receipt), STALE (no longer needed) or EXPIRED. */
  settle(
    notice: Notice,
    status: Exclude<NoticeStatus, 'PENDING'>,
    at: Date,
    reason?: string,
  ): Promise<boolean>;
  /** Counts a try and sets when the sweeper tries again. */
  postpone(notice: Notice, dueAt: string, at: Date): Promise<void>;
}

export interface RotaStore {
  /** Rota entries of an area (Query pk = ROTA#{la}). */
  entries(localAuthority: string): Promise<RotaEntry[]>;
}

export interface ScheduleReader {
  /** People with a pending release scheduled from `from` to `to` inclusive (the bySchedule index). */
  scheduledBetween(from: LocalDate, to: LocalDate): Promise<PersonReleases[]>;
}

export interface DigestReader {
  /** ROUTINE releases of an area on a local day. */
  entries(localAuthority: string, date: LocalDate): Promise<DigestEntry[]>;
}

/** When each feed last delivered something (domain/heartbeats.ts). */
export interface HeartbeatStore {
  /** Records an arrival; an earlier time than the one stored changes nothing. */
  seen(feed: string, at: string): Promise<void>;
  lastSeen(feeds: string[]): Promise<Record<string, string | undefined>>;
}

/** A rota-gap warning not yet sent to both its people. */
export interface PendingRotaGapWarning extends RotaGapWarning {
  /** Past this the gap is over, and the warning EXPIRED. */
  sendUntil: string;
  tries: number;
}

/**
 * The rota-gap warnings of the coverage check, an outbox of their own (they belong to no alert): written once per
 * gap per check, sent by the sweeper, settled when both people have it.
 */
export interface RotaGapWarningStore {
  /** Writes the warning of a gap, once: 'exists' when an earlier (or a concurrent) sweep wrote it. */
  add(warning: RotaGapWarning, at: Date, expiresAt: number): Promise<'added' | 'exists'>;
  /** Warnings due at `now` that are not settled, oldest first. */
  pending(now: Date, limit: number): Promise<PendingRotaGapWarning[]>;
  /** Takes a warning out of the outbox (true the first time). */
  settle(warningId: string, status: 'DONE' | 'EXPIRED', at: Date, reason?: string): Promise<boolean>;
  /** Counts a try and sets when the sweeper tries again. */
  postpone(warningId: string, dueAt: string, at: Date): Promise<void>;
}
