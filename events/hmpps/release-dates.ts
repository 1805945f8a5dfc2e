/**
 * calculate-release-dates.prisoner.changed → a request to re-read the person's release dates. The event says only
 * that they changed, not to what, so the record use case asks Prisoner Search (use-cases/reread-release-dates.ts).
 */
import type * as z from 'zod';
import type { hmppsReleaseDatesChanged } from './domain-event';
import { hmppsEventId } from './to-custody-event';

export interface ReleaseDatesChanged {
  eventId: string;
  eventType: 'release.dates-changed';
  occurredAt: string;
  person: { prisonNumber: string };
}

export function fromReleaseDatesChanged(
  event: z.infer<typeof hmppsReleaseDatesChanged>,
  idKey: string,
): ReleaseDatesChanged {
  const prisonNumber = event.additionalInformation.prisonerId;
  return {
    eventId: hmppsEventId(event.eventType, prisonNumber, event.occurredAt, idKey),
    eventType: 'release.dates-changed',
    occurredAt: event.occurredAt,
    person: { prisonNumber },
  };
}
