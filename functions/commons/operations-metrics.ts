/** Metric names the functions emit and the stack alarms on: one definition for both. */
export const bankHolidayMetrics = {
  /** custody-events: a release recorded on a day whose bank holidays are not loaded. */
  releasesOutsideCoverage: 'ReleasesOutsideBankHolidayCoverage',
  /** sweeper, every run from 90 days before the loaded bank holidays end: the days left (negative once past). */
  coverageDaysLeft: 'BankHolidayCoverageDaysLeft',
} as const;
