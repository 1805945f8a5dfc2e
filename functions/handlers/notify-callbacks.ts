/**
 * GOV.UK Notify's callbacks to Gatehouse: delivery receipts (`delivery_status`) and text-message replies
 * (`inbound_sms`, to acknowledge a page). Notify authenticates with the bearer token registered with the callback; it is compared in
 * constant time and never logged. Payload shapes: alphagov/notifications-tech-docs, "Callbacks".
 *
 * λ notify-callbacks: a function of its own, apart from the internet-facing api, because answering a reply needs
 * the routing (staff contacts) and the Notify key, which the api function must never hold.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { logger } from '#commons/powertools';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '#commons/powertools';
import { acknowledgeByReply, type ReplyDependencies } from '#use-cases/acknowledge-by-reply';
import { recordDeliveryReceipt, type ReceiptDependencies } from '#use-cases/record-delivery-receipt';
import { route, type ApiRequest, type ApiResponse, type Route } from './http';

export interface CallbackDependencies {
  /** The bearer token registered with Notify's callbacks; without one every callback is refused. */
  token?: string;
  receipts: ReceiptDependencies;
  replies: ReplyDependencies;
}

const inboundSmsSchema = z.object({
  id: z.string().min(1),
  source_number: z.string().min(5),
  destination_number: z.string().optional(),
  message: z.string(),
  date_received: z.string().optional(),
});

const deliveryStatusSchema = z.object({
  id: z.string().min(1),
  reference: z.string().nullable(),
  status: z.enum(['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure']),
  completed_at: z.string().nullable().optional(),
  notification_type: z.enum(['sms', 'email', 'letter']).optional(),
});

/** Constant-time: both sides are hashed first, so neither their lengths nor their contents leak through timing. */
export function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice('Bearer '.length)).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

export function refused(
  request: ApiRequest,
  token: string | undefined,
  callback: string,
): ApiResponse | undefined {
  if (bearerMatches(request.headers.authorization, token)) return undefined;
  const why = !token
    ? 'no callback token is configured'
    : request.headers.authorization
      ? 'the bearer token does not match'
      : 'no bearer token';
  logger.warn('GOV.UK Notify callback refused', { callback, why });
  return { status: 401, body: { error: 'unauthorised' } };
}

/** The callback's body as JSON, or the 400 that says it is not. */
function jsonBody(request: ApiRequest): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  try {
    return { ok: true, value: JSON.parse(request.body) };
  } catch {
    return { ok: false, response: { status: 400, body: { error: 'the body is not JSON' } } };
  }
}

export async function deliveryStatusCallback(
  request: ApiRequest,
  deps: CallbackDependencies,
): Promise<ApiResponse> {
  const denied = refused(request, deps.token, 'delivery_status');
  if (denied) return denied;
  const json = jsonBody(request);
  if (!json.ok) return json.response;
  const parsed = deliveryStatusSchema.safeParse(json.value);
  // The body holds the recipient's number or address: only the field names are reported.
  if (!parsed.success)
    return {
      status: 400,
      body: {
        error: 'not a GOV.UK Notify delivery receipt',
        invalid: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      },
    };
  const { id, reference, status, completed_at } = parsed.data;
  const result = await recordDeliveryReceipt(
    { id, reference, status, ...(completed_at ? { completedAt: completed_at } : {}) },
    deps.receipts,
  );
  logger.info('delivery receipt', { notificationId: id, reference, status, ...result });
  // An unknown reference is answered 200: Notify would only retry it, and it can never match (it is logged above).
  return { status: 200, body: result };
}

export async function inboundSmsCallback(
  request: ApiRequest,
  deps: CallbackDependencies,
): Promise<ApiResponse> {
  const denied = refused(request, deps.token, 'inbound_sms');
  if (denied) return denied;
  const json = jsonBody(request);
  if (!json.ok) return json.response;
  const parsed = inboundSmsSchema.safeParse(json.value);
  if (!parsed.success)
    return {
      status: 400,
      body: {
        error: 'not a GOV.UK Notify received text message',
        invalid: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      },
    };
  const result = await acknowledgeByReply(
    { from: parsed.data.source_number, message: parsed.data.message },
    deps.replies,
  );
  // Never the number, never the text (it may name someone): Notify's id and the outcome.
  logger.info('text-message reply', { inboundId: parsed.data.id, ...result });
  if (result.outcome === 'unknown-sender')
    metrics.addMetric('RepliesFromNumbersNotPaged', MetricUnit.Count, 1);
  if (result.outcome === 'acknowledged') metrics.addMetric('AlertsAcknowledgedByReply', MetricUnit.Count, 1);
  if (result.outcome === 'unchanged' && !result.answered)
    logger.warn('the answer to a reply that changed nothing could not be sent', { alertId: result.alertId });
  return {
    status: 200,
    body:
      result.outcome === 'unknown-sender' ? { outcome: 'refused', why: 'this number was not paged' } : result,
  };
}

/** The two callback routes; the dependencies are built on first use (the token and keys come from Secrets Manager). */
export function notifyCallbackRoutes(deps: () => Promise<CallbackDependencies>): Route[] {
  return [
    route('POST', '/notify/delivery-status', async (request) =>
      deliveryStatusCallback(request, await deps()),
    ),
    route('POST', '/notify/inbound-sms', async (request) => inboundSmsCallback(request, await deps())),
  ];
}
