/**
 * The channel port: how dispatch hands a message to SMS, e-mail or a webhook, and how a channel says that a send
 * failed for good. The channel adapters (adapters/channels/) implement it.
 */
import type { AlertMessage } from '#domain/alert-message';
import type { RotaChannel } from '#domain/rota';
import type { Recipient } from '#domain/routing';

export interface OutgoingMessage extends AlertMessage {
  alertId: string;
  notice: string;
  recipient: Recipient;
  /** For the provider: identifies the message without personal data. */
  reference: string;
}

export interface Channel {
  readonly name: string;
  /**
   * Throws a DeliveryError saying whether trying again could help. `confirmed` when acceptance is delivery
   * (a webhook's 2xx, the local outbox); otherwise (GOV.UK Notify) a delivery receipt is to follow.
   */
  send(message: OutgoingMessage): Promise<{ providerRef?: string; confirmed?: boolean }>;
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
