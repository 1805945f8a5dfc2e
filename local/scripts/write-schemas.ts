/** `npm run schemas`: writes events/schemas/*.json from the zod contracts, and the movement table into events/README.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedSchemas, readmeWithMovementTable, schemaFileText } from '#events/schemas';

const folder = join(import.meta.dirname, '..', '..', 'events', 'schemas');
for (const name of Object.keys(publishedSchemas)) {
  writeFileSync(join(folder, name), schemaFileText(name));
  process.stdout.write(`wrote events/schemas/${name}\n`);
}
const readme = join(import.meta.dirname, '..', '..', 'events', 'README.md');
writeFileSync(readme, readmeWithMovementTable(readFileSync(readme, 'utf8')));
process.stdout.write('wrote the movement table in events/README.md\n');
