/**
 * The partner-file ports in memory (use-cases/ingest-partner-file.ts), with the DynamoDB and S3 adapters'
 * semantics: a chunk's ledger item makes it apply once ('duplicate' on a repeat, its deltas kept on it),
 * outcomes are written at the version read, a file's totals are folded into the counters once, and a file
 * (by hash) and a drop (by object) are each recorded once.
 */
import { placesFor } from '#adapters/s3/drop-layout';
import type { CounterDelta } from '#domain/aggregates';
import type { OutcomeSubject } from '#domain/partner-files/effects';
import type { FileReport } from '#domain/partner-files/report';
import type {
  DroppedObject,
  FileCompletion,
  IngestedFile,
  PartnerDropBucket,
  PartnerFileLedger,
  StoredOutcome,
} from '#use-cases/ingest-partner-file';
import { rotaEntryKey } from './alert-store';
import type { InMemoryTables } from './tables';

const outcomeKey = (s: OutcomeSubject) =>
  s.type === 'accommodation'
    ? `OUTCOME#accommodation#${s.prisonNumber}#${s.releaseDate}`
    : `OUTCOME#referral#${s.partnerId}#${s.referralId}`;
const chunkKey = (sha256: string, index: number) => `FILE#${sha256}|CHUNK#${index}`;

export function inMemoryPartnerFileLedger(
  tables: InMemoryTables,
): PartnerFileLedger & { outcome(subject: OutcomeSubject): StoredOutcome | undefined } {
  return {
    outcome: (subject) => tables.get<StoredOutcome>(outcomeKey(subject)),
    async handledDrop(dropId) {
      const drop = tables.get<{ movedTo: string }>(`DROP#${dropId}`);
      return drop ? { movedTo: drop.movedTo } : undefined;
    },
    async ingestedFile(sha256) {
      return tables.get<IngestedFile>(`FILE#${sha256}|FILE`);
    },
    async outcomes(subjects) {
      return subjects.map((s) => tables.get<StoredOutcome>(outcomeKey(s)));
    },
    async commitChunk(chunk) {
      if (tables.has(chunkKey(chunk.sha256, chunk.index))) return 'duplicate';
      for (const o of chunk.outcomes)
        if ((tables.peek<StoredOutcome>(outcomeKey(o.subject))?.version ?? 0) !== o.expectedVersion)
          return 'conflict';
      tables.put(chunkKey(chunk.sha256, chunk.index), {
        counters: chunk.counters,
        recordedAt: chunk.recordedAt,
      });
      for (const o of chunk.outcomes)
        tables.put(outcomeKey(o.subject), { ...o.state, version: o.version } satisfies StoredOutcome);
      for (const entry of chunk.rotaEntries) tables.put(rotaEntryKey(entry), entry);
      return 'committed';
    },
    async chunkCounters(sha256, index) {
      const chunk = tables.get<{ counters: CounterDelta[] }>(chunkKey(sha256, index));
      if (!chunk) throw new Error(`chunk ${index} of file ${sha256} is not recorded`);
      return chunk.counters;
    },
    async foldCounters({ sha256, counters, recordedAt }) {
      if (tables.has(`FILE#${sha256}|FOLD`)) return;
      tables.put(`FILE#${sha256}|FOLD`, { recordedAt });
      tables.addCounters(counters);
    },
    async completeFile(c: FileCompletion) {
      if (tables.has(`DROP#${c.dropId}`)) return 'dropTaken';
      if (c.file && tables.has(`FILE#${c.file.sha256}|FILE`)) return 'fileTaken';
      if (c.file) tables.put(`FILE#${c.file.sha256}|FILE`, c.file);
      tables.put(`DROP#${c.dropId}`, { dropId: c.dropId, ...c.drop });
      tables.addCounters(c.counters);
      return 'committed';
    },
  };
}

/** The partner-drops bucket in memory: objects by key, the reports written, and every move. */
export function inMemoryDropBucket() {
  const objects = new Map<string, Uint8Array>();
  const reports = new Map<string, FileReport>();
  const moves: { from: string; to: string }[] = [];
  let received = 0;
  const bucket: PartnerDropBucket = {
    placesFor,
    async open(object) {
      const bytes = objects.get(object.key);
      if (!bytes) return undefined;
      // Streamed in small pieces, so a row can straddle two of them as it does from S3.
      return (async function* () {
        for (let i = 0; i < bytes.length; i += 64) yield bytes.slice(i, i + 64);
      })();
    },
    async writeReport(report, paths) {
      for (const path of paths.json) reports.set(path, structuredClone(report));
    },
    async move(from, to) {
      const bytes = objects.get(from);
      if (!bytes) return; // moved before
      objects.set(to, bytes);
      objects.delete(from);
      moves.push({ from, to });
    },
  };
  return {
    bucket,
    objects,
    reports,
    moves,
    /** Puts a file as a partner would, and returns the object its S3 notification names. */
    put(key: string, body: string, receivedAt: string): DroppedObject {
      const bytes = new TextEncoder().encode(body);
      objects.set(key, bytes);
      received += 1;
      return { key, size: bytes.length, sequencer: String(received).padStart(16, '0'), receivedAt };
    },
  };
}
