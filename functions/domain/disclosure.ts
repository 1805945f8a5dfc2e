/**
 * Small-cell suppression of the published figures (dashboard, figures API, CSV export). A count of 1 to 4 people,
 * releases, alerts or movements in one cell (a day × area × prison, say) can identify the person behind it,
 * especially beside a need such as drugs and alcohol, so it is shown as "fewer than 5". Zero is shown: it
 * identifies nobody.
 *
 * Secondary suppression, so that what is shown does not give a suppressed cell away by subtraction:
 * - across periods: a row of periods and its total never has exactly one suppressed period while the total is
 *   shown — the next smallest non-zero period is suppressed too (or, failing one, the total);
 * - across a whole and its parts (releases = planned + unplanned): never exactly one part suppressed while the
 *   whole and the other part are shown;
 * - a rate or mean is suppressed when its numerator, its denominator or their difference is 1 to 4, and its
 *   numerator and denominator are then not shown.
 * The stored counters stay exact; operators read them exact. What is suppressed is a property of the published
 * output, not of the data. A limit: figures for two overlapping ranges, read one after the other, can still be
 * differenced; the board's dashboard asks for whole weeks and months.
 * Pure.
 */
import type { Metric, MetricUnit, MetricValue } from './metrics';

export const suppressedText = 'fewer than 5';

/** The rule, as the metric catalogue (GET /metrics) publishes it beside the metrics. */
export const suppressionRule = {
  applies:
    'to every figure the dashboard, GET /aggregates and the CSV export return to anyone but operators; the stored counters stay exact',
  primary:
    'a count of releases, movements, alerts or people from 1 to 4 is shown as "fewer than 5" (value null, suppressed "fewer than 5"); 0 is shown',
  secondary:
    'no row of periods has exactly one suppressed period beside a shown total (the next smallest is suppressed too); no whole (releases.total) has exactly one suppressed part (releases.planned, releases.unplanned)',
  ratios:
    'a rate or mean is suppressed, numerator and denominator with it, when its numerator, denominator or their difference is 1 to 4, or when it is over a suppressed count',
  notCovered: 'file and row counts of partner files, and minutes, are about no person and are shown exactly',
} as const;
const threshold = 5;
const aboutPeople: readonly MetricUnit[] = ['releases', 'movements', 'alerts', 'people'];

/** A published value: exact, or suppressed with the words the board sees. */
export type PublishedValue = MetricValue | { value: null; suppressed: typeof suppressedText };

export interface Figures {
  periods: { period: string; values: Record<string, MetricValue> }[];
  totals: Record<string, MetricValue>;
}

export interface PublishedFigures {
  periods: { period: string; values: Record<string, PublishedValue> }[];
  totals: Record<string, PublishedValue>;
}

/** Wholes that are the sum of their parts, by metric name. */
export const additiveGroups: readonly { whole: string; parts: readonly string[] }[] = [
  { whole: 'releases.total', parts: ['releases.planned', 'releases.unplanned'] },
];

const small = (n: number | null | undefined) => n !== null && n !== undefined && n > 0 && n < threshold;

