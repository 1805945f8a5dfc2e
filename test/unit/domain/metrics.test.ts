import { describe, expect, it } from 'vitest';
import { families } from '#domain/aggregates';
import { csv, csvCell } from '#domain/csv';
import { metricNamed, metricValue, metrics, selectMetrics } from '#domain/metrics';

describe('the metric catalogue', () => {
  it('names each metric once, after its family, with a meaning and a unit', () => {
    expect(new Set(metrics.map((m) => m.name)).size).toBe(metrics.length);
    for (const m of metrics) {
      expect(m.name.startsWith(`${m.family}.`), m.name).toBe(true);
      expect(m.family in families).toBe(true);
      expect(m.meaning.length, m.name).toBeGreaterThan(10);
    }
  });

  it('builds every rate and mean from count metrics of its own family', () => {
    for (const m of metrics.filter((x) => x.kind !== 'count')) {
      for (const part of [...m.numerator, ...m.denominator])
        expect(metricNamed(part), `${m.name}: ${part}`).toMatchObject({ kind: 'count', family: m.family });
    }
  });

  it('covers the counters the other parts of Gatehouse write', () => {
    for (const name of [
      'releases.needPair.DRUGS_AND_ALCOHOL+HEALTH',
      'releases.needCount.4+',
      'movements.kind.TEMPORARY_ABSENCE_OUT',
      'movements.kind.COURT_RETURN',
      'movements.kind.DIED',
      'movements.release.HDC',
      'movements.recordedLate',
      'releases.kind.FROM_COURT',
      'releases.notOurs',
      'alerts.ackWithin.15to30',
      'alerts.escalated.PRE_RELEASE_WARNING',
      'files.rowsRejected',
      'accommodation.day28.CAS3',
      'accommodation.week12.total',
    ])
      expect(metricNamed(name), name).toBeDefined();
    expect(selectMetrics('releases.needPair.*')).toHaveLength(21);
    expect(selectMetrics('releases.nothing')).toEqual([]);
  });

  it('gives a rate as a percentage to one decimal place, with its numerator and denominator', () => {
    expect(metricValue(metricNamed('releases.lateWeek.rate')!, { lateWeek: 1, total: 3 })).toEqual({
      value: 33.3,
      numerator: 1,
      denominator: 3,
    });
    expect(
      metricValue(metricNamed('files.rowsRejected.rate')!, { rowsAccepted: 6, rowsRejected: 2 }),
    ).toEqual({ value: 25, numerator: 2, denominator: 8 });
    expect(
      metricValue(metricNamed('alerts.ackMinutes.mean')!, { 'ackMinutes.sum': 25, 'ackMinutes.count': 2 }),
    ).toEqual({ value: 12.5, numerator: 25, denominator: 2 });
  });

  it('gives no rate when there is nothing to divide by, and zero for a counter never written', () => {
    expect(metricValue(metricNamed('releases.lateWeek.rate')!, {})).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
    expect(metricValue(metricNamed('alerts.escalated')!, {})).toEqual({ value: 0 });
  });
});

describe('CSV for spreadsheets', () => {
  it.each([
    ['=HYPERLINK("http://x","click")', `"'=HYPERLINK(""http://x"",""click"")"`],
    ['+44 7700', "'+44 7700"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tindent', "'\tindent"],
    // Issue 15, 14: what the two old escaping functions let through.
    [' =1+1', "' =1+1"],
    ['\n=1+1', `"'\n=1+1"`],
    ['\0=1+1', "'\0=1+1"],
    ['＝1+1', "'＝1+1"],
    ['\u3000＠SUM(A1)', "'\u3000＠SUM(A1)"],
    ['plain text', 'plain text'],
    [' leading space, no formula', '" leading space, no formula"'],
    ['a, b', '"a, b"'],
  ])('writes %j as %s', (value, cell) => expect(csvCell(value)).toBe(cell));

  it('writes numbers as numbers, nothing for a missing value, and CRLF line ends', () => {
    expect(csv(['a', 'b', 'c'], [[-1, null, 2.5]])).toBe('a,b,c\r\n-1,,2.5\r\n');
  });
});
