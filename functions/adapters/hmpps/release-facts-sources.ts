/**
 * The composition of the HMPPS sources: one token source shared by the four clients, one circuit breaker per
 * API. `sharedReleaseFactsSources` keeps them in module scope, so every invocation of a warm Lambda container
 * (and every event of a batch) uses the same cached token and the same breakers.
 */
import { hmppsApiFailuresMetric } from '#commons/operations-metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { setTimeout as sleep } from 'node:timers/promises';
import { secretsClient } from '#commons/clients';
import { logger, metrics } from '#commons/powertools';
import type { ReleaseFactsSources } from '#use-cases/release-facts-ports';
import { cas3Client, prisonerSearchClient, probationClient, resettlementPassportClient } from './clients';
import { hmppsApisConfig, loadClientCredentials, type HmppsApisConfig } from './config';
import { hmppsApi, type HmppsApiOptions } from './http';
import { CircuitBreaker } from './resilience';
import { clientCredentialsTokens, type ClientCredentials, type TokenSource } from './token';

export interface SourcesDependencies {
  credentials: () => Promise<ClientCredentials>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  count?: HmppsApiOptions['count'];
  warn?: HmppsApiOptions['warn'];
  fetch?: typeof fetch;
}

export interface HmppsSources extends ReleaseFactsSources {
  tokens: TokenSource;
  breakers: Record<'prisonerSearch' | 'probation' | 'resettlementPassport' | 'cas3', CircuitBreaker>;
}

export function hmppsReleaseFactsSources(config: HmppsApisConfig, deps: SourcesDependencies): HmppsSources {
  const now = deps.now ?? (() => new Date());
  const ms = () => now().getTime();
  // Credentials are read once (the secret is fetched on the first token request, not at every token).
  let credentials: Promise<ClientCredentials> | undefined;
  const tokens = clientCredentialsTokens({
    authUrl: config.authUrl,
    credentials: () => {
      // Read once and shared; a failed read is forgotten, so the next call reads again.
      credentials ??= deps.credentials().catch((error) => {
        credentials = undefined;
        return Promise.reject(error);
      });
      return credentials;
    },
    now: ms,
    timeoutMs: config.timeoutMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const breakers = {
    prisonerSearch: new CircuitBreaker(config.breaker, ms),
    probation: new CircuitBreaker(config.breaker, ms),
    resettlementPassport: new CircuitBreaker(config.breaker, ms),
    cas3: new CircuitBreaker(config.breaker, ms),
  };
  const api = (name: string, baseUrl: string, breaker: CircuitBreaker) =>
    hmppsApi({
      name,
      baseUrl,
      tokens,
      breaker,
      retry: config.retry,
      timeoutMs: config.timeoutMs,
      sleep: deps.sleep ?? ((delay) => sleep(delay)),
      random: deps.random ?? Math.random,
      now,
      count: deps.count ?? (() => undefined),
      ...(deps.warn ? { warn: deps.warn } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  return {
    tokens,
    breakers,
    prisonerSearch: prisonerSearchClient(
      api('Prisoner Search', config.prisonerSearchUrl, breakers.prisonerSearch),
    ),
    probation: probationClient(api('Probation', config.probationUrl, breakers.probation)),
    resettlementPassport: resettlementPassportClient(
      api('Resettlement Passport', config.resettlementPassportUrl, breakers.resettlementPassport),
    ),
    cas3: cas3Client(api('CAS3', config.cas3Url, breakers.cas3)),
  };
}

let shared: { key: string; sources: HmppsSources } | undefined;

/**
 * The sources of this process, made on first use from the environment; undefined when fetching is off.
 * Counted with Powertools metrics (dimension `api`) and logged without personal data.
 */
const failureMetrics: readonly string[] = [
  'hmppsFailures',
  'hmppsCircuitOpen',
  'hmppsTokenRefused',
  'hmppsInvalidResponses',
];

export function sharedReleaseFactsSources(env: NodeJS.ProcessEnv = process.env): HmppsSources | undefined {
  const config = hmppsApisConfig(env);
  if (!config) return undefined;
  const key = JSON.stringify(config);
  if (shared?.key !== key) {
    shared = {
      key,
      sources: hmppsReleaseFactsSources(config, {
        credentials: () => loadClientCredentials(env, secretsClient),
        count: (metric, api) => {
          const single = metrics.singleMetric();
          single.addDimension('api', api);
          single.addMetric(metric, MetricUnit.Count, 1);
          // One figure across the APIs for the alarm (HmppsApisFailing): a call that gave up, an open circuit, a
          // refused token or an answer without a field Gatehouse relies on. A person not found is not a failure.
          if (failureMetrics.includes(metric)) metrics.addMetric(hmppsApiFailuresMetric, MetricUnit.Count, 1);
        },
        warn: (message, fields) => logger.warn(message, fields),
      }),
    };
  }
  return shared.sources;
}
