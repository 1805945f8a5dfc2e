/**
 * Whose release it is (scope), when it is too late to page, and what the movement kinds do to a person's cases.
 */
import { describe, expect, it } from 'vitest';
import type { RecordableEvent } from '#events/custody-message';
import { alertAreaFor, alertsForRelease, preReleaseWarning, tooLateToAlert } from '#domain/alert-policy';
import { englandAndWales } from '#domain/calendar';
import { applyCustodyEvent, type LifecycleContext, type PersonReleases } from '#domain/release-case';
import { parseRoutingConfig } from '#domain/routing';
import { defaultScope, parseScope, releaseScope } from '#domain/scope';
import { localRouting } from '#local/routing';
import { hmppsRecordable, released, scheduled } from '#test-support/custody-events';

let refs = 0;
const ctx: LifecycleContext = {
  rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
  scheduleWindowDays: 2,
  scope: defaultScope,
  newCaseRef: () => `GH-W-${++refs}`,
};
const routing = parseRoutingConfig(localRouting);
const hmppsRelease = (at: string, code: string, prisonId = 'DMI') =>
  hmppsRecordable('prison-offender-events.prisoner.released', at, {
    reason: 'RELEASED',
    nomisMovementReasonCode: code,
    prisonId,
  });

function play(...events: RecordableEvent[]): PersonReleases {
  let person: PersonReleases | undefined;
  for (const event of events) person = applyCustodyEvent(person, event, ctx).after;
  return person!;
}

describe('whose release it is', () => {
  it.each([
    ['DMI', 'E06000047', true, 'PARTNERSHIP_AREA'],
    ['SHI', 'E06000005', true, 'PARTNERSHIP_AREA'],
    ['DMI', undefined, true, 'WATCHED_PRISON_AREA_UNKNOWN'],
    ['DMI', 'E08000021', false, 'WATCHED_PRISON_OTHER_AREA'],
    ['WEI', undefined, false, 'NOT_OURS'],
    ['MDI', 'E08000021', false, 'NOT_OURS'],
  ])('a release from %s to %s: ours %s (%s)', (prison, area, ours, whose) => {
    expect(releaseScope(prison, area, defaultScope)).toMatchObject({ ours, whose });
  });

  it('reads the watched prisons and areas from configuration, and refuses a malformed code', () => {
    expect(parseScope('DMI, LNI,HHI', undefined)).toEqual({
      watchedPrisons: ['DMI', 'LNI', 'HHI'],
      partnershipAreas: ['E06000047', 'E06000005'],
    });
    expect(releaseScope('LNI', undefined, parseScope('DMI,LNI', undefined)).ours).toBe(true);
    expect(() => parseScope('Durham', undefined)).toThrow(/'Durham' is not a three-letter prison code/);
    expect(() => parseScope(undefined, 'County Durham')).toThrow(/PARTNERSHIP_AREAS/);
  });

  it('pages nobody for a release from an unwatched prison whose destination nobody knows, and counts it apart', () => {
    const person = play(hmppsRelease('2025-03-14T16:40:00Z', 'CR', 'SHI'));
    const c = person.cases[0]!;
    expect(c).toMatchObject({ status: 'RELEASED', ours: false, whose: 'NOT_OURS' });
    expect(alertsForRelease(c, person.prisonNumber, routing).raised).toEqual([]);
  });

  it("pages the fallback on call for a watched prison's release to an area not known", () => {
    const person = play(hmppsRelease('2025-03-14T16:40:00Z', 'CR'));
    const raised = alertsForRelease(person.cases[0]!, person.prisonNumber, routing).raised;
    expect(raised.map((a) => [a.kind, a.localAuthority])).toEqual([
      ['CRITICAL_RELEASE', 'UNKNOWN'],
      ['REFERRAL', 'UNKNOWN'],
    ]);
  });

  it("tells another area's contacts of a watched prison's release to them only when the routing has them", () => {
    const person = play(
      scheduled('s1', '2025-03-10T09:00:00Z', '2025-03-14', { destinationLocalAuthority: 'E08000021' }),
      hmppsRelease('2025-03-14T16:40:00Z', 'CR'),
    );
    const c = person.cases[0]!;
    expect(c).toMatchObject({ ours: false, whose: 'WATCHED_PRISON_OTHER_AREA' });
    expect(alertAreaFor(c, routing)).toBeUndefined();
    const withNewcastle = parseRoutingConfig({
      ...localRouting,
      areas: {
        ...localRouting.areas,
        E08000021: {
          contacts: [
            {
              id: 'newcastle-housing',
              label: 'Newcastle housing advice',
              channel: 'email',
              address: 'housing@newcastle.example.org',
            },
          ],
          accommodation: ['newcastle-housing'],
        },
      },
    });
    expect(alertAreaFor(c, withNewcastle)).toBe('E08000021');
    expect(
      alertsForRelease(c, person.prisonNumber, withNewcastle).raised.map((a) => [a.kind, a.localAuthority]),
    ).toEqual([
      ['CRITICAL_RELEASE', 'E08000021'],
      ['REFERRAL', 'E08000021'],
    ]);
  });
});

