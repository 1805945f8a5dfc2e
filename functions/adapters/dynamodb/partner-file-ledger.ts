/**
 * The PartnerFileLedger port on DynamoDB: the file (by content hash), each applied chunk and each handled
 * drop are items of the records table whose `attribute_not_exists` condition makes them happen once;
 * tracked outcomes are written at the version read. A chunk keeps its counter deltas on its ledger item; the
 * file's totals are ADDed to the aggregates table at the end, in transactions each guarded by a `FOLD#n` item.
 */
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '#commons/resources';
import type { CounterDelta } from '#domain/aggregates';
import type { OutcomeSubject } from '#domain/partner-files/effects';
import type { RotaEntry } from '#domain/rota';
import type {
  ChunkCommit,
  FileCompletion,
  IngestedFile,
  PartnerFileLedger,
  StoredOutcome,
} from '#use-cases/ingest-partner-file';
import { realBackoff, type Backoff } from '#commons/retry';
import { expiresAt } from '#commons/retention';
import { ledgerPut, transactOnce, transactOnceRetrying, versionedPut } from './exactly-once';
import { counterUpdates } from './expressions';
import { keys, partnerFileKeys } from './keys';
import type { TableNames } from './release-store';

/** Rota entries hold contact details: kept a month past the end of the shift, then expired by TTL. */
const rotaRetentionDays = 30;
const maxConflictAttempts = 8;

