import { describe, expect, it } from 'vitest';
import { classifyRelease } from '#domain/classification';
import { englandAndWales } from '#domain/calendar';

const rules = { calendar: englandAndWales, lateDayFrom: '15:00' };

describe('release classification', () => {
  it('makes the unplanned 16:40 Friday release with no fixed abode CRITICAL', () => {
    const c = classifyRelease(
      {
        releasedAt: '2026-11-20T16:40:00Z',
        planned: false,
        accommodation: 'NO_FIXED_ABODE',
        aftercarePlan: 'NONE',
      },
      rules,
    );
    expect(c.urgency).toBe('CRITICAL');
    expect(c.flags).toEqual({
      lateWeek: true,
      nonWorkingDay: false,
      lateDay: true,
      unplanned: true,
      noFixedAbode: true,
      noAftercarePlan: true,
      bankHolidaysUnknown: false,
    });
    expect(c.reasons).toContain('Released on the last working day before the weekend');
  });

  it('makes a planned Friday release at 15:00 with accommodation unknown CRITICAL (late-week and late-day)', () => {
    expect(
      classifyRelease(
        {
          releasedAt: '2026-11-20T15:00:00Z',
          planned: true,
          accommodation: 'UNKNOWN',
          aftercarePlan: 'IN_PLACE',
        },
        rules,
      ).urgency,
    ).toBe('CRITICAL');
  });

  it('makes the same release at 14:59 HIGH: late-week alone is not hard to reach', () => {
    const c = classifyRelease(
      {
        releasedAt: '2026-11-20T14:59:00Z',
        planned: true,
        accommodation: 'UNKNOWN',
        aftercarePlan: 'IN_PLACE',
      },
      rules,
    );
    expect(c.flags.lateDay).toBe(false);
    expect(c.urgency).toBe('HIGH');
  });

  it('reads the late-day cut-off in London time: 14:30 UTC in June is 15:30 BST', () => {
    expect(
      classifyRelease(
        {
          releasedAt: '2026-06-05T14:30:00Z',
          planned: true,
          accommodation: 'SETTLED',
          aftercarePlan: 'IN_PLACE',
        },
        rules,
      ).flags.lateDay,
    ).toBe(true);
  });

  it('treats the Thursday before Good Friday as late-week and names the bank holiday', () => {
    const c = classifyRelease(
      {
        releasedAt: '2026-04-02T16:00:00+01:00',
        planned: true,
        accommodation: 'SETTLED',
        aftercarePlan: 'NONE',
      },
      rules,
    );
    expect(c.flags.lateWeek).toBe(true);
    expect(c.reasons).toContain('Released on the last working day before a bank holiday (Good Friday)');
    expect(c.urgency).toBe('CRITICAL');
  });

  it('makes a housed release with an aftercare plan ROUTINE whatever the day', () => {
    expect(
      classifyRelease(
        {
          releasedAt: '2026-12-25T12:00:00Z',
          planned: false,
          accommodation: 'SETTLED',
          aftercarePlan: 'IN_PLACE',
        },
        rules,
      ).urgency,
    ).toBe('ROUTINE');
  });

  it('names Boxing Day on a Saturday as the weekend it is, not as a bank holiday', () => {
    const c = classifyRelease(
      {
        releasedAt: '2026-12-26T11:00:00Z',
        planned: false,
        accommodation: 'NO_FIXED_ABODE',
        aftercarePlan: 'NONE',
      },
      rules,
    );
    expect(c.reasons).toContain('Released at the weekend (Boxing Day): services are closed');
  });
});

describe('releases where no bank holidays are loaded (the shipped list covers 2018–2030)', () => {
  const housedNoPlan = { planned: true, accommodation: 'SETTLED', aftercarePlan: 'NONE' } as const;

  it.each([
    ['2030-12-31T16:00:00Z', 2031, 'the day before New Year’s Day 2031'],
    ['2031-04-17T16:00:00+01:00', 2031, 'the Thursday before Good Friday 2031'],
    ['2010-01-01T10:00:00Z', 2010, 'New Year’s Day 2010'],
  ])('never takes %s (%s not loaded: %s) for a plain working day', (releasedAt, year) => {
    const c = classifyRelease({ releasedAt, ...housedNoPlan }, rules);
    expect(c.flags.bankHolidaysUnknown).toBe(true);
    expect(c.urgency).toBe('CRITICAL');
    expect(c.reasons.join('\n')).toContain(`bank holidays for ${year} are not loaded`);
  });

  it('trusts a weekend day outside the list: it is non-working whatever the list would say', () => {
    const c = classifyRelease({ releasedAt: '2031-01-04T10:00:00Z', ...housedNoPlan }, rules);
    expect(c.flags).toMatchObject({ nonWorkingDay: true, bankHolidaysUnknown: false });
  });

  it('keeps a day inside the list as it was', () => {
    const c = classifyRelease({ releasedAt: '2030-12-30T10:00:00Z', ...housedNoPlan }, rules);
    expect(c.flags.bankHolidaysUnknown).toBe(false);
    expect(c.urgency).toBe('HIGH');
  });
});
