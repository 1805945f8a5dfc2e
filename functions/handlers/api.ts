/**
 * λ api: the HTTP API (API Gateway HTTP API in AWS; the local server forwards to it too).
 * Routes live in api-routes.ts; this file maps API Gateway events to them and their answers back.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { dynamoDocuments, secretsClient } from '../commons/clients';
import { routingFromEnvironment, runtimeConfig } from '../commons/config';
import { loadAlertSecrets } from '../adapters/alert-secrets';
import { dynamoAlertStore } from '../adapters/dynamodb/alert-store';
import type { AcknowledgeDependencies } from '../use-cases/acknowledge-alert';
import { lambdaHandler, lazily } from '../commons/lambda';
import { logger } from '../commons/powertools';
import { dynamoAggregateReader } from '../adapters/dynamodb/aggregate-reader';
import { dynamoReleaseStore } from '../adapters/dynamodb/release-store';
import { dynamoTimelineReader } from '../adapters/dynamodb/alert-timeline';
import { dynamoDeliveryStore } from '../adapters/dynamodb/delivery-store';
import type { CallbackDependencies } from './notify-callbacks';
import { channelsFor } from './dispatch';
import { apiRoutes, type ApiDependencies, type ApiRequest, type ApiResponse } from './api-routes';

export function apiHandler(deps: ApiDependencies) {
  const routes = apiRoutes(deps);
  return lambdaHandler(async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    const path = event.rawPath;
    const matching = routes.map((r) => ({ route: r, params: r.match(path) })).filter((m) => m.params !== undefined);
    const found = matching.find((m) => m.route.method === method);
    if (!found) {
      return json(matching.length > 0 ? 405 : 404, { error: matching.length > 0 ? `${method} is not allowed on ${path}` : `no route for ${path}` });
    }
    const request: ApiRequest = {
      params: found.params!,
      query: new URLSearchParams(event.rawQueryString ?? ''),
      headers: lowerCased(event.headers ?? {}),
      body: event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '',
    };
    try {
      return toResult(await found.route.handle(request));
    } catch (error) {
      logger.error('api route failed', { method, route: found.route.pattern, error: (error as Error).message });
      return json(500, { error: 'internal error' });
    }
  });
}

function toResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  if ('text' in response) return { statusCode: response.status, headers: { 'content-type': response.contentType, ...response.headers }, body: response.text };
  return json(response.status, response.body);
}

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function lowerCased(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined).map(([k, v]) => [k.toLowerCase(), v!]));
}

export function apiDependencies(clock: () => Date = () => new Date()): ApiDependencies {
  const config = runtimeConfig();
  const client = dynamoDocuments();
  let acknowledgements: Promise<AcknowledgeDependencies> | undefined;
  let callbacks: Promise<CallbackDependencies> | undefined;
  const alerts = () => dynamoAlertStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }, config.retentionDays);
  return {
    releases: dynamoReleaseStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }),
    aggregates: dynamoAggregateReader(client, config.aggregatesTable),
    acknowledgements: () =>
      (acknowledgements ??= loadAlertSecrets(process.env, secretsClient).then((secrets) => ({
        alerts: dynamoAlertStore(client, { records: config.recordsTable, aggregates: config.aggregatesTable }, config.retentionDays),
        linkKey: secrets.linkSigningKey,
        settings: routingFromEnvironment(),
        clock,
      })).catch((error: unknown) => {
        acknowledgements = undefined;
        throw error;
      })),
    clock,
    timelines: dynamoTimelineReader(client, config.recordsTable),
    callbacks: () =>
      (callbacks ??= loadAlertSecrets(process.env, secretsClient).then((secrets) => ({
        ...(secrets.notifyCallbackToken ? { token: secrets.notifyCallbackToken } : {}),
        receipts: { alerts: alerts(), deliveries: dynamoDeliveryStore(client, config.recordsTable, config.retentionDays), clock },
        replies: {
          alerts: alerts(),
          deliveries: dynamoDeliveryStore(client, config.recordsTable, config.retentionDays),
          numberKey: secrets.linkSigningKey,
          settings: routingFromEnvironment(),
          channels: channelsFor(secrets, routingFromEnvironment()),
          clock,
        },
      })).catch((error: unknown) => {
        callbacks = undefined;
        throw error;
      })),
  };
}

export const handler = lazily(() => apiHandler(apiDependencies()));
