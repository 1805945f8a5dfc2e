/**
 * HMPPS domain events as they arrive from the `hmpps-domain-events` SNS topic (ministryofjustice/hmpps-domain-events,
 * `spec/schemas/prison-offender-events/prisoner.released.yaml` and friends). Only the three event types
 * Gatehouse subscribes to are accepted; the envelope is open to fields HMPPS may add later (a new field must not
 * park our events in a dead-letter queue), but every field Gatehouse reads is checked.
 */
import * as z from 'zod';
import {
  dischargeReasons,
  hmppsReceiveReasons,
  hmppsReleaseReasons,
  movementEvents,
} from '#domain/movements';
import { instant, prisonNumber } from '#events/custody-event';

// The movement event types and their reasons are the domain's words (functions/domain/movements.ts, the movement table).
export { dischargeReasons, hmppsReceiveReasons, hmppsReleaseReasons };
export type { HmppsReceiveReason, HmppsReleaseReason } from '#domain/movements';

export const hmppsEventTypes = {
  ...movementEvents,
  /** hmpps-approved-premises-api (CAS3, Transitional Accommodation): a bed booked and confirmed; a person arrived. */
  cas3BookingConfirmed: 'accommodation.cas3.booking.confirmed',
  cas3PersonArrived: 'accommodation.cas3.person.arrived',
  /** calculate-release-dates-api: a prisoner's release dates were calculated again (the event carries no dates). */
  releaseDatesChanged: 'calculate-release-dates.prisoner.changed',
} as const;

/** Every HMPPS type Gatehouse subscribes to (the SNS filter policy lists exactly these). */
export const hmppsTypes: readonly string[] = Object.values(hmppsEventTypes);

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
  details: z
    .string()
    .max(1000)
    .optional()
    .describe('Free text; HMPPS says not to rely on it, and Gatehouse does not'),
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
  additionalInformation: z.looseObject({
    nomsNumber: prisonNumber,
    prisonId: hmppsPrisonId,
    reason: z.string().min(1).max(80).optional(),
  }),
});

/**
 * CAS3's events (hmpps-approved-premises-api cas3 DomainEventService: `SnsEvent`): the person by CRN and, when
 * known, NOMS number; `additionalInformation` holds the application and booking ids. Gatehouse keys people by
 * prison number, so an event without a NOMS identifier cannot be placed and is refused with that reason.
 */
const cas3Envelope = {
  ...envelope,
  personReference: personReference.refine(
    (ref) => ref.identifiers.some((i) => i.type === 'NOMS' && prisonNumber.safeParse(i.value).success),
    {
      message:
        'a NOMS identifier holding a prison number (CAS3 sends one only when the person has one; Gatehouse keys people by it)',
      path: ['identifiers'],
    },
  ),
  additionalInformation: z
    .looseObject({ applicationId: z.string().optional(), bookingId: z.string().optional() })
    .optional(),
};

export const hmppsCas3BookingConfirmed = z.looseObject({
  ...cas3Envelope,
  eventType: z.literal(hmppsEventTypes.cas3BookingConfirmed),
});
export const hmppsCas3PersonArrived = z.looseObject({
  ...cas3Envelope,
  eventType: z.literal(hmppsEventTypes.cas3PersonArrived),
});

/** calculate-release-dates-api `publishReleaseDateChange`: `additionalInformation` {prisonerId, bookingId}. */
export const hmppsReleaseDatesChanged = z.looseObject({
  ...envelope,
  eventType: z.literal(hmppsEventTypes.releaseDatesChanged),
  additionalInformation: z.looseObject({ prisonerId: prisonNumber, bookingId: z.number().int().optional() }),
});

export const hmppsDomainEvent = z.discriminatedUnion('eventType', [
  hmppsReleaseDatesChanged,
  hmppsPrisonerReleased,
  hmppsPrisonerReceived,
  hmppsPrisonerReleasedUnconfirmed,
  hmppsCas3BookingConfirmed,
  hmppsCas3PersonArrived,
]);

export type HmppsDomainEvent = z.infer<typeof hmppsDomainEvent>;

/**
 * True when a bare payload (no SNS envelope to say) is an HMPPS domain event: its eventType is one Gatehouse
 * subscribes to, or it has HMPPS's envelope fields. Through SNS the `eventType` message attribute decides instead,
 * as HMPPS's own listeners do (custody-message.ts).
 */
export function looksLikeHmpps(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const { eventType, additionalInformation, personReference } = payload as Record<string, unknown>;
  return (
    (typeof eventType === 'string' && hmppsTypes.includes(eventType)) ||
    additionalInformation !== undefined ||
    personReference !== undefined
  );
}
