/**
 * calculate-release-dates.prisoner.changed: the person's release dates were calculated again. The event carries
 * no dates, so:
 * 1. Load the person. Only a release Gatehouse is waiting for (the newest case, SCHEDULED) can move; otherwise
 *    there is nothing to follow (a change for someone Gatehouse has no schedule for is not a schedule).
 * 2. Ask Prisoner Search for the dates on record: the confirmed release date, else the release date.
 * 3. A different date is a reschedule, recorded as `release.rescheduled` with the event's id (exactly once,
 *    through the record use case): the case moves, and the pre-release warning follows the new date.
 * A source that could not answer throws, so the message goes back to the queue and is tried again (then the
 * dead-letter queue): the change is never dropped. A person Prisoner Search does not know is an outcome.
 */
import type { ReleaseDatesChanged } from '#events/hmpps/release-dates';
import type { PrisonerSearchPort } from './release-facts-ports';
import { recordCustodyEvent, type RecordDependencies, type RecordResult } from './record-custody-event';

export type RereadResult =
  | { outcome: 'no-schedule' | 'unchanged' | 'not-found' | 'no-date' }
  | (RecordResult & { rescheduledTo: string });

export async function rereadReleaseDates(
  event: ReleaseDatesChanged,
  source: string,
  deps: RecordDependencies & { prisonerSearch: PrisonerSearchPort },
): Promise<RereadResult> {
  const person = await deps.store.loadPerson(event.person.prisonNumber);
  const current = person?.cases[0];
  if (current?.status !== 'SCHEDULED' || !current.scheduledFor) return { outcome: 'no-schedule' };
  const answer = await deps.prisonerSearch.prisoner(event.person.prisonNumber);
  if (answer.outcome === 'not-found') return { outcome: 'not-found' };
  if (answer.outcome !== 'ok')
    throw new Error(
      `release dates could not be re-read from Prisoner Search (${answer.outcome === 'unavailable' ? answer.cause : answer.outcome}); the message will be retried`,
    );
  const date = answer.value.confirmedReleaseDate ?? answer.value.releaseDate;
  if (!date) return { outcome: 'no-date' };
  if (date === current.scheduledFor) return { outcome: 'unchanged' };
  const recorded = await recordCustodyEvent(
    {
      eventId: event.eventId,
      eventType: 'release.rescheduled',
      occurredAt: event.occurredAt,
      prisonId: answer.value.prisonId ?? current.prisonId,
      person: { prisonNumber: event.person.prisonNumber },
      release: { scheduledFor: date, previouslyScheduledFor: current.scheduledFor },
    },
    source,
    deps,
  );
  return { ...recorded, rescheduledTo: date };
}
