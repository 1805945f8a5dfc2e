import { alertsForRelease } from '#domain/alert-policy';
import { parseRoutingConfig } from '#domain/routing';
import { localRouting } from '#local/routing';
import { describe, expect, it } from 'vitest';
import type { RecordableEvent } from '#events/custody-message';
import { englandAndWales } from '#domain/calendar';
import { defaultScope } from '#domain/scope';
import { applyCustodyEvent, type LifecycleContext, type PersonReleases } from '#domain/release-case';
import { defaultFactsWait, factsFetchOf } from '#domain/release-facts';
import {
  cancelled,
  hmppsRecordable,
  received,
  released,
  rescheduled,
  scheduled,
} from '#test-support/custody-events';

let refs = 0;
const ctx: LifecycleContext = {
  rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
  scheduleWindowDays: 2,
  scope: defaultScope,
  newCaseRef: () => `GH-TEST-${++refs}`,
};

function play(...events: RecordableEvent[]): PersonReleases {
  let person: PersonReleases | undefined;
  for (const event of events) person = applyCustodyEvent(person, event, ctx).after;
  return person!;
}

const housed = {
  destinationLocalAuthority: 'E06000047',
  accommodation: 'SETTLED',
  aftercarePlan: 'IN_PLACE',
} as const;
const homeless = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'NO_FIXED_ABODE',
  aftercarePlan: 'NONE',
} as const;

describe('the release lifecycle: scheduled → rescheduled* → released | cancelled; released → received back', () => {
  it('opens a SCHEDULED case classified on its scheduled date, told in the future tense', () => {
    const person = play(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', homeless));
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({
      status: 'SCHEDULED',
      scheduledFor: '2026-11-20',
      classification: { date: '2026-11-20', urgency: 'HIGH' },
    });
    expect(person.cases[0]!.classification.reasons).toEqual([
      'Due for release on the last working day before the weekend',
      'No fixed abode arranged for release, or accommodation not known',
      'No aftercare plan in place',
    ]);
  });

  it('moves the date on a reschedule and classifies again on the new date', () => {
    const person = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-19', homeless),
      rescheduled('s2', '2026-11-17T09:00:00Z', '2026-12-24', '2026-11-19'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({ status: 'SCHEDULED', scheduledFor: '2026-12-24' });
    expect(person.cases[0]!.classification.reasons).toContain(
      'Due for release on the last working day before a bank holiday (Christmas Day)',
    );
  });

  it('cancels a schedule, and a later schedule opens it again', () => {
    const cancelledCase = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-19'),
      cancelled('c1', '2026-11-17T09:00:00Z', '2026-11-19'),
    );
    expect(cancelledCase.cases[0]!.status).toBe('CANCELLED');
    const again = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-19'),
      cancelled('c1', '2026-11-17T09:00:00Z', '2026-11-19'),
      scheduled('s2', '2026-11-18T09:00:00Z', '2026-11-26'),
    );
    expect(again.cases).toHaveLength(1);
    expect(again.cases[0]).toMatchObject({ status: 'SCHEDULED', scheduledFor: '2026-11-26' });
  });

  it('ignores a cancellation older than the newest schedule', () => {
    const person = play(
      scheduled('s2', '2026-11-18T09:00:00Z', '2026-11-26'),
      cancelled('c1', '2026-11-17T09:00:00Z', '2026-11-19'),
    );
    expect(person.cases[0]).toMatchObject({ status: 'SCHEDULED', scheduledFor: '2026-11-26' });
  });

  it('makes a release within two days of the schedule planned and classifies it again on the actual time', () => {
    const person = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-19', housed),
      released('r1', '2026-11-20T16:40:00Z'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({
      status: 'RELEASED',
      scheduledFor: '2026-11-19',
      classification: {
        date: '2026-11-20',
        time: '16:40',
        flags: { unplanned: false, lateWeek: true, lateDay: true },
      },
    });
    expect(person.cases[0]!.classification.reasons).toContain(
      'Released on the last working day before the weekend',
    );
  });

  it('makes a release with no schedule on record unplanned', () => {
    const person = play(released('r1', '2026-11-20T16:40:00Z', homeless));
    expect(person.cases[0]).toMatchObject({
      status: 'RELEASED',
      classification: { urgency: 'CRITICAL', flags: { unplanned: true } },
    });
  });

  it('makes a release far from the pending schedule unplanned, and ends that schedule', () => {
    const person = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-12-15', housed),
      released('r1', '2026-11-20T16:40:00Z'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({
      status: 'RELEASED',
      classification: { flags: { unplanned: true } },
    });
  });

  it('makes a release after a cancellation unplanned', () => {
    const person = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20'),
      cancelled('c1', '2026-11-17T09:00:00Z', '2026-11-20'),
      released('r1', '2026-11-20T16:40:00Z'),
    );
    expect(person.cases[0]).toMatchObject({
      status: 'RELEASED',
      classification: { flags: { unplanned: true } },
    });
  });

  it('lets a release stand when a cancellation made after it arrives', () => {
    const person = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20'),
      released('r1', '2026-11-20T10:00:00Z'),
      cancelled('c1', '2026-11-20T12:00:00Z', '2026-11-20'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({
      status: 'RELEASED',
      classification: { flags: { unplanned: false } },
    });
  });

  it('takes the producer at its word when it says planned or unplanned', () => {
    expect(
      play(released('r1', '2026-11-20T10:00:00Z', { type: 'planned' })).cases[0]!.classification.flags
        .unplanned,
    ).toBe(false);
    expect(
      play(
        scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20'),
        released('r1', '2026-11-20T10:00:00Z', { type: 'unplanned' }),
      ).cases[0]!.classification.flags.unplanned,
    ).toBe(true);
  });

  it('closes a released case when the person is received back, and opens a new case for the next release', () => {
    const back = play(released('r1', '2026-11-20T10:00:00Z'), received('b1', '2026-11-25T10:00:00Z'));
    expect(back.cases[0]).toMatchObject({ status: 'RETURNED', returnedAt: '2026-11-25T10:00:00Z' });
    const next = play(
      released('r1', '2026-11-20T10:00:00Z'),
      received('b1', '2026-11-25T10:00:00Z'),
      scheduled('s2', '2027-01-04T09:00:00Z', '2027-02-01'),
    );
    expect(next.cases.map((c) => c.status)).toEqual(['SCHEDULED', 'RETURNED']);
  });

  it('leaves a reception before any release alone: the person was in custody already', () => {
    const person = play(
      received('b0', '2026-10-01T10:00:00Z'),
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]!.status).toBe('SCHEDULED');
    expect(person.lastReceivedAt).toBe('2026-10-01T10:00:00Z');
  });

  it('closes a release reported after the person was already received back', () => {
    const person = play(received('b1', '2026-11-25T10:00:00Z'), released('r1', '2026-11-20T10:00:00Z'));
    expect(person.cases[0]).toMatchObject({ status: 'RETURNED' });
  });

  it('compares instants, not strings: 16:40+01:00 is before 16:00Z', () => {
    const person = play(released('r1', '2026-06-05T16:40:00+01:00'), released('r2', '2026-06-05T16:00:00Z'));
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]!.releasedAt).toBe('2026-06-05T16:40:00+01:00');
  });
});

