/**
 * Ask HMPPS again for the facts of a release that is waiting for them (the sweeper, every minute).
 *
 * 1. Load the person; the case whose `factsRecheckAt` has come (else nothing to do: another sweep did it).
 * 2. Fetch again, as at the release (fetch-release-facts.ts).
 * 3. Record the fetch as the release's next `release.facts` (its number in the id), through the record use
 *    case: the case is derived again, and alerts as the rules say. Complete: the case alerts on the facts.
 *    Still incomplete at `factsDueBy`: it alerts on what it knows, the message naming what could not be
 *    fetched. Facts that come later still update the case, and an alert whose recipients they change goes out.
 * Exactly once: two sweeps at once compute the same fetch number, hence the same event id; one is a duplicate.
 */
import { factsFetchOf, defaultFactsWait, type FactsFetch } from '#domain/release-facts';
import {
  recordCustodyEvent,
  releaseCircumstances,
  type RecordDependencies,
  type RecordResult,
} from './record-custody-event';

export type RecheckDependencies = RecordDependencies & Required<Pick<RecordDependencies, 'releaseFacts'>>;

export type RecheckResult = { outcome: 'not-due' } | (RecordResult & { outcome: 'recorded' | 'duplicate' });

export async function recheckReleaseFacts(
  prisonNumber: string,
  deps: RecheckDependencies,
): Promise<RecheckResult> {
  const person = await deps.store.loadPerson(prisonNumber);
  const now = deps.clock();
  const c = person?.cases.find(
    (x) => x.factsRecheckAt !== undefined && Date.parse(x.factsRecheckAt) <= now.getTime(),
  );
  if (!person || !c?.releasedAt) return { outcome: 'not-due' };
  const inCase = new Set(c.events.map((e) => e.eventId));
  const fetches = (person.facts ?? []).filter(
    (f): f is FactsFetch => f.eventType === 'release.facts' && inCase.has(f.eventId),
  );
  const first = fetches[0];
  const release = first && (person.facts ?? []).find((f) => f.eventId === first.forEventId);
  if (!first || !release || release.eventType !== 'prisoner.released') return { outcome: 'not-due' };

  const code = person.movements?.find((m) => m.eventId === release.eventId)?.code;
  const result = await deps.releaseFacts(prisonNumber, releaseCircumstances(c, code));
  const fetch = factsFetchOf(
    {
      eventId: release.eventId,
      occurredAt: release.occurredAt,
      prisonId: release.prisonId,
      prisonNumber,
      releasedAt: c.releasedAt,
    },
    fetches.length + 1,
    result,
    deps.clock().toISOString(),
    first.dueBy,
    deps.factsWait ?? defaultFactsWait,
  );
  const recorded = await recordCustodyEvent(fetch, 'hmpps-apis', deps);
  return recorded as RecheckResult;
}
