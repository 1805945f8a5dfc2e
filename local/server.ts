/**
 * The local HTTP API on 127.0.0.1. POST /custody-events puts what it receives on the local custody queue,
 * in the same SQS batch shape, so the very handler Lambda runs records it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseCustodyPayload } from '../events/custody-message';
import { dynamoDocuments } from '../functions/commons/clients';
import { aggregatesTable, recordsTable } from '../functions/commons/resources';
import { readOutbox } from '../functions/adapters/channels/local-outbox';
import { dynamoAggregateReader } from '../functions/adapters/dynamodb/aggregate-reader';
import { dynamoReleaseStore } from '../functions/adapters/dynamodb/release-store';
import { queryAggregates, type Granularity } from '../functions/use-cases/query-aggregates';
import type { Gatehouse } from './runtime';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

type Route = (request: IncomingMessage, url: URL, params: string[]) => Promise<{ status: number; body: unknown }>;

const maxBodyBytes = 5 * 1024 * 1024;

export async function startServer(gatehouse: Gatehouse, port: number): Promise<RunningServer> {
  const tables = { records: gatehouse.names.tables[recordsTable.id]!, aggregates: gatehouse.names.tables[aggregatesTable.id]! };
  const store = dynamoReleaseStore(dynamoDocuments(), tables);
  const aggregates = dynamoAggregateReader(dynamoDocuments(), tables.aggregates);

  const routes: [string, RegExp, Route][] = [
    ['GET', /^\/health$/, async () => ({
      status: 200,
      body: {
        status: 'ok',
        api: gatehouse.url,
        endpoints: gatehouse.endpoints,
        tables: gatehouse.names.tables,
        buckets: gatehouse.names.buckets,
        queues: { 'custody-events': { depth: gatehouse.custodyQueue.depth, deadLetters: gatehouse.deadLetters.custody.messages.length } },
      },
    })],
    ['POST', /^\/custody-events$/, async (request) => {
      const body = await readJson(request);
      if (!body.ok) return { status: 400, body: { error: body.error } };
      const items = Array.isArray(body.value) ? body.value : [body.value];
      if (items.length === 0) return { status: 400, body: { error: 'expected a custody event or a non-empty array of them' } };
      const parsed = items.map((item) => parseCustodyPayload(item));
      const invalid = parsed.flatMap((p, index) => (p.ok ? [] : [{ index, errors: p.errors }]));
      if (invalid.length > 0) return { status: 400, body: { error: `${invalid.length} of ${items.length} events are not valid; none was accepted`, invalid } };
      await gatehouse.custodyQueue.send(items.map((item) => JSON.stringify(item)));
      return { status: 202, body: { accepted: parsed.map((p) => (p.ok ? p.event.eventId : undefined)) } };
    }],
    ['GET', /^\/alerts$/, async () => ({ status: 200, body: { alerts: await readOutbox(gatehouse.outboxFile) } })],
    ['GET', /^\/aggregates$/, async (_request, url) => {
      const q = url.searchParams;
      const granularity = (q.get('granularity') ?? 'total') as Granularity;
      if (!['day', 'week', 'month', 'total'].includes(granularity)) return { status: 400, body: { error: 'granularity: expected day, week, month or total' } };
      const result = await queryAggregates(
        {
          family: q.get('family') ?? 'releases',
          granularity,
          ...(q.get('la') ? { localAuthority: q.get('la')! } : {}),
          ...(q.get('prison') ? { prisonId: q.get('prison')! } : {}),
          ...(q.get('from') ? { from: q.get('from')! } : {}),
          ...(q.get('to') ? { to: q.get('to')! } : {}),
        },
        aggregates,
      );
      return { status: 200, body: result };
    }],
    ['GET', /^\/cases\/([A-Za-z0-9]+)$/, async (_request, _url, [prisonNumber]) => {
      const person = await store.loadPerson(prisonNumber!.toUpperCase());
      if (!person) return { status: 404, body: { error: `no release case for ${prisonNumber}` } };
      return { status: 200, body: { prisonNumber: person.prisonNumber, current: person.cases[0], cases: person.cases } };
    }],
    ['GET', /^\/dead-letters$/, async () => ({
      status: 200,
      body: { 'custody-events': gatehouse.deadLetters.custody.messages, dispatch: gatehouse.deadLetters.dispatch.messages },
    })],
  ];

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const candidates = routes.filter(([, pattern]) => pattern.test(url.pathname));
    const route = candidates.find(([method]) => method === request.method);
    try {
      if (!route) {
        const status = candidates.length > 0 ? 405 : 404;
        return send(response, status, { error: status === 405 ? `${request.method} is not allowed on ${url.pathname}` : `no route for ${url.pathname}` });
      }
      const params = route[1].exec(url.pathname)!.slice(1);
      const result = await route[2](request, url, params);
      send(response, result.status, result.body);
    } catch (error) {
      console.error(`[http] ${request.method} ${url.pathname}: ${(error as Error).message}`);
      send(response, 500, { error: 'internal error; see the console' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body, null, 2));
}

async function readJson(request: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return { ok: false, error: `request body over ${maxBodyBytes} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, error: 'the request body is not valid JSON' };
  }
}
