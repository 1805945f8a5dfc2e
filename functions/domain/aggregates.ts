/**
 * Aggregate counters: exact figures with no personal data.
 *
 * A counter item is one (family, area, prison, local day); its attributes are named counts.
 * Every release case *contributes* counts; a transition writes the difference between the case's
 * contribution before and after. So a late or corrected event moves a release from one count to another
 * instead of counting it twice, and the totals always equal the sum over the cases as they now stand.
 */
import type { LocalDate } from './calendar';
import { weekdayName, londonTime } from './calendar';
import { isReleased, type ReleaseCase } from './release-case';

export const anyDimension = '*';

export interface CounterDelta {
  family: string;
  localAuthority: string;
  prisonId: string;
  date: LocalDate;
  counts: Record<string, number>;
}

/** The partition key of a counter series: family plus its two dimensions (`*` = all). */
export function seriesKey(family: string, localAuthority: string, prisonId: string): string {
  return `${family}#la=${localAuthority}#prison=${prisonId}`;
}

/**
 * Each counted fact is written to the series for its area and prison, and to the roll-ups across
 * areas, across prisons and across both — so a filter is one Query and never a Scan.
 */
export function rollUps(delta: CounterDelta): { pk: string; sk: string; counts: Record<string, number> }[] {
  const las = [delta.localAuthority, anyDimension];
  const prisons = [delta.prisonId, anyDimension];
  return las.flatMap((la) => prisons.map((prison) => ({ pk: seriesKey(delta.family, la, prison), sk: delta.date, counts: delta.counts })));
}

/** What one release case adds to the release figures (nothing until the person has actually been released). */
export function releaseContribution(c: ReleaseCase | undefined): CounterDelta[] {
  if (!c || !isReleased(c) || !c.releasedAt) return [];
  const { flags, urgency } = c.classification;
  const { needs, cohorts } = c.circumstances;
  const date = londonTime(c.releasedAt).date;
  const counts: Record<string, number> = {
    total: 1,
    planned: flags.unplanned ? 0 : 1,
    unplanned: flags.unplanned ? 1 : 0,
    lateWeek: flags.lateWeek ? 1 : 0,
    nonWorkingDay: flags.nonWorkingDay ? 1 : 0,
    lateDay: flags.lateDay ? 1 : 0,
    lateWeekLateDay: flags.lateWeek && flags.lateDay ? 1 : 0,
    noFixedAbode: flags.noFixedAbode ? 1 : 0,
    noAftercarePlan: flags.noAftercarePlan ? 1 : 0,
    [`urgency.${urgency}`]: 1,
    [`weekday.${weekdayName(date)}`]: 1,
    [`accommodation.${c.circumstances.accommodation ?? 'UNKNOWN'}`]: 1,
  };
  for (const need of needs) counts[`need.${need}`] = 1;
  for (const [a, b] of pairs(needs)) counts[`needPair.${a}+${b}`] = 1;
  for (const cohort of cohorts) counts[`cohort.${cohort}`] = 1;
  counts[`needCount.${Math.min(needs.length, 4)}${needs.length >= 4 ? '+' : ''}`] = 1;
  return [
    {
      family: 'releases',
      localAuthority: c.circumstances.destinationLocalAuthority ?? 'UNKNOWN',
      prisonId: c.prisonId,
      date,
      counts: withoutZeros(counts),
    },
  ];
}

/** after − before, merged per counter item, with zero counts and empty items dropped. */
export function difference(before: CounterDelta[], after: CounterDelta[]): CounterDelta[] {
  const merged = new Map<string, CounterDelta>();
  const add = (d: CounterDelta, sign: 1 | -1) => {
    const key = [d.family, d.localAuthority, d.prisonId, d.date].join('|');
    const target = merged.get(key) ?? { ...d, counts: {} };
    for (const [name, n] of Object.entries(d.counts)) target.counts[name] = (target.counts[name] ?? 0) + sign * n;
    merged.set(key, target);
  };
  before.forEach((d) => add(d, -1));
  after.forEach((d) => add(d, 1));
  return [...merged.values()].map((d) => ({ ...d, counts: withoutZeros(d.counts) })).filter((d) => Object.keys(d.counts).length > 0);
}

/** Unordered pairs of distinct values, each pair in sorted order. */
export function pairs<T extends string>(values: readonly T[]): [T, T][] {
  const sorted = [...new Set(values)].sort();
  return sorted.flatMap((a, i) => sorted.slice(i + 1).map((b) => [a, b] as [T, T]));
}

function withoutZeros(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}
