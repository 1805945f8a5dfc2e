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
 * 5. Settle the notice in the outbox once every recipient's delivery is final (or awaits only its receipt).
 *    Until then it stays there, and the sweeper sends whatever the stream could not (a claim held by a
 *    dispatcher that died, a recipient left for lack of time, a stream that gave up).
 */
import { escalate, noticeKey, type Alert, type Notice } from '#domain/alerts';
import { linkUrl, type LinkKeys } from '#domain/alert-link';

/** How long a link works after its alert's life ends. */
const linkGraceSeconds = 12 * 3600;
import { messageFor } from '#domain/alert-message';
import { replyKey } from '#domain/replies';
import type { Recipient, RoutingConfig } from '#domain/routing';
import { needsReached, needsRota, recipientsFor, type NoticeRecipients } from '#domain/recipients';
import type { AlertStore, NoticeOutbox, RotaStore } from './alert-ports';
import { DeliveryError, type Channels, type OutgoingMessage } from './channel-ports';
import { realBackoff, type Backoff } from '#commons/retry';

// The channel port lives in channel-ports.ts, where the channel adapters find it; re-exported for the callers of dispatch.
export { DeliveryError, type Channel, type Channels, type OutgoingMessage } from './channel-ports';

export interface DeliveryClaim {
  alertId: string;
  notice: string;
  recipient: Recipient;
  channel: string;
}

/** SENDING and FAILED are on the way; SENT awaits its receipt; DELIVERED, REJECTED and EXPIRED are final. */
export type DeliveryStatus = 'SENDING' | 'FAILED' | 'SENT' | 'DELIVERED' | 'REJECTED' | 'EXPIRED';

export interface DeliveryAttempt {
  alertId: string;
  notice: string;
  recipientId: string;
  attempt: number;
  at: string;
  outcome: 'sent' | 'failed' | 'rejected';
  /** The delivery's status after this attempt. */
  status: DeliveryStatus;
  providerRef?: string;
  error?: string;
}

export interface DeliveryStore {
  /**
   * 'claimed' when this caller now owns the delivery; 'done' when it was sent or refused for good already;
   * 'busy' when another dispatcher holds a live claim (it may yet die: the notice stays in the outbox).
   */
  claim(claim: DeliveryClaim, now: Date): Promise<'claimed' | 'done' | 'busy'>;
  record(attempt: DeliveryAttempt): Promise<void>;
  /** Marks every delivery of a notice that is not final (and not being sent right now) EXPIRED, with the reason; returns how many. */
  expire(alertId: string, notice: string, at: Date, reason: string): Promise<number>;
  /** Everyone an alert reached, once each, in the order first reached. */
  reached(alertId: string): Promise<Recipient[]>;
  /**
   * Records a provider's delivery receipt: DELIVERED over anything but DELIVERED, REJECTED (with the reason) only
   * over SENT, so a duplicate or a late receipt changes nothing. `changed` is true only for the write that moved it.
   */
  receipt(
    key: { alertId: string; notice: string; recipientId: string },
    outcome: ReceiptOutcome,
  ): Promise<{ changed: boolean; delivery?: DeliveryState }>;
  /** Deliveries a provider accepted (SENT) at or before `sentBefore` whose receipt has not come, oldest first (an index, never a scan). */
  awaitingReceipt(sentBefore: Date, limit: number): Promise<AwaitingReceipt[]>;
  /** Asks the provider again at `dueAt`, or (without it) stops asking; a delivery no longer awaiting its receipt is left alone. */
  pollAgain(key: { alertId: string; notice: string; recipientId: string }, dueAt?: string): Promise<void>;
  /** Remembers that a page went to a number (by its keyed hash: see domain/replies.ts). Repeating it is harmless. */
  rememberPage(numberKey: string, page: PagedNumber): Promise<void>;
  /** The pages sent to a number, newest first. */
  pagesTo(numberKey: string): Promise<PagedNumber[]>;
}

/** A delivery the provider accepted, awaiting its receipt: what is needed to ask the provider about it. */
export interface AwaitingReceipt {
  alertId: string;
  notice: string;
  recipientId: string;
  /** The provider's id of the message (Notify's notification id). */
  providerRef: string;
  sentAt: string;
  /** How many times the provider has been asked. */
  polls: number;
}

/** An on-call page sent by SMS, remembered under the recipient's keyed number so a reply can find it. */
export interface PagedNumber {
  alertId: string;
  notice: string;
  recipient: Recipient;
  pagedAt: string;
}

export interface ReceiptOutcome {
  status: 'DELIVERED' | 'REJECTED';
  /** The provider's own word for it (delivered, temporary-failure …) and when it happened. */
  providerStatus: string;
  at: string;
  providerRef: string;
  reason?: string;
}

export interface DeliveryState {
  status: DeliveryStatus;
  recipient: Recipient;
  firstClaimedAt?: string;
}

