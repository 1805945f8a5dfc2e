/**
 * Alerts: what Gatehouse must tell a person, kept as items in the same transaction that records the event
 * (the outbox), so a crash between "saved" and "sent" cannot lose one.
 *
 * An alert's life: OPEN (paged at step 0; each unacknowledged wait pages the next step) → ACKNOWLEDGED
 * (the others are told; re-notified while unresolved) → RESOLVED; or EXPIRED when its lifetime ends.
 * Every change is a pure function from the alert and the time to the alert after it and the notice to send,
 * applied by the store only if the alert is still at the version it was decided on.
 */
import { createHmac } from 'node:crypto';
import type { Pathway } from './circumstances';
import type { LocalDate } from './calendar';
import { londonTime } from './calendar';
import type { ReleaseFlags, Urgency } from './classification';
import { escalationStep, nextStepDue, type EscalationPolicy } from './escalation';

export const alertKinds = ['CRITICAL_RELEASE', 'REFERRAL', 'PRE_RELEASE_WARNING', 'DIGEST'] as const;
export type AlertKind = (typeof alertKinds)[number];
export type AlertStatus = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' | 'EXPIRED';

/** One ROUTINE release in a service's daily digest: a case reference and what the service needs to know. */
export interface DigestItem {
  caseRef: string;
  prisonId: string;
  releaseLocal: { date: LocalDate; time: string };
  needs: Pathway[];
}

/** An alert before it is raised: what it is about and which group of people it is for. */
export interface AlertDraft {
  kind: AlertKind;
  /** The deduplication key: person (or service), date, kind and recipient group. */
  dedupKey: string;
  /** `oncall:{la}` (escalation policy), `services:{la}` (accommodation and aftercare), `service:{contact id}` (digest). */
  recipientGroup: string;
  urgency: Urgency;
  caseRef?: string;
  prisonNumber?: string;
  prisonId: string;
  localAuthority: string;
  releasedAt?: string;
  scheduledFor?: LocalDate;
  flags?: ReleaseFlags;
  reasons: string[];
  needs: Pathway[];
  items?: DigestItem[];
  /** The escalation policy, for an alert that escalates (kept on the alert so a config change does not shift a running one). */
  policy?: EscalationPolicy;
}

export interface Alert extends AlertDraft {
  alertId: string;
  status: AlertStatus;
  /** Release date and time in London, as the message shows them. */
  releaseLocal?: { date: LocalDate; time: string };
  raisedAt: string;
  /** The escalation step paged most recently (0 = the first page, sent when the alert is raised). */
  step: number;
  /** Optimistic-lock version: every change is conditional on it. */
  version: number;
  /** When the next thing is due (the next step, a reminder, or the end of the alert's life); absent when nothing is. */
  dueAt?: string;
  /** When the alert stops: acknowledge links stop working and an open alert closes as EXPIRED. */
  expiresAfter: string;
  acknowledgedAt?: string;
  /** Recipient id of whoever acknowledged. */
  acknowledgedBy?: string;
  reminders: number;
  resolvedAt?: string;
  closedAt?: string;
}

export interface AlertSettings {
  reNotifyAcknowledgedAfterMinutes: number;
  alertLifetimeHours: number;
}

/** What to send for an alert: a page at a step, the news that it was acknowledged, or a reminder. */
export type NoticePurpose = 'page' | 'acknowledged' | 'reminder';

export interface Notice {
  alertId: string;
  purpose: NoticePurpose;
  /** The step (page), the step acknowledged at (acknowledged), or the reminder number (reminder). */
  index: number;
}

/**
 * The notice outbox. Every notice is an item written in the same transaction as the change that sends it
 * (the first page with the alert itself), and it sits in the byDue index under `SEND` until it is settled:
 * the stream hands it to dispatch at once; if that has not settled it by `dueAt` (a dispatcher died, the
 * stream gave up, Notify was down), the sweeper sends it. Past `sendUntil` it is EXPIRED and counted.
 */
export const sendPartition = 'SEND';
export type NoticeStatus = 'PENDING' | 'DONE' | 'STALE' | 'EXPIRED';

/** A notice the stream has not settled yet, as the sweeper reads it from the outbox. */
export interface PendingNotice extends Notice {
  dueAt: string;
  sendUntil: string;
  /** How many times the sweeper has tried it. */
  tries: number;
}

/** How long the stream has before the sweeper takes a notice over: longer than a dispatcher can hold a claim. */
export const streamGraceMinutes = 3;

