/**
 * Every Gatehouse Lambda entry is its adapter wrapped in the same Powertools middleware. Traces never record
 * the response (a case, an acknowledgement page with its token); POWERTOOLS_TRACER_CAPTURE_* say so on the template too.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools';

export function lambdaHandler<E, R>(adapter: (event: E, context: Context) => Promise<R>) {
  return middy(adapter)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    .use(flushMetrics());
}

/**
 * Publishes the invocation's business metrics when it ends, however it ends. Unlike Powertools' logMetrics it
 * stays quiet when an invocation (a health check, a read) recorded none.
 */
function flushMetrics(): MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}

/** Builds the handler's dependencies from the environment on the first invocation, not at import. */
export function lazily<E, R>(build: () => (event: E, context: Context) => Promise<R>) {
  let built: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event: E, context: Context): Promise<R> => {
    built ??= build();
    return built(event, context);
  };
}

/**
 * Like `lazily`, for dependencies that need an awaited call (a secret); a failed build is tried again next time.
 * With `maxAgeMs` the dependencies are built again once they are that old, so a warm container picks up a rotated
 * key (a bounded cache, not one for the container's life).
 */
export function lazilyAsync<E, R>(
  build: () => Promise<(event: E, context: Context) => Promise<R>>,
  options: { maxAgeMs?: number; now?: () => number } = {},
) {
  let built: { at: number; handler: Promise<(event: E, context: Context) => Promise<R>> } | undefined;
  const now = options.now ?? Date.now;
  return async (event: E, context: Context): Promise<R> => {
    if (!built || (options.maxAgeMs !== undefined && now() - built.at > options.maxAgeMs)) {
      const entry = { at: now(), handler: build() };
      entry.handler.catch(() => {
        if (built === entry) built = undefined;
      });
      built = entry;
    }
    return (await built.handler)(event, context);
  };
}

/**
 * A batch record handler that says, in one log line, which record failed and why before the failure goes back to
 * the queue or stream: the record's id and the error's name and code, never its message (a DynamoDB or SDK message
 * can echo a key, and keys hold prison numbers).
 */
export function loggingFailures<T>(
  idOf: (record: T) => string,
  handle: (record: T) => Promise<void>,
): (record: T) => Promise<void> {
  return async (record) => {
    try {
      await handle(record);
    } catch (error) {
      const e = error as { name?: unknown; code?: unknown };
      logger.error('batch record failed; it goes back to be retried', {
        recordId: idOf(record),
        error: {
          name: typeof e?.name === 'string' ? e.name : 'Error',
          ...(typeof e?.code === 'string' ? { code: e.code } : {}),
        },
      });
      throw error;
    }
  };
}