export interface DispatchDependencies {
  alerts: AlertStore;
  deliveries: DeliveryStore;
  outbox: NoticeOutbox;
  rota: RotaStore;
  routing: RoutingConfig;
  channels: Channels;
  /** Base URL of the HTTP API and the key that signs acknowledge links. */
  links: { baseUrl: string; keys: LinkKeys };
  /** The deployment's identifier key: SMS pages are remembered under an HMAC of the number with it, for replies. */
  numberKey: string;
  /** `attemptTimeoutMs`: the longest one send can take (the channel's own timeout), for the time budget. */
  retry: { attempts: number; backoffMs: number; attemptTimeoutMs: number };
  clock: () => Date;
  /** Waits between attempts of a send, and their jitter (realBackoff when not given; tests pass their clock's). */
  backoff?: Backoff;
  /**
   * When (on `clock`) this invocation must have stopped: no attempt or backoff is started that could run past it,
   * so a slow provider leaves a delivery FAILED for the sweeper instead of SENDING under a killed function.
   */
  deadline?: number;
}

export interface DispatchResult {
  /** 'deferred': some recipient is left for the sweeper (a live claim elsewhere, or out of time); the notice stays in the outbox. */
  outcome: 'sent' | 'already-sent' | 'stale' | 'undeliverable' | 'deferred';
  sent: number;
  rejected: number;
  /** True when the alert was moved to its next step because nobody could receive this page. */
  escalated: boolean;
}

export async function dispatchNotice(notice: Notice, deps: DispatchDependencies): Promise<DispatchResult> {
  const alert = await deps.alerts.load(notice.alertId);
  if (!alert)
    throw new Error(
      `alert ${notice.alertId} not found: it is written with its first notice, so this is retried`,
    );
  const nothing = { sent: 0, rejected: 0, escalated: false };
  if (isStale(alert, notice)) {
    await deps.outbox.settle(
      notice,
      'STALE',
      deps.clock(),
      notice.purpose === 'page'
        ? `the alert was ${alert.status.toLowerCase()} before this page was sent`
        : `the alert was ${alert.status.toLowerCase()}`,
    );
    return { outcome: 'stale', ...nothing };
  }

  const { recipients, acknowledgedBy, uncovered } = await route(alert, notice, deps);
  const key = noticeKey(notice);
  let sent = 0;
  let rejected = 0;
  let claimed = 0;
  let deferred = 0;
  let retryLater: Error | undefined;
  for (const recipient of recipients) {
    const now = deps.clock();
    const claim = await deps.deliveries.claim(
      { alertId: alert.alertId, notice: key, recipient, channel: deps.channels[recipient.channel].name },
      now,
    );
    if (claim === 'done') continue;
    if (claim === 'busy') {
      deferred += 1;
      continue;
    }
    claimed += 1;
    const message: OutgoingMessage = {
      ...messageFor(alert, notice.purpose, {
        links: linksFor(alert, notice, recipient, deps),
        ...(acknowledgedBy ? { acknowledgedBy } : {}),
      }),
      alertId: alert.alertId,
      notice: key,
      recipient,
      reference: messageReference(alert.alertId, key, recipient.id),
    };
    const outcome = await sendWithRetries(message, deps);
    // An on-call page by SMS can be taken by replying: remember which number it went to.
    if (
      outcome === 'sent' &&
      notice.purpose === 'page' &&
      alert.kind === 'CRITICAL_RELEASE' &&
      recipient.channel === 'sms'
    ) {
      await deps.deliveries.rememberPage(replyKey(recipient.address, deps.numberKey), {
        alertId: alert.alertId,
        notice: key,
        recipient,
        pagedAt: deps.clock().toISOString(),
      });
    }
    // Counted once: a delivery is sent once.
    if (outcome === 'sent' && uncovered) await deps.alerts.count(alert, { uncovered: 1 }, deps.clock());
    if (outcome === 'sent') sent += 1;
    else if (outcome === 'rejected') rejected += 1;
    else if (outcome === 'deferred') deferred += 1;
    else retryLater = outcome;
  }
  if (rejected > 0) await deps.alerts.count(alert, { deliveryFailed: rejected }, deps.clock());
  // The notice stays in the outbox: the stream retries a passing failure; the sweeper takes over the rest.
  if (retryLater) throw retryLater;
  if (deferred > 0) return { outcome: 'deferred', sent, rejected, escalated: false };

  // A page nobody could receive must not wait out its step: the next person is paged now.
  const undeliverable =
    notice.purpose === 'page' &&
    sent === 0 &&
    (recipients.length === 0 || (claimed > 0 && rejected === claimed));
  let escalated = false;
  if (undeliverable) {
    const change = escalate(alert, deps.clock());
    escalated = change?.notice !== undefined && (await deps.alerts.apply(change, deps.clock())) === 'applied';
  }
  await deps.outbox.settle(
    notice,
    'DONE',
    deps.clock(),
    recipients.length === 0 ? 'nobody to send it to' : undefined,
  );
  if (undeliverable) return { outcome: 'undeliverable', sent, rejected, escalated };
  return { outcome: claimed === 0 ? 'already-sent' : 'sent', sent, rejected, escalated: false };
}

