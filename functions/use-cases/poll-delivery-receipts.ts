/**
 * Delivery receipts by asking, where GOV.UK Notify's callbacks cannot be configured (issue 14): the sweeper asks
 * Notify (getNotificationById) about every delivery it accepted (SENT) at least `afterMinutes` ago whose receipt has
 * not come, and records a final status through the very path a callback takes (use-cases/record-delivery-receipt.ts),
 * so the delivery, the figures and a failed page's escalation are the same either way. A receipt that comes twice
 * (a poll and a late callback, two sweeps at once) changes nothing the second time.
 *
 * Not final yet (created, sending, pending; an international "sent" has no receipt to come): asked again after
 * 2, 4, 8, then every 30 minutes, for as long as Notify keeps the message (7 days); then it is left SENT, counted.
 */
import {
  recordDeliveryReceipt,
  type NotifyStatus,
  type ReceiptDependencies,
} from './record-delivery-receipt';
import { messageReference, type AwaitingReceipt } from './dispatch-alert';

/** What the provider says about one message now (Notify's `status` and `completed_at`), or that it does not know it. */
export interface ReceiptSource {
  status(providerRef: string): Promise<{ status: string; completedAt?: string } | 'not-found'>;
}

export interface ReceiptPollDependencies extends ReceiptDependencies {
  source: ReceiptSource;
  /** How old a SENT delivery must be before Notify is asked (a receipt usually comes within seconds to minutes). */
  afterMinutes: number;
  /** When (on `clock`) this sweep must have stopped asking. */
  deadline?: number;
}

export interface ReceiptPollResult {
  asked: number;
  /** Final statuses recorded (delivered or a failure), as a callback would have. */
  recorded: number;
  /** Pages escalated at once because Notify said they failed. */
  escalated: number;
  /** Not final yet: asked again later. */
  notYet: number;
  /** Notify no longer knows the message, or it is past Notify's retention: no longer asked. */
  givenUp: number;
  /** Why Notify could not be asked (its status, never the message or the recipient); asked again next sweep. */
  errors: string[];
}

const finalStatuses: readonly NotifyStatus[] = [
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
];

/** Notify keeps a message (and answers about it) for 7 days. */
export const notifyRetentionDays = 7;

/** When to ask again after the `polls`-th answer that was not final: 2, 4, 8, 16, then every 30 minutes. */
export function nextPollAt(polls: number, now: Date): string {
  return new Date(now.getTime() + Math.min(30, 2 ** Math.max(1, polls)) * 60_000).toISOString();
}

export async function pollDeliveryReceipts(
  deps: ReceiptPollDependencies,
  limit = 200,
): Promise<ReceiptPollResult> {
  const result: ReceiptPollResult = {
    asked: 0,
    recorded: 0,
    escalated: 0,
    notYet: 0,
    givenUp: 0,
    errors: [],
  };
  const now = deps.clock();
  const sentBefore = new Date(now.getTime() - deps.afterMinutes * 60_000);
  for (const delivery of await deps.deliveries.awaitingReceipt(sentBefore, limit)) {
    if (deps.deadline !== undefined && deps.deadline - deps.clock().getTime() < 6000) break;
    await pollOne(delivery, deps, result);
  }
  return result;
}

async function pollOne(
  delivery: AwaitingReceipt,
  deps: ReceiptPollDependencies,
  result: ReceiptPollResult,
): Promise<void> {
  const key = { alertId: delivery.alertId, notice: delivery.notice, recipientId: delivery.recipientId };
  const now = deps.clock();
  let answer: Awaited<ReturnType<ReceiptSource['status']>>;
  try {
    result.asked += 1;
    answer = await deps.source.status(delivery.providerRef);
  } catch (error) {
    result.errors.push(`${delivery.alertId} ${delivery.notice}: ${(error as Error).message}`);
    return;
  }
  if (
    answer === 'not-found' ||
    Date.parse(delivery.sentAt) < now.getTime() - notifyRetentionDays * 86_400_000
  ) {
    await deps.deliveries.pollAgain(key);
    result.givenUp += 1;
    return;
  }
  if (!(finalStatuses as readonly string[]).includes(answer.status)) {
    await deps.deliveries.pollAgain(key, nextPollAt(delivery.polls + 1, now));
    result.notYet += 1;
    return;
  }
  // The same path as Notify's callback: the same statuses, figures and escalation; a duplicate is harmless.
  const recorded = await recordDeliveryReceipt(
    {
      id: delivery.providerRef,
      reference: messageReference(delivery.alertId, delivery.notice, delivery.recipientId),
      status: answer.status as NotifyStatus,
      ...(answer.completedAt ? { completedAt: answer.completedAt } : {}),
    },
    deps,
  );
  if (recorded.outcome === 'recorded') result.recorded += 1;
  if (recorded.escalated) result.escalated += 1;
  // A receipt that changed nothing (it was final already) leaves the index with the receipt; make sure it is not asked again.
  if (recorded.outcome !== 'recorded') await deps.deliveries.pollAgain(key);
}
