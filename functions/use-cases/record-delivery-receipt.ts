/**
 * A delivery receipt from GOV.UK Notify: what became of one message after Notify accepted it.
 *
 * 1. Find the delivery by the message's reference (alert, notice, recipient); a reference Gatehouse never
 *    made is reported, not guessed at.
 * 2. Record the outcome on it: `delivered` → DELIVERED; `permanent-failure` (no such number),
 *    `temporary-failure` (phone off, inbox full) and `technical-failure` → REJECTED with the reason. A duplicate
 *    or an out-of-order receipt changes nothing (the store's conditions), and counts nothing.
 * 3. A page that failed moves the escalation on at once, if the alert is still open at that step; asking again
 *    for a repeated receipt is harmless (the change is conditional on the alert's version and step).
 * 4. Figures, once per delivery: pages delivered and minutes to delivered, or a failed delivery.
 */
import { escalate } from '#domain/alerts';
import type { AlertStore } from './alert-ports';
import { parseMessageReference, type DeliveryStore } from './dispatch-alert';

export type NotifyStatus = 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure';

export interface DeliveryReceipt {
  /** Notify's id of the message. */
  id: string;
  reference: string | null;
  status: NotifyStatus;
  completedAt?: string;
}

export interface ReceiptDependencies {
  alerts: AlertStore;
  deliveries: DeliveryStore;
  clock: () => Date;
}

export interface ReceiptResult {
  outcome: 'recorded' | 'unchanged' | 'unknown-reference';
  status?: 'DELIVERED' | 'REJECTED';
  escalated: boolean;
}

const reasons: Record<Exclude<NotifyStatus, 'delivered'>, string> = {
  'permanent-failure': 'GOV.UK Notify: permanent failure (the number or address does not exist)',
  'temporary-failure':
    'GOV.UK Notify: temporary failure (the phone was off or out of signal, or the inbox full)',
  'technical-failure': 'GOV.UK Notify: technical failure (Notify could not send it)',
};

export async function recordDeliveryReceipt(
  receipt: DeliveryReceipt,
  deps: ReceiptDependencies,
): Promise<ReceiptResult> {
  const key = receipt.reference ? parseMessageReference(receipt.reference) : undefined;
  if (!key) return { outcome: 'unknown-reference', escalated: false };
  const now = deps.clock();
  const delivered = receipt.status === 'delivered';
  const at = receipt.completedAt ?? now.toISOString();
  const { changed, delivery } = await deps.deliveries.receipt(key, {
    status: delivered ? 'DELIVERED' : 'REJECTED',
    providerStatus: receipt.status,
    at,
    providerRef: receipt.id,
    ...(delivered ? {} : { reason: reasons[receipt.status as Exclude<NotifyStatus, 'delivered'>] }),
  });
  if (!delivery) return { outcome: 'unknown-reference', escalated: false };
  // A rota-gap warning (use-cases/warn-rota-gaps.ts) has no alert: its receipt is recorded on its delivery, and that is all.
  if (key.notice.startsWith('rotagap.'))
    return {
      outcome: changed ? 'recorded' : 'unchanged',
      status: delivered ? 'DELIVERED' : 'REJECTED',
      escalated: false,
    };
  const alert = await deps.alerts.load(key.alertId);
  if (!alert) return { outcome: 'unknown-reference', escalated: false };
  // A page of the on-call escalation (a referral's or digest's first notice is a "page" too, to services).
  const isPage = key.notice.startsWith('page.') && alert.kind === 'CRITICAL_RELEASE';

  if (changed) {
    if (delivered && isPage) {
      const minutes = delivery.firstClaimedAt
        ? Math.max(0, Math.round((Date.parse(at) - Date.parse(delivery.firstClaimedAt)) / 60_000))
        : 0;
      await deps.alerts.count(
        alert,
        { pagesDelivered: 1, 'deliveredMinutes.sum': minutes, 'deliveredMinutes.count': 1 },
        now,
      );
    } else if (!delivered)
      await deps.alerts.count(alert, { deliveryFailed: 1, 'deliveryFailed.receipt': 1 }, now);
  }

  // Decided on the state, not on whether this write changed it: a receipt retried after a crash still escalates.
  let escalated = false;
  const step = Number(key.notice.slice('page.'.length));
  if (isPage && delivery.status === 'REJECTED' && alert.status === 'OPEN' && alert.step === step) {
    const change = escalate(alert, now);
    escalated = change?.notice !== undefined && (await deps.alerts.apply(change, now)) === 'applied';
  }
  return {
    outcome: changed ? 'recorded' : 'unchanged',
    status: delivered ? 'DELIVERED' : 'REJECTED',
    escalated,
  };
}
