/**
 * What only the host decides when a function is composed: Lambda takes the defaults, the local runtime and the
 * tests bring their own. Everything else comes from the environment object the composer is given.
 */
import type { RejectedMessages } from '#adapters/rejected-messages';
import type { OutboxEntry } from '#adapters/channels/local-outbox';
import type { Channels } from '#use-cases/channel-ports';

export interface Host {
  /** The functions' clock; the wall clock in Lambda, a story clock in the demo and the tests. */
  clock?: () => Date;
  /** Where a message that can never be processed is kept; the function's SQS dead-letter queue in Lambda. */
  rejected?: RejectedMessages;
  /** Told about every message the local outbox sends (OUTBOX_FILE). */
  onOutboxSent?: (entry: OutboxEntry) => void;
  /** Backoff between attempts of an alert send; tests make it short. */
  sendBackoffMs?: number;
  /** The channels as the host wants them (locally: each message the Notify stand-in accepted is shown in the outbox too). */
  channels?: (composed: Channels) => Channels;
}

export const wallClock = (): Date => new Date();
