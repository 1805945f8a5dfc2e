/**
 * Acknowledge an on-call page by replying to it ("Reply 1 to take this case").
 *
 * 1. Find the pages sent to the sender's number (by its keyed hash); a number that was never paged is refused
 *    and counted, and its number is not logged.
 * 2. Take the most recent of them: the open page the sender is answering.
 * 3. Decide as for the link: the first acknowledgement stops the escalation and tells the others who were paged
 *    (the alert change writes the "acknowledged" notice); a second reply, or one after the alert closed,
 *    changes nothing, and the sender is told why by text message.
 */
import { acknowledge, type Alert, type AlertSettings } from '#domain/alerts';
import { replyAnswer } from '#domain/alert-message';
import { replyKey, takesTheCase } from '#domain/replies';
import type { AlertStore } from './alert-ports';
import type { Channels, DeliveryStore, OutgoingMessage } from './dispatch-alert';

export interface ReplyDependencies {
  alerts: AlertStore;
  deliveries: Pick<DeliveryStore, 'pagesTo'>;
  /** The key of the numbers' hashes (the same one dispatch used). */
  numberKey: string;
  settings: AlertSettings;
  /** How the sender is answered when their reply changed nothing. */
  channels: Pick<Channels, 'sms'>;
  clock: () => Date;
}

export type ReplyResult =
  | { outcome: 'acknowledged'; alertId: string }
  | { outcome: 'unchanged'; alertId: string; why: string; answered: boolean }
  | { outcome: 'not-understood'; alertId: string }
  | { outcome: 'unknown-sender' };

const maxAttempts = 5;

export async function acknowledgeByReply(
  reply: { from: string; message: string },
  deps: ReplyDependencies,
): Promise<ReplyResult> {
  const [latest] = await deps.deliveries.pagesTo(replyKey(reply.from, deps.numberKey));
  if (!latest) return { outcome: 'unknown-sender' };
  if (!takesTheCase(reply.message)) return { outcome: 'not-understood', alertId: latest.alertId };

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const alert = await deps.alerts.load(latest.alertId);
    if (!alert) return { outcome: 'unknown-sender' };
    const now = deps.clock();
    const decision = acknowledge(alert, latest.recipient.id, now, deps.settings);
    if (decision.outcome === 'unchanged') {
      const answered = await answer(alert, decision.why, latest, deps);
      return { outcome: 'unchanged', alertId: alert.alertId, why: decision.why, answered };
    }
    if ((await deps.alerts.apply(decision.change, now)) === 'applied') {
      if (decision.change.ackMinutes !== undefined)
        await deps.alerts.recordAckMinutesMax(decision.change.after, decision.change.ackMinutes);
      return { outcome: 'acknowledged', alertId: alert.alertId };
    }
  }
  throw new Error(
    `alert ${latest.alertId} kept changing under ${maxAttempts} attempts to acknowledge it by reply`,
  );
}

/** Best effort: the answer is a courtesy, not a notice; a failure to send it is reported, and nothing else depends on it. */
async function answer(
  alert: Alert,
  why: string,
  page: { notice: string; recipient: OutgoingMessage['recipient'] },
  deps: ReplyDependencies,
): Promise<boolean> {
  const message: OutgoingMessage = {
    ...replyAnswer(alert, why),
    alertId: alert.alertId,
    notice: page.notice,
    recipient: page.recipient,
    reference: `${alert.alertId}-reply-${page.recipient.id}`,
  };
  try {
    await deps.channels.sms.send(message);
    return true;
  } catch {
    return false;
  }
}
