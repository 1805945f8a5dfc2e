/**
 * The routes of the HTTP API, one entry each: method, path pattern, and the use case it calls.
 * Parameters in `{braces}` arrive in `params`.
 */
import { families, type Family } from '../domain/aggregates';
import type { AggregateReader, Granularity } from '../use-cases/query-aggregates';
import { queryAggregates } from '../use-cases/query-aggregates';
import { queryMetrics } from '../use-cases/query-metrics';
import { metrics } from '../domain/metrics';
import { isDimensionValue, metricsCsv, parseMetricQuery } from './metric-requests';
import type { ReleaseStore } from '../use-cases/record-custody-event';
import { acknowledgeAlert, type AcknowledgeDependencies } from '../use-cases/acknowledge-alert';
import { alertPage } from './alert-pages';
import { alertTimeline, type TimelineReader } from '../use-cases/alert-timeline';
import { deliveryStatusCallback, inboundSmsCallback, type CallbackDependencies } from './notify-callbacks';

export interface ApiDependencies {
  releases: Pick<ReleaseStore, 'loadPerson'>;
  aggregates: AggregateReader;
  /** Built on first use: the link key comes from Secrets Manager. */
  acknowledgements: () => Promise<AcknowledgeDependencies>;
  clock: () => Date;
  /** Alert timelines (notices, recipients by role, attempts, delivery statuses), for operators. */
  timelines: TimelineReader;
  /** GOV.UK Notify's callbacks; built on first use (the callback token comes from Secrets Manager). */
  callbacks: () => Promise<CallbackDependencies>;
}

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

export type ApiResponse =
  | { status: number; body: unknown }
  | { status: number; text: string; contentType: string; headers?: Record<string, string> };

export interface Route {
  method: 'GET' | 'POST';
  pattern: string;
  match(path: string): Record<string, string> | undefined;
  handle(request: ApiRequest): Promise<ApiResponse>;
}

export function apiRoutes(deps: ApiDependencies): Route[] {
  return [
    route('GET', '/cases/{prisonNumber}', async ({ params }) => {
      const prisonNumber = params.prisonNumber!.toUpperCase();
      const person = await deps.releases.loadPerson(prisonNumber);
      if (!person) return { status: 404, body: { error: `no release case for ${prisonNumber}` } };
      // HMPPS movements are shown with the cases; those with reason UNKNOWN are listed for someone to look at.
      const movements = person.movements ?? [];
      return { status: 200, body: { prisonNumber: person.prisonNumber, current: person.cases[0], cases: person.cases, movements, reviewNeeded: movements.filter((m) => m.reviewNeeded) } };
    }),

    route('GET', '/metrics', async () => ({ status: 200, body: { metrics } })),

    route('GET', '/aggregates/export.csv', async ({ query }) => {
      const parsed = parseMetricQuery(query);
      if (!parsed.ok) return { status: 400, body: { error: 'the export cannot be made as asked', invalid: parsed.errors } };
      const result = await queryMetrics(parsed.query, deps.aggregates);
      const name = `gatehouse-${result.from}-to-${result.to}-${result.granularity}.csv`;
      return { status: 200, text: metricsCsv(result), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="${name}"` } };
    }),

    route('GET', '/aggregates', async ({ query }) => {
      // With `metric`: named figures from the catalogue (GET /metrics). Without: a family's raw counters.
      if (query.has('metric')) {
        const parsed = parseMetricQuery(query);
        if (!parsed.ok) return { status: 400, body: { error: 'the figures cannot be read as asked', invalid: parsed.errors } };
        return { status: 200, body: await queryMetrics(parsed.query, deps.aggregates) };
      }
      const granularity = (query.get('granularity') ?? 'total') as Granularity;
      if (!['day', 'week', 'month', 'total'].includes(granularity)) return { status: 400, body: { error: 'granularity: expected day, week, month or total' } };
      const family = (query.get('family') ?? 'releases') as Family;
      if (!(family in families)) return { status: 400, body: { error: `family: expected one of ${Object.keys(families).join(', ')}` } };
      const dimensions = Object.fromEntries((families[family] as readonly string[]).flatMap((name) => (query.get(name) ? [[name, query.get(name)!]] : [])));
      const badDimension = Object.keys(dimensions).find((name) => !isDimensionValue(dimensions[name]!));
      if (badDimension) return { status: 400, body: { error: `${badDimension}: expected a code of letters, digits, - or _, or * for all` } };
      const result = await queryAggregates(
        { family, granularity, dimensions, ...(query.get('from') ? { from: query.get('from')! } : {}), ...(query.get('to') ? { to: query.get('to')! } : {}) },
        deps.aggregates,
      );
      return { status: 200, body: result };
    }),

    route('GET', '/alerts/{alertId}', async ({ params }) => {
      const timeline = await alertTimeline(params.alertId!, deps.timelines);
      return timeline ? { status: 200, body: timeline } : { status: 404, body: { error: `no alert ${params.alertId}` } };
    }),

    // GOV.UK Notify's callbacks (public: Notify's bearer token is the authorisation).
    route('POST', '/notify/delivery-status', async (request) => deliveryStatusCallback(request, await deps.callbacks())),
    route('POST', '/notify/inbound-sms', async (request) => inboundSmsCallback(request, await deps.callbacks())),

    // Signed links from alert messages (public: the token is the authorisation). GET shows, POST acts.
    ...(['ack', 'resolve'] as const).flatMap((action) =>
      (['GET', 'POST'] as const).map((method) =>
        route(method, `/alerts/{alertId}/${action}`, async ({ params, query, headers }) => {
          const result = await acknowledgeAlert({ alertId: params.alertId!, token: query.get('t'), action, confirm: method === 'POST' }, await deps.acknowledgements());
          return alertPage(result, `/alerts/${encodeURIComponent(params.alertId!)}/${action}?t=${encodeURIComponent(query.get('t') ?? '')}`, (headers.accept ?? '').includes('application/json'));
        }),
      ),
    ),
  ];
}

/** A route whose `{name}` segments match one path segment each. */
export function route(method: Route['method'], pattern: string, handle: Route['handle']): Route {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return {
    method,
    pattern,
    match(path) {
      const m = regex.exec(path);
      return m ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) : undefined;
    },
    handle,
  };
}
