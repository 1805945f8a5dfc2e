/**
 * The metric catalogue: every figure the board can ask for, by name, with what it means and its unit.
 *
 * A metric is read from the counters of one family (aggregates.ts): a count is one counter; a rate
 * (a percentage) and a mean are one sum of counters over another, and always come with that numerator
 * and denominator, so a reader can check "50%" against "2 of 4". The catalogue is the contract of
 * `GET /metrics` and `GET /aggregates?metric=…`; counters another part of Gatehouse has not written yet
 * simply read zero.
 */
import {
  accommodationCheckpoints,
  accommodationStatuses,
  checkpointWords,
  cohorts,
  pathways,
} from './circumstances';
import { families, pairs, type Family } from './aggregates';
import { ackBuckets, alertKinds } from './alerts';
import type { WeekdayName } from './calendar';
import { movementKinds, releaseKinds } from './movements';

export type MetricUnit =
  | 'releases'
  | 'movements'
  | 'alerts'
  | 'minutes'
  | 'files'
  | 'rows'
  | 'people'
  | 'percent';

interface MetricBase {
  /** `{family}.{what}`, e.g. `releases.lateWeek`, `releases.lateWeek.rate`. */
  name: string;
  meaning: string;
  unit: MetricUnit;
  family: Family;
}

export interface CountMetric extends MetricBase {
  kind: 'count';
  /** The counter it reads. */
  counter: string;
  /** How days add up to a week or month: most counters are summed; a daily maximum stays a maximum. */
  combine: 'sum' | 'max';
}

export interface RatioMetric extends MetricBase {
  /** rate = 100 × numerator / denominator (unit percent); mean = numerator / denominator. */
  kind: 'rate' | 'mean';
  /** Count metrics of the same family, summed. */
  numerator: string[];
  denominator: string[];
}

export type Metric = CountMetric | RatioMetric;

export interface MetricValue {
  /** null when a rate or mean has nothing to divide by (no releases in the period). */
  value: number | null;
  numerator?: number;
  denominator?: number;
}

/** What each movement kind is, for the catalogue (the movement table in movements.ts says which codes are which). */
const movementKindWords: Record<(typeof movementKinds)[number], string> = {
  RELEASE: "releases to the community (the partnership's or not)",
  HOSPITAL: 'detentions in a secure hospital or discharges to hospital',
  IMMIGRATION: 'discharges to immigration detention, deportations and early removals',
  DIED: 'deaths in custody',
  ABSCONDED: 'absconds (unlawfully at large)',
  MERGE: 'NOMIS record merges (administrative; nobody moved)',
  TRANSFER_OUT: 'transfers out to another prison',
  COURT_OUT: 'people taken to court',
  TEMPORARY_ABSENCE_OUT: 'people out on temporary licence',
  ADMISSION: 'admissions to custody (remand, sentence, recapture)',
  RECALL: 'recalls to custody',
  COURT_RETURN: 'returns from court',
  TEMPORARY_ABSENCE_RETURN: 'returns from temporary licence',
  TRANSFER_IN: 'transfers in from another prison',
  UNKNOWN: 'movements HMPPS could not name',
  UNCONFIRMED_RELEASE: 'immediate, unconfirmed releases (prisoner search)',
};
const releaseKindWords: Record<(typeof releaseKinds)[number], string> = {
  CONDITIONAL_RELEASE: 'at the conditional or automatic release point',
  HDC: 'on home detention curfew',
  ECSL: 'on an end of custody supervised licence',
  END_OF_SENTENCE: 'at the end of the sentence, or with no custodial sentence',
  FROM_COURT: 'from court or remand (never planned)',
  OTHER: 'of another or an unknown kind',
};
export const partnerFileCounters = [
  ['received', 'files', 'Partner files received'],
  ['accepted', 'files', 'Files accepted whole'],
  ['partiallyAccepted', 'files', 'Files accepted in part (some rows rejected)'],
  ['rejected', 'files', 'Files rejected whole'],
  ['quarantined', 'files', 'Files that could not be read, kept in quarantine'],
  ['duplicate', 'files', 'Files received again with the same content (ignored)'],
  ['rowsAccepted', 'rows', 'Rows accepted from partner files'],
  ['rowsRejected', 'rows', 'Rows rejected from partner files, with a reason in the report'],
] as const;

const weekdays: Record<WeekdayName, string> = {
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
  SUN: 'Sunday',
};

const words = (code: string) => code.toLowerCase().replaceAll('_', ' ');

function count(
  family: Family,
  counter: string,
  unit: MetricUnit,
  meaning: string,
  combine: CountMetric['combine'] = 'sum',
): CountMetric {
  return { name: `${family}.${counter}`, meaning, unit, family, kind: 'count', counter, combine };
}

function rate(of: CountMetric, denominator: string[], meaning: string): RatioMetric {
  return {
    name: `${of.name}.rate`,
    meaning,
    unit: 'percent',
    family: of.family,
    kind: 'rate',
    numerator: [of.name],
    denominator,
  };
}

