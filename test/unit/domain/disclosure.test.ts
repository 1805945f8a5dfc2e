import { describe, expect, it } from 'vitest';
import { suppressCounters, suppressFigures, suppressedText, type Figures } from '#domain/disclosure';
import { metricNamed, type Metric } from '#domain/metrics';

const m = (...names: string[]): Metric[] => names.map((n) => metricNamed(n)!);
const fig = (periods: Record<string, number>[], totals: Record<string, number>): Figures => ({
  periods: periods.map((values, i) => ({
    period: `2025-W0${i + 1}`,
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])),
  })),
  totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, { value: v }])),
});
const shown = (v: { value: number | null } | { suppressed: string }) =>
  'suppressed' in v ? v.suppressed : v.value;

describe('small-cell suppression of published figures (issue 15, 6)', () => {
  it('shows 1 to 4 as "fewer than 5", and 0 and 5 or more as they are', () => {
    const out = suppressFigures(
      fig([{ 'releases.need.DRUGS_AND_ALCOHOL': 1, 'releases.noFixedAbode': 0, 'releases.total': 5 }], {
        'releases.need.DRUGS_AND_ALCOHOL': 1,
        'releases.noFixedAbode': 0,
        'releases.total': 5,
      }),
      m('releases.need.DRUGS_AND_ALCOHOL', 'releases.noFixedAbode', 'releases.total'),
    );
    expect(Object.values(out.totals).map(shown)).toEqual([suppressedText, 0, 5]);
  });

  it('suppresses a second period so the total does not give the first away', () => {
    const out = suppressFigures(
      fig([{ 'releases.total': 3 }, { 'releases.total': 6 }, { 'releases.total': 9 }], {
        'releases.total': 18,
      }),
      m('releases.total'),
    );
    expect(out.periods.map((p) => shown(p.values['releases.total']!))).toEqual([
      suppressedText,
      suppressedText,
      9,
    ]);
    expect(shown(out.totals['releases.total']!)).toBe(18);
  });

  it('suppresses the total when no other period could hide the one suppressed', () => {
    const out = suppressFigures(
      fig([{ 'releases.total': 2 }, { 'releases.total': 0 }], { 'releases.total': 2 }),
      m('releases.total'),
    );
    expect(shown(out.totals['releases.total']!)).toBe(suppressedText);
  });

  it('does not let the whole minus one part give the other part away (planned + unplanned = releases)', () => {
    const names = ['releases.total', 'releases.planned', 'releases.unplanned'];
    const out = suppressFigures(
      fig([{ 'releases.total': 12, 'releases.planned': 2, 'releases.unplanned': 10 }], {
        'releases.total': 12,
        'releases.planned': 2,
        'releases.unplanned': 10,
      }),
      m(...names),
    );
    expect(names.map((n) => shown(out.totals[n]!))).toEqual([12, suppressedText, suppressedText]);
  });

  it('suppresses a rate whose numerator, denominator or complement is small, with its counts', () => {
    const values = { value: 25, numerator: 2, denominator: 8 };
    const out = suppressFigures(
      { periods: [], totals: { 'releases.noFixedAbode.rate': values } },
      m('releases.noFixedAbode.rate'),
    );
    expect(out.totals['releases.noFixedAbode.rate']).toEqual({ value: null, suppressed: suppressedText });
    const fine = suppressFigures(
      {
        periods: [],
        totals: { 'releases.noFixedAbode.rate': { value: 50, numerator: 10, denominator: 20 } },
      },
      m('releases.noFixedAbode.rate'),
    );
    expect(fine.totals['releases.noFixedAbode.rate']).toEqual({ value: 50, numerator: 10, denominator: 20 });
  });

  it('suppresses raw counters the same way, leaving file counts and minutes alone', () => {
    const out = suppressCounters([{ period: '2025-02-03', counts: { total: 1, 'ackMinutes.sum': 3 } }], {
      total: 1,
      'ackMinutes.sum': 3,
    });
    expect(out.totals).toEqual({ total: suppressedText, 'ackMinutes.sum': 3 });
  });
});
