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
import type { RecordableFact } from './custody-facts';
import { isReleased, type PersonReleases, type ReleaseCase } from './release-case';

export const anyDimension = '*';

/**
 * Counter families and the dimensions each is broken down by, in key order. A family's figures can be
 * filtered by any of its dimensions (a query parameter of the same name) or summed over it (`*`).
 */
export const families = {
  releases: ['la', 'prison'],
  movements: ['la', 'prison'],
  alerts: ['la', 'prison'],
  files: ['partner', 'kind'],
  accommodation: ['la'],
} as const satisfies Record<string, readonly string[]>;

export type Family = keyof typeof families;
export type Dimensions<F extends Family = Family> = Record<(typeof families)[F][number], string>;

/** What to add to one counter series on one local day. */
export type CounterDelta = {
  [F in Family]: { family: F; dimensions: Dimensions<F>; date: LocalDate; counts: Record<string, number> };
}[Family];

/** The partition key of a counter series: the family and a value (or `*`) for each of its dimensions. */
export function seriesKey<F extends Family>(family: F, dimensions: Partial<Dimensions<F>>): string {
  const names = families[family] as readonly string[];
  return [
    family,
    ...names.map(
      (name) => `${name}=${(dimensions as Record<string, string | undefined>)[name] ?? anyDimension}`,
    ),
  ].join('#');
}

/**
 * Each counted fact is written to its own series and to every roll-up with one or more dimensions
 * replaced by `*` (area and prison; area only; prison only; all) — so any filter is one Query, never a Scan.
 */
export function rollUps(delta: CounterDelta): SeriesDay[] {
  const names = families[delta.family] as readonly string[];
  const values = delta.dimensions as Record<string, string>;
  let combinations: Record<string, string>[] = [{}];
  for (const name of names)
    combinations = combinations.flatMap((c) => [
      { ...c, [name]: values[name]! },
      { ...c, [name]: anyDimension },
    ]);
  return combinations.map((dims) => ({
    series: seriesKey(delta.family, dims as Partial<Dimensions>),
    date: delta.date,
    counts: delta.counts,
  }));
}

/** What to add to one series on one day (where it is stored is the adapters' business: keys.ts). */
export interface SeriesDay {
  series: string;
  date: LocalDate;
  counts: Record<string, number>;
}

/** The deltas rolled up and summed per series and day: what one write adds to each counter item. */
export function rolledUp(deltas: readonly CounterDelta[]): SeriesDay[] {
  const merged = new Map<string, SeriesDay>();
  for (const item of deltas.flatMap(rollUps)) {
    const key = `${item.series}|${item.date}`;
    const target = merged.get(key) ?? { series: item.series, date: item.date, counts: {} };
    for (const [name, n] of Object.entries(item.counts)) target.counts[name] = (target.counts[name] ?? 0) + n;
    merged.set(key, target);
  }
  return [...merged.values()];
}

/**
 * What one release case adds to the release figures (nothing until the person has actually been released).
 * The board's releases are the partnership's (scope.ts); a release that is not ours adds only `notOurs`, by prison.
 */
