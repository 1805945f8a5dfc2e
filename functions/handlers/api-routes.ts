/**
 * The routes of the HTTP API, one entry each: method, path pattern, and the use case it calls.
 * Parameters in `{braces}` arrive in `params`.
 */
import { families, type Family } from '../domain/aggregates';
import type { AggregateReader, Granularity } from '../use-cases/query-aggregates';
import { queryAggregates } from '../use-cases/query-aggregates';
import type { ReleaseStore } from '../use-cases/record-custody-event';
import { acknowledgeAlert, type AcknowledgeDependencies } from '../use-cases/acknowledge-alert';
import { alertPage } from './alert-pages';

export interface ApiDependencies {
  releases: Pick<ReleaseStore, 'loadPerson'>;
  aggregates: AggregateReader;
  /** Built on first use: the link key comes from Secrets Manager. */
  acknowledgements: () => Promise<AcknowledgeDependencies>;
  clock: () => Date;
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
      return { status: 200, body: { prisonNumber: person.prisonNumber, current: person.cases[0], cases: person.cases } };
    }),

    route('GET', '/aggregates', async ({ query }) => {
      const granularity = (query.get('granularity') ?? 'total') as Granularity;
      if (!['day', 'week', 'month', 'total'].includes(granularity)) return { status: 400, body: { error: 'granularity: expected day, week, month or total' } };
      const family = (query.get('family') ?? 'releases') as Family;
      if (!(family in families)) return { status: 400, body: { error: `family: expected one of ${Object.keys(families).join(', ')}` } };
      const dimensions = Object.fromEntries((families[family] as readonly string[]).flatMap((name) => (query.get(name) ? [[name, query.get(name)!]] : [])));
      const result = await queryAggregates(
        { family, granularity, dimensions, ...(query.get('from') ? { from: query.get('from')! } : {}), ...(query.get('to') ? { to: query.get('to')! } : {}) },
        deps.aggregates,
      );
      return { status: 200, body: result };
    }),

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