/**
 * The reference a provider keeps with a message and sends back in its delivery receipt: alert, notice and
 * recipient id (none of them personal data), so a receipt finds its delivery without an index.
 */
export function messageReference(alertId: string, notice: string, recipientId: string): string {
  return `${alertId}-${notice}-${recipientId}`;
}

export function parseMessageReference(
  reference: string,
): { alertId: string; notice: string; recipientId: string } | undefined {
  const m = /^(.+?)-((?:page|acknowledged|reminder|rotagap)\.\d{3})-(.+)$/.exec(reference);
  return m ? { alertId: m[1]!, notice: m[2]!, recipientId: m[3]! } : undefined;
}

/** A page for an alert someone already acknowledged, or a reminder for one since resolved, is not sent. */
function isStale(alert: Alert, notice: Notice): boolean {
  if (notice.purpose === 'page') return alert.status !== 'OPEN';
  if (notice.purpose === 'reminder') return alert.status !== 'ACKNOWLEDGED';
  return false;
}

/** The recipients are the domain's choice (domain/recipients.ts); this fetches only what that choice needs. */
async function route(alert: Alert, notice: Notice, deps: DispatchDependencies): Promise<NoticeRecipients> {
  const [reached, rota] = await Promise.all([
    needsReached(notice) ? deps.deliveries.reached(alert.alertId) : [],
    needsRota(alert, notice) ? deps.rota.entries(alert.localAuthority) : [],
  ]);
  return recipientsFor(alert, notice, { routing: deps.routing, reached, rota, now: deps.clock() });
}

function linksFor(
  alert: Alert,
  notice: Notice,
  recipient: Recipient,
  deps: DispatchDependencies,
): { acknowledge?: string; resolve?: string } {
  // The link outlives the alert by half a day, so a late click is told what became of the alert rather than just "expired".
  const expires = Math.floor(Date.parse(alert.expiresAfter) / 1000) + linkGraceSeconds;
  const claims = { alertId: alert.alertId, recipient: recipient.id, expires };
  if (notice.purpose === 'page')
    return { acknowledge: linkUrl(deps.links.baseUrl, { ...claims, action: 'ack' }, deps.links.keys) };
  if (notice.purpose === 'reminder')
    return { resolve: linkUrl(deps.links.baseUrl, { ...claims, action: 'resolve' }, deps.links.keys) };
  return {};
}

/**
 * Sends, retrying throttling and server errors with exponential backoff; every attempt is recorded. No attempt
 * (and no backoff before one) is started that could run past the deadline: the delivery is left FAILED, so the
 * sweeper can claim it at once, instead of SENDING under a function that was killed.
 */
export async function sendWithRetries(
  message: OutgoingMessage,
  deps: Pick<DispatchDependencies, 'channels' | 'deliveries' | 'retry' | 'clock' | 'backoff' | 'deadline'>,
): Promise<'sent' | 'rejected' | 'deferred' | Error> {
  const channel = deps.channels[message.recipient.channel];
  const { sleep, random } = deps.backoff ?? realBackoff;
  const base = { alertId: message.alertId, notice: message.notice, recipientId: message.recipient.id };
  const timeLeft = () => (deps.deadline === undefined ? Infinity : deps.deadline - deps.clock().getTime());
  for (let attempt = 1; ; attempt++) {
    if (timeLeft() < deps.retry.attemptTimeoutMs) {
      await deps.deliveries.record({
        ...base,
        attempt,
        at: deps.clock().toISOString(),
        outcome: 'failed',
        status: 'FAILED',
        error: 'not attempted: too little time left in this invocation; the sweeper sends it',
      });
      return 'deferred';
    }
    try {
      const { providerRef, confirmed } = await channel.send(message);
      await deps.deliveries.record({
        ...base,
        attempt,
        at: deps.clock().toISOString(),
        outcome: 'sent',
        status: confirmed ? 'DELIVERED' : 'SENT',
        ...(providerRef ? { providerRef } : {}),
      });
      return 'sent';
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      await deps.deliveries.record({
        ...base,
        attempt,
        at: deps.clock().toISOString(),
        outcome: permanent ? 'rejected' : 'failed',
        status: permanent ? 'REJECTED' : 'FAILED',
        error: (error as Error).message,
      });
      if (permanent) return 'rejected';
      if (attempt >= deps.retry.attempts) return error as Error;
      const backoff = deps.retry.backoffMs * 2 ** (attempt - 1) * (0.75 + random() / 2);
      if (timeLeft() < backoff + deps.retry.attemptTimeoutMs) return 'deferred';
      await sleep(backoff);
    }
  }
}
