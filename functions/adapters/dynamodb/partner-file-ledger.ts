/**
 * The PartnerFileLedger port on DynamoDB: the file (by content hash), each applied chunk and each handled
 * drop are items of the records table whose `attribute_not_exists` condition makes them happen once;
 * tracked outcomes are written at the version read. A chunk keeps its counter deltas on its ledger item; the
 * file's totals are ADDed to the aggregates table at the end, in transactions each guarded by a `FOLD#n` item.
 */
import { BatchGetCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '../../commons/resources';
import type { CounterDelta } from '../../domain/aggregates';
import type { OutcomeSubject } from '../../domain/partner-files/effects';
import type { RotaEntry } from '../../domain/rota';
import type { ChunkCommit, FileCompletion, IngestedFile, PartnerFileLedger, StoredOutcome } from '../../use-cases/ingest-partner-file';
import { cancellationCodes, counterUpdates, type TransactItem } from './expressions';
import { keys, partnerFileKeys } from './keys';
import { transact, type TableNames } from './release-store';

/** Rota entries hold contact details: kept a month past the end of the shift, then expired by TTL. */
const rotaRetentionSeconds = 30 * 86_400;

export function dynamoPartnerFileLedger(client: DynamoDBDocumentClient, tables: TableNames): PartnerFileLedger {
  const once = (item: Record<string, unknown>): TransactItem => ({ Put: { TableName: tables.records, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } });

  return {
    async handledDrop(dropId) {
      const { Item } = await client.send(new GetCommand({ TableName: tables.records, Key: partnerFileKeys.drop(dropId), ConsistentRead: true }));
      return Item ? { movedTo: Item.movedTo as string } : undefined;
    },

    async ingestedFile(sha256) {
      const { Item } = await client.send(new GetCommand({ TableName: tables.records, Key: partnerFileKeys.file(sha256), ConsistentRead: true }));
      if (!Item) return undefined;
      const { file, partnerId, kind, receivedAt, outcome, rows } = Item;
      return { sha256, file, partnerId, kind, receivedAt, outcome, rows } as IngestedFile;
    },

    async outcomes(subjects) {
      const wanted = subjects.map(outcomeKey);
      const found = new Map<string, StoredOutcome>();
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [tables.records]: { Keys: dedupe(wanted), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(500, 10 * 2 ** attempt)));
        const response = await client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of response.Responses?.[tables.records] ?? []) {
          found.set(`${item.pk}|${item.sk}`, { facts: item.facts, contribution: item.contribution, version: item.version });
        }
        request = response.UnprocessedKeys as typeof request;
      }
      return wanted.map((k) => found.get(`${k.pk}|${k.sk}`));
    },

    async commitChunk(chunk: ChunkCommit) {
      const items: TransactItem[] = [
        // Index 0: the chunk's ledger item. Its condition failing means the chunk was applied before.
        once({ ...partnerFileKeys.chunk(chunk.sha256, chunk.index), entity: entity.partnerFileChunk, counters: chunk.counters, recordedAt: chunk.recordedAt, expiresAt: chunk.expiresAt }),
        ...chunk.outcomes.map(({ subject, state, version, expectedVersion }) => ({
          Put: {
            TableName: tables.records,
            Item: { ...outcomeKey(subject), entity: outcomeEntity(subject), subject, ...state, version, updatedAt: chunk.recordedAt, expiresAt: chunk.expiresAt },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        })),
        ...chunk.rotaEntries.map((entry) => ({ Put: { TableName: tables.records, Item: rotaItem(entry, chunk.recordedAt) } })),
      ];
      return transact(client, items);
    },

    async chunkCounters(sha256, index) {
      const { Item } = await client.send(new GetCommand({ TableName: tables.records, Key: partnerFileKeys.chunk(sha256, index), ConsistentRead: true }));
      if (!Item) throw new Error(`chunk ${index} of file ${sha256} is not recorded`);
      // A chunk recorded before deltas were kept on the ledger added its counts in its own transaction.
      return (Item.counters as CounterDelta[] | undefined) ?? [];
    },

    async foldCounters({ sha256, counters, recordedAt, expiresAt }) {
      // Sorted, so that a retry splits the same totals into the same transactions as the attempt it repeats.
      const updates = counterUpdates(tables.aggregates, counters, recordedAt).sort((a, b) => {
        const [x, y] = [a.Update!.Key as { pk: string; sk: string }, b.Update!.Key as { pk: string; sk: string }];
        return x.pk === y.pk ? (x.sk < y.sk ? -1 : x.sk > y.sk ? 1 : 0) : x.pk < y.pk ? -1 : 1;
      });
      const perTransaction = 99;
      for (let part = 0; part * perTransaction < updates.length; part++) {
        const items = [once({ ...partnerFileKeys.fold(sha256, part), entity: entity.partnerFileChunk, recordedAt, expiresAt }), ...updates.slice(part * perTransaction, (part + 1) * perTransaction)];
        for (let attempt = 1; ; attempt++) {
          const result = await transact(client, items);
          if (result !== 'conflict') break; // 'duplicate': this part was folded before
          // Another writer held a counter item: try again shortly.
          if (attempt >= 8) throw new Error(`folding the counts of file ${sha256} kept conflicting with other writers`);
          await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
        }
      }
    },

    async completeFile(c: FileCompletion) {
      const items: TransactItem[] = [
        ...(c.file ? [once({ ...partnerFileKeys.file(c.file.sha256), entity: entity.partnerFile, ...c.file, recordedAt: c.recordedAt, expiresAt: c.expiresAt })] : []),
        once({ ...partnerFileKeys.drop(c.dropId), entity: entity.partnerDrop, dropId: c.dropId, ...c.drop, recordedAt: c.recordedAt, expiresAt: c.expiresAt }),
        ...counterUpdates(tables.aggregates, c.counters, c.recordedAt),
      ];
      const dropIndex = c.file ? 1 : 0;
      for (let attempt = 1; ; attempt++) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return 'committed';
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          if (codes[dropIndex] === 'ConditionalCheckFailed') return 'dropTaken';
          if (c.file && codes[0] === 'ConditionalCheckFailed') return 'fileTaken';
          // Another writer held a counter item: try again shortly.
          if (attempt >= 8 || !codes.includes('TransactionConflict')) throw error;
          await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
        }
      }
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
    expiresAt: Math.floor(Date.parse(entry.end) / 1000) + rotaRetentionSeconds,
  };
}

function dedupe(list: { pk: string; sk: string }[]): { pk: string; sk: string }[] {
  return [...new Map(list.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
}
