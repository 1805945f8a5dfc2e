/** `npm run schemas`: writes events/schemas/*.json from the zod contracts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedSchemas, schemaFileText } from '../../events/schemas';

const folder = join(import.meta.dirname, '..', '..', 'events', 'schemas');
for (const name of Object.keys(publishedSchemas)) {
  writeFileSync(join(folder, name), schemaFileText(name));
  process.stdout.write(`wrote events/schemas/${name}\n`);
}
