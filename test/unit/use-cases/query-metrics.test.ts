import { describe, expect, it } from 'vitest';
import { metricNamed } from '#domain/metrics';
import type { AggregateReader, CounterRow } from '#use-cases/query-aggregates';
import { periodsBetween, queryMetrics } from '#use-cases/query-metrics';

/** Counter rows held in memory, read the way the DynamoDB adapter reads them: one series, a date range. */
function reader(series: Record<string, CounterRow[]>): AggregateReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async series(pk, from, to) {
      asked.push(pk);
      return (series[pk] ?? []).filter((r) => r.date >= from && r.date <= to);
    },
  };
}

describe('queryMetrics', () => {
  const alerts = reader({
    'alerts#la=E06000005#prison=*': [
      {
        date: '2026-11-16',
        counts: {
          raised: 2,
          acknowledged: 2,
          'ackMinutes.sum': 20,
          'ackMinutes.count': 2,
          'ackMinutes.max': 12,
        },
      },
      {
        date: '2026-11-20',
        counts: {
          raised: 1,
          acknowledged: 1,
          'ackMinutes.sum': 30,
          'ackMinutes.count': 1,
          'ackMinutes.max': 30,
        },
      },
      { date: '2026-12-01', counts: { raised: 1 } },
    ],
  });
  const names = [
    'alerts.raised',
    'alerts.ackMinutes.max',
    'alerts.ackMinutes.mean',
    'alerts.acknowledged.rate',
  ];

  it('reads one series per family, lists every period with zeros where nothing happened, and keeps a maximum a maximum', async () => {
    const result = await queryMetrics(
      {
        metrics: names.map((n) => metricNamed(n)!),
        dimensions: { la: 'E06000005' },
        from: '2026-11-16',
        to: '2026-12-06',
        granularity: 'week',
      },
      alerts,
    );
    expect(alerts.asked).toEqual(['alerts#la=E06000005#prison=*']);
    expect(result.periods.map((p) => p.period)).toEqual(['2026-W47', '2026-W48', '2026-W49']);
    expect(result.periods[0]!.values).toEqual({
      'alerts.raised': { value: 3 },
      'alerts.ackMinutes.max': { value: 30 },
      'alerts.ackMinutes.mean': { value: 16.7, numerator: 50, denominator: 3 },
      'alerts.acknowledged.rate': { value: 100, numerator: 3, denominator: 3 },
    });
    expect(result.periods[1]!.values['alerts.acknowledged.rate']).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
    expect(result.totals['alerts.raised']).toEqual({ value: 4 });
    expect(result.totals['alerts.acknowledged.rate']).toEqual({ value: 75, numerator: 3, denominator: 4 });
  });

  it('names periods as ISO weeks across a year end and as months', () => {
    expect(periodsBetween('2026-12-28', '2027-01-05', 'week')).toEqual(['2026-W53', '2027-W01']);
    expect(periodsBetween('2026-11-30', '2027-01-01', 'month')).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(periodsBetween('2026-11-30', '2026-11-30', 'total')).toEqual(['total']);
  });
});
