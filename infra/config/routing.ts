/**
 * The alert routing a deployment runs with. Real contacts do not belong in the repository: pass
 * `-c routingFile=path/to/routing.json` at synth/deploy; without it a stage runs with the example routing
 * (example.org mailboxes, Ofcom drama numbers) so that synth, the tests and a first dev deploy work.
 * The file is checked against the schema at synth, so a wrong contact id fails the deploy, not an alert.
 */
import { readFileSync } from 'node:fs';
import { parseRoutingConfig } from '../../functions/domain/routing';
import { localRouting } from '../../local/routing';

/** Lambda allows 4 KB of environment per function; the routing shares it with the table names. */
const maxRoutingBytes = 3000;

export function routingJson(routingFile?: string): string {
  const source: unknown = routingFile ? JSON.parse(readFileSync(routingFile, 'utf8')) : localRouting;
  const json = JSON.stringify(parseRoutingConfig(source));
  if (Buffer.byteLength(json) > maxRoutingBytes) {
    throw new Error(`the routing config is ${Buffer.byteLength(json)} bytes; at most ${maxRoutingBytes} fit in a function's environment (split contacts or move it to SSM)`);
  }
  return json;
}