describe('when it happened', () => {
  const now = new Date('2025-03-17T12:00:00Z');
  it('is too late to page for a movement, or a release, older than an alert lives', () => {
    expect(
      tooLateToAlert('2025-03-14T16:40:00Z', '2025-03-14T16:40:00Z', now, { alertLifetimeHours: 72 }),
    ).toBe(false);
    expect(tooLateToAlert('2025-03-14T11:59:00Z', undefined, now, { alertLifetimeHours: 72 })).toBe(true);
    expect(
      tooLateToAlert('2025-03-17T11:00:00Z', '2010-06-04T10:00:00Z', now, { alertLifetimeHours: 72 }),
    ).toBe(true);
  });

  it('keeps a release unplanned when its schedule was made after it (a partner file dropped the next day)', () => {
    const person = play(
      released('r1', '2025-03-14T16:40:00Z', { reason: 'RELEASED_FROM_COURT' }),
      scheduled('s-late', '2025-03-15T09:00:00Z', '2025-03-14'),
    );
    expect(person.cases[0]!.classification.flags.unplanned).toBe(true);
    const noReason = play(
      released('r2', '2025-03-14T16:40:00Z', {}, '2025-03-14T16:40:00Z', 'B2345CD'),
      scheduled('s-late2', '2025-03-15T09:00:00Z', '2025-03-14', {}, 'B2345CD'),
    );
    expect(noReason.cases[0]!.classification.flags.unplanned).toBe(true);
    const onTime = play(
      scheduled('s-early', '2025-03-10T09:00:00Z', '2025-03-14', {}, 'C3456DE'),
      released('r3', '2025-03-14T10:00:00Z', {}, '2025-03-14T10:00:00Z', 'C3456DE'),
    );
    expect(onTime.cases[0]!.classification.flags.unplanned).toBe(false);
  });
});

describe("what movements do to a person's cases", () => {
  it.each(['DEC', 'HO', 'DE'])(
    'closes a scheduled release on %s, and raises no pre-release warning for it',
    (code) => {
      const person = play(
        scheduled('s1', '2025-03-10T09:00:00Z', '2025-03-14'),
        hmppsRelease('2025-03-12T08:00:00Z', code),
      );
      expect(person.cases).toMatchObject([
        { status: 'CLOSED', closedAt: '2025-03-12T08:00:00Z', scheduledFor: '2025-03-14' },
      ]);
      expect(person.cases[0]!.releasedAt).toBeUndefined();
      expect(preReleaseWarning(person, '2025-03-12', englandAndWales, routing)).toBeUndefined();
    },
  );

  it('opens no case for a death with nothing scheduled', () => {
    expect(play(hmppsRelease('2025-03-12T08:00:00Z', 'DEC')).cases).toEqual([]);
  });

  it('starts a new case for a schedule made after a closed one', () => {
    const person = play(
      scheduled('s1', '2025-03-10T09:00:00Z', '2025-03-14'),
      hmppsRelease('2025-03-12T08:00:00Z', 'HO'),
      scheduled('s2', '2025-06-02T09:00:00Z', '2025-06-20'),
    );
    expect(person.cases.map((c) => c.status)).toEqual(['SCHEDULED', 'CLOSED']);
  });

  it('opens no case for an abscond or a merge', () => {
    expect(
      play(hmppsRelease('2025-03-12T08:00:00Z', 'UAL'), hmppsRelease('2025-03-12T09:00:00Z', 'MRG')).cases,
    ).toEqual([]);
  });

  it('makes a release within a day of being taken to court a release from court, whichever arrives first', () => {
    const courtOut = hmppsRecordable('prison-offender-events.prisoner.released', '2025-03-14T08:30:00Z', {
      reason: 'SENT_TO_COURT',
      nomisMovementReasonCode: 'CRT',
    });
    const release = hmppsRelease('2025-03-14T16:40:00Z', 'CR');
    for (const order of [
      [courtOut, release],
      [release, courtOut],
    ]) {
      const c = play(...order).cases[0]!;
      expect(c).toMatchObject({ kind: 'FROM_COURT', classification: { flags: { unplanned: true } } });
    }
    const backFirst = hmppsRecordable('prison-offender-events.prisoner.received', '2025-03-14T13:00:00Z', {
      reason: 'RETURN_FROM_COURT',
      nomisMovementReasonCode: 'CRT',
    });
    expect(play(courtOut, backFirst, release).cases[0]!.kind).toBe('CONDITIONAL_RELEASE');
  });

  it('treats a home detention curfew release as planned, to an approved address', () => {
    const c = play(hmppsRelease('2025-03-12T10:00:00Z', 'HD')).cases[0]!;
    expect(c).toMatchObject({
      kind: 'HDC',
      classification: {
        flags: { unplanned: false, noFixedAbode: false, noAftercarePlan: true },
        urgency: 'HIGH',
      },
    });
  });
});
