import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseContribution } from '#domain/aggregates';
import { addDays, isoWeek, month } from '#domain/calendar';
import { metrics, type Metric } from '#domain/metrics';
import type { ReleaseCase } from '#domain/release-case';
import { demoCases, demoPeriod, playDemoWeek } from '#test-support/demo';
import { getJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;
type Granularity = 'day' | 'week' | 'month' | 'total';
type Value = { value: number | null; numerator?: number; denominator?: number };

const granularities: Granularity[] = ['day', 'week', 'month', 'total'];
const releaseMetrics = metrics.filter((m) => m.family === 'releases');

describe('the aggregates API on the demo week', () => {
  let gatehouse: Gatehouse;
  let cases: ReleaseCase[];
  beforeAll(async () => {
    gatehouse = await testGatehouse();
    await playDemoWeek(gatehouse);
    cases = await demoCases(gatehouse);
  });
  afterAll(() => gatehouse.stop());

  const aggregates = async (query: Record<string, string>) =>
    getJson(`${gatehouse.url}/aggregates?${new URLSearchParams({ ...demoPeriod, ...query })}`);

  /**
   * What the release counters must say: the sum, over the demo's cases as they now stand, of what each
   * case contributes (the invariant of aggregates.ts), bucketed into periods here, without DynamoDB.
   */
  function expectedReleases(granularity: Granularity, la: string): Map<string, Record<string, number>> {
    const byPeriod = new Map<string, Record<string, number>>(periods(granularity).map((p) => [p, {}]));
    for (const delta of cases.flatMap((c) => releaseContribution(c))) {
      if (la !== '*' && (delta.dimensions as Record<string, string>).la !== la) continue;
      if (delta.date < demoPeriod.from || delta.date > demoPeriod.to) continue;
      const counts = byPeriod.get(periodOf(delta.date, granularity))!;
      for (const [name, n] of Object.entries(delta.counts)) counts[name] = (counts[name] ?? 0) + n;
    }
    return byPeriod;
  }

  function expectedValue(metric: Metric, counts: Record<string, number>): Value {
    if (metric.kind === 'count') return { value: counts[metric.counter] ?? 0 };
    const sum = (names: string[]) =>
      names.reduce((s, name) => s + (counts[name.slice('releases.'.length)] ?? 0), 0);
    const [numerator, denominator] = [sum(metric.numerator), sum(metric.denominator)];
    return {
      value: denominator === 0 ? null : Math.round((1000 * numerator) / denominator) / 10,
      numerator,
      denominator,
    };
  }

  it('has demo releases to count: at least one planned and one unplanned, in both areas', () => {
    const released = cases.filter((c) => c.status === 'RELEASED');
    expect(released.some((c) => c.classification.flags.unplanned)).toBe(true);
    expect(released.some((c) => !c.classification.flags.unplanned)).toBe(true);
    expect(new Set(released.map((c) => c.circumstances.destinationLocalAuthority))).toEqual(
      new Set(['E06000047', 'E06000005']),
    );
  });

  for (const granularity of granularities) {
    for (const la of ['*', 'E06000047', 'E06000005']) {
      it(`gives every release metric exactly, by ${granularity}, for area ${la}`, async () => {
        const response = await aggregates({ metric: 'releases.*', granularity, la });
        expect(response.status).toBe(200);
        const expected = expectedReleases(granularity, la);
        expect(response.body.periods.map((p: { period: string }) => p.period)).toEqual([...expected.keys()]);
        for (const { period, values } of response.body.periods as {
          period: string;
          values: Record<string, Value>;
        }[]) {
          for (const metric of releaseMetrics)
            expect(values[metric.name], `${metric.name} in ${period}`).toEqual(
              expectedValue(metric, expected.get(period)!),
            );
        }
        const all = expectedReleases('total', la).get('total')!;
        for (const metric of releaseMetrics)
          expect(response.body.totals[metric.name], `${metric.name} in total`).toEqual(
            expectedValue(metric, all),
          );
      });
    }
  }

  it('adds days up to weeks, weeks and months up to the total, for every metric of every family', async () => {
    const answers = Object.fromEntries(
      await Promise.all(
        granularities.map(
          async (g) => [g, (await aggregates({ metric: '*', granularity: g })).body] as const,
        ),
      ),
    );
    for (const metric of metrics.filter((m) => m.kind === 'count' && m.combine === 'sum')) {
      const totalOf = (g: Granularity) =>
        answers[g].periods.reduce(
          (s: number, p: { values: Record<string, Value> }) => s + p.values[metric.name]!.value!,
          0,
        );
      for (const g of granularities)
        expect(totalOf(g), `${metric.name} by ${g}`).toBe(answers.total.totals[metric.name].value);
      for (const week of answers.week.periods) {
        const days = answers.day.periods.filter((d: { period: string }) => isoWeek(d.period) === week.period);
        expect(
          days.reduce(
            (s: number, d: { values: Record<string, Value> }) => s + d.values[metric.name]!.value!,
            0,
          ),
          `${metric.name} in ${week.period}`,
        ).toBe(week.values[metric.name].value);
      }
    }
  });

  it('gives each rate with its numerator and denominator', async () => {
    const { body } = await aggregates({
      metric: 'releases.lateWeek.rate,releases.lateWeek,releases.total',
      granularity: 'total',
    });
    const { lateWeek = 0, total = 0 } = expectedReleases('total', '*').get('total')!;
    expect(body.totals['releases.lateWeek.rate']).toEqual({
      value: Math.round((1000 * lateWeek) / total) / 10,
      numerator: lateWeek,
      denominator: total,
    });
    expect(body.metrics.map((m: Metric) => m.name)).toEqual([
      'releases.lateWeek.rate',
      'releases.lateWeek',
      'releases.total',
    ]);
  });

  it('lists the catalogue: name, meaning, unit and family of each metric, rates with their numerator and denominator', async () => {
    const { status, body } = await getJson(`${gatehouse.url}/metrics`);
    expect(status).toBe(200);
    // The catalogue documents the small-cell suppression the board's figures get (issue 15, 6).
    expect(body.suppression.primary).toContain('fewer than 5');
    const names = new Set(body.metrics.map((m: Metric) => m.name));
    for (const m of body.metrics as Metric[]) {
      expect(m).toMatchObject({
        name: expect.any(String),
        meaning: expect.any(String),
        unit: expect.any(String),
        family: expect.any(String),
      });
      if (m.kind !== 'count')
        for (const part of [...m.numerator, ...m.denominator])
          expect(names.has(part), `${m.name}: ${part}`).toBe(true);
    }
    expect(body.metrics.find((m: Metric) => m.name === 'releases.noFixedAbode.rate')).toEqual({
      name: 'releases.noFixedAbode.rate',
      meaning: 'Share of releases of people with no fixed abode',
      unit: 'percent',
      family: 'releases',
      kind: 'rate',
      numerator: ['releases.noFixedAbode'],
      denominator: ['releases.total'],
    });
  });

  it('exports CSV: one row per period and metric, the filters as columns', async () => {
    const response = await fetch(
      `${gatehouse.url}/aggregates/export.csv?${new URLSearchParams({ from: '2026-11-16', to: '2026-11-29', granularity: 'week', metric: 'releases.total,releases.lateDay.rate', la: 'E06000005' })}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="gatehouse-2026-11-16-to-2026-11-29-week.csv"',
    );
    const week = expectedReleases('week', 'E06000005').get('2026-W47')!;
    const { lateDay = 0, total = 0 } = week;
    expect((await response.text()).split('\r\n')).toEqual([
      'period,metric,meaning,unit,value,numerator,denominator,la,prison',
      `2026-W47,releases.total,Releases to the community that are the partnership's (to its areas or from a watched prison to an area not known),releases,${total},,,E06000005,all`,
      `2026-W47,releases.lateDay.rate,"Share of releases at or after 15:00 London time, when services are closing",percent,${Math.round((1000 * lateDay) / total) / 10},${lateDay},${total},E06000005,all`,
      `2026-W48,releases.total,Releases to the community that are the partnership's (to its areas or from a watched prison to an area not known),releases,0,,,E06000005,all`,
      '2026-W48,releases.lateDay.rate,"Share of releases at or after 15:00 London time, when services are closing",percent,,0,0,E06000005,all',
      '',
    ]);
  });

  it('keeps a filter value that a spreadsheet would run as a formula from being one', async () => {
    const response = await fetch(
      `${gatehouse.url}/aggregates/export.csv?${new URLSearchParams({ ...demoPeriod, granularity: 'total', metric: 'files.received', partner: '-2-1' })}`,
    );
    expect((await response.text()).split('\r\n')[1]).toBe(
      "total,files.received,Partner files received,files,0,,,'-2-1,all",
    );
  });

  it('answers 400 naming each parameter that is wrong and what was expected', async () => {
    const bad = await aggregates({
      metric: 'releases.total,releases.nope,files.received',
      from: '2026-11-30',
      to: '2026-11-01',
      la: 'E06000005',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.invalid).toEqual([{ path: 'to', expected: 'a date on or after from' }]);

    const unknown = await aggregates({
      metric: 'releases.total,releases.nope,files.received',
      la: 'E06000005',
    });
    expect(unknown.body.invalid).toEqual([
      {
        path: 'metric',
        expected: "a metric listed by GET /metrics, or a prefix ending in * ('releases.nope' is neither)",
      },
      {
        path: 'la',
        expected: 'no la filter with metric files.received, which is broken down by partner and kind only',
      },
    ]);

    const shapes = await getJson(
      `${gatehouse.url}/aggregates?metric=releases.total&from=16/11/2026&granularity=fortnight&la=E06%23x`,
    );
    expect(shapes.body.invalid.map((e: { path: string }) => e.path).sort()).toEqual([
      'from',
      'granularity',
      'la',
      'to',
    ]);

    const raw = await getJson(
      `${gatehouse.url}/aggregates?family=releases&la=${encodeURIComponent('E06000005#prison=DMI')}`,
    );
    expect(raw).toEqual({
      status: 400,
      body: {
        error: 'the figures cannot be read as asked',
        invalid: [{ path: 'la', expected: 'a code of letters, digits, - or _, or * for all' }],
      },
    });
  });

  it('answers an impossible or missing date with a 400 naming it on every figures route, never a 500', async () => {
    const impossible = { path: 'from', expected: 'a real date (2026-02-31 is not a real date)' };
    const named = await getJson(
      `${gatehouse.url}/aggregates?metric=releases.total&from=2026-02-31&to=2026-03-31`,
    );
    expect(named).toEqual({
      status: 400,
      body: { error: 'the figures cannot be read as asked', invalid: [impossible] },
    });
    const exported = await fetch(`${gatehouse.url}/aggregates/export.csv?from=2026-02-31&to=2026-03-31`);
    expect(exported.status).toBe(400);
    expect(((await exported.json()) as { invalid: unknown }).invalid).toEqual([impossible]);
    const counters = await getJson(`${gatehouse.url}/aggregates?family=releases&from=2026-02-31`);
    expect(counters).toEqual({
      status: 400,
      body: { error: 'the figures cannot be read as asked', invalid: [impossible] },
    });
    const missing = await getJson(`${gatehouse.url}/aggregates?metric=releases.total&from=2026-02-01`);
    expect(missing.body.invalid).toEqual([
      { path: 'to', expected: 'a date as YYYY-MM-DD (the field is required)' },
    ]);
  });

  it('refuses a filter a family is not broken down by in the same words on every route', async () => {
    const expected = (what: string) => ({
      path: 'la',
      expected: `no la filter with ${what}, which is broken down by partner and kind only`,
    });
    expect((await getJson(`${gatehouse.url}/aggregates?family=files&la=E06000005`)).body.invalid).toEqual([
      expected('family files'),
    ]);
    expect((await aggregates({ metric: 'files.received', la: 'E06000005' })).body.invalid).toEqual([
      expected('metric files.received'),
    ]);
  });
});

function periodOf(date: string, granularity: Granularity): string {
  return { day: date, week: isoWeek(date), month: month(date), total: 'total' }[granularity];
}

function periods(granularity: Granularity): string[] {
  const list: string[] = [];
  for (let d: string = demoPeriod.from; d <= demoPeriod.to; d = addDays(d, 1))
    if (!list.includes(periodOf(d, granularity))) list.push(periodOf(d, granularity));
  return list;
}
