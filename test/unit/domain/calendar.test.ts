import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import data from '../../../functions/domain/bank-holidays.json' with { type: 'json' };
import {
  addDays,
  bankHolidayCoverageWarning,
  englandAndWales as calendar,
  missingBankHolidayYears,
  isLocalDate,
  isoWeek,
  londonInstant,
  londonTime,
  month,
  weekdayName,
  workingCalendar,
} from '#domain/calendar';

// Reference computations, written independently of the module under test.
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const utcDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);
const isoWeekdayOf = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** Western Easter Sunday (the anonymous Gregorian computus). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return iso(utcDay(year, Math.floor(n / 31), (n % 31) + 1));
}

const shift = (date: string, days: number): string => iso(Date.parse(`${date}T00:00:00Z`) + days * DAY);

function mondayOnOrAfter(ms: number): string {
  while (new Date(ms).getUTCDay() !== 1) ms += DAY;
  return iso(ms);
}

/** The last given weekday (0 = Sunday) of a month. */
function lastWeekdayMs(year: number, monthNumber: number, weekday: number): number {
  let ms = utcDay(year, monthNumber + 1, 0);
  while (new Date(ms).getUTCDay() !== weekday) ms -= DAY;
  return ms;
}
const lastSundayMs = (year: number, monthNumber: number): number => lastWeekdayMs(year, monthNumber, 0);

/** The dates the standing England and Wales rules give for a year, before any one-off proclamation. */
function standingRules(year: number): string[] {
  const fixed = (m: number, d: number) => utcDay(year, m, d);
  const lastMonday = (m: number) => iso(lastWeekdayMs(year, m, 1));
  const newYear = [0, 6].includes(new Date(fixed(1, 1)).getUTCDay())
    ? mondayOnOrAfter(fixed(1, 1))
    : iso(fixed(1, 1));
  // Christmas and Boxing Day each take the next weekday that the other does not already occupy.
  const christmasPair: string[] = [];
  for (const day of [25, 26]) {
    let ms = fixed(12, day);
    while ([0, 6].includes(new Date(ms).getUTCDay()) || christmasPair.includes(iso(ms))) ms += DAY;
    christmasPair.push(iso(ms));
  }
  return [
    newYear,
    shift(easterSunday(year), -2),
    shift(easterSunday(year), 1),
    mondayOnOrAfter(fixed(5, 1)),
    lastMonday(5),
    lastMonday(8),
    ...christmasPair,
  ].sort();
}

/** Changes proclaimed for one year only, as gov.uk lists them. */
const PROCLAIMED: Record<number, { removed: string[]; added: string[] }> = {
  2020: { removed: ['2020-05-04'], added: ['2020-05-08'] },
  2022: { removed: ['2022-05-30'], added: ['2022-06-02', '2022-06-03', '2022-09-19'] },
  2023: { removed: [], added: ['2023-05-08'] },
};

const YEARS = Array.from({ length: 13 }, (_, i) => 2018 + i);

