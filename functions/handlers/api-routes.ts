/**
 * The routes of the HTTP API, one entry each: method, path pattern, and the use case it calls.
 * Parameters in `{braces}` arrive in `params`.
 */
import type { AggregateReader } from '#use-cases/query-aggregates';
import { queryAggregates } from '#use-cases/query-aggregates';
import { queryMetrics } from '#use-cases/query-metrics';
import { metrics } from '#domain/metrics';
import { metricsCsv, parseAggregatesQuery, parseMetricQuery } from './metric-requests';
import type { ReleaseStore } from '#use-cases/record-custody-event';
import { acknowledgeAlert, type AcknowledgeDependencies } from '#use-cases/acknowledge-alert';
import { alertPage } from './alert-pages';
import { route, type Route } from './http';

export { route, type ApiRequest, type ApiResponse, type Route } from './http';
import { readsExactFigures, readsFigures, type Caller } from '#domain/access';
import { suppressCounters, suppressFigures, suppressionRule } from '#domain/disclosure';
import type { MetricResult } from '#use-cases/query-metrics';
import { readCase, type CaseReadAudit } from '#use-cases/read-case';
import { alertTimeline, type TimelineReader } from '#use-cases/alert-timeline';

export interface ApiDependencies {
  releases: Pick<ReleaseStore, 'loadPerson'>;
  /** Every case read is recorded here before it is answered. */
  audit: CaseReadAudit;
  aggregates: AggregateReader;
  /** Built on first use: the link key comes from Secrets Manager. */
  acknowledgements: () => Promise<AcknowledgeDependencies>;
  clock: () => Date;
  /** Alert timelines (notices, recipients by role, attempts, delivery statuses), for operators. */
  timelines: TimelineReader;
}

export function apiRoutes(deps: ApiDependencies): Route[] {
  return [
    route('GET', '/cases/{prisonNumber}', async ({ params, caller, requestId }) => {
      const prisonNumber = params.prisonNumber!.toUpperCase();
      const read = await readCase(prisonNumber, caller, requestId, {
        releases: deps.releases,
        audit: deps.audit,
        clock: deps.clock,
      });
      if (read.outcome === 'refused') return { status: 403, body: { error: read.why } };
      if (read.outcome === 'not-found')
        return { status: 404, body: { error: `no release case for ${prisonNumber} in your areas` } };
      // HMPPS movements are shown with the cases; those with reason UNKNOWN are listed for someone to look at.
      const movements = read.person.movements ?? [];
      return {
        status: 200,
        body: {
          prisonNumber: read.person.prisonNumber,
          current: read.cases[0],
          cases: read.cases,
          movements,
          reviewNeeded: movements.filter((m) => m.reviewNeeded),
        },
      };
    }),

    figures('GET', '/metrics', async () => ({
      status: 200,
      body: { metrics, suppression: suppressionRule },
    })),

    figures('GET', '/aggregates/export.csv', async ({ query, caller }) => {
      const parsed = parseMetricQuery(query);
      if (!parsed.ok)
        return { status: 400, body: { error: 'the export cannot be made as asked', invalid: parsed.errors } };
      const result = published(await queryMetrics(parsed.query, deps.aggregates), caller);
      const name = `gatehouse-${result.from}-to-${result.to}-${result.granularity}.csv`;
      const text = metricsCsv(result);
      // Lambda answers at most 6 MB: a bigger export would fail as an internal error, so it is refused with what to change.
      const bytes = Buffer.byteLength(text);
      if (bytes > maxExportBytes) {
        return {
          status: 413,
          body: {
            error: `the export would be ${(bytes / 1e6).toFixed(1)} MB, over the ${maxExportBytes / 1e6} MB one response can carry: ask for fewer metrics, a shorter period or a coarser granularity (week or month)`,
          },
        };
      }
      return {
        status: 200,
        text,
        contentType: 'text/csv; charset=utf-8',
        headers: { 'content-disposition': `attachment; filename="${name}"` },
      };
    }),

    figures('GET', '/aggregates', async ({ query, caller }) => {
      // With `metric`: named figures from the catalogue (GET /metrics). Without: a family's raw counters.
      if (query.has('metric')) {
        const parsed = parseMetricQuery(query);
        if (!parsed.ok)
          return {
            status: 400,
            body: { error: 'the figures cannot be read as asked', invalid: parsed.errors },
          };
        return { status: 200, body: published(await queryMetrics(parsed.query, deps.aggregates), caller) };
      }
      const parsed = parseAggregatesQuery(query);
      if (!parsed.ok)
        return {
          status: 400,
          body: { error: 'the figures cannot be read as asked', invalid: parsed.errors },
        };
      const result = await queryAggregates(parsed.query, deps.aggregates);
      return {
        status: 200,
        body: readsExactFigures(caller)
          ? result
          : { ...result, ...suppressCounters(result.periods, result.totals) },
      };
    }),

    // An alert's timeline (recipients by role, never a name or number): operators only, like the exact figures.
    figures('GET', '/alerts/{alertId}', async ({ params, caller }) => {
      if (!readsExactFigures(caller))
        return { status: 403, body: { error: "an alert's timeline is for operators" } };
      const timeline = await alertTimeline(params.alertId!, deps.timelines);
      return timeline
        ? { status: 200, body: timeline }
        : { status: 404, body: { error: `no alert ${params.alertId}` } };
    }),

    // Signed links from alert messages (public: the token is the authorisation). GET shows, POST acts.
    ...(['ack', 'resolve'] as const).flatMap((action) =>
      (['GET', 'POST'] as const).map((method) =>
        route(method, `/alerts/{alertId}/${action}`, async ({ params, query, headers }) => {
          const result = await acknowledgeAlert(
            { alertId: params.alertId!, token: query.get('t'), action, confirm: method === 'POST' },
            await deps.acknowledgements(),
          );
          return alertPage(
            result,
            `/alerts/${encodeURIComponent(params.alertId!)}/${action}?t=${encodeURIComponent(query.get('t') ?? '')}`,
            (headers.accept ?? '').includes('application/json'),
          );
        }),
      ),
    ),
  ];
}

/** What a caller is shown: operators the exact figures, everyone else with small cells suppressed. */
function published(result: MetricResult, caller: Caller | undefined): MetricResult {
  return readsExactFigures(caller)
    ? result
    : ({ ...result, ...suppressFigures(result, result.metrics) } as MetricResult);
}

/** Below Lambda's 6 MB response limit, with room for headers. */
export const maxExportBytes = 5_000_000;

/** A route of the figures: any Gatehouse reader (board, case worker, operator), refused to a token for nothing. */
function figures(method: Route['method'], pattern: string, handle: Route['handle']): Route {
  return route(method, pattern, async (request) =>
    readsFigures(request.caller)
      ? handle(request)
      : {
          status: 403,
          body: {
            error:
              'reading figures needs a Gatehouse group (board, case-workers-{area}, operators) and the gatehouse/figures.read scope',
          },
        },
  );
}
