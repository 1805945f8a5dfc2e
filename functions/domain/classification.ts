/**
 * The release rules of design.md: which releases are late-week, late-day, unplanned, on a non-working day,
 * and how urgent they are. Pure: the calendar and the cut-off are passed in.
 */
import type { Accommodation, AftercarePlan } from './circumstances';
import {
  addDays,
  londonTime,
  missingBankHolidayYears,
  type LocalDate,
  type WorkingCalendar,
} from './calendar';

export type Urgency = 'CRITICAL' | 'HIGH' | 'ROUTINE';

export interface ReleaseFlags {
  lateWeek: boolean;
  nonWorkingDay: boolean;
  lateDay: boolean;
  unplanned: boolean;
  noFixedAbode: boolean;
  noAftercarePlan: boolean;
  /**
   * The bank holidays of the release day's year (or of the next day's) are not loaded, so whether it is a
   * working day, or the last one before a break, is not known: treated as possibly non-working.
   */
  bankHolidaysUnknown: boolean;
}

export interface Classification {
  /** Local date the classification is about: the release date, or the scheduled date before release. */
  date: LocalDate;
  /** Local time of release (HH:mm), when known. */
  time?: string;
  flags: ReleaseFlags;
  urgency: Urgency;
  /** Why, in words a housing worker uses. */
  reasons: string[];
}

export interface ReleaseRules {
  calendar: WorkingCalendar;
  /** Local time from which a release counts as late in the day, 'HH:mm'. */
  lateDayFrom: string;
}

export interface ReleaseFacts {
  /** The actual release instant, when released. */
  releasedAt?: string;
  /** The scheduled local date: what a case is classified on until the release is reported. */
  scheduledFor?: LocalDate;
  planned: boolean;
  /** An approved address to go to (home detention curfew): not of no fixed abode, whatever else is on record. */
  addressApproved?: boolean;
  accommodation?: Accommodation;
  aftercarePlan?: AftercarePlan;
}

export function classifyRelease(facts: ReleaseFacts, rules: ReleaseRules): Classification {
  const local = facts.releasedAt ? londonTime(facts.releasedAt) : undefined;
  const date = local?.date ?? facts.scheduledFor;
  if (!date) throw new Error('a release needs a release time or a scheduled date to be classified');

  const { calendar } = rules;
  const missingYears = missingBankHolidayYears(calendar, date);
  const flags: ReleaseFlags = {
    lateWeek: calendar.isLateWeek(date),
    nonWorkingDay: calendar.isNonWorkingDay(date),
    lateDay: local !== undefined && local.minutesOfDay >= minutesOf(rules.lateDayFrom),
    unplanned: !facts.planned,
    noFixedAbode:
      facts.accommodation === 'NO_FIXED_ABODE' ||
      (!facts.addressApproved && (facts.accommodation === undefined || facts.accommodation === 'UNKNOWN')),
    noAftercarePlan: facts.aftercarePlan === undefined || facts.aftercarePlan !== 'IN_PLACE',
    bankHolidaysUnknown: missingYears.length > 0,
  };

  // A day the calendar cannot vouch for is never silently a working day: it may be a bank holiday or the eve of one.
  const hardToReach =
    flags.unplanned || flags.nonWorkingDay || (flags.lateWeek && flags.lateDay) || flags.bankHolidaysUnknown;
  const needsHelp = flags.noFixedAbode || flags.noAftercarePlan;
  const urgency: Urgency = hardToReach && needsHelp ? 'CRITICAL' : needsHelp ? 'HIGH' : 'ROUTINE';

  return {
    date,
    ...(local ? { time: local.time } : {}),
    flags,
    urgency,
    reasons: reasonsFor(flags, date, local?.time, !local, rules, missingYears),
  };
}

/** A scheduled case is classified on its scheduled date and told in the future tense; a release in the past. */
function reasonsFor(
  flags: ReleaseFlags,
  date: LocalDate,
  time: string | undefined,
  expected: boolean,
  rules: ReleaseRules,
  missingYears: number[],
): string[] {
  const reasons: string[] = [];
  const { calendar } = rules;
  const holiday = calendar.bankHolidayName(date);
  const released = expected ? 'Due for release' : 'Released';
  if (flags.unplanned)
    reasons.push('Unplanned release: no release was scheduled, so no pre-release support was arranged');
  if (flags.nonWorkingDay) {
    if (calendar.isBankHoliday(date))
      reasons.push(`${released} on a bank holiday (${holiday}): services are closed`);
    else reasons.push(`${released} at the weekend${holiday ? ` (${holiday})` : ''}: services are closed`);
  }
  if (flags.lateWeek) {
    const next = addDays(date, 1);
    const holidayAfter = calendar.bankHolidayName(next);
    reasons.push(
      `${released} on the last working day before ${calendar.isBankHoliday(next) ? `a bank holiday (${holidayAfter})` : `the weekend${holidayAfter ? ` (${holidayAfter})` : ''}`}`,
    );
  }
  if (flags.bankHolidaysUnknown) {
    const years = missingYears.join(' and ');
    reasons.push(
      `Possibly a non-working day: bank holidays for ${years} are not loaded, so ${date} may be a bank holiday or the last working day before one`,
    );
  }
  if (flags.lateDay && time)
    reasons.push(`Released late in the day (${time}), when housing and treatment services are closing`);
  if (flags.noFixedAbode)
    reasons.push(
      expected
        ? 'No fixed abode arranged for release, or accommodation not known'
        : 'No fixed abode on release, or accommodation not known',
    );
  if (flags.noAftercarePlan) reasons.push('No aftercare plan in place');
  return reasons;
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
