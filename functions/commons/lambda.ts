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