export function suppressFigures(figures: Figures, metrics: readonly Metric[]): PublishedFigures {
  const counts = metrics.filter((m) => m.kind === 'count' && aboutPeople.includes(m.unit)).map((m) => m.name);
  // Cells to hide: [period index or 'total', metric name].
  const hidden = new Set<string>();
  const cell = (at: number | 'total', name: string) => `${at}|${name}`;
  const valueAt = (at: number | 'total', name: string) =>
    (at === 'total' ? figures.totals[name] : figures.periods[at]!.values[name])?.value ?? 0;
  const indexes = figures.periods.map((_, i) => i);

  for (const name of counts)
    for (const at of [...indexes, 'total' as const]) if (small(valueAt(at, name))) hidden.add(cell(at, name));

  // Secondary suppression until nothing changes: each rule only ever hides more.
  for (let changed = true; changed; ) {
    changed = false;
    const hide = (at: number | 'total', name: string) => {
      if (!hidden.has(cell(at, name))) {
        hidden.add(cell(at, name));
        changed = true;
      }
    };
    for (const name of counts) {
      if (figures.periods.length < 2) break;
      const suppressed = indexes.filter((i) => hidden.has(cell(i, name)));
      if (suppressed.length !== 1 || hidden.has(cell('total', name))) continue;
      const next = indexes
        .filter((i) => !hidden.has(cell(i, name)) && valueAt(i, name) > 0)
        .sort((a, b) => valueAt(a, name) - valueAt(b, name))[0];
      hide(next ?? 'total', name);
    }
    for (const { whole, parts } of additiveGroups) {
      if (!counts.includes(whole)) continue;
      for (const at of [...indexes, 'total' as const]) {
        const hiddenParts = parts.filter((p) => hidden.has(cell(at, p)));
        if (hiddenParts.length !== 1 || hidden.has(cell(at, whole))) continue;
        const other = parts.find((p) => !hidden.has(cell(at, p)) && valueAt(at, p) > 0);
        hide(at, other ?? whole);
      }
    }
  }

  const publish = (
    at: number | 'total',
    values: Record<string, MetricValue>,
  ): Record<string, PublishedValue> =>
    Object.fromEntries(
      Object.entries(values).map(([name, v]) => {
        const metric = metrics.find((m) => m.name === name);
        if (hidden.has(cell(at, name))) return [name, { value: null, suppressed: suppressedText }];
        if (metric && metric.kind !== 'count' && ratioIsSmall(metric, v, at, hidden, cell))
          return [name, { value: null, suppressed: suppressedText }];
        return [name, v];
      }),
    );
  return {
    periods: figures.periods.map((p, i) => ({ period: p.period, values: publish(i, p.values) })),
    totals: publish('total', figures.totals),
  };
}

function ratioIsSmall(
  metric: Metric & { kind: 'rate' | 'mean' },
  v: MetricValue,
  at: number | 'total',
  hidden: Set<string>,
  cell: (at: number | 'total', name: string) => string,
): boolean {
  const { numerator = 0, denominator = 0 } = v;
  if (small(denominator)) return true;
  if (metric.kind === 'rate' && (small(numerator) || small(denominator - numerator))) return true;
  // A ratio over a suppressed count would give it back.
  return [...metric.numerator, ...metric.denominator].some((name) => hidden.has(cell(at, name)));
}

/** Raw counters (GET /aggregates without `metric`): each count of 1 to 4 suppressed, secondary across periods. */
export function suppressCounters(
  periods: { period: string; counts: Record<string, number> }[],
  totals: Record<string, number>,
) {
  const names = [
    ...new Set([...Object.keys(totals), ...periods.flatMap((p) => Object.keys(p.counts))]),
  ].filter((n) => !/minutes|Minutes|rows|^received$|accepted|rejected|quarantined|duplicate/i.test(n));
  const asMetric = (name: string): Metric => ({
    name,
    meaning: '',
    unit: 'people',
    family: 'releases',
    kind: 'count',
    counter: name,
    combine: 'sum',
  });
  const figures: Figures = {
    periods: periods.map((p) => ({
      period: p.period,
      values: Object.fromEntries(Object.entries(p.counts).map(([n, c]) => [n, { value: c }])),
    })),
    totals: Object.fromEntries(Object.entries(totals).map(([n, c]) => [n, { value: c }])),
  };
  const published = suppressFigures(figures, names.map(asMetric));
  const flat = (values: Record<string, PublishedValue>) =>
    Object.fromEntries(
      Object.entries(values).map(([n, v]) => [n, 'suppressed' in v ? suppressedText : v.value]),
    );
  return {
    periods: published.periods.map((p) => ({ period: p.period, counts: flat(p.values) })),
    totals: flat(published.totals),
  };
}