describe('the England and Wales bank-holiday list', () => {
  const dates = data.events.map((e) => e.date);

  it('covers every year from 2018 to 2030', () => {
    const years = new Set(dates.map((d) => Number(d.slice(0, 4))));
    for (const year of YEARS) expect(years, `year ${year}`).toContain(year);
    expect(calendar.coverage()).toEqual({ first: '2018-01-01', last: '2030-12-31' });
  });

  it('is sorted by date with no date listed twice, every date valid', () => {
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    for (const d of dates) expect(isLocalDate(d), d).toBe(true);
  });

  it.each(YEARS)('puts Good Friday and Easter Monday %i where the computus does', (year) => {
    const easter = easterSunday(year);
    expect(calendar.bankHolidayName(shift(easter, -2))).toBe('Good Friday');
    expect(calendar.bankHolidayName(shift(easter, 1))).toBe('Easter Monday');
  });

  it.each(YEARS)('lists exactly the standing rules for %i, plus that year’s proclaimed changes', (year) => {
    const changes = PROCLAIMED[year] ?? { removed: [], added: [] };
    const expected = [
      ...standingRules(year).filter((d) => !changes.removed.includes(d)),
      ...changes.added,
    ].sort();
    expect(dates.filter((d) => d.startsWith(`${year}-`))).toEqual(expected);
  });

  it('moved the 2020 early May bank holiday to Friday 8 May for VE Day', () => {
    expect(calendar.isBankHoliday('2020-05-04')).toBe(false);
    expect(calendar.bankHolidayName('2020-05-08')).toMatch(/VE day/i);
  });

  it('added the Platinum Jubilee and the State Funeral of Queen Elizabeth II in 2022', () => {
    expect(calendar.isBankHoliday('2022-05-30')).toBe(false);
    expect(calendar.bankHolidayName('2022-06-02')).toBe('Spring bank holiday');
    expect(calendar.bankHolidayName('2022-06-03')).toMatch(/Platinum Jubilee/);
    expect(calendar.bankHolidayName('2022-09-19')).toMatch(/State Funeral/);
  });

  it('added Monday 8 May 2023 for the coronation of King Charles III', () => {
    expect(calendar.bankHolidayName('2023-05-01')).toBe('Early May bank holiday');
    expect(calendar.bankHolidayName('2023-05-08')).toMatch(/coronation/i);
  });
});

describe('bank holidays in 2025, 2026 and 2027', () => {
  it.each([
    ['2025-01-01', 'New Year’s Day'],
    ['2025-04-18', 'Good Friday'],
    ['2025-04-21', 'Easter Monday'],
    ['2025-05-05', 'Early May bank holiday'],
    ['2025-05-26', 'Spring bank holiday'],
    ['2025-08-25', 'Summer bank holiday'],
    ['2025-12-25', 'Christmas Day'],
    ['2025-12-26', 'Boxing Day'],
    ['2026-01-01', 'New Year’s Day'],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-04', 'Early May bank holiday'],
    ['2026-05-25', 'Spring bank holiday'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-28', 'Boxing Day'],
    ['2027-01-01', 'New Year’s Day'],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-29', 'Easter Monday'],
    ['2027-05-03', 'Early May bank holiday'],
    ['2027-05-31', 'Spring bank holiday'],
    ['2027-08-30', 'Summer bank holiday'],
    ['2027-12-27', 'Christmas Day'],
    ['2027-12-28', 'Boxing Day'],
  ])('treats %s as %s, a non-working day', (date, name) => {
    expect(calendar.isBankHoliday(date)).toBe(true);
    expect(calendar.bankHolidayName(date)).toBe(name);
    expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isNonWorkingDay(date)).toBe(true);
  });

  it('moves Boxing Day 2026 (a Saturday) to Monday 28 December and leaves the Saturday a plain weekend day', () => {
    expect(calendar.bankHolidayName('2026-12-28')).toBe('Boxing Day');
    expect(data.events.find((e) => e.date === '2026-12-28')?.notes).toBe('Substitute day');
    expect(calendar.isBankHoliday('2026-12-26')).toBe(false);
    expect(calendar.isNonWorkingDay('2026-12-26')).toBe(true);
    expect(calendar.isWorkingDay('2026-12-29')).toBe(true);
  });

  it('names a fixed-date holiday that falls at the weekend, though the bank holiday is its substitute day', () => {
    expect(calendar.bankHolidayName('2026-12-26')).toBe('Boxing Day');
    expect(calendar.bankHolidayName('2026-12-28')).toBe('Boxing Day');
    expect(calendar.bankHolidayName('2027-12-25')).toBe('Christmas Day');
    expect(calendar.bankHolidayName('2027-12-26')).toBe('Boxing Day');
    expect(calendar.bankHolidayName('2022-01-01')).toBe('New Year’s Day');
    expect(calendar.bankHolidayName('2022-12-25')).toBe('Christmas Day');
    expect(calendar.isBankHoliday('2022-12-25')).toBe(false);
    expect(calendar.bankHolidayName('2026-12-27')).toBeUndefined();
  });

  it('gives Christmas 2027 (Saturday) and Boxing Day (Sunday) the Monday and Tuesday after', () => {
    expect(calendar.isBankHoliday('2027-12-25')).toBe(false);
    expect(calendar.isBankHoliday('2027-12-26')).toBe(false);
    expect(calendar.nextWorkingDay('2027-12-24')).toBe('2027-12-29');
  });

  it('gives a New Year’s Day that falls on a weekend the following Monday (2022, 2023, 2028)', () => {
    expect(calendar.bankHolidayName('2022-01-03')).toBe('New Year’s Day');
    expect(calendar.bankHolidayName('2023-01-02')).toBe('New Year’s Day');
    expect(calendar.bankHolidayName('2028-01-03')).toBe('New Year’s Day');
    expect(calendar.isBankHoliday('2028-01-01')).toBe(false);
  });

  it('gives Christmas 2022 (a Sunday) Tuesday 27 December, Boxing Day staying on Monday 26th', () => {
    expect(calendar.bankHolidayName('2022-12-26')).toBe('Boxing Day');
    expect(calendar.bankHolidayName('2022-12-27')).toBe('Christmas Day');
  });

  it('treats ordinary weekdays as working days and weekends as non-working days', () => {
    expect(calendar.isWorkingDay('2026-06-03')).toBe(true);
    expect(calendar.isBankHoliday('2026-06-06')).toBe(false);
    expect(calendar.isNonWorkingDay('2026-06-06')).toBe(true);
    expect(calendar.isNonWorkingDay('2026-06-07')).toBe(true);
  });
});

