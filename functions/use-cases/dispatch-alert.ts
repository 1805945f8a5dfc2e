/**
 * Dispatch one step of an alert to the people it is for.
 *
 * 1. Route: the recipient group of this step (the on-call group of the alert's area).
 * 2. Claim the delivery of this step (a conditional write), so a redelivered stream record or a second
 *    dispatcher sends nothing twice.
 * 3. Send the data-minimised message through the channel, and record the attempt on the alert.
 *    A failed send is recorded and thrown, so the record goes back to its stream and is retried.
 */
import type { Alert } from '../domain/alerts';
import { smsText } from '../domain/alert-message';

export interface OutgoingMessage {
  alertId: string;
  step: number;
  recipient: string;
  text: string;
  /** For the provider: identifies the message without personal data. */
  reference: string;
}

export interface Channel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ providerRef?: string }>;
}

export interface DeliveryClaim {
  alertId: string;
  step: number;
  recipient: string;
  channel: string;
}

export interface DeliveryAttempt extends DeliveryClaim {
  at: string;
  outcome: 'sent' | 'failed';
  providerRef?: string;
  error?: string;
}

export interface DeliveryStore {
  /** True when this caller now owns the delivery; false when it was sent (or is being sent) already. */
  claim(claim: DeliveryClaim, now: Date): Promise<boolean>;
  record(attempt: DeliveryAttempt): Promise<void>;
}

export interface DispatchDependencies {
  deliveries: DeliveryStore;
  channel: Channel;
  clock: () => Date;
}

export type DispatchResult = { outcome: 'sent'; recipient: string } | { outcome: 'already-sent'; recipient: string };

export async function dispatchAlert(alert: Alert, deps: DispatchDependencies): Promise<DispatchResult> {
  const recipient = `oncall:${alert.localAuthority}`;
  const claim: DeliveryClaim = { alertId: alert.alertId, step: alert.step, recipient, channel: deps.channel.name };
  if (!(await deps.deliveries.claim(claim, deps.clock()))) return { outcome: 'already-sent', recipient };

  const message: OutgoingMessage = { alertId: alert.alertId, step: alert.step, recipient, text: smsText(alert), reference: `${alert.alertId}-${alert.step}` };
  try {
    const { providerRef } = await deps.channel.send(message);
    await deps.deliveries.record({ ...claim, at: deps.clock().toISOString(), outcome: 'sent', ...(providerRef ? { providerRef } : {}) });
    return { outcome: 'sent', recipient };
  } catch (error) {
    await deps.deliveries.record({ ...claim, at: deps.clock().toISOString(), outcome: 'failed', error: (error as Error).message });
    throw error;
  }
}
