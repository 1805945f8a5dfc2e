/**
 * λ sweeper: every minute (EventBridge Scheduler) → escalate due alerts, remind, close, raise pre-release
 * warnings and digests, and send whatever the notice outbox still holds past its stream grace. A failed sweep throws: the schedule's retry policy tries again, and the next minute
 * picks up whatever is still due, so nothing is lost.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { lambdaHandler, lazilyAsync } from '#commons/lambda';
import { logger, metrics } from '#commons/powertools';
import { bankHolidayCoverageWarning, londonTime } from '#domain/calendar';
import { bankHolidayMetrics } from '#commons/operations-metrics';
import { gapInWords } from '#domain/rota-coverage';
import { sweep, type SweepDependencies, type SweepResult } from '#use-cases/sweep';
import type { RotaGapWarningResult } from '#use-cases/warn-rota-gaps';
import type { ReceiptPollResult } from '#use-cases/poll-delivery-receipts';

/**
 * What the sweeper has already said today. It outlives the dependencies: they are rebuilt every five minutes (for
 * rotated keys), and a rebuild must not repeat the once-a-day warnings.
 */
export interface SweeperWarnings {
  /** The London day the bank-holiday coverage warning was last logged. */
  bankHolidaysWarnedOn?: string;
}

export function sweeperHandler(deps: SweepDependencies, warnings: SweeperWarnings = {}) {
  return lambdaHandler(async (_event: unknown, context: Context): Promise<SweepResult> => {
    const result = await sweep({
      ...deps,
      deadline: deps.clock().getTime() + context.getRemainingTimeInMillis() - deadlineMarginMs,
    });
    const { resendErrors, rotaGaps, overdueFeeds, factsErrors, rotaGapWarnings, ...figures } = result;
    for (const why of factsErrors ?? [])
      logger.warn('a release waiting for HMPPS facts could not be re-checked; the next sweep tries again', {
        why,
      });
    if (result.factsRechecked)
      metrics.addMetric('ReleaseFactsRechecked', MetricUnit.Count, result.factsRechecked);
    logger.info('sweep done', { ...figures, rotaGaps: rotaGaps.length, overdueFeeds: overdueFeeds.length });
    if (rotaGapWarnings) reportRotaGapWarnings(rotaGapWarnings);
    // Area, tier and times only: who is (not) on the rota is not logged.
    for (const gap of rotaGaps)
      logger.warn('the on-call rota has a gap before the weekend or bank holiday', {
        ...gap,
        inWords: gapInWords(gap),
      });
    metrics.addMetric('RotaGaps', MetricUnit.Count, rotaGaps.length);
    if (result.receiptPolls) reportReceiptPolls(result.receiptPolls);
    for (const feed of result.overdueFeeds)
      logger.warn('a feed Gatehouse depends on has gone silent', { ...feed });
    metrics.addMetric('FeedsOverdue', MetricUnit.Count, result.overdueFeeds.length);
    // Each is tried again by the next sweep; the alarm on NoticesResendFailed says it keeps failing.
    for (const why of resendErrors)
      logger.warn('a notice could not be sent from the outbox; it stays there', { why });
    // From 90 days before the loaded bank holidays end: a metric every minute (alarmed), a warning once a day.
    const today = londonTime(deps.clock()).date;
    const coverage = bankHolidayCoverageWarning(deps.calendar, today);
    if (coverage) {
      metrics.addMetric(bankHolidayMetrics.coverageDaysLeft, MetricUnit.Count, coverage.daysLeft);
      if (warnings.bankHolidaysWarnedOn !== today)
        logger.warn(coverage.message, { daysLeft: coverage.daysLeft });
      warnings.bankHolidaysWarnedOn = today;
    }
    if (result.escalated > 0) metrics.addMetric('AlertsEscalated', MetricUnit.Count, result.escalated);
    if (result.skipped > 0) metrics.addMetric('SweepChangesSkipped', MetricUnit.Count, result.skipped);
    if (result.resent > 0) metrics.addMetric('NoticesResent', MetricUnit.Count, result.resent);
    if (resendErrors.length > 0)
      metrics.addMetric('NoticesResendFailed', MetricUnit.Count, resendErrors.length);
    if (result.expired > 0) metrics.addMetric('NoticesExpired', MetricUnit.Count, result.expired);
    return result;
  });
}

/** Receipts asked of Notify where callbacks cannot be configured. */
function reportReceiptPolls(polls: ReceiptPollResult): void {
  const { errors, ...figures } = polls;
  if (figures.asked > 0) logger.info('delivery receipts asked of GOV.UK Notify', figures);
  // Each names an alert id and notice and Notify's status: never the number or address.
  for (const why of errors)
    logger.warn('GOV.UK Notify could not be asked about a message; the next sweep asks again', { why });
  if (figures.recorded > 0) metrics.addMetric('ReceiptsPolled', MetricUnit.Count, figures.recorded);
  if (errors.length > 0) metrics.addMetric('ReceiptPollsFailed', MetricUnit.Count, errors.length);
  if (figures.givenUp > 0) metrics.addMetric('ReceiptsNeverCame', MetricUnit.Count, figures.givenUp);
}

/** The warnings of rota gaps to the rota's owner and the area's manager: figures, and why any is left for the next sweep. */
function reportRotaGapWarnings(warnings: RotaGapWarningResult): void {
  const { errors, ...figures } = warnings;
  if (figures.written + figures.sent + figures.postponed + figures.expired + figures.nobodyToWarn > 0)
    logger.info('rota-gap warnings', figures);
  // Ids name the check day, area, tier and start of the gap; the reasons name statuses, never a number or an address.
  for (const why of errors)
    logger.warn('a rota-gap warning could not be sent yet; the next sweep tries again', { why });
  if (figures.sent > 0) metrics.addMetric('RotaGapWarningsSent', MetricUnit.Count, figures.sent);
  if (figures.postponed > 0)
    metrics.addMetric('RotaGapWarningsPostponed', MetricUnit.Count, figures.postponed);
  if (figures.rejected > 0) metrics.addMetric('RotaGapWarningsRejected', MetricUnit.Count, figures.rejected);
  if (figures.expired > 0) metrics.addMetric('RotaGapWarningsExpired', MetricUnit.Count, figures.expired);
  if (figures.nobodyToWarn > 0) {
    logger.warn('a rota gap was found in an area that names nobody to warn (routing rotaGapWarnings)', {
      gaps: figures.nobodyToWarn,
    });
    metrics.addMetric('RotaGapsNobodyToWarn', MetricUnit.Count, figures.nobodyToWarn);
  }
}

/** Time kept back from the function's timeout for writing the last outcome. */
const deadlineMarginMs = 5000;

/** How long the sweeper keeps the keys it read (link, Notify, webhook, identifier keys): as dispatch does. */
export const sweeperKeysMaxAgeMs = 5 * 60_000;

/**
 * The sweeper's entry: its dependencies (with the keys read from their secrets) are built again once they are
 * `sweeperKeysMaxAgeMs` old, so a rotated or withdrawn key reaches a warm container; the once-a-day warnings
 * state is kept across rebuilds.
 */
export function rebuiltEvery5Minutes(
  build: () => Promise<SweepDependencies>,
  options: { now?: () => number } = {},
) {
  const warnings: SweeperWarnings = {};
  return lazilyAsync(async () => sweeperHandler(await build(), warnings), {
    maxAgeMs: sweeperKeysMaxAgeMs,
    ...options,
  });
}
