/**
 * GOV.UK Notify as a channel: SMS and e-mail through the official client. Templates live in Notify; Gatehouse
 * sends the template id (from the routing config) and the personalisation (domain/alert-message.ts). The
 * `reference` is the alert id and notice, never personal data. A base URL lets tests use a local fake.
 */
import axios from 'axios';
import { NotifyClient } from 'notifications-node-client';
import type { TemplateName } from '#domain/alert-message';
import { DeliveryError, type Channel } from '#use-cases/channel-ports';
import type { ReceiptSource } from '#use-cases/poll-delivery-receipts';

export interface NotifyTemplates {
  sms: Partial<Record<TemplateName, string>>;
  email: Partial<Record<TemplateName, string>>;
}

/**
 * The client with a timeout on each request: axios waits for ever by default, and a Notify that never answers
 * must not hold dispatch until Lambda kills it. A timeout is retried like a 5xx.
 */
export function notifyClient(apiKey: string, baseUrl?: string, timeoutMs = 5000): NotifyClient {
  const client = baseUrl ? new NotifyClient(baseUrl, apiKey) : new NotifyClient(apiKey);
  client.setClient(axios.create({ timeout: timeoutMs }));
  return client;
}

export function notifyChannel(client: NotifyClient, templates: NotifyTemplates): Channel {
  return {
    name: 'govuk-notify',
    async send(message) {
      const { channel, address } = message.recipient;
      if (channel !== 'sms' && channel !== 'email')
        throw new DeliveryError(`GOV.UK Notify cannot send to a ${channel} recipient`, true);
      const templateId = templates[channel][message.template];
      if (!templateId)
        throw new DeliveryError(
          `no GOV.UK Notify ${channel} template for '${message.template}' in the routing config`,
          true,
        );
      const options = { personalisation: message.personalisation, reference: message.reference };
      try {
        const response =
          channel === 'sms'
            ? await client.sendSms(templateId, address, options)
            : await client.sendEmail(templateId, address, options);
        return { providerRef: response.data.id };
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
  };
}

/**
 * Where Notify's callbacks cannot be configured: a message's status by asking (GET /v2/notifications/{id},
 * getNotificationById). Only `status` and `completed_at` are read; the answer also holds the number or address and
 * the rendered body, which are neither kept nor logged.
 */
export function notifyReceiptSource(client: NotifyClient): ReceiptSource {
  return {
    async status(providerRef) {
      try {
        const response = await client.getNotificationById(providerRef);
        const data = response.data as { status?: unknown; completed_at?: unknown };
        if (typeof data.status !== 'string') throw new Error('GOV.UK Notify answered without a status');
        return {
          status: data.status,
          ...(typeof data.completed_at === 'string' ? { completedAt: data.completed_at } : {}),
        };
      } catch (error) {
        if ((error as { response?: { status?: number } }).response?.status === 404) return 'not-found';
        throw asDeliveryError(error);
      }
    },
  };
}

/** Notify's answer in words: 429 and 5xx (and no answer at all) may pass; any other 4xx will not. */
function asDeliveryError(error: unknown): DeliveryError {
  const response = (
    error as { response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } } }
  ).response;
  const status = response?.status;
  if (status === undefined)
    return new DeliveryError(`GOV.UK Notify could not be reached: ${(error as Error).message}`, false);
  const detail =
    (response?.data?.errors ?? []).map((e) => `${e.error ?? 'Error'}: ${e.message ?? ''}`).join('; ') ||
    `HTTP ${status}`;
  return new DeliveryError(
    `GOV.UK Notify answered ${status} (${detail})`,
    !(status === 429 || status >= 500),
    status,
  );
}