describe('events out of order', () => {
  const schedule = scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-19', homeless);
  const release = released(
    'r1',
    '2026-11-20T16:40:00Z',
    { reason: 'CONDITIONAL_RELEASE' },
    '2026-11-20T16:41:00Z',
  );

  it('gives a release that arrives before its schedule the same case as the other way round', () => {
    const inOrder = play(schedule, release).cases[0]!;
    const reversed = play(release, schedule).cases[0]!;
    // The alerts sent are history, not state: the release alone looked CRITICAL for an area not yet known.
    expect({ ...reversed, caseRef: '', alertKeys: [] }).toEqual({ ...inOrder, caseRef: '', alertKeys: [] });
    expect(reversed.classification.flags.unplanned).toBe(false);
  });

  it('joins a reschedule that arrives after the release to the released case', () => {
    const person = play(
      schedule,
      release,
      rescheduled('s2', '2026-11-18T09:00:00Z', '2026-11-20', '2026-11-19'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({ status: 'RELEASED', scheduledFor: '2026-11-20' });
  });

  it('treats the same release sent twice under different ids as one release, at the earlier time', () => {
    const person = play(
      release,
      released('other-id', '2026-11-20T16:45:00Z', { reason: 'CONDITIONAL_RELEASE' }, '2026-11-20T16:50:00Z'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]!.releasedAt).toBe('2026-11-20T16:40:00Z');
    expect(person.cases[0]!.events.map((e) => e.eventId)).toEqual(['r1', 'other-id']);
  });

  it('takes each circumstance from the newest event that said anything about it', () => {
    const person = play(
      released('r1', '2026-11-20T16:40:00Z', { accommodation: 'CAS3' }, '2026-11-20T17:00:00Z'),
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', { ...homeless, needs: ['HEALTH'] }),
    );
    expect(person.cases[0]!.circumstances).toMatchObject({
      accommodation: 'CAS3',
      destinationLocalAuthority: 'E06000005',
      aftercarePlan: 'NONE',
      needs: ['HEALTH'],
    });
  });
});

describe('HMPPS movements', () => {
  it('turns an HMPPS release into a release that keeps the destination and accommodation the schedule gave', () => {
    const person = play(
      scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', homeless),
      hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00Z'),
    );
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0]).toMatchObject({
      status: 'RELEASED',
      circumstances: { ...homeless, reason: 'CONDITIONAL_RELEASE' },
      classification: { flags: { unplanned: false } },
    });
    expect(person.movements).toMatchObject([{ reason: 'RELEASED', reviewNeeded: false }]);
  });

  it.each(['TEMPORARY_ABSENCE_RELEASE', 'SENT_TO_COURT', 'TRANSFERRED'])(
    'records a %s movement without opening a case or raising an alert',
    (reason) => {
      const t = applyCustodyEvent(
        undefined,
        hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00Z', { reason }),
        ctx,
      );
      expect(t).toMatchObject({
        outcome: 'movement',
        after: { cases: [], movements: [{ reason, reviewNeeded: false }] },
      });
    },
  );

  it('records an UNKNOWN movement for review, with no case', () => {
    const t = applyCustodyEvent(
      undefined,
      hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00Z', {
        reason: 'UNKNOWN',
      }),
      ctx,
    );
    expect(t).toMatchObject({
      outcome: 'movement',
      after: { cases: [], movements: [{ reason: 'UNKNOWN', reviewNeeded: true }] },
    });
    expect(t.caseAfter).toBeUndefined();
  });

  it('never acts on the unconfirmed release from prisoner search', () => {
    const t = applyCustodyEvent(
      undefined,
      hmppsRecordable('prisoner-offender-search.prisoner.released', '2026-11-20T16:40:00Z'),
      ctx,
    );
    expect(t).toMatchObject({ outcome: 'movement', after: { cases: [] } });
    expect(t.caseAfter).toBeUndefined();
  });

  it('closes an open case when HMPPS says the person was received back', () => {
    const person = play(
      released('r1', '2026-11-20T10:00:00Z'),
      hmppsRecordable('prison-offender-events.prisoner.received', '2026-11-27T10:00:00Z', {
        reason: 'ADMISSION',
      }),
    );
    expect(person.cases[0]).toMatchObject({ status: 'RETURNED', returnedAt: '2026-11-27T10:00:00Z' });
  });

  it('raises the CRITICAL alert for an HMPPS release of someone the schedule said had nowhere to go', () => {
    const t = applyCustodyEvent(
      play(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-22', homeless)),
      hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-21T10:00:00Z'),
      ctx,
    );
    // The merged case (area and accommodation from the schedule, time from HMPPS) is what the alert policy sees.
    expect(alertsForRelease(t.caseAfter!, 'A1234BC', parseRoutingConfig(localRouting)).raised).toContainEqual(
      expect.objectContaining({ kind: 'CRITICAL_RELEASE', localAuthority: 'E06000005' }),
    );
  });
});