function releaseMetrics(): Metric[] {
  const c = (counter: string, meaning: string) => count('releases', counter, 'releases', meaning);
  const total = c(
    'total',
    "Releases to the community that are the partnership's (to its areas or from a watched prison to an area not known)",
  );
  // Each flag is counted and given as a share of all releases.
  const flags = (
    [
      ['planned', 'scheduled in advance'],
      [
        'unplanned',
        'with no schedule on record, or marked unplanned (from court, time served, bail, appeal)',
      ],
      [
        'lateWeek',
        'on the last working day before a non-working day (a Friday, or the day before a bank holiday)',
      ],
      ['nonWorkingDay', 'on a weekend day or a bank holiday'],
      ['lateDay', 'at or after 15:00 London time, when services are closing'],
      ['lateWeekLateDay', 'late in the day on the last working day before a non-working day'],
      ['noFixedAbode', 'of people with no fixed abode'],
      ['noAftercarePlan', 'of people with no aftercare plan'],
      [
        'bankHolidaysUnknown',
        'on a day whose bank holidays were not loaded, treated as possibly non-working (refresh the bank holidays)',
      ],
    ] as const
  ).map(([counter, which]) => ({ counter: c(counter, `Releases ${which}`), which }));
  const urgencies = (['CRITICAL', 'HIGH', 'ROUTINE'] as const).map((u) =>
    c(`urgency.${u}`, `Releases classified ${u}`),
  );
  return [
    total,
    ...flags.map((f) => f.counter),
    ...flags.map((f) => rate(f.counter, [total.name], `Share of releases ${f.which}`)),
    ...urgencies,
    rate(urgencies[0]!, [total.name], 'Share of releases classified CRITICAL'),
    ...Object.entries(weekdays).map(([d, day]) => c(`weekday.${d}`, `Releases on a ${day} (London time)`)),
    ...accommodationStatuses.map((s) =>
      c(`accommodation.${s}`, `Releases with accommodation on release: ${words(s)}`),
    ),
    ...pathways.map((p) => c(`need.${p}`, `Releases of people with a need on the ${words(p)} pathway`)),
    ...pairs(pathways).map(([a, b]) =>
      c(
        `needPair.${a}+${b}`,
        `Releases of people with needs on both the ${words(a)} and the ${words(b)} pathways`,
      ),
    ),
    ...cohorts.map((k) => c(`cohort.${k}`, `Releases of people in the ${k} cohort`)),
    ...(['0', '1', '2', '3', '4+'] as const).map((n) =>
      c(`needCount.${n}`, `Releases of people with ${n} resettlement needs`),
    ),
    ...releaseKinds.map((k) => c(`kind.${k}`, `Releases ${releaseKindWords[k]}`)),
    c(
      'notOurs',
      "Releases that are not the partnership's (another prison's, or to an area outside it): counted by prison, never paged, not in the other figures",
    ),
  ];
}

function movementMetrics(): Metric[] {
  const c = (counter: string, meaning: string) => count('movements', counter, 'movements', meaning);
  return [
    ...movementKinds.map((k) =>
      c(`kind.${k}`, `HMPPS movements, by the day they happened: ${movementKindWords[k]}`),
    ),
    ...releaseKinds.map((k) =>
      c(`release.${k}`, `HMPPS releases to the community ${releaseKindWords[k]} (any prison, ours or not)`),
    ),
    c(
      'reviewNeeded',
      'HMPPS movements flagged for a person to review (a movement code or reason not in the movement table)',
    ),
    c(
      'recordedLate',
      'HMPPS movements that arrived too late to page anyone (older than an alert lives): recorded and counted on their own date',
    ),
  ];
}

