/**
 * λ sweeper: every minute (EventBridge Scheduler) → escalate due alerts, remind, close, raise pre-release
 * warnings and digests. A failed sweep throws: the schedule's retry policy tries again, and the next minute
 * picks up whatever is still due, so nothing is lost.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { dynamoDocuments, secretsClient } from '../commons/clients';
import { routingFromEnvironment, runtimeConfig } from '../commons/config';
import { lambdaHandler, lazilyAsync } from '../commons/lambda';
import { logger, metrics } from '../commons/powertools';
import { dynamoAlertStore } from '../adapters/dynamodb/alert-store';
import { identifierKey, routingFromSecret } from '../adapters/secrets';
import { dynamoDigestReader, dynamoScheduleReader } from '../adapters/dynamodb/sweep-sources';
import { bankHolidayCoverageWarning, englandAndWales, londonTime } from '../domain/calendar';
import { bankHolidayMetrics } from '../commons/operations-metrics';
import { sweep, type SweepDependencies, type SweepResult } from '../use-cases/sweep';

export function sweeperHandler(deps: SweepDependencies) {
  let warnedOn: string | undefined;
  return lambdaHandler(async (_event: unknown, _context: Context): Promise<SweepResult> => {
    const result = await sweep(deps);
    logger.info('sweep done', { ...result });
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
    return result;
  });
}

export function sweepDependencies(idKey: string, env: NodeJS.ProcessEnv = process.env): SweepDependencies {
  const config = runtimeConfig(env);
  const client = dynamoDocuments();
  return {
    alerts: dynamoAlertStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }, config.retentionDays),
    schedules: dynamoScheduleReader(client, config.recordsTable),
    digests: dynamoDigestReader(client, config.recordsTable),
    routing: routingFromEnvironment(env),
    calendar: englandAndWales,
    retentionDays: config.retentionDays,
    idKey,
    clock: () => new Date(),
  };
}

export const handler = lazilyAsync(async () => {
  await routingFromSecret(process.env, secretsClient);
  return sweeperHandler(sweepDependencies(await identifierKey(process.env, secretsClient)));
});