describe('late-week: the last working day before a non-working day', () => {
  it.each([
    ['2025-04-17', 'the Thursday before Good Friday 2025'],
    ['2026-04-02', 'the Thursday before Good Friday 2026'],
    ['2027-03-25', 'the Thursday before Good Friday 2027'],
    ['2026-06-05', 'an ordinary Friday'],
    ['2025-05-23', 'the Friday before the late-May bank holiday 2025'],
    ['2026-05-22', 'the Friday before the late-May bank holiday 2026'],
    ['2027-05-28', 'the Friday before the late-May bank holiday 2027'],
    ['2025-12-24', 'Christmas Eve 2025 (a Wednesday, Christmas a working day)'],
    ['2026-12-24', 'Christmas Eve 2026 (a Thursday)'],
    ['2027-12-24', 'Christmas Eve 2027 (a Friday)'],
    ['2026-12-31', 'New Year’s Eve 2026 (a Thursday)'],
    ['2026-04-10', 'the Friday after Easter, though the week began with Easter Monday'],
  ])('treats %s as late-week: %s', (date) => {
    expect(calendar.isLateWeek(date)).toBe(true);
  });

  it.each([
    ['2026-04-03', 'Good Friday 2026, itself a bank holiday'],
    ['2025-04-18', 'Good Friday 2025'],
    ['2025-12-26', 'Boxing Day 2025, a Friday bank holiday'],
    ['2026-12-25', 'Christmas Day 2026, a Friday bank holiday'],
    ['2027-01-01', 'New Year’s Day 2027, a Friday bank holiday'],
    ['2025-12-25', 'Christmas Day 2025 (a Thursday bank holiday followed by Boxing Day)'],
    ['2026-06-06', 'a Saturday'],
    ['2026-06-04', 'an ordinary Thursday'],
    ['2026-04-06', 'Easter Monday'],
  ])('does not treat %s as late-week: %s', (date) => {
    expect(calendar.isLateWeek(date)).toBe(false);
  });
});

