/**
 * Rota coverage: before a weekend or a bank holiday, is every area covered at every tier until the service opens
 * again? A gap found on Thursday at noon can still be filled; a gap found by the page that falls into it cannot.
 *
 * The check runs every Thursday at 12:00 London time and at 12:00 on the working day before a bank holiday, and
 * looks from then until 09:00 on the next working day after the coming non-working days. Pure: the calendar, the
 * rota entries and the instant are passed in.
 */
import {
  addDays,
  londonInstant,
  londonTime,
  weekdayName,
  type LocalDate,
  type WorkingCalendar,
} from './calendar';
import { rotaTiers, type RotaEntry, type RotaTier } from './rota';

export interface CoverageGap {
  localAuthority: string;
  tier: RotaTier;
  /** The uncovered stretch, as instants. */
  from: string;
  until: string;
}

export const coverageCheckAt = '12:00';
export const coverageUntil = '09:00';

/** Whether `date` is a day the check runs: a Thursday, or the last working day before a bank holiday. */
export function coverageCheckDay(date: LocalDate, calendar: WorkingCalendar): boolean {
  if (!calendar.isWorkingDay(date)) return false;
  if (weekdayName(date) === 'THU') return true;
  // The last working day before a bank holiday: the Friday before a bank-holiday Monday counts too.
  for (let day = addDays(date, 1); calendar.isNonWorkingDay(day); day = addDays(day, 1))
    if (calendar.isBankHoliday(day)) return true;
  return false;
}

/** The stretch a check on `date` covers: from 12:00 that day to 09:00 on the first working day after the coming non-working days. */
export function coverageWindow(date: LocalDate, calendar: WorkingCalendar): { from: Date; until: Date } {
  let day = addDays(date, 1);
  while (!calendar.isNonWorkingDay(day)) day = addDays(day, 1);
  return {
    from: londonInstant(date, coverageCheckAt),
    until: londonInstant(calendar.nextWorkingDay(day), coverageUntil),
  };
}

/** Every stretch of [from, until) that no rota entry covers, per area and tier (entries may overlap or abut). */
export function coverageGaps(
  entries: readonly RotaEntry[],
  localAuthorities: readonly string[],
  window: { from: Date; until: Date },
): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const start = window.from.toISOString();
  const end = window.until.toISOString();
  for (const localAuthority of localAuthorities) {
    for (const tier of rotaTiers) {
      const covering = entries
        .filter(
          (e) => e.localAuthority === localAuthority && e.tier === tier && e.end > start && e.start < end,
        )
        .sort((a, b) => a.start.localeCompare(b.start));
      let cursor = start;
      for (const entry of covering) {
        if (entry.start > cursor) gaps.push({ localAuthority, tier, from: cursor, until: entry.start });
        if (entry.end > cursor) cursor = entry.end;
      }
      if (cursor < end) gaps.push({ localAuthority, tier, from: cursor, until: end });
    }
  }
  return gaps.map((g) => ({
    ...g,
    from: new Date(g.from).toISOString(),
    until: new Date(g.until).toISOString(),
  }));
}

/** A gap in words for the warning: "primary on call, Sat 16:00 to Mon 09:00". */
export function gapInWords(gap: CoverageGap): string {
  const at = (instant: string) => {
    const t = londonTime(instant);
    const day = weekdayName(t.date);
    return `${day.charAt(0)}${day.slice(1).toLowerCase()} ${t.date.slice(8, 10)}/${t.date.slice(5, 7)} ${t.time}`;
  };
  return `${gap.tier} on call, ${at(gap.from)} to ${at(gap.until)}`;
}

/** A gap found by one day's check, as its owner and the area's manager are warned of it: once per gap per check. */
export interface RotaGapWarning extends CoverageGap {
  /** The day of the check that found it. */
  checkDate: LocalDate;
  /**
   * Names the warning in keys, Notify references and logs (check day, area, tier, the gap's start; no personal
   * data), so every sweep of that day that finds the same gap lands on the same warning.
   */
  warningId: string;
}

/** The warnings of a check's gaps. The gaps are taken from the start of the window, so their ids do not move with the sweep's minute. */
export function rotaGapWarnings(checkDate: LocalDate, gaps: readonly CoverageGap[]): RotaGapWarning[] {
  return gaps.map((gap) => ({ ...gap, checkDate, warningId: rotaGapWarningId(checkDate, gap) }));
}

export function rotaGapWarningId(
  checkDate: LocalDate,
  gap: Pick<CoverageGap, 'localAuthority' | 'tier' | 'from'>,
): string {
  return `rotagap-${checkDate.replaceAll('-', '')}-${gap.localAuthority}-${gap.tier}-${gap.from.replace(/[^0-9TZ]/g, '').replace(/000Z$/, 'Z')}`;
}
