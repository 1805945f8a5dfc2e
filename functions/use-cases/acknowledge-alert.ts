/**
 * Acknowledge (or resolve) an alert through the signed link in its message.
 *
 * 1. Check the link: signed by Gatehouse, for this alert and action, not expired.
 * 2. Load the alert. Viewing (GET) only describes it and what the button will do.
 * 3. Confirming (POST): decide (domain) — the first acknowledgement stops the escalation, schedules the
 *    reminder and tells the others who were paged; anything later changes nothing and says why.
 * 4. Apply at the version read; when the alert moved on meanwhile (a sweep paged the next step), decide again.
 */
import { acknowledge, resolve, type Alert } from '#domain/alerts';
import { checkLink, type LinkAction, type LinkKeys } from '#domain/alert-link';
import type { AlertSettings } from '#domain/alerts';
import type { AlertStore } from './alert-ports';

export interface AcknowledgeDependencies {
  alerts: AlertStore;
  /** The link-signing keys still held: the current one and the previous one. */
  linkKeys: LinkKeys;
  settings: AlertSettings;
  clock: () => Date;
}

export type AcknowledgeResult =
  | { outcome: 'invalid-link'; why: string }
  | { outcome: 'not-found' }
  | { outcome: 'view'; alert: Alert; action: LinkAction; actionable: boolean; why?: string }
  | { outcome: 'done'; alert: Alert; action: LinkAction }
  | { outcome: 'unchanged'; alert: Alert; action: LinkAction; why: string };

const maxAttempts = 5;

export async function acknowledgeAlert(
  request: { alertId: string; token: string | null; action: LinkAction; confirm: boolean },
  deps: AcknowledgeDependencies,
): Promise<AcknowledgeResult> {
  const link = checkLink(
    request.token,
    { alertId: request.alertId, action: request.action },
    deps.linkKeys,
    deps.clock(),
  );
  if (!link.ok) return { outcome: 'invalid-link', why: link.why };

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const alert = await deps.alerts.load(request.alertId);
    if (!alert) return { outcome: 'not-found' };
    const now = deps.clock();
    const decision =
      request.action === 'ack'
        ? acknowledge(alert, link.claims.recipient, now, deps.settings)
        : resolve(alert, now);

    if (!request.confirm) {
      return {
        outcome: 'view',
        alert,
        action: request.action,
        actionable: decision.outcome !== 'unchanged',
        ...(decision.outcome === 'unchanged' ? { why: decision.why } : {}),
      };
    }
    if (decision.outcome === 'unchanged') {
      // The maximum is idempotent: repeating it here completes an acknowledgement whose first request died after the commit.
      if (request.action === 'ack' && alert.acknowledgedAt)
        await deps.alerts.recordAckMinutesMax(alert, minutesToAck(alert));
      return { outcome: 'unchanged', alert, action: request.action, why: decision.why };
    }
    if ((await deps.alerts.apply(decision.change, now)) === 'applied') {
      if (decision.change.ackMinutes !== undefined)
        await deps.alerts.recordAckMinutesMax(decision.change.after, decision.change.ackMinutes);
      return { outcome: 'done', alert: decision.change.after, action: request.action };
    }
  }
  throw new Error(
    `alert ${request.alertId} kept changing under ${maxAttempts} attempts to ${request.action} it`,
  );
}

function minutesToAck(alert: Alert): number {
  return Math.max(0, Math.round((Date.parse(alert.acknowledgedAt!) - Date.parse(alert.raisedAt)) / 60_000));
}
