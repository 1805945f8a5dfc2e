/**
 * Everything the custody-events queue (and the local `POST /custody-events`) accepts, turned into what
 * Gatehouse records: a Gatehouse custody event v1 or an HMPPS domain event, each bare or wrapped in an SNS
 * notification (as SNS delivers to SQS).
 */
import * as z from 'zod';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { custodyEventV1, custodyFactOf } from './custody-event';
import { hmppsDomainEvent, hmppsEventTypes, hmppsTypes, looksLikeHmpps } from './hmpps/domain-event';
import { fromCas3 } from './hmpps/cas3';
import { fromReleaseDatesChanged, type ReleaseDatesChanged } from './hmpps/release-dates';
import type { AccommodationTold } from '#domain/release-facts';
import { fromHmpps } from './hmpps/to-custody-event';
import { fieldErrors, type FieldError } from './validation';
import type { RecordableEvent } from './recordable-event';

export type { Movement, MovementOnly, RecordableEvent } from './recordable-event';

export type ParsedMessage =
  | { ok: true; event: RecordableEvent | AccommodationTold | ReleaseDatesChanged; source: string }
  | { ok: false; errors: FieldError[] };

/** `idKey`: the deployment's identifier key, which derives the ids of HMPPS events (they carry none). */
export function parseCustodyMessage(body: string, idKey: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {
      ok: false,
      errors: [{ path: '', expected: 'a JSON object (the message body is not valid JSON)' }],
    };
  }
  return parseCustodyPayload(json, idKey);
}

export function parseCustodyPayload(json: unknown, idKey: string): ParsedMessage {
  const unwrapped = unwrapSns(json);
  if (!unwrapped.ok) return unwrapped;
  const via = unwrapped.via ? ` via ${unwrapped.via}` : '';
  const prefix = unwrapped.via ? 'Message.' : '';

  if (!isObject(unwrapped.payload))
    return {
      ok: false,
      errors: [
        {
          path: unwrapped.via ? 'Message' : '',
          expected: 'a JSON object (a custody event or an HMPPS domain event)',
        },
      ],
    };
  // Through SNS, the `eventType` message attribute says what the message is (HMPPS's listeners read it too).
  const attribute = unwrapped.eventType;
  if (attribute !== undefined && !hmppsTypes.includes(attribute)) {
    return {
      ok: false,
      errors: [
        {
          path: 'MessageAttributes.eventType',
          expected: `one of the HMPPS event types Gatehouse subscribes to (${hmppsTypes.join(', ')}); got ${attribute}`,
        },
      ],
    };
  }
  if (attribute !== undefined || looksLikeHmpps(unwrapped.payload)) {
    const parsed = hmppsDomainEvent.safeParse(unwrapped.payload);
    if (!parsed.success) return { ok: false, errors: prefixed(fieldErrors(parsed.error), prefix) };
    if (attribute !== undefined && parsed.data.eventType !== attribute) {
      return {
        ok: false,
        errors: [
          {
            path: `${prefix}eventType`,
            expected: `the event type the SNS attribute names (${attribute}); the message says ${parsed.data.eventType}`,
          },
        ],
      };
    }
    const source = `hmpps:${parsed.data.eventType}${via}`;
    const data = parsed.data;
    if (data.eventType === hmppsEventTypes.releaseDatesChanged)
      return { ok: true, event: fromReleaseDatesChanged(data, idKey), source };
    if (
      data.eventType === hmppsEventTypes.cas3BookingConfirmed ||
      data.eventType === hmppsEventTypes.cas3PersonArrived
    )
      return { ok: true, event: fromCas3(data, idKey), source };
    return { ok: true, event: fromHmpps(data, idKey), source };
  }
  const parsed = custodyEventV1.safeParse(unwrapped.payload);
  if (!parsed.success) return { ok: false, errors: prefixed(fieldErrors(parsed.error), prefix) };
  return { ok: true, event: custodyFactOf(parsed.data), source: `gatehouse.v1${via}` };
}

type Unwrapped =
  | { ok: true; payload: unknown; via?: string; eventType?: string }
  | { ok: false; errors: FieldError[] };

/**
 * The parts of an SNS notification (as SNS delivers it to SQS) Gatehouse reads, as Powertools defines them: the
 * Message, a JSON string (parsed here), and the message attributes ({ Type, Value }). Its ids, signature and topic
 * are not read, so a notification is not refused for leaving them out (the local runtime and producers' tests do).
 */
const snsNotification = SnsSqsNotificationSchema.pick({
  Type: true,
  Message: true,
  MessageAttributes: true,
}).extend({ Message: JSONStringified(z.unknown()) });

function unwrapSns(json: unknown): Unwrapped {
  if (!isObject(json) || json.Type !== 'Notification') return { ok: true, payload: json };
  const parsed = snsNotification.safeParse(json);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(snsError) };
  const eventType = parsed.data.MessageAttributes?.eventType?.Value;
  return {
    ok: true,
    payload: parsed.data.Message,
    via: 'sns',
    ...(eventType !== undefined ? { eventType } : {}),
  };
}

/** What was wrong with the notification, in the words a producer acts on. */
function snsError(issue: z.core.$ZodIssue): FieldError {
  const path = issue.path.map(String).join('.');
  if (path === 'Message')
    return {
      path,
      expected:
        issue.code === 'invalid_type'
          ? 'the SNS notification to carry the event as a JSON string'
          : 'the SNS Message to be valid JSON',
    };
  return { path, expected: 'SNS message attributes, each as { "Type": string, "Value": string }' };
}

/** Inside an SNS notification the path starts at `Message.`, so a producer can find the field. */
function prefixed(errors: FieldError[], prefix: string): FieldError[] {
  return prefix
    ? errors.map((e) => ({ ...e, path: e.path ? `${prefix}${e.path}` : prefix.slice(0, -1) }))
    : errors;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