function alertMetrics(): Metric[] {
  const c = (counter: string, meaning: string) => count('alerts', counter, 'alerts', meaning);
  const raised = c('raised', 'Alerts raised');
  const acknowledged = c('acknowledged', 'Alerts acknowledged by the person they were sent to');
  const escalated = c('escalated', 'Alerts escalated because nobody acknowledged them in time');
  const ackSum = count(
    'alerts',
    'ackMinutes.sum',
    'minutes',
    'Minutes from raising to acknowledgement, summed over acknowledged alerts',
  );
  const ackCount = c('ackMinutes.count', 'Acknowledged alerts with a measured time to acknowledge');
  const pagesDelivered = count(
    'alerts',
    'pagesDelivered',
    'alerts',
    'On-call pages (alerts paged at a step) that GOV.UK Notify reported delivered to the phone or inbox',
  );
  const deliveredSum = count(
    'alerts',
    'deliveredMinutes.sum',
    'minutes',
    'Minutes from sending an on-call page to its delivery receipt, summed over delivered pages',
  );
  return [
    raised,
    ...alertKinds.map((k) => c(`raised.${k}`, `Alerts raised: ${words(k)}`)),
    acknowledged,
    ...alertKinds.map((k) => c(`acknowledged.${k}`, `Alerts acknowledged: ${words(k)}`)),
    escalated,
    ...alertKinds.map((k) => c(`escalated.${k}`, `Alerts escalated: ${words(k)}`)),
    ackSum,
    ackCount,
    count('alerts', 'ackMinutes.max', 'minutes', 'Longest time to acknowledge an alert, in minutes', 'max'),
    {
      name: 'alerts.ackMinutes.mean',
      meaning: 'Mean time to acknowledge an alert, in minutes',
      unit: 'minutes',
      family: 'alerts',
      kind: 'mean',
      numerator: [ackSum.name],
      denominator: [ackCount.name],
    },
    ...ackBuckets.map(({ bucket, words }) =>
      c(`ackWithin.${bucket}`, `Alerts acknowledged ${words} after they were raised`),
    ),
    c('deliveryFailed', 'Alert deliveries that failed (the channel refused or did not answer)'),
    c(
      'deliveryFailed.receipt',
      'Alert deliveries GOV.UK Notify accepted but could not deliver (phone off, no such number, technical failure)',
    ),
    c('deliveryExpired', 'Notices that could not be sent within their time and expired'),
    c(
      'uncovered',
      'On-call pages that fell to the configured contact because nobody on the rota covered the tier at the time',
    ),
    pagesDelivered,
    deliveredSum,
    {
      name: 'alerts.deliveredMinutes.mean',
      meaning: 'Mean time from sending an on-call page to its delivery receipt, in minutes',
      unit: 'minutes',
      family: 'alerts',
      kind: 'mean',
      numerator: [deliveredSum.name],
      denominator: ['alerts.deliveredMinutes.count'],
    },
    c('deliveredMinutes.count', 'On-call pages with a measured time to delivered'),
    rate(acknowledged, [raised.name], 'Share of raised alerts that were acknowledged'),
    rate(escalated, [raised.name], 'Share of raised alerts that were escalated'),
  ];
}

function fileMetrics(): Metric[] {
  const metrics = partnerFileCounters.map(([counter, unit, meaning]) =>
    count('files', counter, unit, meaning),
  );
  return [
    ...metrics,
    rate(
      metrics.find((m) => m.counter === 'rowsRejected')!,
      ['files.rowsAccepted', 'files.rowsRejected'],
      'Share of partner file rows rejected',
    ),
  ];
}

function accommodationMetrics(): Metric[] {
  return accommodationCheckpoints
    .map((checkpoint) => [checkpoint, checkpointWords[checkpoint]] as const)
    .flatMap(([checkpoint, when]) => {
      const total = count(
        'accommodation',
        `${checkpoint}.total`,
        'people',
        `People whose accommodation was reported ${when} after release`,
      );
      const statuses = accommodationStatuses.map((s) =>
        count(
          'accommodation',
          `${checkpoint}.${s}`,
          'people',
          `People in accommodation ${when} after release: ${words(s)}`,
        ),
      );
      return [
        total,
        ...statuses,
        ...statuses.map((s) =>
          rate(s, [total.name], `Share of people reported ${when}: ${words(s.counter.split('.')[1]!)}`),
        ),
      ];
    });
}

/** Every metric, in the order the catalogue lists them. */
export const metrics: readonly Metric[] = [
  ...releaseMetrics(),
  ...movementMetrics(),
  ...alertMetrics(),
  ...fileMetrics(),
  ...accommodationMetrics(),
];

const byName = new Map(metrics.map((m) => [m.name, m]));

export function metricNamed(name: string): Metric | undefined {
  return byName.get(name);
}

/**
 * The metrics a selector names: an exact name, or a prefix ending in `*` (`releases.need.*`).
 * Returns an empty list when nothing matches.
 */
export function selectMetrics(selector: string): Metric[] {
  if (!selector.endsWith('*')) return byName.has(selector) ? [byName.get(selector)!] : [];
  const prefix = selector.slice(0, -1);
  return metrics.filter((m) => m.name.startsWith(prefix));
}

/** The dimensions a metric can be filtered by: those of its family. */
export function dimensionsOf(metric: Metric): readonly string[] {
  return families[metric.family];
}

/** The metric's value from one period's counters of its family. */
export function metricValue(metric: Metric, counts: Readonly<Record<string, number>>): MetricValue {
  if (metric.kind === 'count') return { value: counts[metric.counter] ?? 0 };
  const sum = (names: string[]) =>
    names.reduce((total, name) => total + (counts[(byName.get(name) as CountMetric).counter] ?? 0), 0);
  const numerator = sum(metric.numerator);
  const denominator = sum(metric.denominator);
  const ratio =
    denominator === 0
      ? null
      : metric.kind === 'rate'
        ? (100 * numerator) / denominator
        : numerator / denominator;
  return { value: ratio === null ? null : roundTo1(ratio), numerator, denominator };
}

/** How a counter's daily values add up over a longer period. */
export function combineOf(family: Family, counter: string): CountMetric['combine'] {
  const metric = byName.get(`${family}.${counter}`);
  return metric?.kind === 'count' ? metric.combine : 'sum';
}

function roundTo1(n: number): number {
  return Math.round(n * 10) / 10;
}
