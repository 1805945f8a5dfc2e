import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { routingFromSecret } from '#adapters/secrets';
import { putRouting } from '#infra/ops/put-routing';
import { localRouting } from '#local/routing';

/** A stand-in Secrets Manager that keeps what is put and answers what was put. */
function secretsManager() {
  const values = new Map<string, string>();
  const sent: string[] = [];
  const client = {
    send: async (command: {
      constructor: { name: string };
      input: { SecretId: string; SecretString?: string };
    }) => {
      sent.push(command.constructor.name);
      if (command.input.SecretString !== undefined)
        values.set(command.input.SecretId, command.input.SecretString);
      return { SecretString: values.get(command.input.SecretId) };
    },
  } as unknown as SecretsManagerClient;
  return { client, values, sent };
}

describe('the alert routing as a secret (issue 15, 5)', () => {
  it('puts a checked routing into the stage secret, and a function reads it into the environment it is composed from only', async () => {
    const sm = secretsManager();
    await putRouting(sm.client, 'prod', JSON.stringify(localRouting));
    const env: NodeJS.ProcessEnv = { ROUTING_SECRET_ARN: 'gatehouse-prod-alert-routing' };
    const composed = await routingFromSecret(env, () => sm.client);
    expect(JSON.parse(composed.ROUTING_CONFIG!).areas).toEqual(
      expect.objectContaining(
        Object.fromEntries(Object.keys(localRouting.areas).map((k) => [k, expect.anything()])),
      ),
    );
  });

  it('refuses a routing that does not match its schema before putting anything', async () => {
    const sm = secretsManager();
    await expect(
      putRouting(sm.client, 'prod', JSON.stringify({ areas: { E06000047: { contacts: [{ id: 'x' }] } } })),
    ).rejects.toThrow();
    expect(sm.sent).toEqual([]);
  });

  it('reads nothing where the routing is already in the environment (the local runtime)', async () => {
    const sm = secretsManager();
    const env: NodeJS.ProcessEnv = { ROUTING_CONFIG: '{"local":true}', ROUTING_SECRET_ARN: 'arn' };
    const composed = await routingFromSecret(env, () => sm.client);
    expect(sm.sent).toEqual([]);
    expect(composed.ROUTING_CONFIG).toBe('{"local":true}');
  });
});
