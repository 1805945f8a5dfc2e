/** Metric names the functions emit and the stack alarms on: one definition for both. */
export const bankHolidayMetrics = {
  /** custody-events: a release recorded on a day whose bank holidays are not loaded. */
  releasesOutsideCoverage: 'ReleasesOutsideBankHolidayCoverage',
  /** sweeper, every run from 90 days before the loaded bank holidays end: the days left (negative once past). */
  coverageDaysLeft: 'BankHolidayCoverageDaysLeft',
} as const;

/**
 * custody-events and the sweeper: an HMPPS API call that gave up after its retries, an open circuit, client
 * credentials HMPPS Auth refused, or an answer without a field Gatehouse reads (a person not found is not one).
 */
export const hmppsApiFailuresMetric = 'HmppsApiFailures';
