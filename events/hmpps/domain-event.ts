/**
 * HMPPS domain events as they arrive from the `hmpps-domain-events` SNS topic (ministryofjustice/hmpps-domain-events,
 * `spec/schemas/prison-offender-events/prisoner.released.yaml` and friends). Only the three event types
 * Gatehouse subscribes to are accepted; the envelope is open to fields HMPPS may add later (a new field must not
 * park our events in a dead-letter queue), but every field Gatehouse reads is checked.
 */
import * as z from 'zod';
import { dischargeReasons, hmppsReceiveReasons, hmppsReleaseReasons, movementEvents } from '../../functions/domain/movements';
import { instant, prisonNumber } from '../custody-event';

// The event types and their reasons are the domain's words (functions/domain/movements.ts, the movement table).
export { dischargeReasons, hmppsReceiveReasons, hmppsReleaseReasons };
export type { HmppsReceiveReason, HmppsReleaseReason } from '../../functions/domain/movements';
export const hmppsEventTypes = movementEvents;

const hmppsPrisonId = z.string().regex(/^[A-Z]{3}$/, 'a three-letter prison code such as DMI (HMP Durham)');

const personReference = z.looseObject({
  identifiers: z.array(z.looseObject({ type: z.string().min(1), value: z.string().min(1) })),
});

/** The fields every HMPPS domain event carries. */
const envelope = {
  version: z.number().int().positive().describe('HMPPS envelope version (1 today)'),
  description: z.string().max(1000).optional(),
  detailUrl: z.string().max(2000).optional(),
  occurredAt: instant.describe('When the movement happened, London offset, e.g. 2024-10-14T15:09:54+01:00'),
  publishedAt: instant.optional(),
  personReference: personReference.optional(),
};

const movementInformation = {
  nomsNumber: prisonNumber,
  prisonId: hmppsPrisonId,
  details: z.string().max(1000).optional().describe('Free text; HMPPS says not to rely on it, and Gatehouse does not'),
  nomisMovementReasonCode: z.string().max(20).optional(),
  currentLocation: z.enum(['IN_PRISON', 'OUTSIDE_PRISON', 'BEING_TRANSFERRED']).optional(),
  currentPrisonStatus: z.enum(['UNDER_PRISON_CARE', 'NOT_UNDER_PRISON_CARE']).optional(),
};

export const hmppsPrisonerReleased = z.looseObject({
  ...envelope,
  eventType: z.literal(hmppsEventTypes.released),
  additionalInformation: z.looseObject({ ...movementInformation, reason: z.enum(hmppsReleaseReasons) }),
});

export const hmppsPrisonerReceived = z.looseObject({
  ...envelope,
  eventType: z.literal(hmppsEventTypes.received),
  additionalInformation: z.looseObject({ ...movementInformation, reason: z.enum(hmppsReceiveReasons) }),
});

/** The immediate, unconfirmed release from prisoner search: counted, never acted on. */
export const hmppsPrisonerReleasedUnconfirmed = z.looseObject({
  ...envelope,
  eventType: z.literal(hmppsEventTypes.releasedUnconfirmed),
  additionalInformation: z.looseObject({ nomsNumber: prisonNumber, prisonId: hmppsPrisonId, reason: z.string().min(1).max(80).optional() }),
});

export const hmppsDomainEvent = z.discriminatedUnion('eventType', [hmppsPrisonerReleased, hmppsPrisonerReceived, hmppsPrisonerReleasedUnconfirmed]);

export type HmppsDomainEvent = z.infer<typeof hmppsDomainEvent>;

/** True when a payload says it is an HMPPS domain event (its eventType is namespaced by the publisher). */
export function looksLikeHmpps(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const { eventType, additionalInformation } = payload as Record<string, unknown>;
  // Gatehouse's own types have two parts (`prisoner.released`); HMPPS prefixes the publisher (`prison-offender-events.…`).
  return (typeof eventType === 'string' && eventType.split('.').length >= 3) || additionalInformation !== undefined;
}
