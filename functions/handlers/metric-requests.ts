/**
 * The query string of `GET /aggregates?metric=…`, `GET /aggregates/export.csv` and `GET /aggregates?family=…`,
 * checked into a query or a list of errors naming each parameter and what was expected (the same words on every
 * route: an impossible date, a missing one, a filter the figures are not broken down by); and the CSV of an answer.
 */
import * as z from 'zod';
import { localDate } from '#events/custody-event';
import { fieldErrors, type FieldError } from '#events/validation';
import { anyDimension, families, type Family } from '#domain/aggregates';
import { dayNumber, isLocalDate } from '#domain/calendar';
import { csv } from '#domain/csv';
import { dimensionsOf, metrics, selectMetrics, type Metric } from '#domain/metrics';
import type { MetricQuery, MetricResult } from '#use-cases/query-metrics';
import type { AggregateQuery } from '#use-cases/query-aggregates';
import { suppressedText } from '#domain/disclosure';

/** Five years of days at most in one answer. */
const maxDays = 5 * 366;

export const dimensionNames = [...new Set(Object.values(families).flat())] as string[];

// Dimension values become part of a DynamoDB key, where `#` and `=` separate its parts.
const dimensionPattern = /^(\*|[A-Za-z0-9_-]{1,64})$/;
const dimensionValue = z.string().regex(dimensionPattern, 'a code of letters, digits, - or _, or * for all');

export function isDimensionValue(value: string): boolean {
  return dimensionPattern.test(value);
}

const granularity = z.enum(['day', 'week', 'month', 'total']).default('total');
const dimensionParameters = Object.fromEntries(
  dimensionNames.map((name) => [name, dimensionValue.optional()]),
);
// Zod runs an object's refinements even when a field failed: compare only dates that exist.
const bothDates = (p: { from?: string; to?: string }) =>
  typeof p.from === 'string' && typeof p.to === 'string' && isLocalDate(p.from) && isLocalDate(p.to);

const parameters = z
  .object({
    metric: z.string().optional(),
    from: localDate,
    to: localDate,
    granularity,
    ...dimensionParameters,
  })
  .refine((p) => !bothDates(p) || p.from <= p.to, { path: ['to'], message: 'a date on or after from' })
  .refine((p) => !bothDates(p) || p.from > p.to || dayNumber(p.to) - dayNumber(p.from) < maxDays, {
    path: ['to'],
    message: `at most ${maxDays} days after from`,
  });

const rawParameters = z
  .object({
    family: z.enum(Object.keys(families) as [Family, ...Family[]]).default('releases'),
    from: localDate.optional(),
    to: localDate.optional(),
    granularity,
    ...dimensionParameters,
  })
  .refine((p) => !bothDates(p) || p.from! <= p.to!, { path: ['to'], message: 'a date on or after from' });

/** A filter the figures are not broken down by is refused, in the same words whichever route was asked. */
function notBrokenDownBy(name: string, what: string, dimensions: readonly string[]): FieldError {
  return {
    path: name,
    expected: `no ${name} filter with ${what}, which is broken down by ${dimensions.join(' and ')} only`,
  };
}

/** `GET /aggregates?family=…`: one family's raw counters; `from` and `to` are optional there. */
export function parseAggregatesQuery(
  query: URLSearchParams,
): { ok: true; query: AggregateQuery } | { ok: false; errors: FieldError[] } {
  const parsed = rawParameters.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const p = parsed.data as Record<string, string | undefined> & z.infer<typeof rawParameters>;
  const own = families[p.family] as readonly string[];
  const errors = dimensionNames
    .filter((name) => p[name] !== undefined && !own.includes(name))
    .map((name) => notBrokenDownBy(name, `family ${p.family}`, own));
  if (errors.length > 0) return { ok: false, errors };
  const dimensions = Object.fromEntries(own.flatMap((name) => (p[name] ? [[name, p[name]!]] : [])));
  return {
    ok: true,
    query: {
      family: p.family,
      granularity: p.granularity,
      dimensions,
      ...(p.from ? { from: p.from } : {}),
      ...(p.to ? { to: p.to } : {}),
    },
  };
}

/**
 * `metric` is a comma-separated list of metric names or prefixes ending in `*`. Without it, every metric
 * that can be filtered as asked (the export's default).
 */
export function parseMetricQuery(
  query: URLSearchParams,
): { ok: true; query: MetricQuery } | { ok: false; errors: FieldError[] } {
  const parsed = parameters.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const p = parsed.data as Record<string, string | undefined> & z.infer<typeof parameters>;
  const dimensions = Object.fromEntries(
    dimensionNames.flatMap((name) => (p[name] && p[name] !== anyDimension ? [[name, p[name]!]] : [])),
  );
  const filteredBy = Object.keys(dimensions);
  const canFilter = (m: Metric) => filteredBy.every((name) => dimensionsOf(m).includes(name));

  if (!p.metric)
    return {
      ok: true,
      query: {
        metrics: metrics.filter(canFilter),
        dimensions,
        from: p.from,
        to: p.to,
        granularity: p.granularity,
      },
    };

  const errors: FieldError[] = [];
  const selected = new Map<string, Metric>();
  for (const selector of p.metric
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const found = selectMetrics(selector);
    if (found.length === 0)
      errors.push({
        path: 'metric',
        expected: `a metric listed by GET /metrics, or a prefix ending in * ('${selector}' is neither)`,
      });
    for (const m of found) selected.set(m.name, m);
  }
  for (const m of selected.values()) {
    for (const name of filteredBy.filter((n) => !dimensionsOf(m).includes(n)))
      errors.push(notBrokenDownBy(name, `metric ${m.name}`, dimensionsOf(m)));
  }
  if (selected.size === 0 && errors.length === 0)
    errors.push({ path: 'metric', expected: 'at least one metric name' });
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, 20) };
  return {
    ok: true,
    query: {
      metrics: [...selected.values()],
      dimensions,
      from: p.from,
      to: p.to,
      granularity: p.granularity,
    },
  };
}

/** One row per period and metric; the filters as columns, `all` where a dimension was summed over. */
export function metricsCsv(result: MetricResult): string {
  const used = dimensionNames.filter((name) => result.metrics.some((m) => dimensionsOf(m).includes(name)));
  const rows = result.periods.flatMap(({ period, values }) =>
    result.metrics.map((m) => {
      const v = values[m.name]!;
      return [
        period,
        m.name,
        m.meaning,
        m.unit,
        'suppressed' in v ? suppressedText : v.value,
        v.numerator,
        v.denominator,
        ...used.map((name) => (dimensionsOf(m).includes(name) ? (result.dimensions[name] ?? 'all') : '')),
      ];
    }),
  );
  return csv(['period', 'metric', 'meaning', 'unit', 'value', 'numerator', 'denominator', ...used], rows);
}
