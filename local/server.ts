/**
 * The local HTTP API on 127.0.0.1. POST /custody-events puts what it receives on the local custody queue,
 * in the same SQS batch shape, so the very handler Lambda runs records it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { parseCustodyPayload } from '#events/custody-message';
import { readOutbox } from '#adapters/channels/local-outbox';
import { apiHandler, httpHandler } from '#handlers/api';
import { notifyCallbackRoutes } from '#handlers/notify-callbacks';
import { composeApi } from '#composition/api';
import { composeNotifyCallbacks } from '#composition/notify-callbacks';
import { localDashboardConfig, securityHeaders, siteFiles } from '#dashboard/site';
import { lambdaContext } from './lambda-context';
import type { Gatehouse } from './runtime';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

type Route = (
  request: IncomingMessage,
  url: URL,
  params: string[],
) => Promise<{ status: number; body: unknown }>;

const maxBodyBytes = 5 * 1024 * 1024;

/** `x-gatehouse-local-groups: board` makes a local request as a board member would (space-separated groups). */
export const localGroupsHeader = 'x-gatehouse-local-groups';
const localDeveloperGroups = ['board', 'operators', 'case-workers-*'];

export async function startServer(gatehouse: Gatehouse, port: number): Promise<RunningServer> {
  const api = apiHandler(composeApi(gatehouse.env, { clock: gatehouse.clock }));
  // GOV.UK Notify's callbacks go to their own function, as in AWS (it holds the routing and the Notify key; api does not).
  const notifyCallbacks = httpHandler(
    notifyCallbackRoutes(composeNotifyCallbacks(gatehouse.env, { clock: gatehouse.clock })),
  );

  const routes: [string, RegExp, Route][] = [
    [
      'GET',
      /^\/health$/,
      async () => ({
        status: 200,
        body: {
          status: 'ok',
          api: gatehouse.url,
          endpoints: gatehouse.endpoints,
          tables: gatehouse.names.tables,
          buckets: gatehouse.names.buckets,
          queues: {
            'custody-events': {
              depth: gatehouse.custodyQueue.depth,
              deadLetters: gatehouse.deadLetters.custody.messages.length,
            },
            'partner-drops': {
              depth: gatehouse.partnerDropQueue.depth,
              deadLetters: gatehouse.deadLetters.partnerDrops.messages.length,
            },
          },
        },
      }),
    ],
    [
      'POST',
      /^\/custody-events$/,
      async (request) => {
        const body = await readJson(request);
        if (!body.ok) return { status: 400, body: { error: body.error } };
        const items = Array.isArray(body.value) ? body.value : [body.value];
        if (items.length === 0)
          return { status: 400, body: { error: 'expected a custody event or a non-empty array of them' } };
        const parsed = items.map((item) => parseCustodyPayload(item, gatehouse.identifierKey));
        const invalid = parsed.flatMap((p, index) => (p.ok ? [] : [{ index, errors: p.errors }]));
        if (invalid.length > 0)
          return {
            status: 400,
            body: {
              error: `${invalid.length} of ${items.length} events are not valid; none was accepted`,
              invalid,
            },
          };
        await gatehouse.custodyQueue.send(items.map((item) => JSON.stringify(item)));
        return { status: 202, body: { accepted: parsed.map((p) => (p.ok ? p.event.eventId : undefined)) } };
      },
    ],
    [
      'GET',
      /^\/alerts$/,
      async () => ({ status: 200, body: { alerts: await readOutbox(gatehouse.outboxFile) } }),
    ],
    [
      'POST',
      /^\/dead-letters\/([\w-]+)\/redrive$/,
      async (_request, _url, [name]) => {
        const local = gatehouse.queues[name!];
        if (!local)
          return {
            status: 404,
            body: {
              error: `no local queue named ${name}; known: ${Object.keys(gatehouse.queues).join(', ')}`,
            },
          };
        const letters = local.deadLetters.drain();
        await local.queue.send(letters.map((l) => l.body));
        return { status: 200, body: { redriven: letters.length } };
      },
    ],
    [
      'GET',
      /^\/dead-letters$/,
      async () => ({
        status: 200,
        body: {
          'custody-events': gatehouse.deadLetters.custody.messages,
          dispatch: gatehouse.deadLetters.dispatch.messages,
          'partner-drops': gatehouse.deadLetters.partnerDrops.messages,
        },
      }),
    ],
  ];

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refused = refusal(request);
    if (refused) return send(response, refused.status, { error: refused.error });
    const candidates = routes.filter(([, pattern]) => pattern.test(url.pathname));
    const route = candidates.find(([method]) => method === request.method);
    try {
      if (request.method === 'GET' && (dashboard.has(url.pathname) || url.pathname === '/config.json'))
        return await serveDashboard(url.pathname, response);
      // Everything that is not local plumbing is the HTTP API, answered by the same handler as in AWS.
      if (!route) return await forwardToApi(request, url, response);
      const params = route[1].exec(url.pathname)!.slice(1);
      const result = await route[2](request, url, params);
      send(response, result.status, result.body);
    } catch (error) {
      console.error(`[http] ${request.method} ${url.pathname}: ${(error as Error).message}`);
      send(response, 500, { error: 'internal error; see the console' });
    }
  }

  // The LCJB dashboard at `/`, with the security headers CloudFront gives it in AWS.
  const dashboard = new Map(siteFiles.map((f) => [`/${f.key}`, f]));
  dashboard.set('/', dashboard.get('/index.html')!);
  async function serveDashboard(path: string, response: ServerResponse): Promise<void> {
    const file = dashboard.get(path);
    const [body, contentType] = file
      ? [file.contents(), file.contentType]
      : [JSON.stringify(localDashboardConfig), 'application/json; charset=utf-8'];
    response.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-cache',
      ...securityHeaders(),
    });
    response.end(body);
  }

  async function forwardToApi(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const event = apiGatewayEvent(request, url, body, gatehouse.clock());
    const result = url.pathname.startsWith('/notify/')
      ? await notifyCallbacks(event, lambdaContext('notify-callbacks'))
      : await api(event, lambdaContext('api'));
    response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
    response.end(result.body ?? '');
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

/**
 * The local server answers this machine only. A web page elsewhere can still reach 127.0.0.1 from the browser:
 * by DNS rebinding (its own name, resolved to 127.0.0.1: the Host is then that name) or by a cross-site form post
 * (text/plain or form-encoded, with the page's Origin). Both are refused, so no page can read the outbox and its
 * links, nor post events.
 */
function refusal(request: IncomingMessage): { status: number; error: string } | undefined {
  const port = request.socket.localPort;
  const local = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!local.has(String(request.headers.host ?? '')))
    return { status: 421, error: 'this server answers requests to 127.0.0.1 or localhost only' };
  const origin = request.headers.origin;
  if (origin !== undefined && !local.has(origin.replace(/^http:\/\//, '')))
    return { status: 403, error: 'cross-site requests are not accepted' };
  // Local plumbing that takes JSON takes only JSON: a cross-site form cannot send application/json without CORS.
  if (
    request.method === 'POST' &&
    /^\/(custody-events|dead-letters\/)/.test(request.url ?? '') &&
    !/^application\/json\b/.test(String(request.headers['content-type'] ?? ''))
  ) {
    return { status: 415, error: 'send application/json' };
  }
  return undefined;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body, null, 2));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class BodyTooLarge extends Error {
  constructor() {
    super(`request body over ${maxBodyBytes} bytes`);
  }
}

async function readJson(
  request: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  try {
    return { ok: true, value: JSON.parse(await readBody(request)) };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof BodyTooLarge ? error.message : 'the request body is not valid JSON',
    };
  }
}

/** The API Gateway HTTP API (payload 2.0) event for a local request. */
function apiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: string,
  now: Date,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = request.method ?? 'GET';
  const { [localGroupsHeader]: asGroups, ...headers } = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(body ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      // What API Gateway's JWT authorizer would pass on: nobody signs in locally, so the caller is the local
      // developer, in every group unless the request names its groups (tests play a board member that way).
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: {
            sub: 'local-developer',
            'cognito:groups': `[${asGroups ?? localDeveloperGroups.join(' ')}]`,
          },
          scopes: [],
        },
      },
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}