describe('where each fact of a case came from', () => {
  const fetchedNeeds = (release: { eventId: string; occurredAt: string; releasedAt: string }) =>
    factsFetchOf(
      { ...release, prisonId: 'DMI', prisonNumber: 'A1234BC' },
      1,
      {
        facts: {
          needs: { value: ['HEALTH'], source: 'resettlement-passport', at: '2026-11-20T15:31:00Z' },
        },
        sources: {
          prisonerSearch: { outcome: 'ok' },
          probation: { outcome: 'ok' },
          resettlementPassport: { outcome: 'ok' },
          cas3: { outcome: 'ok' },
        },
        complete: true,
        missing: [],
      },
      '2026-11-20T15:31:00Z',
      '2026-11-20T15:41:00Z',
      defaultFactsWait,
    );

  it("says a partner's release-schedule file told the destination, and a Gatehouse event what it told", () => {
    const release = released('r1', '2026-11-20T15:30:00Z');
    const fetch = fetchedNeeds({
      eventId: 'r1',
      occurredAt: release.occurredAt,
      releasedAt: release.occurredAt,
    });
    const fromFile = {
      ...scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', housed),
      toldBy: 'partner-file' as const,
    };
    const byFile = applyCustodyEvent(play(fromFile), release, ctx, [fetch]).caseAfter!;
    expect(byFile.facts?.destinationLocalAuthority).toEqual({
      value: 'E06000047',
      source: 'partner-file',
      at: '2026-11-16T09:00:00Z',
    });
    expect(byFile.facts?.needs).toMatchObject({ value: ['HEALTH'], source: 'resettlement-passport' });

    const byEvent = applyCustodyEvent(
      play(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', housed)),
      release,
      ctx,
      [fetch],
    ).caseAfter!;
    expect(byEvent.facts?.destinationLocalAuthority).toMatchObject({
      value: 'E06000047',
      source: 'gatehouse-event',
    });
  });
});
