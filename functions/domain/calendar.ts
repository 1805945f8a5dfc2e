/**
 * Europe/London time and the England and Wales working calendar.
 *
 * Every rule in Gatehouse runs on London wall-clock time, so this module turns instants into
 * London dates and times and back, and answers the working-day questions the rules ask
 * (late-week, non-working day, "within two working days"). It never reads the clock: callers
 * pass the instant in.
 */
import data from './bank-holidays.json' with { type: 'json' };

export type LocalDate = string;

export interface LondonTime {
  date: LocalDate;
  time: string;
  /** Wall-clock minutes since local midnight, so 15:00 is 900 even on a day when the clocks change. */
  minutesOfDay: number;
  isoWeekday: number;
  offset: string;
}

export type WeekdayName = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

export interface WorkingCalendar {
  isBankHoliday(date: LocalDate): boolean;
  /**
   * The bank holiday's name; also for a fixed-date holiday that falls at the weekend (Saturday 26 December
   * 2026 is Boxing Day, though the bank holiday is its substitute, Monday 28th).
   */
  bankHolidayName(date: LocalDate): string | undefined;
  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(date: LocalDate): boolean;
  /** A weekend day or a bank holiday. */
  isNonWorkingDay(date: LocalDate): boolean;
  /** A working day whose next day is not a working day: a Friday, the Thursday before Good Friday… */
  isLateWeek(date: LocalDate): boolean;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate;
  /** The date `n` working days after `date` (n >= 0; 0 gives `date` itself). */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
  /** Whether the bank-holiday list covers the year of `date`; outside it only weekends are non-working. */
  covers(date: LocalDate): boolean;
  /** 1 January of the first year listed to 31 December of the last. */
  coverage(): { first: LocalDate; last: LocalDate };
}

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const WEEKDAY_NAMES: readonly WeekdayName[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
// An offset or Z is required: without one, Date would read the string in the host's time zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

// Civil-calendar arithmetic on day numbers (days since 1970-01-01), after Howard Hinnant's
// days_from_civil: plain integer maths, several times faster than going through Date.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const DIGIT_0 = 48;

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The day number of a valid YYYY-MM-DD date, or NaN. */
function parseLocalDate(s: string): number {
  if (typeof s !== 'string' || s.length !== 10 || s[4] !== '-' || s[7] !== '-') return Number.NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 for a valid local date; throws a RangeError naming the bad value. */
export function dayNumber(date: LocalDate): number {
  const n = parseLocalDate(date);
  if (Number.isNaN(n)) throw new RangeError(`'${date}' is not a date (expected YYYY-MM-DD)`);
  return n;
}

/** [year, month, day] of a day number (Hinnant's civil_from_days). */
function civil(n: number): [number, number, number] {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

export function fromDayNumber(n: number): LocalDate {
  const [year, month, day] = civil(n);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

/** Mon=1..Sun=7 for a day number (1970-01-01 was a Thursday). */
function isoWeekdayOf(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** London's UTC offset at a whole-second instant, read off the ICU time-zone data. */
function offsetFromIntl(ms: number): number {
  const parts = londonFormat.formatToParts(new Date(ms));
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const wall =
    daysFromCivil(field('year'), field('month'), field('day')) * MS_PER_DAY +
    field('hour') * MS_PER_HOUR +
    field('minute') * MS_PER_MINUTE +
    field('second') * 1000;
  return wall - ms;
}

// London changes offset on whole UTC hours, at most once a day. A day whose two ends agree has one
// offset throughout (cached as a number); a change day is looked up hour by hour.
const dayOffsets = new Map<number, number | null>();
const hourOffsets = new Map<number, number>();
const OFFSET_CACHE_LIMIT = 200_000;

function offsetMsAt(ms: number): number {
  const day = Math.floor(ms / MS_PER_DAY);
  let cached = dayOffsets.get(day);
  if (cached === undefined) {
    if (dayOffsets.size >= OFFSET_CACHE_LIMIT) dayOffsets.clear();
    const start = offsetFromIntl(day * MS_PER_DAY);
    const end = offsetFromIntl((day + 1) * MS_PER_DAY - MS_PER_HOUR);
    cached = start === end ? start : null;
    dayOffsets.set(day, cached);
  }
  if (cached !== null) return cached;
  const hour = Math.floor(ms / MS_PER_HOUR);
  let offset = hourOffsets.get(hour);
  if (offset === undefined) {
    if (hourOffsets.size >= OFFSET_CACHE_LIMIT) hourOffsets.clear();
    offset = offsetFromIntl(hour * MS_PER_HOUR);
    hourOffsets.set(hour, offset);
  }
  return offset;
}

const GMT = '+00:00';
const BST = '+01:00';

function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return GMT;
  if (offsetMs === MS_PER_HOUR) return BST;
  const minutes = Math.round(offsetMs / MS_PER_MINUTE);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function toEpochMs(instant: Date | string): number {
  if (typeof instant === 'string') {
    if (!INSTANT.test(instant)) {
      throw new RangeError(
        `'${instant}' is not an ISO-8601 instant with an offset (expected e.g. 2026-06-05T16:59:00+01:00)`,
      );
    }
    instant = new Date(instant);
  }
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('not a valid instant');
  return ms;
}

export function isLocalDate(s: string): boolean {
  return !Number.isNaN(parseLocalDate(s));
}

export function londonTime(instant: Date | string): LondonTime {
  const ms = toEpochMs(instant);
  const offsetMs = offsetMsAt(ms);
  const local = ms + offsetMs;
  const day = Math.floor(local / MS_PER_DAY);
  const minutesOfDay = Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE);
  const hour = Math.floor(minutesOfDay / 60);
  return {
    date: fromDayNumber(day),
    time: `${pad2(hour)}:${pad2(minutesOfDay - hour * 60)}`,
    minutesOfDay,
    isoWeekday: isoWeekdayOf(day),
    offset: formatOffset(offsetMs),
  };
}

/**
 * The instant when London's clocks show `time` on `date`. A time the clocks skip in spring moves
 * forward by the gap (01:30 becomes 02:30 BST); a time shown twice in autumn is its first occurrence.
 */
export function londonInstant(date: LocalDate, time = '00:00'): Date {
  const m = LOCAL_TIME.exec(time);
  if (!m) throw new RangeError(`'${time}' is not a time (expected HH:mm)`);
  const wall = dayNumber(date) * MS_PER_DAY + Number(m[1]) * MS_PER_HOUR + Number(m[2]) * MS_PER_MINUTE;
  const before = offsetMsAt(wall - MS_PER_DAY);
  const after = offsetMsAt(wall + MS_PER_DAY);
  if (before === after) return new Date(wall - before);
  const early = wall - before;
  const late = wall - after;
  const earlyValid = offsetMsAt(early) === before;
  const lateValid = offsetMsAt(late) === after;
  if (earlyValid && lateValid) return new Date(Math.min(early, late));
  if (lateValid) return new Date(late);
  // Either only the pre-change reading holds, or neither does (a gap): both mean the pre-change offset.
  return new Date(early);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`${days} is not a whole number of days`);
  return fromDayNumber(dayNumber(date) + days);
}

/** The ISO-8601 week, named by its week-year: 2027-01-01 is in 2026-W53. */
export function isoWeek(date: LocalDate): string {
  const n = dayNumber(date);
  const thursday = n + 4 - isoWeekdayOf(n);
  const weekYear = civil(thursday)[0];
  const jan1 = daysFromCivil(weekYear, 1, 1);
  return `${pad4(weekYear)}-W${pad2(Math.floor((thursday - jan1) / 7) + 1)}`;
}

export function month(date: LocalDate): string {
  dayNumber(date);
  return date.slice(0, 7);
}

export function weekdayName(date: LocalDate): WeekdayName {
  return WEEKDAY_NAMES[isoWeekdayOf(dayNumber(date)) - 1]!;
}

/** Weekdays (Mon–Fri) among day numbers below n, counted from Monday 1969-12-29. */
function weekdaysBelow(n: number): number {
  const k = n + 3;
  const weeks = Math.floor(k / 7);
  return weeks * 5 + Math.min(k - weeks * 7, 5);
}

/** How many entries of the sorted array are <= n. */
function countAtOrBelow(sorted: readonly number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The fixed-date holidays whose substitute days gov.uk lists, and the month and day each really falls on. */
const FIXED_DATE_HOLIDAYS: Record<string, [number, number]> = {
  'New Year’s Day': [1, 1],
  'Christmas Day': [12, 25],
  'Boxing Day': [12, 26],
};

export function workingCalendar(
  bankHolidays: readonly { date: LocalDate; title: string; notes?: string }[],
): WorkingCalendar {
  const names = new Map<number, string>();
  for (const { date, title } of bankHolidays) names.set(dayNumber(date), title);
  // A substitute day stands for a holiday that fell at the weekend: that weekend day keeps the holiday's name.
  const weekendNames = new Map<number, string>();
  for (const { date, title, notes } of bankHolidays) {
    const fixed = FIXED_DATE_HOLIDAYS[title];
    if (!fixed || !/substitute/i.test(notes ?? '')) continue;
    const original = daysFromCivil(Number(date.slice(0, 4)), fixed[0], fixed[1]);
    if (isoWeekdayOf(original) > 5 && !names.has(original)) weekendNames.set(original, title);
  }
  // Only holidays on weekdays take a working day away; the count in workingDaysBetween relies on it.
  const weekdayHolidays = [...names.keys()].filter((n) => isoWeekdayOf(n) <= 5).sort((a, b) => a - b);
  const years = bankHolidays.map(({ date }) => Number(date.slice(0, 4)));
  const firstYear = Math.min(...years);
  const lastYear = Math.max(...years);

  const working = (n: number): boolean => isoWeekdayOf(n) <= 5 && !names.has(n);
  const nextWorking = (n: number): number => {
    let d = n + 1;
    while (!working(d)) d++;
    return d;
  };
  const workingInRange = (from: number, to: number): number =>
    weekdaysBelow(to + 1) -
    weekdaysBelow(from + 1) -
    (countAtOrBelow(weekdayHolidays, to) - countAtOrBelow(weekdayHolidays, from));

  return {
    isBankHoliday: (date) => names.has(dayNumber(date)),
    bankHolidayName: (date) => {
      const n = dayNumber(date);
      return names.get(n) ?? weekendNames.get(n);
    },
    isWorkingDay: (date) => working(dayNumber(date)),
    isNonWorkingDay: (date) => !working(dayNumber(date)),
    isLateWeek: (date) => {
      const n = dayNumber(date);
      return working(n) && !working(n + 1);
    },
    nextWorkingDay: (date) => fromDayNumber(nextWorking(dayNumber(date))),
    addWorkingDays: (date, n) => {
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError(`${n} is not a whole number of working days >= 0`);
      let d = dayNumber(date);
      for (let i = 0; i < n; i++) d = nextWorking(d);
      return fromDayNumber(d);
    },
    workingDaysBetween: (from, to) => {
      const a = dayNumber(from);
      const b = dayNumber(to);
      return b >= a ? workingInRange(a, b) : -workingInRange(b, a);
    },
    covers: (date) => {
      dayNumber(date);
      const year = Number(date.slice(0, 4));
      return year >= firstYear && year <= lastYear;
    },
    coverage: () => {
      if (names.size === 0) throw new RangeError('this calendar has no bank holidays, so it covers no years');
      return { first: `${pad4(firstYear)}-01-01`, last: `${pad4(lastYear)}-12-31` };
    },
  };
}

export const englandAndWales: WorkingCalendar = workingCalendar(data.events);

/** How to load newer bank holidays: what every "not loaded" message tells the operator. */
export const bankHolidaysRefreshCommand =
  'npm run bank-holidays:refresh -- <bank-holidays.json downloaded from https://www.gov.uk/bank-holidays.json>, then deploy';

/**
 * The years whose bank holidays the working-day questions about `date` need but `calendar` does not list: the
 * day itself (is it a holiday?) and, for a weekday, the next day (is this the last working day before one?).
 * A weekend day needs no list. Empty when the answers can be trusted.
 */
export function missingBankHolidayYears(calendar: WorkingCalendar, date: LocalDate): number[] {
  const n = dayNumber(date);
  if (isoWeekdayOf(n) > 5) return [];
  const missing = new Set<number>();
  if (!calendar.covers(date)) missing.add(Number(date.slice(0, 4)));
  const next = fromDayNumber(n + 1);
  if (isoWeekdayOf(n + 1) <= 5 && !calendar.covers(next)) missing.add(Number(next.slice(0, 4)));
  return [...missing];
}

/** Days before the end of the loaded bank holidays from which operators are warned. */
export const bankHolidayWarningDays = 90;

/**
 * The warning operators get from `bankHolidayWarningDays` before the loaded bank holidays end (and after),
 * with the command that refreshes them; undefined while the list reaches far enough.
 */
export function bankHolidayCoverageWarning(
  calendar: WorkingCalendar,
  today: LocalDate,
): { daysLeft: number; message: string } | undefined {
  const { last } = calendar.coverage();
  const daysLeft = dayNumber(last) - dayNumber(today);
  if (daysLeft > bankHolidayWarningDays) return undefined;
  const message =
    daysLeft >= 0
      ? `Bank holidays are loaded only until ${last} (${daysLeft} days from ${today}); after that every weekday is treated as possibly non-working. Refresh them: ${bankHolidaysRefreshCommand}`
      : `Bank holidays are loaded only until ${last}, ${-daysLeft} days ago: every weekday since is treated as possibly non-working. Refresh them: ${bankHolidaysRefreshCommand}`;
  return { daysLeft, message };
}
