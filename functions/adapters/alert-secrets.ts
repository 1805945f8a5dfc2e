/**
 * The secrets alerts need: the GOV.UK Notify API key, the key that signs acknowledge links and the key that
 * signs webhooks. In AWS one Secrets Manager secret (JSON) holds them; locally the environment does.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';

const alertSecretsSchema = z.object({
  notifyApiKey: z.string().min(74).optional().describe('a GOV.UK Notify API key: {name}-{service id}-{secret}'),
  linkSigningKey: z.string().min(32),
  /** The bearer token registered with GOV.UK Notify's callbacks (delivery receipts, replies); at least 10 characters, as Notify requires. */
  notifyCallbackToken: z.string().min(10).optional(),
  /** Shared with webhook receivers; optional until a webhook recipient is configured. */
  webhookSigningKey: z.string().min(32).optional(),
});

export type AlertSecrets = z.infer<typeof alertSecretsSchema>;

export async function loadAlertSecrets(env: NodeJS.ProcessEnv, secretsManager: () => SecretsManagerClient): Promise<AlertSecrets> {
  const raw = env.ALERT_SECRETS_ARN
    ? JSON.parse((await secretsManager().send(new GetSecretValueCommand({ SecretId: env.ALERT_SECRETS_ARN }))).SecretString ?? '{}')
    : { notifyApiKey: env.NOTIFY_API_KEY || undefined, linkSigningKey: env.LINK_SIGNING_KEY, webhookSigningKey: env.WEBHOOK_SIGNING_KEY, notifyCallbackToken: env.NOTIFY_CALLBACK_TOKEN || undefined };
  const parsed = alertSecretsSchema.safeParse(raw);
  if (!parsed.success) {
    // Name the fields, never echo the values.
    throw new Error(`alert secrets are incomplete: ${parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join('; ')}`);
  }
  return parsed.data;
}