/** A page, an "acknowledged" notice or a reminder is worth sending for an hour; a referral, warning or digest for a day. */
export function sendWithinMinutes(purpose: NoticePurpose, kind: AlertKind): number {
  return purpose === 'page' && kind !== 'CRITICAL_RELEASE' ? 24 * 60 : 60;
}

export function outboxTimes(
  purpose: NoticePurpose,
  kind: AlertKind,
  createdAt: Date,
): { dueAt: string; sendUntil: string } {
  return {
    dueAt: new Date(createdAt.getTime() + streamGraceMinutes * 60_000).toISOString(),
    sendUntil: new Date(createdAt.getTime() + sendWithinMinutes(purpose, kind) * 60_000).toISOString(),
  };
}

/** When the sweeper tries a notice again after its `tries`-th attempt: 1, 2, 4, 8, then every 15 minutes. */
export function nextTryAt(tries: number, now: Date): string {
  return new Date(now.getTime() + Math.min(15, 2 ** Math.max(0, tries - 1)) * 60_000).toISOString();
}

/** The first page of an alert: written with the alert, it is what dispatch sends when the alert is raised. */
export function firstNotice(alert: Pick<Alert, 'alertId'>): Notice {
  return { alertId: alert.alertId, purpose: 'page', index: 0 };
}

/**
 * A short, stable id from the deduplication key, so a repeat of the same alert lands on the same item. The id is
 * in every link, log line and Notify reference, and the key holds a prison number: an HMAC with the deployment's
 * identifier key, never a plain hash (one can be reversed by trying every prison number).
 */
export function alertIdFor(dedupKey: string, idKey: string): string {
  return createHmac('sha256', idKey).update(dedupKey).digest('hex').slice(0, 24);
}

/** Names a notice in delivery keys: `page.002`, `acknowledged.001`, `reminder.001`. */
export function noticeKey(notice: Pick<Notice, 'purpose' | 'index'>): string {
  return `${notice.purpose}.${String(notice.index).padStart(3, '0')}`;
}

export function openAlert(draft: AlertDraft, now: Date, settings: AlertSettings, idKey: string): Alert {
  const local = draft.releasedAt ? londonTime(draft.releasedAt) : undefined;
  const expiresAfter = new Date(now.getTime() + settings.alertLifetimeHours * 3_600_000).toISOString();
  // Only an escalating alert is ever due: its next step, then the end of its life.
  const due = draft.policy ? (nextStepDue(draft.policy, 0, now)?.toISOString() ?? expiresAfter) : undefined;
  return {
    ...draft,
    alertId: alertIdFor(draft.dedupKey, idKey),
    status: 'OPEN',
    ...(local ? { releaseLocal: { date: local.date, time: local.time } } : {}),
    raisedAt: now.toISOString(),
    step: 0,
    version: 0,
    ...(due ? { dueAt: due } : {}),
    expiresAfter,
    reminders: 0,
  };
}

/** A decided change: the alert after it, the notice it sends (if any), and what it adds to the counters. */
export interface AlertChange {
  before: Alert;
  after: Alert;
  notice?: Notice;
  /** Counter names of the `alerts` family to add 1 to (ackMinutes.sum adds the minutes). */
  counts: Record<string, number>;
  /** Minutes to acknowledge, for the histogram's max. */
  ackMinutes?: number;
}

/**
 * What the sweeper does with an alert whose due time has come: page the next step, remind whoever
 * acknowledged, or close it at the end of its life. Undefined when nothing is due yet.
 */
export function dueChange(alert: Alert, now: Date, settings: AlertSettings): AlertChange | undefined {
  if (!alert.dueAt || alert.dueAt > now.toISOString()) return undefined;
  if (alert.status !== 'OPEN' && alert.status !== 'ACKNOWLEDGED') return close(alert, alert.status, now);
  if (now.toISOString() >= alert.expiresAfter) return close(alert, 'EXPIRED', now);
  if (alert.status === 'ACKNOWLEDGED') return remind(alert, now, settings);
  return escalate(alert, now);
}

/** Pages the next step now (its wait is over, or the current step could not be delivered at all). */
export function escalate(alert: Alert, now: Date): AlertChange | undefined {
  if (alert.status !== 'OPEN' || !alert.policy) return undefined;
  const next = alert.step + 1;
  if (!escalationStep(alert.policy, next)) {
    // Nobody acknowledged any step: the alert stays open, visible, until the end of its life.
    if (alert.dueAt === alert.expiresAfter) return undefined;
    return { before: alert, after: { ...bump(alert), dueAt: alert.expiresAfter }, counts: {} };
  }
  const due = nextStepDue(alert.policy, next, now)!.toISOString();
  return {
    before: alert,
    after: { ...bump(alert), step: next, dueAt: earlier(due, alert.expiresAfter) },
    notice: { alertId: alert.alertId, purpose: 'page', index: next },
    counts: { escalated: 1, [`escalated.${alert.kind}`]: 1 },
  };
}

