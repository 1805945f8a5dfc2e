/**
 * Send one notice of an alert (a page at an escalation step, the news that it was acknowledged, a reminder)
 * to the people it is for.
 *
 * 1. Load the alert as it is now; a page for an alert acknowledged meanwhile is not sent.
 * 2. Route: the rota tier or contact of this escalation step, the services for the person's needs, or
 *    everyone paged so far (acknowledged), or whoever acknowledged (reminder).
 * 3. For each recipient, claim the delivery (a conditional write), so a redelivered stream record or a
 *    second dispatcher sends nothing twice; send the data-minimised message with its signed link, retrying
 *    with backoff on throttling and server errors; record every attempt beside the alert.
 * 4. A page nobody could receive (a permanent failure, or no one routed) moves the alert to its next step
 *    at once. A send that kept failing for a passing reason is thrown, so the stream retries it.
 */
import { escalate, noticeKey, type Alert, type Notice } from '../domain/alerts';
import { linkUrl, type LinkKeys } from '../domain/alert-link';

/** How long a link works after its alert's life ends. */
const linkGraceSeconds = 12 * 3600;
import { messageFor, type AlertMessage } from '../domain/alert-message';
import { escalationStep } from '../domain/escalation';
import type { RotaChannel } from '../domain/rota';
import { contactById, areaRouting, recipientForTarget, servicesFor, type Recipient, type RoutingConfig } from '../domain/routing';
import type { AlertStore, RotaStore } from './alert-ports';

export interface OutgoingMessage extends AlertMessage {
  alertId: string;
  notice: string;
  recipient: Recipient;
  /** For the provider: identifies the message without personal data. */
  reference: string;
}

export interface Channel {
  readonly name: string;
  /** Throws a DeliveryError saying whether trying again could help. */
  send(message: OutgoingMessage): Promise<{ providerRef?: string }>;
}

/** A failed send: `permanent` when trying again cannot help (a bad number, a rejected request). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type Channels = Record<RotaChannel, Channel>;

export interface DeliveryClaim {
  alertId: string;
  notice: string;
  recipient: Recipient;
  channel: string;
}

export interface DeliveryAttempt {
  alertId: string;
  notice: string;
  recipientId: string;
  attempt: number;
  at: string;
  outcome: 'sent' | 'failed' | 'rejected';
  providerRef?: string;
  error?: string;
}

export interface DeliveryStore {
  /** True when this caller now owns the delivery; false when it was sent (or is being sent, or was refused for good) already. */
  claim(claim: DeliveryClaim, now: Date): Promise<boolean>;
  record(attempt: DeliveryAttempt): Promise<void>;
  /** Everyone an alert reached, once each, in the order first reached. */
  reached(alertId: string): Promise<Recipient[]>;
}

