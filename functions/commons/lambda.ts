/** Every Gatehouse Lambda entry is its adapter wrapped in the same Powertools middleware. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools';

export function lambdaHandler<E, R>(adapter: (event: E, context: Context) => Promise<R>) {
  return middy(adapter).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

/** Builds the handler's dependencies from the environment on the first invocation, not at import. */
export function lazily<E, R>(build: () => (event: E, context: Context) => Promise<R>) {
  let built: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event: E, context: Context): Promise<R> => (built ??= build())(event, context);
}

/** Like `lazily`, for dependencies that need an awaited call (a secret); a failed build is tried again next time. */
export function lazilyAsync<E, R>(build: () => Promise<(event: E, context: Context) => Promise<R>>) {
  let built: Promise<(event: E, context: Context) => Promise<R>> | undefined;
  return async (event: E, context: Context): Promise<R> => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return (await built)(event, context);
  };
}
