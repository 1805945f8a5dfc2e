/**
 * Metrics for a period, broken down by day, ISO week or month (Europe/London):
 *   1. one aggregate query per family the metrics read (each one DynamoDB Query, never a Scan);
 *   2. every period from `from` to `to` is listed, with zeros where nothing was counted, so a chart
 *      of weeks has no holes;
 *   3. each metric's value per period and over the whole range (rates with numerator and denominator).
 */
import type { Family } from '#domain/aggregates';
import { addDays, type LocalDate } from '#domain/calendar';
import { metricValue, type Metric, type MetricValue } from '#domain/metrics';
import { periodOf, queryAggregates, type AggregateReader, type Granularity } from './query-aggregates';

export interface MetricQuery {
  metrics: readonly Metric[];
  /** A value per dimension to filter on; every metric's family must have each of them. */
  dimensions: Record<string, string>;
  from: LocalDate;
  to: LocalDate;
  granularity: Granularity;
}

export interface MetricResult {
  from: LocalDate;
  to: LocalDate;
  granularity: Granularity;
  dimensions: Record<string, string>;
  metrics: Metric[];
  periods: { period: string; values: Record<string, MetricValue> }[];
  totals: Record<string, MetricValue>;
}

export async function queryMetrics(query: MetricQuery, reader: AggregateReader): Promise<MetricResult> {
  const { from, to, granularity } = query;
  const familiesRead = [...new Set(query.metrics.map((m) => m.family))];
  const answers = new Map(
    await Promise.all(
      familiesRead.map(
        async (family) =>
          [
            family,
            await queryAggregates({ family, dimensions: query.dimensions, from, to, granularity }, reader),
          ] as const,
      ),
    ),
  );
  const countsOf = (family: Family, period: string) =>
    answers.get(family)!.periods.find((p) => p.period === period)?.counts ?? {};
  const valuesOf = (counts: (family: Family) => Record<string, number>) =>
    Object.fromEntries(query.metrics.map((m) => [m.name, metricValue(m, counts(m.family))]));

  return {
    from,
    to,
    granularity,
    dimensions: query.dimensions,
    metrics: [...query.metrics],
    periods: periodsBetween(from, to, granularity).map((period) => ({
      period,
      values: valuesOf((family) => countsOf(family, period)),
    })),
    totals: valuesOf((family) => answers.get(family)!.totals),
  };
}

/** Every period that has at least one day in from..to, in order. */
export function periodsBetween(from: LocalDate, to: LocalDate, granularity: Granularity): string[] {
  const periods: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const period = periodOf(day, granularity);
    if (periods.at(-1) !== period) periods.push(period);
  }
  return periods;
}
