/**
 * The alert routing a deployment runs with. Real contacts do not belong in the repository: pass
 * `-c routingFile=path/to/routing.json` at synth/deploy (the format: infra/config/routing.example.json).
 * Dev may run with the example routing (example.org mailboxes, Ofcom drama numbers) so that synth, the tests
 * and a first dev deploy work; prod refuses to, so nobody pages a drama number on a Friday night.
 * The file is checked against the schema at synth, so a wrong contact id fails the deploy, not an alert.
 */
import { readFileSync } from 'node:fs';
import { parseRoutingConfig } from '#domain/routing';
import { localRouting } from '#local/routing';
import type { StageConfig } from './stages';

/** Lambda allows 4 KB of environment per function; the routing shares it with the table names. */
const maxRoutingBytes = 3000;

export function routingJson(
  routingFile: string | undefined,
  config: Pick<StageConfig, 'stage' | 'exampleRoutingAllowed'>,
): string {
  if (!routingFile && !config.exampleRoutingAllowed) {
    throw new Error(
      `stage ${config.stage} needs its real alert routing: pass -c routingFile=path/to/routing.json (format: infra/config/routing.example.json)`,
    );
  }
  const source: unknown = routingFile ? JSON.parse(readFileSync(routingFile, 'utf8')) : localRouting;
  const json = JSON.stringify(parseRoutingConfig(source));
  if (Buffer.byteLength(json) > maxRoutingBytes) {
    throw new Error(
      `the routing config is ${Buffer.byteLength(json)} bytes; at most ${maxRoutingBytes} fit in a function's environment (split contacts or move it to SSM)`,
    );
  }
  return json;
}
