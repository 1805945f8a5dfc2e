/**
 * `npm run recount -- [--stage dev|prod] [--endpoint URL] [--from YYYY-MM-DD] [--dry-run]`: recounts the `releases`
 * and `movements` figures from the records (each person's release cases derived again from their facts, with the
 * stage's rules and scope, and each ledger item's movement), writes back the persons whose cases now read differently,
 * and replaces the two families' counter items from `--from` on (default: the retention period back from today, as
 * older records have expired). Alerts, files and accommodation figures are not touched.
 *
 * Pause the custody-events and partner-drop functions' event sources while it runs (events recorded during a recount
 * would be counted twice or not at all); their queues keep the messages. `--endpoint` points it at DynamoDB Local
 * (`npm start` prints its endpoint; stage `local`).
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { aggregatesTable, entity, recordsTable, resourceName } from '#commons/resources';
import { keys } from '#adapters/dynamodb/keys';
import { addDays, englandAndWales, londonTime } from '#domain/calendar';
import { recount, type LedgerMovement } from '#domain/recount';
import { aggregateKey } from '#adapters/dynamodb/keys';
import type { LifecycleContext, PersonReleases } from '#domain/release-case';
import { localCredentials } from '#local/emulators';
import { stageConfig } from '#infra/config/stages';
import { newCaseRef } from '#use-cases/record-custody-event';

export interface RecountOptions {
  recordsTable: string;
  aggregatesTable: string;
  ctx: LifecycleContext;
  from: string;
  dryRun: boolean;
  now: Date;
}

export interface RecountResult {
  persons: number;
  ledgerItems: number;
  personsRewritten: number;
  counterItemsWritten: number;
  counterItemsDeleted: number;
}

export async function recountFigures(
  documents: DynamoDBDocumentClient,
  options: RecountOptions,
): Promise<RecountResult> {
  const records = await scanAll(documents, options.recordsTable, 'entity IN (:ledger, :releases)', {
    ':ledger': entity.ledger,
    ':releases': entity.releases,
  });
  const persons = records.filter((i) => i.entity === entity.releases) as unknown as PersonReleases[];
  const ledger = records.filter((i) => i.entity === entity.ledger) as unknown as LedgerMovement[];
  const result = recount(persons, ledger, options.ctx, options.from);

  const existing = (
    await scanAll(
      documents,
      options.aggregatesTable,
      '(begins_with(pk, :r) OR begins_with(pk, :m)) AND sk >= :from',
      { ':r': 'releases#', ':m': 'movements#', ':from': options.from },
    )
  ).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
  const wanted = new Set(result.items.map(aggregateKey).map((k) => `${k.pk}|${k.sk}`));
  const stale = existing.filter((i) => !wanted.has(`${i.pk}|${i.sk}`));
  if (!options.dryRun) {
    for (const person of result.changedPersons) {
      // Only the cases change, at the version read: a person recorded meanwhile is left for the next run to report.
      await documents.send(
        new UpdateCommand({
          TableName: options.recordsTable,
          Key: keys.person(person.prisonNumber),
          UpdateExpression: 'SET cases = :cases, facts = :facts, version = :next',
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: {
            ':cases': person.cases,
            ':facts': person.facts ?? [],
            ':next': person.version + 1,
            ':read': person.version,
          },
        }),
      );
    }
    const updatedAt = options.now.toISOString();
    for (const item of result.items)
      await documents.send(
        new PutCommand({
          TableName: options.aggregatesTable,
          Item: { ...aggregateKey(item), ...item.counts, updatedAt },
        }),
      );
    for (const item of stale)
      await documents.send(new DeleteCommand({ TableName: options.aggregatesTable, Key: item }));
  }
  return {
    persons: persons.length,
    ledgerItems: ledger.length,
    personsRewritten: result.changedPersons.length,
    counterItemsWritten: result.items.length,
    counterItemsDeleted: stale.length,
  };
}

async function scanAll(
  documents: DynamoDBDocumentClient,
  table: string,
  filter: string,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: filter,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      stage: { type: 'string', default: 'dev' },
      endpoint: { type: 'string' },
      from: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const local = values.endpoint !== undefined;
  // DynamoDB Local runs the local stage, with the dev stage's rules and scope.
  const stage = local
    ? { ...stageConfig('dev'), stage: values.stage === 'dev' ? 'local' : values.stage }
    : stageConfig(values.stage);
  const now = new Date();
  const from = values.from ?? addDays(londonTime(now).date, -stage.retentionDays);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from))
    throw new Error(`--from '${from}' is not a date (expected YYYY-MM-DD)`);
  const client = new DynamoDBClient(
    local ? { endpoint: values.endpoint, region: 'eu-west-2', credentials: localCredentials } : {},
  );
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const result = await recountFigures(documents, {
    recordsTable: resourceName(stage.stage, recordsTable.id),
    aggregatesTable: resourceName(stage.stage, aggregatesTable.id),
    ctx: {
      rules: { calendar: englandAndWales, lateDayFrom: stage.lateDayFrom },
      scheduleWindowDays: 2,
      scope: { watchedPrisons: stage.watchedPrisons, partnershipAreas: stage.partnershipAreas },
      // Cases keep their references; a release the old rules had folded into another case gets a new one.
      newCaseRef,
    },
    from,
    dryRun: values['dry-run'],
    now,
  });
  console.log(
    `${values['dry-run'] ? 'would recount' : 'recounted'} releases and movements from ${from}: ${result.persons} persons, ${result.ledgerItems} ledger items; ${result.personsRewritten} persons' cases rewritten, ${result.counterItemsWritten} counter items written, ${result.counterItemsDeleted} stale ones deleted`,
  );
  client.destroy();
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`recount failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
