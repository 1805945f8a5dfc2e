/**
 * The HTTP plumbing of the api and Notify callbacks functions: requests and answers as routes see them, routes
 * by method and path pattern, and the Lambda handler that maps API Gateway HTTP API events to them and back.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaHandler } from '#commons/lambda';
import { logger } from '#commons/powertools';
import type { Caller } from '#domain/access';

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** The signed-in caller, from the verified token (none on the public acknowledgement routes). */
  caller?: Caller;
  requestId: string;
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

/** API Gateway HTTP API events to routes and back: the api function's and the Notify callbacks function's. */
export function httpHandler(routes: Route[]) {
  return lambdaHandler(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const method = event.requestContext.http.method;
      const path = event.rawPath;
      let matching: { route: (typeof routes)[number]; params: Record<string, string> | undefined }[];
      try {
        matching = routes
          .map((r) => ({ route: r, params: r.match(path) }))
          .filter((m) => m.params !== undefined);
      } catch (error) {
        // A path segment that is not valid percent-encoding (`/alerts/%E0%A4%A/ack`) is the caller's mistake, not ours.
        if (error instanceof URIError) return json(400, { error: 'the path is not valid percent-encoding' });
        throw error;
      }
      const found = matching.find((m) => m.route.method === method);
      if (!found) {
        return json(matching.length > 0 ? 405 : 404, {
          error: matching.length > 0 ? `${method} is not allowed on ${path}` : `no route for ${path}`,
        });
      }
      const request: ApiRequest = {
        params: found.params!,
        query: new URLSearchParams(event.rawQueryString ?? ''),
        headers: lowerCased(event.headers ?? {}),
        body: event.body
          ? event.isBase64Encoded
            ? Buffer.from(event.body, 'base64').toString('utf8')
            : event.body
          : '',
        ...callerOf(event),
        requestId: event.requestContext.requestId,
      };
      try {
        return toResult(await found.route.handle(request));
      } catch (error) {
        // The name and code only: a message may echo the request (a path, a query value, a DynamoDB key).
        logger.error('api route failed', { method, route: found.route.pattern, error: errorName(error) });
        return json(500, { error: 'internal error' });
      }
    },
  );
}

/**
 * The caller, from the claims API Gateway's JWT authorizer verified. HTTP API passes an array claim such as
 * `cognito:groups` as the string "[a b]".
 */
export function callerOf(event: APIGatewayProxyEventV2): { caller?: Caller } {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } })
    .authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') return {};
  const list = (value: unknown): string[] =>
    Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value
            .replace(/^\[|\]$/g, '')
            .split(/[\s,]+/)
            .filter(Boolean)
        : [];
  return {
    caller: {
      id: claims.sub,
      groups: list(claims['cognito:groups']),
      ...(claims.scope !== undefined ? { scopes: list(claims.scope) } : {}),
    },
  };
}

export function errorName(error: unknown): { name: string; code?: string } {
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

function toResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  if ('text' in response)
    return {
      statusCode: response.status,
      headers: { 'content-type': response.contentType, ...response.headers },
      body: response.text,
    };
  return json(response.status, response.body);
}

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function lowerCased(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.toLowerCase(), v!]),
  );
}
