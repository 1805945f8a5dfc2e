/**
 * Everything the custody-events queue (and the local `POST /custody-events`) accepts, turned into what
 * Gatehouse records: a Gatehouse custody event v1 or an HMPPS domain event, each bare or wrapped in an SNS
 * notification (as SNS delivers to SQS).
 */
import { custodyEventV1 } from './custody-event';
import { hmppsDomainEvent, looksLikeHmpps } from './hmpps/domain-event';
import { fromHmpps } from './hmpps/to-custody-event';
import { fieldErrors, type FieldError } from './validation';
import type { RecordableEvent } from './recordable-event';

export type { Movement, MovementOnly, RecordableEvent } from './recordable-event';

export type ParsedMessage =
  | { ok: true; event: RecordableEvent; source: string }
  | { ok: false; errors: FieldError[] };

/** `idKey`: the deployment's identifier key, which derives the ids of HMPPS events (they carry none). */
export function parseCustodyMessage(body: string, idKey: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, errors: [{ path: '', expected: 'a JSON object (the message body is not valid JSON)' }] };
  }
  return parseCustodyPayload(json, idKey);
}

export function parseCustodyPayload(json: unknown, idKey: string): ParsedMessage {
  const unwrapped = unwrapSns(json);
  if (!unwrapped.ok) return unwrapped;
  const via = unwrapped.via ? ` via ${unwrapped.via}` : '';
  const prefix = unwrapped.via ? 'Message.' : '';

  if (!isObject(unwrapped.payload)) return { ok: false, errors: [{ path: unwrapped.via ? 'Message' : '', expected: 'a JSON object (a custody event or an HMPPS domain event)' }] };
  if (looksLikeHmpps(unwrapped.payload)) {
    const parsed = hmppsDomainEvent.safeParse(unwrapped.payload);
    if (!parsed.success) return { ok: false, errors: prefixed(fieldErrors(parsed.error), prefix) };
    return { ok: true, event: fromHmpps(parsed.data, idKey), source: `hmpps:${parsed.data.eventType}${via}` };
  }
  const parsed = custodyEventV1.safeParse(unwrapped.payload);
  if (!parsed.success) return { ok: false, errors: prefixed(fieldErrors(parsed.error), prefix) };
  return { ok: true, event: parsed.data, source: `gatehouse.v1${via}` };
}

type Unwrapped = { ok: true; payload: unknown; via?: string } | { ok: false; errors: FieldError[] };

function unwrapSns(json: unknown): Unwrapped {
  if (!isObject(json) || json.Type !== 'Notification') return { ok: true, payload: json };
  if (typeof json.Message !== 'string') return { ok: false, errors: [{ path: 'Message', expected: 'the SNS notification to carry the event as a JSON string' }] };
  try {
    return { ok: true, payload: JSON.parse(json.Message), via: 'sns' };
  } catch {
    return { ok: false, errors: [{ path: 'Message', expected: 'the SNS Message to be valid JSON' }] };
  }
}

/** Inside an SNS notification the path starts at `Message.`, so a producer can find the field. */
function prefixed(errors: FieldError[], prefix: string): FieldError[] {
  return prefix ? errors.map((e) => ({ ...e, path: e.path ? `${prefix}${e.path}` : prefix.slice(0, -1) })) : errors;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
