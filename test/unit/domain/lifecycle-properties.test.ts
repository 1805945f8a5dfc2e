/**
 * Arrival order must not matter: every order of the same events gives the same cases and the same counter
 * totals. (Counters are the difference of the person's contribution before and after each event, so their
 * totals are order-independent exactly when the final cases are.) The events are recorded by the real use case
 * on in-memory ports (its ledger, its counter arithmetic), not by a re-implementation of it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordableEvent } from '#events/custody-message';
import { canonical, type PersonReleases } from '#domain/release-case';
import { cancelled, hmppsRecordable, released, rescheduled, scheduled } from '#test-support/custody-events';
import { inMemoryGatehouse } from '#test-support/in-memory/world';

const homeless = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'NO_FIXED_ABODE',
  aftercarePlan: 'NONE',
  needs: ['HEALTH', 'DRUGS_AND_ALCOHOL'],
} satisfies Parameters<typeof scheduled>[3];

/** One person's year: a schedule, its changes, the release reported three ways, a return, the next release. */
const events: RecordableEvent[] = [
  cancelled('c0', '2026-11-15T09:00:00Z', '2026-11-19'), // stale: older than the schedule
  scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-19', homeless),
  hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-17T09:00:00+00:00', {
    reason: 'SENT_TO_COURT',
  }),
  rescheduled('s2', '2026-11-18T09:00:00Z', '2026-11-20', '2026-11-19', { accommodation: 'CAS3' }),
  released('r1', '2026-11-20T16:40:00Z', { reason: 'CONDITIONAL_RELEASE' }, '2026-11-20T16:41:00Z'),
  released('r1-again', '2026-11-20T16:40:00Z', { reason: 'CONDITIONAL_RELEASE' }, '2026-11-20T16:41:00Z'), // a duplicate with a different id
  hmppsRecordable('prisoner-offender-search.prisoner.released', '2026-11-20T16:40:00Z'),
  hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00'),
  cancelled('c1', '2026-11-21T09:00:00Z', '2026-11-20'), // after the release: the release stands
  hmppsRecordable('prison-offender-events.prisoner.received', '2026-12-10T11:00:00Z', {
    reason: 'ADMISSION',
  }),
  hmppsRecordable('prison-offender-events.prisoner.released', '2027-01-05T10:00:00Z', { reason: 'UNKNOWN' }),
  scheduled('s3', '2027-01-04T09:00:00Z', '2027-02-01', {
    destinationLocalAuthority: 'E06000047',
    accommodation: 'SETTLED',
    aftercarePlan: 'IN_PLACE',
  }),
  released('r2', '2027-02-01T10:00:00Z'),
];

interface Outcome {
  state: string;
  totals: Record<string, number>;
}

/**
 * Records events in this order with the record use case, as Gatehouse would on the morning of the last release
 * (so the older events are too late to page anyone), and sums what it wrote to the counters. Alerts are history
 * (which release raised which depends on what was known then), so their family is left out.
 */
async function playAll(order: RecordableEvent[]): Promise<Outcome> {
  const g = inMemoryGatehouse({ start: '2027-02-01T12:00:00Z' });
  for (const event of order) await g.record(event);
  const person = await g.ports.releases.loadPerson('A1234BC');
  const totals: Record<string, number> = {};
  for (const [item, counts] of g.tables.counterItems) {
    if (item.startsWith('alerts#')) continue;
    for (const [name, n] of Object.entries(counts)) if (n !== 0) totals[`${item}|${name}`] = n;
  }
  return {
    state: canonical(stateOf(person!)),
    totals: Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Case references are random and the alerts sent are history; everything else is state. */
function stateOf(person: PersonReleases) {
  return {
    cases: person.cases.map(({ caseRef: _ref, alertKeys: _alerts, ...rest }) => rest),
    facts: [...(person.facts ?? [])].sort((a, b) => a.eventId.localeCompare(b.eventId)),
    movements: person.movements,
    lastReceivedAt: person.lastReceivedAt,
  };
}

const byOccurrence = (list: RecordableEvent[]) =>
  [...list].sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.eventId.localeCompare(b.eventId),
  );

describe('arrival order (fast-check)', () => {
  it('gives every order of the whole set the same cases and counter totals as the order they occurred in', async () => {
    const expected = await playAll(byOccurrence(events));
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        async (order) => {
          expect(await playAll(order)).toEqual(expected);
        },
      ),
      { numRuns: 50 }, // each run records the whole set with the real use case: half the runs of the re-implementation it replaced keep the suite fast
    );
  }, 30_000); // each run replays the whole set; a loaded CI machine must not turn that into a failure

  it('gives every order of any subset the same result, with repeats delivered again at random', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: 1 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (subset, repeats) => {
          const withRepeats = [...subset];
          for (const r of repeats)
            withRepeats.splice(r % (withRepeats.length + 1), 0, subset[r % subset.length]!);
          expect(await playAll(withRepeats)).toEqual(await playAll(byOccurrence(subset)));
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);

  it('ends the year with the right two releases: the first planned and returned, the second planned', async () => {
    const person = JSON.parse((await playAll(byOccurrence(events))).state) as ReturnType<typeof stateOf>;
    expect(
      person.cases.map((c) => [
        c.status,
        c.classification.flags.unplanned,
        new Date(c.releasedAt!).toISOString(),
      ]),
    ).toEqual([
      ['RELEASED', false, '2027-02-01T10:00:00.000Z'],
      ['RETURNED', false, '2026-11-20T16:40:00.000Z'],
    ]);
    expect(person.movements!.map((m) => [m.reason, m.reviewNeeded])).toContainEqual(['UNKNOWN', true]);
  });

  it('counts the first release once, by its area, and each movement once', async () => {
    const { totals } = await playAll(byOccurrence(events));
    expect(totals['releases#la=E06000005#prison=DMI|2026-11-20|total']).toBe(1);
    expect(totals['releases#la=E06000005#prison=DMI|2026-11-20|accommodation.CAS3']).toBe(1);
    expect(totals['releases#la=E06000047#prison=DMI|2027-02-01|total']).toBe(1);
    expect(totals['movements#la=UNKNOWN#prison=DMI|2026-11-20|kind.RELEASE']).toBe(1);
    expect(totals['movements#la=UNKNOWN#prison=DMI|2026-11-20|release.CONDITIONAL_RELEASE']).toBe(1);
    expect(totals['movements#la=UNKNOWN#prison=DMI|2026-11-20|kind.UNCONFIRMED_RELEASE']).toBe(1);
    expect(totals['movements#la=UNKNOWN#prison=DMI|2026-11-17|kind.COURT_OUT']).toBe(1);
    expect(totals['movements#la=UNKNOWN#prison=DMI|2026-12-10|kind.ADMISSION']).toBe(1);
    expect(totals['movements#la=UNKNOWN#prison=DMI|2027-01-05|reviewNeeded']).toBe(1);
  });
});