describe('London time at the local-midnight boundary', () => {
  it('reads 2026-06-05T23:30:00Z as Saturday 00:30 in London, so not late-week', () => {
    const t = londonTime('2026-06-05T23:30:00Z');
    expect(t).toEqual({
      date: '2026-06-06',
      time: '00:30',
      minutesOfDay: 30,
      isoWeekday: 6,
      offset: '+01:00',
    });
    expect(calendar.isLateWeek(t.date)).toBe(false);
  });

  it('reads 2026-06-05T22:59:59Z as Friday 23:59 in London, still late-week', () => {
    const t = londonTime('2026-06-05T22:59:59Z');
    expect(t).toMatchObject({ date: '2026-06-05', time: '23:59', isoWeekday: 5 });
    expect(calendar.isLateWeek(t.date)).toBe(true);
  });

  it('keeps 2026-12-31T23:59:59Z on New Year’s Eve (GMT) and 2027-01-01T00:00:00Z on New Year’s Day', () => {
    const eve = londonTime('2026-12-31T23:59:59Z');
    const day = londonTime('2027-01-01T00:00:00Z');
    expect(eve).toEqual({
      date: '2026-12-31',
      time: '23:59',
      minutesOfDay: 1439,
      isoWeekday: 4,
      offset: '+00:00',
    });
    expect(day).toEqual({
      date: '2027-01-01',
      time: '00:00',
      minutesOfDay: 0,
      isoWeekday: 5,
      offset: '+00:00',
    });
    expect(calendar.isLateWeek(eve.date)).toBe(true);
    expect(calendar.isBankHoliday(day.date)).toBe(true);
  });

  it.each([
    ['2025-06-06', '2025-06-06T22:59:59Z', '2025-06-06T23:00:00Z'],
    ['2025-11-21', '2025-11-21T23:59:59Z', '2025-11-22T00:00:00Z'],
    ['2026-11-20', '2026-11-20T23:59:59Z', '2026-11-21T00:00:00Z'],
    ['2027-06-04', '2027-06-04T22:59:59Z', '2027-06-04T23:00:00Z'],
    ['2027-11-19', '2027-11-19T23:59:59Z', '2027-11-20T00:00:00Z'],
  ])('ends Friday %s at local midnight: %s is late-week, %s is a Saturday', (friday, before, after) => {
    expect(londonTime(before)).toMatchObject({ date: friday, time: '23:59', isoWeekday: 5 });
    expect(calendar.isLateWeek(londonTime(before).date)).toBe(true);
    expect(londonTime(after)).toMatchObject({ time: '00:00', isoWeekday: 6 });
    expect(calendar.isNonWorkingDay(londonTime(after).date)).toBe(true);
  });

  it('accepts an instant given with an offset as well as with Z, or as a Date', () => {
    expect(londonTime('2026-10-16T16:59:00+01:00')).toMatchObject({
      date: '2026-10-16',
      time: '16:59',
      minutesOfDay: 1019,
    });
    expect(londonTime(new Date('2026-10-16T15:59:00Z')).time).toBe('16:59');
  });

  it('rejects an instant without an offset, which would otherwise depend on the host’s time zone', () => {
    expect(() => londonTime('2026-10-16T16:59:00')).toThrow(RangeError);
    expect(() => londonTime('not a date')).toThrow(RangeError);
    expect(() => londonTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('the clocks changing', () => {
  it.each([
    [2025, '2025-03-30', '2025-10-26'],
    [2026, '2026-03-29', '2026-10-25'],
    [2027, '2027-03-28', '2027-10-31'],
  ])('in %i: forward at 01:00 UTC on %s, back at 01:00 UTC on %s', (_year, spring, autumn) => {
    expect(londonTime(`${spring}T00:59:00Z`)).toMatchObject({
      date: spring,
      time: '00:59',
      offset: '+00:00',
    });
    expect(londonTime(`${spring}T01:00:00Z`)).toMatchObject({
      date: spring,
      time: '02:00',
      offset: '+01:00',
    });
    expect(londonTime(`${autumn}T00:59:00Z`)).toMatchObject({
      date: autumn,
      time: '01:59',
      offset: '+01:00',
    });
    expect(londonTime(`${autumn}T01:00:00Z`)).toMatchObject({
      date: autumn,
      time: '01:00',
      offset: '+00:00',
    });
  });

  it('moves a time the clocks skip forward by the gap: 01:30 on 2026-03-29 is 02:30 BST', () => {
    expect(londonInstant('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(londonTime(londonInstant('2026-03-29', '01:30')).time).toBe('02:30');
    expect(londonInstant('2026-03-29', '01:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(londonInstant('2026-03-29', '02:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('takes the first of a time the clocks show twice: 01:30 on 2026-10-25 is 00:30 UTC', () => {
    expect(londonInstant('2026-10-25', '01:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(londonInstant('2026-10-25', '00:59').toISOString()).toBe('2026-10-24T23:59:00.000Z');
    expect(londonInstant('2026-10-25', '02:00').toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('counts minutesOfDay by the wall clock, so 15:00 is 900 on both change days', () => {
    expect(londonTime(londonInstant('2026-03-29', '15:00')).minutesOfDay).toBe(900);
    expect(londonTime(londonInstant('2026-10-25', '15:00')).minutesOfDay).toBe(900);
  });

  it('starts a summer day at 23:00 UTC the evening before and a winter day at midnight UTC', () => {
    expect(londonInstant('2026-06-06').toISOString()).toBe('2026-06-05T23:00:00.000Z');
    expect(londonInstant('2026-12-01').toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('rejects a malformed time or date', () => {
    expect(() => londonInstant('2026-06-06', '24:00')).toThrow(RangeError);
    expect(() => londonInstant('2026-06-06', '9:00')).toThrow(RangeError);
    expect(() => londonInstant('2026-02-31', '09:00')).toThrow(/2026-02-31/);
  });
});

describe('local-date arithmetic and names', () => {
  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
  });

  it('names ISO weeks by their week-year', () => {
    expect(isoWeek('2026-11-19')).toBe('2026-W47');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
  });

  it('gives the month and weekday of a date', () => {
    expect(month('2026-11-19')).toBe('2026-11');
    expect(weekdayName('2026-06-05')).toBe('FRI');
    expect(weekdayName('2026-06-07')).toBe('SUN');
    expect(weekdayName('2026-06-08')).toBe('MON');
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-02-31')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-00-10')).toBe(false);
    expect(isLocalDate('2026-6-5')).toBe(false);
    expect(isLocalDate('2026-06-05T00:00')).toBe(false);
    expect(isLocalDate('31/02/2026')).toBe(false);
  });
});

describe('counting working days', () => {
  it('finds the next working day strictly after a date, over weekends and bank holidays', () => {
    expect(calendar.nextWorkingDay('2026-06-03')).toBe('2026-06-04');
    expect(calendar.nextWorkingDay('2026-06-05')).toBe('2026-06-08');
    expect(calendar.nextWorkingDay('2026-04-02')).toBe('2026-04-07');
    expect(calendar.nextWorkingDay('2026-12-24')).toBe('2026-12-29');
  });

  it('adds working days: two working days after Thursday before Easter 2026 is the Wednesday after', () => {
    expect(calendar.addWorkingDays('2026-04-02', 0)).toBe('2026-04-02');
    expect(calendar.addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
    expect(calendar.addWorkingDays('2026-04-02', 2)).toBe('2026-04-08');
    expect(() => calendar.addWorkingDays('2026-04-02', -1)).toThrow(RangeError);
  });

  it('counts working days in (from, to], negative when to is before from', () => {
    expect(calendar.workingDaysBetween('2026-04-02', '2026-04-08')).toBe(2);
    expect(calendar.workingDaysBetween('2026-04-08', '2026-04-02')).toBe(-2);
    expect(calendar.workingDaysBetween('2026-06-05', '2026-06-05')).toBe(0);
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(253);
  });

  it('rejects an impossible date rather than rolling it into the next month', () => {
    expect(() => calendar.isWorkingDay('2026-02-31')).toThrow(/2026-02-31/);
  });

  it('knows which years its list covers, and outside them only weekends are non-working', () => {
    expect(calendar.covers('2030-12-31')).toBe(true);
    expect(calendar.covers('2031-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2031-12-25')).toBe(true);
  });

  it('says which years a day needs but are not loaded: the day itself, and the next weekday for late-week', () => {
    expect(missingBankHolidayYears(calendar, '2030-12-30')).toEqual([]);
    expect(missingBankHolidayYears(calendar, '2030-12-31')).toEqual([2031]);
    expect(missingBankHolidayYears(calendar, '2031-04-17')).toEqual([2031]);
    expect(missingBankHolidayYears(calendar, '2010-01-01')).toEqual([2010]);
    expect(missingBankHolidayYears(calendar, '2017-12-29')).toEqual([2017]);
    // A weekend day is non-working whatever the list says; a Friday's next day is a Saturday.
    expect(missingBankHolidayYears(calendar, '2031-01-04')).toEqual([]);
    expect(missingBankHolidayYears(calendar, '2017-12-31')).toEqual([]);
  });

  it('warns from 90 days before the loaded bank holidays end, and after, with the refresh command', () => {
    expect(bankHolidayCoverageWarning(calendar, '2030-10-01')).toBeUndefined();
    const soon = bankHolidayCoverageWarning(calendar, '2030-10-02')!;
    expect(soon.daysLeft).toBe(90);
    expect(soon.message).toContain('loaded only until 2030-12-31 (90 days from 2030-10-02)');
    expect(soon.message).toContain('npm run bank-holidays:refresh');
    const past = bankHolidayCoverageWarning(calendar, '2031-01-10')!;
    expect(past.daysLeft).toBe(-10);
    expect(past.message).toContain('10 days ago');
  });

  it('builds a calendar from any list of bank holidays', () => {
    const custom = workingCalendar([{ date: '2026-06-08', title: 'Test day' }]);
    expect(custom.isLateWeek('2026-06-05')).toBe(true);
    expect(custom.nextWorkingDay('2026-06-05')).toBe('2026-06-09');
    expect(custom.bankHolidayName('2026-06-08')).toBe('Test day');
    expect(custom.coverage()).toEqual({ first: '2026-01-01', last: '2026-12-31' });
    expect(() => workingCalendar([]).coverage()).toThrow(RangeError);
  });
});

describe('calendar properties (fast-check)', () => {
  // 2017-06 to 2031-06, a little past the list on both sides.
  const dayArb = fc.integer({ min: utcDay(2017, 6, 1) / DAY, max: utcDay(2031, 6, 30) / DAY });
  const dateArb = dayArb.map((n) => iso(n * DAY));
  const timeArb = fc
    .integer({ min: 0, max: 1439 })
    .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const instantArb = fc.integer({ min: utcDay(2017, 6, 1), max: utcDay(2031, 6, 30) });

  const isSpringGap = (date: string, time: string): boolean => {
    const year = Number(date.slice(0, 4));
    return date === iso(lastSundayMs(year, 3)) && time.startsWith('01:');
  };
  /** Summer time under the rule in force since 1996: last Sunday of March to last Sunday of October, 01:00 UTC. */
  const isBst = (ms: number): boolean => {
    const year = new Date(ms).getUTCFullYear();
    return ms >= lastSundayMs(year, 3) + 3_600_000 && ms < lastSundayMs(year, 10) + 3_600_000;
  };

  it('late-week ⇔ a working day followed by a non-working day', () => {
    fc.assert(
      fc.property(
        dateArb,
        (d) => calendar.isLateWeek(d) === (calendar.isWorkingDay(d) && !calendar.isWorkingDay(addDays(d, 1))),
      ),
    );
  });

  it('non-working day ⇔ not a working day ⇔ a weekend day or a bank holiday', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        expect(calendar.isNonWorkingDay(d)).toBe(!calendar.isWorkingDay(d));
        expect(calendar.isNonWorkingDay(d)).toBe(isoWeekdayOf(d) >= 6 || calendar.isBankHoliday(d));
      }),
    );
  });

  it('londonTime(londonInstant(d, t)) gives back d and t, whenever t is not skipped in spring', () => {
    fc.assert(
      fc.property(dateArb, timeArb, (d, t) => {
        fc.pre(!isSpringGap(d, t));
        const back = londonTime(londonInstant(d, t));
        expect([back.date, back.time]).toEqual([d, t]);
      }),
    );
  });

  it('a time skipped in spring comes out one hour later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2018, max: 2030 }), fc.integer({ min: 0, max: 59 }), (year, minute) => {
        const d = iso(lastSundayMs(year, 3));
        const mm = String(minute).padStart(2, '0');
        expect(londonTime(londonInstant(d, `01:${mm}`))).toMatchObject({
          date: d,
          time: `02:${mm}`,
          offset: '+01:00',
        });
      }),
    );
  });

  it('an instant read in London and turned back gives the same minute, or the first of a repeated hour', () => {
    fc.assert(
      fc.property(instantArb, (ms) => {
        const t = londonTime(new Date(ms));
        const back = londonInstant(t.date, t.time).getTime();
        const minute = Math.floor(ms / 60_000) * 60_000;
        const secondOfRepeatedHour = !isBst(ms) && isBst(ms - 3_600_000);
        expect(back).toBe(secondOfRepeatedHour ? minute - 3_600_000 : minute);
      }),
    );
  });

  it('the offset is +01:00 exactly in British Summer Time', () => {
    fc.assert(
      fc.property(instantArb, (ms) => londonTime(new Date(ms)).offset === (isBst(ms) ? '+01:00' : '+00:00')),
    );
  });

  it('addDays(addDays(d, n), -n) is d, and moves by exactly n days', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -4000, max: 4000 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).toBe(d);
        expect(addDays(d, n)).toBe(iso(Date.parse(`${d}T00:00:00Z`) + n * DAY));
      }),
    );
  });

  it('the next working day is a working day, and nothing between is', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const next = calendar.nextWorkingDay(d);
        expect(next > d).toBe(true);
        expect(calendar.isWorkingDay(next)).toBe(true);
        for (let between = addDays(d, 1); between < next; between = addDays(between, 1)) {
          expect(calendar.isWorkingDay(between)).toBe(false);
        }
      }),
    );
  });

  it('workingDaysBetween agrees with counting day by day, and undoes addWorkingDays', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (d, span, n) => {
          const to = addDays(d, span);
          let count = 0;
          const [lo, hi] = span >= 0 ? [d, to] : [to, d];
          for (let x = addDays(lo, 1); x <= hi; x = addDays(x, 1)) if (calendar.isWorkingDay(x)) count++;
          expect(calendar.workingDaysBetween(d, to)).toBe(span >= 0 ? count : -count);
          expect(calendar.workingDaysBetween(d, calendar.addWorkingDays(d, n))).toBe(n);
        },
      ),
    );
  });

  it('isoWeek agrees with counting weeks from the Monday of the week holding 4 January', () => {
    const week1Monday = (year: number): number => {
      const jan4 = utcDay(year, 1, 4);
      return jan4 - (isoWeekdayOf(iso(jan4)) - 1) * DAY;
    };
    fc.assert(
      fc.property(dayArb, (n) => {
        const ms = n * DAY;
        const calendarYear = new Date(ms).getUTCFullYear();
        const weekYear = [calendarYear + 1, calendarYear, calendarYear - 1].find(
          (y) => ms >= week1Monday(y),
        )!;
        const week = Math.floor((ms - week1Monday(weekYear)) / (7 * DAY)) + 1;
        expect(isoWeek(iso(ms))).toBe(`${weekYear}-W${String(week).padStart(2, '0')}`);
      }),
    );
  });
});
