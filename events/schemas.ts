/**
 * The JSON Schemas published in events/schemas/, generated from the zod contracts (never written by hand), and the
 * movement table in events/README.md, generated from the one the code runs on: `npm run schemas` writes them; a test
 * fails when a committed file no longer matches.
 */
import * as z from 'zod';
import { custodyEventV1 } from './custody-event';
import { hmppsDomainEvent } from './hmpps/domain-event';
import { movementTableMarkdown } from '#domain/movements';

const base = 'https://gatehouse.example/schemas';

export const publishedSchemas: Record<string, unknown> = {
  'custody-event.v1.schema.json': {
    $id: `${base}/custody-event.v1.schema.json`,
    title: 'Gatehouse custody event v1',
    description: 'What HMP Durham systems send to Gatehouse. See events/README.md.',
    ...z.toJSONSchema(custodyEventV1, { target: 'draft-2020-12', io: 'input' }),
  },
  'hmpps-domain-event.schema.json': {
    $id: `${base}/hmpps-domain-event.schema.json`,
    title: 'HMPPS domain events Gatehouse accepts',
    description:
      'prison-offender-events.prisoner.released / .prisoner.received and prisoner-offender-search.prisoner.released, as Gatehouse validates them (the Message of the SNS notification).',
    ...z.toJSONSchema(hmppsDomainEvent, { target: 'draft-2020-12', io: 'input' }),
  },
};

const tableStart =
  '<!-- movement-table: generated from functions/domain/movements.ts by `npm run schemas`; do not edit -->';
const tableEnd = '<!-- movement-table: end -->';

/** events/README.md with its movement table section replaced by the table the code runs on. */
export function readmeWithMovementTable(readme: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error('events/README.md has lost its movement-table markers');
  return `${readme.slice(0, start)}${tableStart}\n${movementTableMarkdown()}\n${readme.slice(end)}`;
}

export function schemaFileText(name: string): string {
  return `${JSON.stringify(publishedSchemas[name], null, 2)}\n`;
}
