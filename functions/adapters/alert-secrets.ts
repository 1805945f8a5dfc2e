/**
 * The secrets alerts need, one secret per purpose (functions/adapters/secrets.ts), so each function is granted
 * only what it uses: the link-signing keys (dispatch signs, api checks), the GOV.UK Notify API key and the webhook
 * signing keys, one per receiver (dispatch only). In AWS each is a Secrets Manager secret; locally the environment
 * holds them. Rotation: docs/operations.md.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { LinkKeys } from '#domain/alert-link';
import { secretString } from './secrets';

const signingKey = z.string().min(32);

/** `{"current": "2", "2": "<key>", "1": "<previous key>"}`: the stack generates `{"current": "1", "1": …}`. */
const linkKeysSchema = z.record(z.string(), z.string()).transform((raw, ctx): LinkKeys => {
  const { current, ...keys } = raw;
  if (!current || !keys[current])
    ctx.addIssue({ code: 'custom', message: 'current must name one of the keys held' });
  for (const [id, key] of Object.entries(keys))
    if (!signingKey.safeParse(key).success)
      ctx.addIssue({ code: 'custom', path: [id], message: 'a signing key needs at least 32 characters' });
  return { current: current ?? '', keys };
});

/** `{"<webhook contact id>": "<key shared with that receiver only>"}`. */
const webhookKeysSchema = z.record(z.string(), signingKey);

const notifySchema = z.object({
  apiKey: z.string().min(74).optional().describe('a GOV.UK Notify API key: {name}-{service id}-{secret}'),
});

export interface AlertSecrets {
  notifyApiKey?: string;
  linkKeys: LinkKeys;
  /** Webhook signing keys by receiver (contact id). */
  webhookKeys: Record<string, string>;
}

type Secrets = () => SecretsManagerClient;

export async function loadLinkKeys(env: NodeJS.ProcessEnv, secretsManager: Secrets): Promise<LinkKeys> {
  const single = env.LINK_SIGNING_KEY;
  const raw =
    env.LINK_SIGNING_KEYS_SECRET_ARN || env.LINK_SIGNING_KEYS
      ? await secretString('LINK_SIGNING_KEYS', env, secretsManager)
      : single
        ? JSON.stringify({ current: 'local', local: single })
        : undefined;
  return parsed('LINK_SIGNING_KEYS', linkKeysSchema, raw);
}

export async function loadWebhookKeys(
  env: NodeJS.ProcessEnv,
  secretsManager: Secrets,
): Promise<Record<string, string>> {
  return parsed(
    'WEBHOOK_SIGNING_KEYS',
    webhookKeysSchema,
    (await secretString('WEBHOOK_SIGNING_KEYS', env, secretsManager)) ?? '{}',
  );
}

export async function loadNotifyApiKey(
  env: NodeJS.ProcessEnv,
  secretsManager: Secrets,
): Promise<string | undefined> {
  if (!env.NOTIFY_API_KEY_SECRET_ARN) return env.NOTIFY_API_KEY || undefined;
  return parsed('NOTIFY_API_KEY', notifySchema, await secretString('NOTIFY_API_KEY', env, secretsManager))
    .apiKey;
}

const callbackTokenSchema = z.object({
  /** The bearer token registered with GOV.UK Notify's callbacks (delivery receipts, replies); at least 10 characters, as Notify requires. */
  token: z.string().min(10),
});

/** `{"token": "..."}`: the bearer token GOV.UK Notify sends with its callbacks; locally NOTIFY_CALLBACK_TOKEN. Undefined: every callback is refused. */
export async function loadNotifyCallbackToken(
  env: NodeJS.ProcessEnv,
  secretsManager: Secrets,
): Promise<string | undefined> {
  if (!env.NOTIFY_CALLBACK_TOKEN_SECRET_ARN) return env.NOTIFY_CALLBACK_TOKEN || undefined;
  return parsed(
    'NOTIFY_CALLBACK_TOKEN',
    callbackTokenSchema,
    await secretString('NOTIFY_CALLBACK_TOKEN', env, secretsManager),
  ).token;
}

/** Everything dispatch needs. */
export async function loadAlertSecrets(
  env: NodeJS.ProcessEnv,
  secretsManager: Secrets,
): Promise<AlertSecrets> {
  const [notifyApiKey, linkKeys, webhookKeys] = await Promise.all([
    loadNotifyApiKey(env, secretsManager),
    loadLinkKeys(env, secretsManager),
    loadWebhookKeys(env, secretsManager),
  ]);
  return { ...(notifyApiKey ? { notifyApiKey } : {}), linkKeys, webhookKeys };
}

function parsed<T extends z.ZodType>(name: string, schema: T, raw: string | undefined): z.output<T> {
  let json: unknown;
  try {
    json = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    throw new Error(`${name} is not JSON`);
  }
  const result = schema.safeParse(json);
  // Name the fields, never echo the values.
  if (!result.success)
    throw new Error(
      `${name} is incomplete: ${result.error.issues.map((i) => `${i.path.join('.') || '(whole)'} (${i.message})`).join('; ')}`,
    );
  return result.data;
}
