/**
 * Signed webhooks: a JSON POST to the recipient's https URL, signed with HMAC-SHA256 over
 * `{timestamp}.{body}` so the receiver can check it came from Gatehouse, unaltered and recently.
 * Headers: `Gatehouse-Timestamp` (Unix seconds), `Gatehouse-Signature` (`v1=` + hex digest),
 * `Gatehouse-Delivery` (the message reference). README.md shows how to verify one. Every receiver has its own key
 * (by contact id), so one receiver cannot sign a message that another would accept.
 */
import { createHmac } from 'node:crypto';
import { DeliveryError, type Channel } from '#use-cases/channel-ports';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookChannel(
  keys: Record<string, string>,
  clock: () => Date = () => new Date(),
  timeoutMs = 5000,
): Channel {
  return {
    name: 'webhook',
    async send(message) {
      const secret = keys[message.recipient.id];
      // Permanent: a retry cannot find a key; the page moves on to the next step and the refusal is counted.
      if (!secret)
        throw new DeliveryError(
          `webhook receiver ${message.recipient.id} has no signing key in WEBHOOK_SIGNING_KEYS`,
          true,
        );
      const body = JSON.stringify({
        alertId: message.alertId,
        notice: message.notice,
        template: message.template,
        subject: message.subject,
        text: message.text,
        fields: message.personalisation,
        reference: message.reference,
      });
      const timestamp = Math.floor(clock().getTime() / 1000);
      let response: Response;
      try {
        response = await fetch(message.recipient.address, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'gatehouse-timestamp': String(timestamp),
            'gatehouse-signature': signWebhook(secret, timestamp, body),
            'gatehouse-delivery': message.reference,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        throw new DeliveryError(`webhook could not be reached: ${(error as Error).message}`, false);
      }
      await response.body?.cancel();
      if (response.ok)
        return {
          providerRef: response.headers.get('x-request-id') ?? `webhook:${response.status}`,
          confirmed: true,
        };
      throw new DeliveryError(
        `webhook answered ${response.status}`,
        !(response.status === 429 || response.status >= 500),
        response.status,
      );
    },
  };
}