export type AcknowledgeOutcome =
  | { outcome: 'acknowledged'; change: AlertChange }
  | { outcome: 'unchanged'; why: string };

/** The first acknowledgement stops the escalation and tells the others; any later one changes nothing and says why. */
export function acknowledge(
  alert: Alert,
  by: string,
  now: Date,
  settings: AlertSettings,
): AcknowledgeOutcome {
  if (alert.status === 'ACKNOWLEDGED')
    return {
      outcome: 'unchanged',
      why: `already acknowledged at ${londonTime(alert.acknowledgedAt!).time} (${alert.acknowledgedBy === by ? 'by you' : 'by someone else who was paged'})`,
    };
  if (alert.status === 'RESOLVED')
    return { outcome: 'unchanged', why: 'this alert was resolved: nothing more is needed' };
  if (alert.status === 'EXPIRED' || now.toISOString() >= alert.expiresAfter)
    return {
      outcome: 'unchanged',
      why: `this alert expired at ${alert.expiresAfter}: it is no longer being escalated`,
    };
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(alert.raisedAt)) / 60_000));
  const reminderDue = new Date(
    now.getTime() + settings.reNotifyAcknowledgedAfterMinutes * 60_000,
  ).toISOString();
  return {
    outcome: 'acknowledged',
    change: {
      before: alert,
      after: {
        ...bump(alert),
        status: 'ACKNOWLEDGED',
        acknowledgedAt: now.toISOString(),
        acknowledgedBy: by,
        ...(alert.policy ? { dueAt: earlier(reminderDue, alert.expiresAfter) } : {}),
      },
      // Only an escalating alert paged more than one person; a referral's services each act on their own.
      ...(alert.policy
        ? { notice: { alertId: alert.alertId, purpose: 'acknowledged' as const, index: alert.step } }
        : {}),
      counts: {
        acknowledged: 1,
        [`acknowledged.${alert.kind}`]: 1,
        'ackMinutes.sum': minutes,
        'ackMinutes.count': 1,
        [`ackWithin.${ackBucket(minutes)}`]: 1,
      },
      ackMinutes: minutes,
    },
  };
}

export function resolve(alert: Alert, now: Date): AcknowledgeOutcome {
  if (alert.status === 'RESOLVED') return { outcome: 'unchanged', why: 'this alert was already resolved' };
  if (alert.status === 'EXPIRED')
    return { outcome: 'unchanged', why: `this alert expired at ${alert.expiresAfter}` };
  const after: Alert = {
    ...bump(alert),
    status: 'RESOLVED',
    resolvedAt: now.toISOString(),
    closedAt: now.toISOString(),
  };
  delete after.dueAt;
  return { outcome: 'acknowledged', change: { before: alert, after, counts: {} } };
}

/** The time-to-acknowledge histogram, in order, with the words the board reads. */
export const ackBuckets = [
  { bucket: 'lt5', words: 'under 5 minutes' },
  { bucket: '5to15', words: '5 to 15 minutes' },
  { bucket: '15to30', words: '15 to 30 minutes' },
  { bucket: '30to60', words: '30 to 60 minutes' },
  { bucket: 'gt60', words: 'over an hour' },
] as const;
export type AckBucket = (typeof ackBuckets)[number]['bucket'];

/** < 5, 5–15, 15–30, 30–60 (an hour exactly included), > 60 minutes. */
export function ackBucket(minutes: number): AckBucket {
  if (minutes < 5) return 'lt5';
  if (minutes < 15) return '5to15';
  if (minutes < 30) return '15to30';
  if (minutes <= 60) return '30to60';
  return 'gt60';
}

function remind(alert: Alert, now: Date, settings: AlertSettings): AlertChange {
  const due = new Date(now.getTime() + settings.reNotifyAcknowledgedAfterMinutes * 60_000).toISOString();
  const reminders = alert.reminders + 1;
  return {
    before: alert,
    after: { ...bump(alert), reminders, dueAt: earlier(due, alert.expiresAfter) },
    notice: { alertId: alert.alertId, purpose: 'reminder', index: reminders },
    counts: {},
  };
}

function close(alert: Alert, status: AlertStatus, now: Date): AlertChange {
  const after: Alert = { ...bump(alert), status, closedAt: now.toISOString() };
  delete after.dueAt;
  return { before: alert, after, counts: {} };
}

function bump(alert: Alert): Alert {
  return { ...alert, version: alert.version + 1 };
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}