export function dynamoPartnerFileLedger(
  client: DynamoDBDocumentClient,
  tables: TableNames,
  backoff: Backoff = realBackoff,
): PartnerFileLedger {
  return {
    async handledDrop(dropId) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tables.records,
          Key: partnerFileKeys.drop(dropId),
          ConsistentRead: true,
        }),
      );
      return Item ? { movedTo: Item.movedTo as string } : undefined;
    },

    async ingestedFile(sha256) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tables.records,
          Key: partnerFileKeys.file(sha256),
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      const { file, partnerId, kind, receivedAt, outcome, rows } = Item;
      return { sha256, file, partnerId, kind, receivedAt, outcome, rows } as IngestedFile;
    },

    async outcomes(subjects) {
      const wanted = subjects.map(outcomeKey);
      const found = new Map<string, StoredOutcome>();
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined =
        {
          [tables.records]: { Keys: dedupe(wanted), ConsistentRead: true },
        };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await backoff.sleep(Math.min(500, 10 * 2 ** attempt)); // DynamoDB asks for a pause before unprocessed keys
        const response = await client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of response.Responses?.[tables.records] ?? []) {
          found.set(`${item.pk}|${item.sk}`, {
            facts: item.facts,
            contribution: item.contribution,
            version: item.version,
          });
        }
        request = response.UnprocessedKeys as typeof request;
      }
      return wanted.map((k) => found.get(`${k.pk}|${k.sk}`));
    },

    async commitChunk(chunk: ChunkCommit) {
      const result = await transactOnce(client, {
        // The chunk's ledger item: its condition failing means the chunk was applied before.
        ledger: [
          {
            name: 'chunk',
            item: ledgerPut(tables.records, {
              ...partnerFileKeys.chunk(chunk.sha256, chunk.index),
              entity: entity.partnerFileChunk,
              counters: chunk.counters,
              recordedAt: chunk.recordedAt,
              expiresAt: chunk.expiresAt,
            }),
          },
        ],
        writes: [
          ...chunk.outcomes.map(({ subject, state, version, expectedVersion }) =>
            versionedPut(
              tables.records,
              {
                ...outcomeKey(subject),
                entity: outcomeEntity(subject),
                subject,
                ...state,
                version,
                updatedAt: chunk.recordedAt,
                expiresAt: chunk.expiresAt,
              },
              expectedVersion,
            ),
          ),
          ...chunk.rotaEntries.map((entry) => ({
            Put: { TableName: tables.records, Item: rotaItem(entry, chunk.recordedAt) },
          })),
        ],
      });
      return typeof result === 'object' ? 'duplicate' : result;
    },

    async chunkCounters(sha256, index) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tables.records,
          Key: partnerFileKeys.chunk(sha256, index),
          ConsistentRead: true,
        }),
      );
      if (!Item) throw new Error(`chunk ${index} of file ${sha256} is not recorded`);
      // A chunk recorded before deltas were kept on the ledger added its counts in its own transaction.
      return (Item.counters as CounterDelta[] | undefined) ?? [];
    },

    async foldCounters({ sha256, counters, recordedAt, expiresAt }) {
      // Sorted, so that a retry splits the same totals into the same transactions as the attempt it repeats.
      const updates = counterUpdates(tables.aggregates, counters, recordedAt).sort((a, b) => {
        const [x, y] = [
          a.Update!.Key as { pk: string; sk: string },
          b.Update!.Key as { pk: string; sk: string },
        ];
        return x.pk === y.pk ? (x.sk < y.sk ? -1 : x.sk > y.sk ? 1 : 0) : x.pk < y.pk ? -1 : 1;
      });
      const perTransaction = 99;
      for (let part = 0; part * perTransaction < updates.length; part++) {
        // A part whose ledger item exists was folded before; a part that conflicts with another writer is tried again.
        await transactOnceRetrying(
          client,
          {
            ledger: [
              {
                name: 'fold',
                item: ledgerPut(tables.records, {
                  ...partnerFileKeys.fold(sha256, part),
                  entity: entity.partnerFileChunk,
                  recordedAt,
                  expiresAt,
                }),
              },
            ],
            writes: updates.slice(part * perTransaction, (part + 1) * perTransaction),
          },
          {
            attempts: maxConflictAttempts,
            backoff,
            exhausted: () =>
              new Error(`folding the counts of file ${sha256} kept conflicting with other writers`),
          },
        );
      }
    },

    async completeFile(c: FileCompletion) {
      const result = await transactOnceRetrying(
        client,
        {
          // The drop first: a drop handled before is a redelivery, whatever became of its file.
          ledger: [
            {
              name: 'dropTaken' as const,
              item: ledgerPut(tables.records, {
                ...partnerFileKeys.drop(c.dropId),
                entity: entity.partnerDrop,
                dropId: c.dropId,
                ...c.drop,
                recordedAt: c.recordedAt,
                expiresAt: c.expiresAt,
              }),
            },
            ...(c.file
              ? [
                  {
                    name: 'fileTaken' as const,
                    item: ledgerPut(tables.records, {
                      ...partnerFileKeys.file(c.file.sha256),
                      entity: entity.partnerFile,
                      ...c.file,
                      recordedAt: c.recordedAt,
                      expiresAt: c.expiresAt,
                    }),
                  },
                ]
              : []),
          ],
          writes: counterUpdates(tables.aggregates, c.counters, c.recordedAt),
        },
        {
          attempts: maxConflictAttempts,
          backoff,
          exhausted: () => new Error(`completing drop ${c.dropId} kept conflicting with other writers`),
        },
      );
      return typeof result === 'object' ? result.duplicate : result;
    },
  };
}

export function outcomeKey(subject: OutcomeSubject): { pk: string; sk: string } {
  return subject.type === 'accommodation'
    ? partnerFileKeys.accommodationOutcome(subject.prisonNumber, subject.releaseDate)
    : partnerFileKeys.referralOutcome(subject.partnerId, subject.referralId);
}

function outcomeEntity(subject: OutcomeSubject): string {
  return subject.type === 'accommodation' ? entity.accommodationOutcome : entity.referralOutcome;
}

export function rotaItem(entry: RotaEntry, updatedAt: string): Record<string, unknown> {
  return {
    ...keys.rotaEntry(entry.localAuthority, entry.tier, entry.start, entry.end),
    entity: entity.rotaEntry,
    ...entry,
    updatedAt,
    expiresAt: expiresAt(entry.end, rotaRetentionDays),
  };
}

function dedupe(list: { pk: string; sk: string }[]): { pk: string; sk: string }[] {
  return [...new Map(list.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
}
