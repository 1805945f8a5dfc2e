/**
 * Read aggregate figures for a period: one Query per series (never a Scan), summed into days, ISO weeks
 * or months in Europe/London.
 */
import { anyDimension, families, seriesKey, type Dimensions, type Family } from '#domain/aggregates';
import { isoWeek, month, type LocalDate } from '#domain/calendar';
import { combineOf } from '#domain/metrics';

export type Granularity = 'day' | 'week' | 'month' | 'total';

export interface AggregateQuery {
  family: Family;
  /** A value per dimension of the family to filter on; a dimension left out is summed over. */
  dimensions?: Partial<Dimensions>;
  from?: LocalDate;
  to?: LocalDate;
  granularity?: Granularity;
}

export interface CounterRow {
  date: LocalDate;
  counts: Record<string, number>;
}

export interface AggregateReader {
  /** Counter items of one series with from <= date <= to, in date order. */
  series(pk: string, from: LocalDate, to: LocalDate): Promise<CounterRow[]>;
}

export interface AggregateResult {
  family: Family;
  dimensions: Record<string, string>;
  from: LocalDate;
  to: LocalDate;
  granularity: Granularity;
  periods: { period: string; counts: Record<string, number> }[];
  totals: Record<string, number>;
}

export async function queryAggregates(
  query: AggregateQuery,
  reader: AggregateReader,
): Promise<AggregateResult> {
  const dimensions = Object.fromEntries(
    (families[query.family] as readonly string[]).map((name) => [
      name,
      (query.dimensions as Record<string, string | undefined> | undefined)?.[name] ?? anyDimension,
    ]),
  );
  const from = query.from ?? '0000-01-01';
  const to = query.to ?? '9999-12-31';
  const granularity = query.granularity ?? 'day';
  const rows = await reader.series(seriesKey(query.family, dimensions as Partial<Dimensions>), from, to);

  const periods = new Map<string, Record<string, number>>();
  const totals: Record<string, number> = {};
  for (const row of rows) {
    const period = periodOf(row.date, granularity);
    const counts = periods.get(period) ?? {};
    for (const [name, n] of Object.entries(row.counts)) {
      // A daily maximum (ackMinutes.max) stays a maximum over a week; every other counter adds up.
      const combine = combineOf(query.family, name) === 'max' ? Math.max : (a: number, b: number) => a + b;
      counts[name] = counts[name] === undefined ? n : combine(counts[name], n);
      totals[name] = totals[name] === undefined ? n : combine(totals[name], n);
    }
    periods.set(period, counts);
  }
  return {
    family: query.family,
    dimensions,
    from,
    to,
    granularity,
    periods: [...periods].map(([period, counts]) => ({ period, counts: sortedKeys(counts) })),
    totals: sortedKeys(totals),
  };
}

/** The period a local day falls in: the day, its ISO week (`2026-W47`), its month (`2026-11`) or `total`. */
export function periodOf(date: LocalDate, granularity: Granularity): string {
  return granularity === 'day'
    ? date
    : granularity === 'week'
      ? isoWeek(date)
      : granularity === 'month'
        ? month(date)
        : 'total';
}

function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
