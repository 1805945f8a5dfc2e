import { describe, expect, it } from 'vitest';
import { englandAndWales } from '#domain/calendar';
import { defaultFactsWait, factsDueBy, factsFetchOf } from '#domain/release-facts';

const rule = { calendar: englandAndWales, lateDayFrom: '15:00' };
const release = {
  eventId: 'hmpps-0123456789abcdef0123456789abcdef',
  occurredAt: '2025-11-19T16:00:00Z',
  prisonId: 'DMI',
  prisonNumber: 'A1234BC',
  releasedAt: '2025-11-19T16:00:00Z',
};
const ok = { outcome: 'ok' as const };
const down = { outcome: 'unavailable' as const, cause: 'failed' };

describe('how long a release waits for the facts HMPPS could not give', () => {
  it('waits 10 minutes by default, on a Wednesday afternoon', () => {
    expect(factsDueBy('2025-11-19T16:00:00Z', defaultFactsWait, rule)).toBe('2025-11-19T16:10:00.000Z');
  });

  it('waits less late on a Friday, and late before a bank holiday, when the offices are closing', () => {
    expect(factsDueBy('2025-11-21T16:00:00Z', defaultFactsWait, rule)).toBe('2025-11-21T16:03:00.000Z');
    // Wednesday 24 December 2025: Christmas Day follows.
    expect(factsDueBy('2025-12-24T15:30:00Z', defaultFactsWait, rule)).toBe('2025-12-24T15:33:00.000Z');
    // A Friday morning is not late.
    expect(factsDueBy('2025-11-21T09:00:00Z', defaultFactsWait, rule)).toBe('2025-11-21T09:10:00.000Z');
  });

  it('takes the waits from the settings', () => {
    expect(factsDueBy('2025-11-21T16:00:00Z', { ...defaultFactsWait, lateWeekMinutes: 1 }, rule)).toBe(
      '2025-11-21T16:01:00.000Z',
    );
    expect(factsDueBy('2025-11-19T16:00:00Z', { ...defaultFactsWait, minutes: 20 }, rule)).toBe(
      '2025-11-19T16:20:00.000Z',
    );
  });
});

describe('one fetch of a release facts, as kept on the record', () => {
  const fetched = (complete: boolean) => ({
    facts: {},
    sources: {
      prisonerSearch: complete ? ok : { ...down, reason: 'Prisoner Search answered 503 three times' },
      probation: ok,
      resettlementPassport: ok,
      cas3: ok,
    },
    complete,
    missing: complete ? [] : ['Prisoner Search'],
  });

  it('is numbered from its release, so two sweeps at once write the same id', () => {
    const a = factsFetchOf(
      release,
      2,
      fetched(false),
      '2025-11-19T16:01:00Z',
      '2025-11-19T16:10:00Z',
      defaultFactsWait,
    );
    const b = factsFetchOf(
      release,
      2,
      fetched(false),
      '2025-11-19T16:01:02Z',
      '2025-11-19T16:10:00Z',
      defaultFactsWait,
    );
    expect(a.eventId).toBe('facts-0123456789abcdef0123456789abcdef-2');
    expect(b.eventId).toBe(a.eventId);
    expect(a.eventId).not.toContain('A1234BC');
  });

  it('keeps the cause, never the reason in words, of a source that failed', () => {
    expect(
      factsFetchOf(
        release,
        1,
        fetched(false),
        '2025-11-19T16:00:00Z',
        '2025-11-19T16:10:00Z',
        defaultFactsWait,
      ).sources.prisonerSearch,
    ).toEqual({ outcome: 'unavailable', cause: 'failed' });
  });

  it('asks again every minute until the deadline, then every 15 minutes for 12 hours, and never once complete', () => {
    const due = '2025-11-19T16:10:00Z';
    expect(
      factsFetchOf(release, 1, fetched(false), '2025-11-19T16:00:00Z', due, defaultFactsWait),
    ).toMatchObject({ final: false, recheckAt: '2025-11-19T16:01:00.000Z' });
    expect(
      factsFetchOf(release, 9, fetched(false), '2025-11-19T16:09:30Z', due, defaultFactsWait),
    ).toMatchObject({ final: false, recheckAt: '2025-11-19T16:10:00.000Z' });
    expect(
      factsFetchOf(release, 10, fetched(false), '2025-11-19T16:10:00Z', due, defaultFactsWait),
    ).toMatchObject({ final: true, recheckAt: '2025-11-19T16:25:00.000Z' });
    expect(
      factsFetchOf(release, 40, fetched(false), '2025-11-20T03:50:00Z', due, defaultFactsWait).recheckAt,
    ).toBeUndefined();
    const complete = factsFetchOf(release, 2, fetched(true), '2025-11-19T16:01:00Z', due, defaultFactsWait);
    expect(complete).toMatchObject({ final: false, complete: true });
    expect(complete.recheckAt).toBeUndefined();
  });
});
