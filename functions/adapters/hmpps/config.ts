/**
 * Where the HMPPS APIs are and how Gatehouse signs in to them, from the environment (read once at cold start).
 * The names are declared once here and used by the CDK construct, the local runtime and the tests.
 *
 * In AWS the client id and secret are in a Secrets Manager secret (JSON `{"clientId": …, "clientSecret": …}`)
 * named by HMPPS_CLIENT_SECRET_ARN; locally HMPPS_CLIENT_ID and HMPPS_CLIENT_SECRET hold them. Without
 * HMPPS_AUTH_URL nothing is fetched.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { defaultBreaker, defaultRetry, type BreakerPolicy, type RetryPolicy } from './resilience';
import type { ClientCredentials } from './token';
import { defaultFactsWait, type FactsWaitSettings } from '#domain/release-facts';

export const hmppsEnv = {
  authUrl: 'HMPPS_AUTH_URL',
  prisonerSearchUrl: 'HMPPS_PRISONER_SEARCH_URL',
  probationUrl: 'HMPPS_PROBATION_URL',
  resettlementPassportUrl: 'HMPPS_RESETTLEMENT_PASSPORT_URL',
  cas3Url: 'HMPPS_CAS3_URL',
  clientSecretArn: 'HMPPS_CLIENT_SECRET_ARN',
  clientId: 'HMPPS_CLIENT_ID',
  clientSecret: 'HMPPS_CLIENT_SECRET',
  timeoutMs: 'HMPPS_TIMEOUT_MS',
  attempts: 'HMPPS_ATTEMPTS',
  factsWaitMinutes: 'HMPPS_FACTS_WAIT_MINUTES',
  factsWaitLateWeekMinutes: 'HMPPS_FACTS_WAIT_LATE_WEEK_MINUTES',
} as const;

/** How long a case waits for facts that could not be fetched (domain/release-facts.ts FactsWaitSettings). */
export function factsWaitFromEnvironment(env: NodeJS.ProcessEnv): FactsWaitSettings {
  return {
    ...defaultFactsWait,
    minutes: positive(env, hmppsEnv.factsWaitMinutes, defaultFactsWait.minutes),
    lateWeekMinutes: positive(env, hmppsEnv.factsWaitLateWeekMinutes, defaultFactsWait.lateWeekMinutes),
  };
}

export interface HmppsApisConfig {
  authUrl: string;
  prisonerSearchUrl: string;
  probationUrl: string;
  resettlementPassportUrl: string;
  cas3Url: string;
  timeoutMs: number;
  retry: RetryPolicy;
  breaker: BreakerPolicy;
}

/** The configuration, or undefined when HMPPS_AUTH_URL is not set (fetching is off); a half-set one is an error. */
export function hmppsApisConfig(env: NodeJS.ProcessEnv): HmppsApisConfig | undefined {
  if (!env[hmppsEnv.authUrl]) return undefined;
  const url = (name: string) => {
    const value = env[name];
    if (!value || !URL.canParse(value))
      throw new Error(
        `${name} is not set to a URL, but ${hmppsEnv.authUrl} is: Gatehouse cannot ask HMPPS for release facts`,
      );
    return value;
  };
  return {
    authUrl: url(hmppsEnv.authUrl),
    prisonerSearchUrl: url(hmppsEnv.prisonerSearchUrl),
    probationUrl: url(hmppsEnv.probationUrl),
    resettlementPassportUrl: url(hmppsEnv.resettlementPassportUrl),
    cas3Url: url(hmppsEnv.cas3Url),
    timeoutMs: positive(env, hmppsEnv.timeoutMs, 3000),
    retry: { ...defaultRetry, attempts: positive(env, hmppsEnv.attempts, defaultRetry.attempts) },
    breaker: defaultBreaker,
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} is '${raw}': expected a whole number above 0`);
  return n;
}

const credentialsSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

/** The client credentials: from Secrets Manager when HMPPS_CLIENT_SECRET_ARN is set, else from the environment. */
export async function loadClientCredentials(
  env: NodeJS.ProcessEnv,
  secretsManager: () => SecretsManagerClient,
): Promise<ClientCredentials> {
  const arn = env[hmppsEnv.clientSecretArn];
  const raw = arn
    ? JSON.parse(
        (await secretsManager().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '{}',
      )
    : { clientId: env[hmppsEnv.clientId], clientSecret: env[hmppsEnv.clientSecret] };
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    // Name the missing fields, never the values.
    const where = arn
      ? `the secret ${hmppsEnv.clientSecretArn} names`
      : `${hmppsEnv.clientId} and ${hmppsEnv.clientSecret}`;
    throw new Error(
      `HMPPS client credentials are incomplete in ${where}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return parsed.data;
}
