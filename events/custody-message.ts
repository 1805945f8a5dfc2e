/**
 * Everything the custody-events queue accepts, turned into custody events v1:
 * a Gatehouse custody event, or the same wrapped in an SNS notification (as SNS delivers to SQS).
 */
import { custodyEventV1, type CustodyEvent } from './custody-event';
import { fieldErrors, type FieldError } from './validation';

export type ParsedMessage =
  | { ok: true; event: CustodyEvent; source: string }
  | { ok: false; errors: FieldError[] };

export function parseCustodyMessage(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, errors: [{ path: '', expected: 'a JSON object (the message body is not valid JSON)' }] };
  }
  return parseCustodyPayload(json);
}

export function parseCustodyPayload(json: unknown): ParsedMessage {
  const unwrapped = unwrapSns(json);
  if (!unwrapped.ok) return unwrapped;
  const parsed = custodyEventV1.safeParse(unwrapped.payload);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, event: parsed.data, source: unwrapped.via ? `gatehouse.v1 via ${unwrapped.via}` : 'gatehouse.v1' };
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