export function releaseContribution(c: ReleaseCase | undefined): CounterDelta[] {
  if (!c || !isReleased(c) || !c.releasedAt) return [];
  const { flags, urgency } = c.classification;
  const { needs, cohorts } = c.circumstances;
  const date = londonTime(c.releasedAt).date;
  const dimensions = { la: c.circumstances.destinationLocalAuthority ?? 'UNKNOWN', prison: c.prisonId };
  if (c.ours === false) return [{ family: 'releases', dimensions, date, counts: { notOurs: 1 } }];
  const counts: Record<string, number> = {
    total: 1,
    [`kind.${c.kind ?? 'OTHER'}`]: 1,
    planned: flags.unplanned ? 0 : 1,
    unplanned: flags.unplanned ? 1 : 0,
    lateWeek: flags.lateWeek ? 1 : 0,
    nonWorkingDay: flags.nonWorkingDay ? 1 : 0,
    lateDay: flags.lateDay ? 1 : 0,
    lateWeekLateDay: flags.lateWeek && flags.lateDay ? 1 : 0,
    noFixedAbode: flags.noFixedAbode ? 1 : 0,
    noAftercarePlan: flags.noAftercarePlan ? 1 : 0,
    // A release the calendar could not vouch for (its year's bank holidays not loaded).
    bankHolidaysUnknown: flags.bankHolidaysUnknown ? 1 : 0,
    [`urgency.${urgency}`]: 1,
    [`weekday.${weekdayName(date)}`]: 1,
    [`accommodation.${c.circumstances.accommodation ?? 'UNKNOWN'}`]: 1,
  };
  for (const need of needs) counts[`need.${need}`] = 1;
  for (const [a, b] of pairs(needs)) counts[`needPair.${a}+${b}`] = 1;
  for (const cohort of cohorts) counts[`cohort.${cohort}`] = 1;
  counts[`needCount.${Math.min(needs.length, 4)}${needs.length >= 4 ? '+' : ''}`] = 1;
  return [{ family: 'releases', dimensions, date, counts: withoutZeros(counts) }];
}

/**
 * What all of a person's cases add to the release figures. A transition writes the difference between this
 * before and after, so an event that merges, splits or corrects cases moves each release to its right counts.
 */
export function personContribution(
  person: PersonReleases | undefined,
  leaveOut: readonly ReleaseCase[] = [],
): CounterDelta[] {
  const left = new Set(leaveOut.map((c) => c.caseRef));
  return (person?.cases ?? []).filter((c) => !left.has(c.caseRef)).flatMap(releaseContribution);
}

/**
 * What one HMPPS movement adds to the `movements` figures, once, when it is first recorded, on the day it happened:
 * `kind.{KIND}` (the movement table's kind), `release.{RELEASE_KIND}` for releases to the community, `reviewNeeded`,
 * and `recordedLate` when it arrived too late to page anyone. HMPPS does not say where a person went, so movements
 * are counted by prison with the area `UNKNOWN`; the partnership's releases by area are in `releases`.
 */
export function movementContribution(
  event: Pick<RecordableFact, 'occurredAt' | 'prisonId' | 'movement'>,
  recordedLate = false,
): CounterDelta[] {
  const { movement } = event;
  if (!movement?.counted) return [];
  const counts: Record<string, number> = { [`kind.${movement.kind}`]: 1 };
  if (movement.releaseKind) counts[`release.${movement.releaseKind}`] = 1;
  if (movement.reviewNeeded) counts.reviewNeeded = 1;
  if (recordedLate) counts.recordedLate = 1;
  return [
    {
      family: 'movements',
      dimensions: { la: 'UNKNOWN', prison: event.prisonId },
      date: londonTime(event.occurredAt).date,
      counts,
    },
  ];
}

/** after − before, merged per counter item, with zero counts and empty items dropped. */
export function difference(before: CounterDelta[], after: CounterDelta[]): CounterDelta[] {
  const merged = new Map<string, CounterDelta>();
  const add = (d: CounterDelta, sign: 1 | -1) => {
    const key = [seriesKey(d.family, d.dimensions), d.date].join('|');
    const target = merged.get(key) ?? { ...d, counts: {} };
    for (const [name, n] of Object.entries(d.counts))
      target.counts[name] = (target.counts[name] ?? 0) + sign * n;
    merged.set(key, target);
  };
  for (const d of before) add(d, -1);
  for (const d of after) add(d, 1);
  return [...merged.values()]
    .map((d) => ({ ...d, counts: withoutZeros(d.counts) }))
    .filter((d) => Object.keys(d.counts).length > 0);
}

/** Unordered pairs of distinct values, each pair in sorted order. */
export function pairs<T extends string>(values: readonly T[]): [T, T][] {
  const sorted = [...new Set(values)].sort();
  return sorted.flatMap((a, i) => sorted.slice(i + 1).map((b) => [a, b] as [T, T]));
}

function withoutZeros(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}
