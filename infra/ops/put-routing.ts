/**
 * `npm run routing:put -- --stage prod <routing.json>`: checks the alert routing against its schema and puts it
 * into the stage's routing secret (`gatehouse-{stage}-alert-routing`). The routing names staff and their phone
 * numbers, so it goes into Secrets Manager only: never into the template, the asset bucket or an environment
 * variable. The alerting functions read it on their next cold start.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseRoutingConfig } from '#domain/routing';

export function routingSecretName(stage: string): string {
  return `gatehouse-${stage}-alert-routing`;
}

export async function putRouting(
  secrets: SecretsManagerClient,
  stage: string,
  routingText: string,
): Promise<{ secret: string; bytes: number }> {
  const json = JSON.stringify(parseRoutingConfig(JSON.parse(routingText)));
  await secrets.send(new PutSecretValueCommand({ SecretId: routingSecretName(stage), SecretString: json }));
  return { secret: routingSecretName(stage), bytes: Buffer.byteLength(json) };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values, positionals } = parseArgs({
    options: { stage: { type: 'string', default: 'dev' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    console.error('usage: npm run routing:put -- --stage dev|prod <routing.json>');
    process.exit(2);
  }
  const result = await putRouting(
    new SecretsManagerClient({ region: 'eu-west-2' }),
    values.stage!,
    readFileSync(positionals[0]!, 'utf8'),
  );
  console.log(
    `routing checked and put into ${result.secret} (${result.bytes} bytes); the alerting functions read it on their next cold start`,
  );
}
