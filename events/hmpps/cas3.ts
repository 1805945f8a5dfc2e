/**
 * CAS3 (Transitional Accommodation) events → the accommodation Gatehouse records for the person's release: a bed
 * booked and confirmed, or the person arrived there, is accommodation on night 1 (`CAS3`). The event says when;
 * the id is derived like every HMPPS event's (no prison number in it).
 */
import type * as z from 'zod';
import type { AccommodationTold } from '#domain/release-facts';
import { type hmppsCas3BookingConfirmed, type hmppsCas3PersonArrived, hmppsEventTypes } from './domain-event';
import { hmppsEventId } from './to-custody-event';

type Cas3Event = z.infer<typeof hmppsCas3BookingConfirmed> | z.infer<typeof hmppsCas3PersonArrived>;

export function fromCas3(event: Cas3Event, idKey: string): AccommodationTold {
  const noms = event.personReference.identifiers.find((i) => i.type === 'NOMS')!.value;
  const crn = event.personReference.identifiers.find((i) => i.type === 'CRN')?.value;
  return {
    eventId: hmppsEventId(event.eventType, noms, event.occurredAt, idKey),
    eventType: 'accommodation.recorded',
    occurredAt: event.occurredAt,
    prisonId: '',
    person: { prisonNumber: noms, ...(crn && /^[A-Z][0-9]{6}$/.test(crn) ? { crn } : {}) },
    accommodation: 'CAS3',
    source: 'cas3',
    how:
      event.eventType === hmppsEventTypes.cas3PersonArrived
        ? 'CAS3: the person arrived at the premises'
        : 'CAS3: booking confirmed',
  };
}