export interface DispatchDependencies {
  alerts: AlertStore;
  deliveries: DeliveryStore;
  rota: RotaStore;
  routing: RoutingConfig;
  channels: Channels;
  /** Base URL of the HTTP API and the key that signs acknowledge links. */
  links: { baseUrl: string; keys: LinkKeys };
  retry: { attempts: number; backoffMs: number };
  clock: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface DispatchResult {
  outcome: 'sent' | 'already-sent' | 'stale' | 'undeliverable';
  sent: number;
  rejected: number;
  /** True when the alert was moved to its next step because nobody could receive this page. */
  escalated: boolean;
}

export async function dispatchNotice(notice: Notice, deps: DispatchDependencies): Promise<DispatchResult> {
  const alert = await deps.alerts.load(notice.alertId);
  if (!alert) throw new Error(`alert ${notice.alertId} not found: it is written before its notices, so this is retried`);
  const nothing = { sent: 0, rejected: 0, escalated: false };
  if (isStale(alert, notice)) return { outcome: 'stale', ...nothing };

  const { recipients, acknowledgedBy } = await route(alert, notice, deps);
  const key = noticeKey(notice);
  let sent = 0;
  let rejected = 0;
  let claimed = 0;
  let retryLater: Error | undefined;
  for (const recipient of recipients) {
    const now = deps.clock();
    if (!(await deps.deliveries.claim({ alertId: alert.alertId, notice: key, recipient, channel: deps.channels[recipient.channel].name }, now))) continue;
    claimed += 1;
    const message: OutgoingMessage = {
      ...messageFor(alert, notice.purpose, { links: linksFor(alert, notice, recipient, deps), ...(acknowledgedBy ? { acknowledgedBy } : {}) }),
      alertId: alert.alertId,
      notice: key,
      recipient,
      reference: `${alert.alertId}-${key}`,
    };
    const outcome = await sendWithRetries(message, deps);
    if (outcome === 'sent') sent += 1;
    else if (outcome === 'rejected') rejected += 1;
    else retryLater = outcome;
  }
  if (rejected > 0) await deps.alerts.count(alert, { deliveryFailed: rejected }, deps.clock());
  if (retryLater) throw retryLater;

  // A page nobody could receive must not wait out its step: the next person is paged now.
  const undeliverable = notice.purpose === 'page' && sent === 0 && (recipients.length === 0 || (claimed > 0 && rejected === claimed));
  if (undeliverable) {
    const change = escalate(alert, deps.clock());
    const escalated = change?.notice !== undefined && (await deps.alerts.apply(change, deps.clock())) === 'applied';
    return { outcome: 'undeliverable', sent, rejected, escalated };
  }
  return { outcome: claimed === 0 ? 'already-sent' : 'sent', sent, rejected, escalated: false };
}

/** A page for an alert someone already acknowledged, or a reminder for one since resolved, is not sent. */
function isStale(alert: Alert, notice: Notice): boolean {
  if (notice.purpose === 'page') return alert.status !== 'OPEN';
  if (notice.purpose === 'reminder') return alert.status !== 'ACKNOWLEDGED';
  return false;
}

async function route(alert: Alert, notice: Notice, deps: DispatchDependencies): Promise<{ recipients: Recipient[]; acknowledgedBy?: string }> {
  if (notice.purpose !== 'page') {
    const reached = await deps.deliveries.reached(alert.alertId);
    const acker = reached.find((r) => r.id === alert.acknowledgedBy);
    return notice.purpose === 'acknowledged'
      ? { recipients: reached.filter((r) => r.id !== alert.acknowledgedBy), ...(acker ? { acknowledgedBy: acker.label } : {}) }
      : { recipients: acker ? [acker] : [] };
  }
  const { routing } = deps;
  switch (alert.kind) {
    case 'CRITICAL_RELEASE': {
      const step = alert.policy && escalationStep(alert.policy, notice.index);
      if (!step) return { recipients: [] };
      const rota = 'tier' in step.target ? await deps.rota.entries(alert.localAuthority) : [];
      const recipient = recipientForTarget(routing, alert.localAuthority, step.target, rota, deps.clock());
      return { recipients: recipient ? [recipient] : [] };
    }
    case 'REFERRAL':
    case 'PRE_RELEASE_WARNING': {
      // A warning is about accommodation, which only the accommodation services can fix before the day.
      const warning = alert.kind === 'PRE_RELEASE_WARNING';
      const services = servicesFor(routing, alert.localAuthority, { accommodation: warning || alert.flags?.noFixedAbode === true, pathways: warning ? [] : alert.needs });
      // Nobody covers these needs: the area's accommodation services are the partnership's way in.
      const recipients = services.length > 0 ? services : servicesFor(routing, alert.localAuthority, { accommodation: true, pathways: [] });
      if (recipients.length === 0) throw new Error(`alert ${alert.alertId}: area ${alert.localAuthority} has no services in the routing config and no fallback area`);
      return { recipients };
    }
    case 'DIGEST': {
      const service = contactById(areaRouting(routing, alert.localAuthority), alert.recipientGroup.replace(/^service:/, ''));
      if (!service) throw new Error(`alert ${alert.alertId}: the digest's service is no longer in the routing config`);
      return { recipients: [service] };
    }
  }
}

function linksFor(alert: Alert, notice: Notice, recipient: Recipient, deps: DispatchDependencies): { acknowledge?: string; resolve?: string } {
  // The link outlives the alert by half a day, so a late click is told what became of the alert rather than just "expired".
  const expires = Math.floor(Date.parse(alert.expiresAfter) / 1000) + linkGraceSeconds;
  const claims = { alertId: alert.alertId, recipient: recipient.id, expires };
  if (notice.purpose === 'page') return { acknowledge: linkUrl(deps.links.baseUrl, { ...claims, action: 'ack' }, deps.links.keys) };
  if (notice.purpose === 'reminder') return { resolve: linkUrl(deps.links.baseUrl, { ...claims, action: 'resolve' }, deps.links.keys) };
  return {};
}

/** Sends, retrying throttling and server errors with exponential backoff; every attempt is recorded. */
async function sendWithRetries(message: OutgoingMessage, deps: DispatchDependencies): Promise<'sent' | 'rejected' | Error> {
  const channel = deps.channels[message.recipient.channel];
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const base = { alertId: message.alertId, notice: message.notice, recipientId: message.recipient.id };
  for (let attempt = 1; ; attempt++) {
    try {
      const { providerRef } = await channel.send(message);
      await deps.deliveries.record({ ...base, attempt, at: deps.clock().toISOString(), outcome: 'sent', ...(providerRef ? { providerRef } : {}) });
      return 'sent';
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      await deps.deliveries.record({ ...base, attempt, at: deps.clock().toISOString(), outcome: permanent ? 'rejected' : 'failed', error: (error as Error).message });
      if (permanent) return 'rejected';
      if (attempt >= deps.retry.attempts) return error as Error;
      await sleep(deps.retry.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
    }
  }
}
