/**
 * What a function learns from its environment, read once at cold start.
 * The domain never reads the environment: use cases receive these values.
 */
import { aggregatesTable, auditTable, recordsTable } from '#commons/resources';
import { envNames } from '#commons/env-names';
import * as z from 'zod';
import type { AlertSettings } from '#domain/alerts';
import { parseRoutingConfig, type RoutingConfig } from '#domain/routing';
import { parseScope, type Scope } from '#domain/scope';

export interface RuntimeConfig {
  stage: string;
  recordsTable: string;
  aggregatesTable: string;
  /** Local time from which a release counts as late in the day. */
  lateDayFrom: string;
  /** A release within this many days of a schedule on record is planned. */
  scheduleWindowDays: number;
  /** Case and alert items expire this many days after the release. */
  retentionDays: number;
  /** Watched prisons (WATCHED_PRISONS, default DMI) and the partnership's areas (PARTNERSHIP_AREAS): whose a release is. */
  scope: Scope;
  /** The case-read audit (the api function only) and how long its entries are kept. */
  auditTable?: string;
  auditRetentionDays: number;
  /** Dead-letter queue for messages that can never be processed (set in AWS; the local runtime keeps its own). */
  custodyDeadLetterQueueUrl?: string;
}

export function runtimeConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RuntimeConfig {
  return {
    stage: env[envNames.stage] ?? 'local',
    recordsTable: required(env, recordsTable.envVar),
    aggregatesTable: required(env, aggregatesTable.envVar),
    lateDayFrom: env[envNames.lateDayFrom] ?? '15:00',
    scheduleWindowDays: Number(env[envNames.scheduleWindowDays] ?? 2),
    retentionDays: Number(env[envNames.retentionDays] ?? 730),
    scope: parseScope(env[envNames.watchedPrisons], env[envNames.partnershipAreas]),
    ...(env[auditTable.envVar] ? { auditTable: env[auditTable.envVar] } : {}),
    auditRetentionDays: Number(env[envNames.auditRetentionDays] ?? 2190),
    ...(env[envNames.custodyDeadLetterQueueUrl]
      ? { custodyDeadLetterQueueUrl: env[envNames.custodyDeadLetterQueueUrl] }
      : {}),
  };
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: the function cannot find its table`);
  return value;
}

/** Routing of alerts (contacts, escalation policies, templates): JSON in ROUTING_CONFIG, checked against its schema. */
export function routingFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RoutingConfig {
  const json = env[envNames.routingConfig];
  if (!json) throw new Error(`${envNames.routingConfig} is not set: alerts would have nobody to go to`);
  return parseRoutingConfig(JSON.parse(json));
}

/**
 * What acknowledging needs of the routing: the alert lifetimes, no contact. The api function gets these alone
 * (ALERT_SETTINGS), so staff names, numbers and addresses never reach the internet-facing function.
 */
export function alertSettingsFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AlertSettings {
  const json = env[envNames.alertSettings];
  if (json) return alertSettingsSchema.parse(JSON.parse(json));
  const { reNotifyAcknowledgedAfterMinutes, alertLifetimeHours } = routingFromEnvironment(env);
  return { reNotifyAcknowledgedAfterMinutes, alertLifetimeHours };
}

const alertSettingsSchema = z.object({
  reNotifyAcknowledgedAfterMinutes: z.number().int().positive(),
  alertLifetimeHours: z.number().int().positive(),
});
