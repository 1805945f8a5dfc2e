/**
 * λ sweeper: every minute (EventBridge Scheduler) → escalate due alerts, remind, close, raise pre-release
 * warnings and digests, and send whatever the notice outbox still holds past its stream grace. A failed sweep throws: the schedule's retry policy tries again, and the next minute
 * picks up whatever is still due, so nothing is lost.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { lambdaHandler } from '../commons/lambda';
import { logger, metrics } from '../commons/powertools';
import { bankHolidayCoverageWarning, londonTime } from '../domain/calendar';
import { bankHolidayMetrics } from '../commons/operations-metrics';
import { gapInWords } from '../domain/rota-coverage';
import { sweep, type SweepDependencies, type SweepResult } from '../use-cases/sweep';

export function sweeperHandler(deps: SweepDependencies) {
  let warnedOn: string | undefined;
  return lambdaHandler(async (_event: unknown, context: Context): Promise<SweepResult> => {
    const result = await sweep({ ...deps, deadline: deps.clock().getTime() + context.getRemainingTimeInMillis() - deadlineMarginMs });
    const { resendErrors, rotaGaps, overdueFeeds, factsErrors, ...figures } = result;
    for (const why of factsErrors ?? []) logger.warn('a release waiting for HMPPS facts could not be re-checked; the next sweep tries again', { why });
    if (result.factsRechecked) metrics.addMetric('ReleaseFactsRechecked', MetricUnit.Count, result.factsRechecked);
    logger.info('sweep done', { ...figures, rotaGaps: rotaGaps.length, overdueFeeds: overdueFeeds.length });
    // Area, tier and times only: who is (not) on the rota is not logged.
    for (const gap of rotaGaps) logger.warn('the on-call rota has a gap before the weekend or bank holiday', { ...gap, inWords: gapInWords(gap) });
    metrics.addMetric('RotaGaps', MetricUnit.Count, rotaGaps.length);
    for (const feed of result.overdueFeeds) logger.warn('a feed Gatehouse depends on has gone silent', { ...feed });
    metrics.addMetric('FeedsOverdue', MetricUnit.Count, result.overdueFeeds.length);
    // Each is tried again by the next sweep; the alarm on NoticesResendFailed says it keeps failing.
    for (const why of resendErrors) logger.warn('a notice could not be sent from the outbox; it stays there', { why });
    // From 90 days before the loaded bank holidays end: a metric every minute (alarmed), a warning once a day.
    const today = londonTime(deps.clock()).date;
    const coverage = bankHolidayCoverageWarning(deps.calendar, today);
    if (coverage) {
      metrics.addMetric(bankHolidayMetrics.coverageDaysLeft, MetricUnit.Count, coverage.daysLeft);
      if (warnedOn !== today) logger.warn(coverage.message, { daysLeft: coverage.daysLeft });
      warnedOn = today;
    }
    if (result.escalated > 0) metrics.addMetric('AlertsEscalated', MetricUnit.Count, result.escalated);
    if (result.skipped > 0) metrics.addMetric('SweepChangesSkipped', MetricUnit.Count, result.skipped);
    if (result.resent > 0) metrics.addMetric('NoticesResent', MetricUnit.Count, result.resent);
    if (resendErrors.length > 0) metrics.addMetric('NoticesResendFailed', MetricUnit.Count, resendErrors.length);
    if (result.expired > 0) metrics.addMetric('NoticesExpired', MetricUnit.Count, result.expired);
    return result;
  });
}

/** Time kept back from the function's timeout for writing the last outcome. */
const deadlineMarginMs = 5000;
