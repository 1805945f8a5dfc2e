/**
 * The local outbox: where notifications go when Gatehouse runs on a laptop. One JSON line per message in a
 * file, so the local server, the demo and the tests read exactly what was "sent". It keeps the recipient's
 * id and role, not their number or address.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Channel } from '#use-cases/channel-ports';

export interface OutboxEntry {
  channel: string;
  alertId: string;
  notice: string;
  /** The recipient's id (a contact id or `rota.{tier}.…`). */
  recipient: string;
  recipientLabel: string;
  /** How the message would have travelled: sms, email or webhook. */
  via: string;
  template: string;
  subject: string;
  text: string;
  reference: string;
  sentAt: string;
}

/** `onSent` lets the local runtime tell listeners (the benchmark) the moment a message is out. */
export function localOutbox(
  file: string,
  clock: () => Date = () => new Date(),
  onSent?: (entry: OutboxEntry) => void,
): Channel {
  return {
    name: 'local-outbox',
    async send(message) {
      await mkdir(dirname(file), { recursive: true });
      const entry: OutboxEntry = {
        channel: 'local-outbox',
        alertId: message.alertId,
        notice: message.notice,
        recipient: message.recipient.id,
        recipientLabel: message.recipient.label,
        via: message.recipient.channel,
        template: message.template,
        subject: message.subject,
        text: message.text,
        reference: message.reference,
        sentAt: clock().toISOString(),
      };
      await appendFile(file, `${JSON.stringify(entry)}\n`);
      onSent?.(entry);
      return { providerRef: `outbox:${message.reference}`, confirmed: true };
    },
  };
}

export async function readOutbox(file: string): Promise<OutboxEntry[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxEntry);
}
