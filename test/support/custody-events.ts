/** Custody events v1 and HMPPS domain events for lifecycle tests: one person, terse builders. */
import type { CustodyEvent } from '#events/custody-event';
import type { RecordableEvent } from '#events/custody-message';
import { hmppsDomainEvent, type HmppsDomainEvent } from '#events/hmpps/domain-event';
import { fromHmpps } from '#events/hmpps/to-custody-event';

type Of<T extends CustodyEvent['eventType']> = Extract<CustodyEvent, { eventType: T }>;
type Release = Partial<Of<'prisoner.released'>['release']>;

const person = (prisonNumber: string) => ({ prisonNumber });

export function scheduled(
  eventId: string,
  occurredAt: string,
  scheduledFor: string,
  release: Release = {},
  prisonNumber = 'A1234BC',
): Of<'release.scheduled'> {
  return {
    eventId,
    eventType: 'release.scheduled',
    occurredAt,
    prisonId: 'DMI',
    person: person(prisonNumber),
    release: { ...release, scheduledFor } as Of<'release.scheduled'>['release'],
  };
}

export function rescheduled(
  eventId: string,
  occurredAt: string,
  scheduledFor: string,
  previouslyScheduledFor?: string,
  release: Release = {},
  prisonNumber = 'A1234BC',
): Of<'release.rescheduled'> {
  return {
    eventId,
    eventType: 'release.rescheduled',
    occurredAt,
    prisonId: 'DMI',
    person: person(prisonNumber),
    release: {
      ...release,
      scheduledFor,
      ...(previouslyScheduledFor ? { previouslyScheduledFor } : {}),
    } as Of<'release.rescheduled'>['release'],
  };
}

export function cancelled(
  eventId: string,
  occurredAt: string,
  scheduledFor: string,
  prisonNumber = 'A1234BC',
): Of<'release.cancelled'> {
  return {
    eventId,
    eventType: 'release.cancelled',
    occurredAt,
    prisonId: 'DMI',
    person: person(prisonNumber),
    release: { scheduledFor },
  };
}

export function released(
  eventId: string,
  releasedAt: string,
  release: Release = {},
  occurredAt = releasedAt,
  prisonNumber = 'A1234BC',
): Of<'prisoner.released'> {
  return {
    eventId,
    eventType: 'prisoner.released',
    occurredAt,
    prisonId: 'DMI',
    person: person(prisonNumber),
    release: { releasedAt, ...release },
  };
}

export function received(
  eventId: string,
  occurredAt: string,
  prisonNumber = 'A1234BC',
): Of<'prisoner.received'> {
  return {
    eventId,
    eventType: 'prisoner.received',
    occurredAt,
    prisonId: 'DMI',
    person: person(prisonNumber),
    reason: 'ADMISSION',
  };
}

/** An HMPPS domain event exactly as the published schema has it (the payload inside the SNS Message). */
export function hmpps(
  eventType: HmppsDomainEvent['eventType'],
  occurredAt: string,
  additionalInformation: {
    reason?: string;
    nomsNumber?: string;
    prisonId?: string;
    nomisMovementReasonCode?: string;
    details?: string;
    currentLocation?: string;
    currentPrisonStatus?: string;
  } = {},
): Record<string, unknown> {
  const nomsNumber = additionalInformation.nomsNumber ?? 'A1234BC';
  // HMPPS leaves a null field out: a field given as undefined is dropped.
  const given = Object.fromEntries(Object.entries(additionalInformation).filter(([, v]) => v !== undefined));
  return {
    version: 1,
    eventType,
    description: eventType.endsWith('received')
      ? 'A prisoner has been received into prison'
      : 'A prisoner has been released from prison',
    occurredAt,
    publishedAt: occurredAt,
    personReference: { identifiers: [{ type: 'NOMS', value: nomsNumber }] },
    additionalInformation: {
      nomsNumber,
      prisonId: 'DMI',
      reason: 'RELEASED',
      details: 'Movement reason code CR',
      nomisMovementReasonCode: 'CR',
      currentLocation: 'OUTSIDE_PRISON',
      currentPrisonStatus: 'NOT_UNDER_PRISON_CARE',
      ...given,
    },
  };
}

/** An identifier key for tests that derive ids without a running Gatehouse (each running one has its own). */
export const testIdentifierKey = 'test-identifier-key-not-a-secret-000000';

/** The same, as Gatehouse records it. */
export function hmppsRecordable(...args: Parameters<typeof hmpps>): RecordableEvent {
  return fromHmpps(
    hmppsDomainEvent.parse(hmpps(...args)) as Parameters<typeof fromHmpps>[0],
    testIdentifierKey,
  );
}

/** An SNS notification carrying a payload, as SNS delivers it to an SQS queue without raw message delivery. */
export function snsWrapped(payload: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '6f1ba5a2-9ee8-5d5b-9e1c-3c9f1e2f4a10',
    TopicArn: 'arn:aws:sns:eu-west-2:000000000000:hmpps-domain-events',
    Message: JSON.stringify(payload),
    Timestamp: '2026-11-20T16:45:00.000Z',
    SignatureVersion: '1',
    MessageAttributes: { eventType: { Type: 'String', Value: String(payload.eventType) } },
  };
}
