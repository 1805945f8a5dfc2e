import { describe, expect, it } from 'vitest';
import { parseAggregatesQuery, parseMetricQuery } from '#handlers/metric-requests';

const q = (params: Record<string, string>) => new URLSearchParams(params);
const errorsOf = (result: { ok: true } | { ok: false; errors: { path: string; expected: string }[] }) =>
  result.ok ? [] : result.errors;

describe('the figures routes read their query strings in the same words', () => {
  it('names an impossible date and says it is not a real date (metric form and export)', () => {
    expect(
      errorsOf(parseMetricQuery(q({ metric: 'releases.total', from: '2026-02-31', to: '2026-03-31' }))),
    ).toEqual([{ path: 'from', expected: 'a real date (2026-02-31 is not a real date)' }]);
  });

  it('says a missing date is required, instead of "a string"', () => {
    expect(errorsOf(parseMetricQuery(q({ metric: 'releases.total', from: '2026-02-01' })))).toEqual([
      { path: 'to', expected: 'a date as YYYY-MM-DD (the field is required)' },
    ]);
  });

  it('names an impossible date on the raw counters too', () => {
    expect(
      errorsOf(parseAggregatesQuery(q({ family: 'releases', from: '2026-11-01', to: '2026-11-31' }))),
    ).toEqual([{ path: 'to', expected: 'a real date (2026-11-31 is not a real date)' }]);
  });

  it('refuses a filter a family is not broken down by, as the metric form does', () => {
    expect(errorsOf(parseAggregatesQuery(q({ family: 'files', la: 'E06000005' })))).toEqual([
      {
        path: 'la',
        expected: 'no la filter with family files, which is broken down by partner and kind only',
      },
    ]);
    expect(
      errorsOf(
        parseMetricQuery(
          q({ metric: 'files.received', from: '2026-11-01', to: '2026-11-30', la: 'E06000005' }),
        ),
      ),
    ).toEqual([
      {
        path: 'la',
        expected: 'no la filter with metric files.received, which is broken down by partner and kind only',
      },
    ]);
  });

  it('names an unknown family or granularity and a filter value that cannot be a code', () => {
    expect(
      errorsOf(parseAggregatesQuery(q({ family: 'people' }))).map((e: { path: string }) => e.path),
    ).toEqual(['family']);
    expect(
      errorsOf(parseAggregatesQuery(q({ granularity: 'fortnight' }))).map((e: { path: string }) => e.path),
    ).toEqual(['granularity']);
    expect(errorsOf(parseAggregatesQuery(q({ la: 'E06000005#prison=DMI' })))).toEqual([
      { path: 'la', expected: 'a code of letters, digits, - or _, or * for all' },
    ]);
  });

  it('reads a good raw query into the family, its filters and the period', () => {
    expect(
      parseAggregatesQuery(
        q({
          family: 'files',
          partner: 'darlington-housing',
          from: '2026-11-01',
          to: '2026-11-30',
          granularity: 'week',
        }),
      ),
    ).toEqual({
      ok: true,
      query: {
        family: 'files',
        granularity: 'week',
        dimensions: { partner: 'darlington-housing' },
        from: '2026-11-01',
        to: '2026-11-30',
      },
    });
    expect(parseAggregatesQuery(q({}))).toEqual({
      ok: true,
      query: { family: 'releases', granularity: 'total', dimensions: {} },
    });
  });
});
