/**
 * Ingest one partner file, exactly once, without holding it in memory.
 *
 * 1. Locate it: a registered partner and a kind it sends, under the size limit — otherwise quarantine it.
 * 2. A drop already handled (a redelivered notification) changes nothing.
 * 3. First read: the content hash, and whether the file is UTF-8 CSV with the kind's header. A file that
 *    cannot be read is quarantined; a file whose bytes were ingested before is a duplicate.
 * 4. Second read: every row validated alone by its kind's entry (schema, authority, effect: domain/partner-files/
 *    kinds.ts); accepted rows handed to the chunked applier (./chunked-applier.ts) and folded, per chunk, into one transaction with
 *    the chunk's own ledger item (the hash and chunk number), so a crash between chunks, then a retry,
 *    applies every chunk once. The chunk's counter deltas are kept on its ledger item rather than added to
 *    the counters: chunks then share no item, so several commit at once (those about the same subject in
 *    file order), and the file's totals are folded into the counters once, when every chunk is in.
 * 5. Write the report, record the file (by hash) and the drop (by object) with the file counts, and move
 *    the file to archive/ (or quarantine/).
 */
import type { CustodyFact } from '#domain/custody-facts';
import type { Partner } from '#domain/partners';
import { difference, type CounterDelta } from '#domain/aggregates';
import { londonTime } from '#domain/calendar';
import type { RotaEntry } from '#domain/rota';
import { readCsv, sizeInWords, UnreadableFile } from '#domain/partner-files/csv-text';
import { isFolderMarker, locateDrop } from '#domain/partner-files/drop';
import {
  fileCounts,
  type FileIdentity,
  type OutcomeState,
  type OutcomeSubject,
  type TrackedOutcome,
} from '#domain/partner-files/effects';
import { acceptRow, type RowEffect } from '#domain/partner-files/kinds';
import { matchHeader, readRow, type Header } from '#domain/partner-files/header';
import {
  maxListedRejections,
  outcomeOf,
  type FileOutcome,
  type FileReport,
  type RowRejection,
} from '#domain/partner-files/report';
import type { RecordResult } from './record-custody-event';
import { expiresAt } from '#commons/retention';
import { again, againAtOnce, type Backoff } from '#commons/retry';
import { chunkedApplier, type ChunkCommitter, type ChunkPolicy } from './chunked-applier';

/** The object an S3 notification names. */
export interface DroppedObject {
  key: string;
  size: number;
  versionId?: string;
  /** S3's ordering token of the event: the same for a redelivered notification, new for a new upload. */
  sequencer?: string;
  eTag?: string;
  /** The event time: when the partner put the file. */
  receivedAt: string;
}

export interface PartnerDropBucket {
  /** The object's bytes as they stream; undefined when it is no longer there. */
  open(object: DroppedObject): Promise<AsyncIterable<Uint8Array> | undefined>;
  /**
   * Where, in the bucket, a file's reports are written and the file is moved (the bucket's layout). `location`:
   * the file as the domain located it (an unreadable key has a harmless partner id and name).
   */
  placesFor(
    location: { partnerId: string; kind: string; name: string },
    receivedDate: string,
    quarantined: boolean,
  ): { reports: { json: string[]; csv: string }; movedTo: string };
  writeReport(report: FileReport, paths: { json: string[]; csv: string }): Promise<void>;
  /** Moves an object; a source that is gone was moved before. */
  /** Copies the object (the version given, when S3 named one) to `to`, then deletes that version from `from`. */
  move(from: string, to: string, versionId?: string): Promise<void>;
}

export interface StoredOutcome extends OutcomeState {
  version: number;
}

export interface ChunkCommit {
  sha256: string;
  index: number;
  rotaEntries: RotaEntry[];
  outcomes: { subject: OutcomeSubject; state: OutcomeState; version: number; expectedVersion: number }[];
  /** Kept on the chunk's ledger item, not yet added to the counters: see `foldCounters`. */
  counters: CounterDelta[];
  recordedAt: string;
  expiresAt: number;
}

export interface IngestedFile {
  sha256: string;
  file: string;
  partnerId: string;
  kind: string;
  receivedAt: string;
  outcome: FileOutcome;
  rows: FileReport['rows'];
}

export interface FileCompletion {
  dropId: string;
  drop: { file: string; outcome: FileOutcome; movedTo: string; sha256?: string };
  /** The file by its hash; absent for a quarantined file or a duplicate. */
  file?: IngestedFile;
  counters: CounterDelta[];
  recordedAt: string;
  expiresAt: number;
}

/** The port the use case needs from the records and aggregates tables. */
export interface PartnerFileLedger {
  /** Where a handled drop's object was moved, or undefined when the drop is new. */
  handledDrop(dropId: string): Promise<{ movedTo: string } | undefined>;
  ingestedFile(sha256: string): Promise<IngestedFile | undefined>;
  outcomes(subjects: OutcomeSubject[]): Promise<(StoredOutcome | undefined)[]>;
  /** 'duplicate' when the chunk's ledger item exists; 'conflict' when a tracked outcome moved under us. */
  commitChunk(chunk: ChunkCommit): Promise<'committed' | 'duplicate' | 'conflict'>;
  /** The counter deltas an applied chunk recorded on its ledger item. */
  chunkCounters(sha256: string, index: number): Promise<CounterDelta[]>;
  /**
   * Adds a file's totals (the sum of its chunks' deltas) to the counters, once per file: each transaction
   * of the fold has its own ledger item, and the same totals always split into the same transactions.
   */
  foldCounters(fold: {
    sha256: string;
    counters: CounterDelta[];
    recordedAt: string;
    expiresAt: number;
  }): Promise<void>;
  /** 'fileTaken' when another drop of the same bytes completed first; 'dropTaken' when this drop did. */
  completeFile(completion: FileCompletion): Promise<'committed' | 'fileTaken' | 'dropTaken'>;
}

export interface IngestDependencies {
  bucket: PartnerDropBucket;
  ledger: PartnerFileLedger;
  recordEvent(event: CustodyFact, source: string): Promise<RecordResult>;
  partners?: readonly Partner[];
  maxBytes: number;
  retentionDays: number;
  clock: () => Date;
  /** How long to wait before deciding a chunk again when another writer got there first (default: real time). */
  backoff?: Backoff;
}

export interface IngestResult {
  outcome: FileOutcome | 'redelivered' | 'ignored';
  report?: FileReport;
}

/** A transaction holds at most 100 actions; a chunk also never takes more rows than this. */
const maxActions = 100;
const maxRowsPerChunk = 100;
const maxConflictRetries = 8;
/** Chunks committing at once (DynamoDB Local on two cores gains nothing past four). */
const maxChunksInFlight = 4;

export async function ingestPartnerFile(
  object: DroppedObject,
  deps: IngestDependencies,
): Promise<IngestResult> {
  if (isFolderMarker(object.key)) return { outcome: 'ignored' };
  const dropId = `${object.key}#${object.versionId ?? object.sequencer ?? object.eTag ?? ''}`;
  const handled = await deps.ledger.handledDrop(dropId);
  if (handled) {
    await deps.bucket.move(object.key, handled.movedTo, object.versionId); // finishes a move a crash interrupted
    return { outcome: 'redelivered' };
  }

  const location = locateDrop(object.key, deps.partners);
  const receivedDate = londonTime(object.receivedAt).date;
  const located = location.ok
    ? { partnerId: location.partner.id, kind: location.kind, name: location.name }
    : location;
  const base: FileReport = {
    file: object.key,
    partner: location.ok ? location.partner.id : location.partnerId,
    kind: location.kind,
    receivedAt: object.receivedAt,
    outcome: 'rejected',
    rows: { total: 0, accepted: 0, rejected: 0 },
    warnings: [],
    rejections: [],
    rejectionsNotListed: 0,
  };
  const finish = (report: FileReport, file?: IngestedFile) =>
    complete(report, file, { object, dropId, located, receivedDate }, deps);

  if (!location.ok) return finish({ ...base, outcome: 'quarantined', reason: location.reason });
  if (object.size > deps.maxBytes) {
    return finish({
      ...base,
      outcome: 'quarantined',
      bytes: object.size,
      reason: `the file is larger than the limit of ${sizeInWords(deps.maxBytes)}`,
    });
  }

  // First read: is it a CSV file we can read, and have we seen these bytes before?
  const first = await inspect(object, location.kind, deps);
  if (first === 'gone') return { outcome: 'ignored' };
  if ('unreadable' in first) return finish({ ...base, outcome: 'quarantined', reason: first.unreadable });
  const { sha256, bytes } = first;
  const withDigest = { ...base, sha256, bytes };
  // The same bytes are a duplicate of the same partner's earlier file only: the ledger is per partner, so one
  // partner's upload is never refused, nor its report told the name of, another partner's file.
  const ledgerKey = `${location.partner.id}.${sha256}`;
  const earlier = await deps.ledger.ingestedFile(ledgerKey);
  if (earlier) return finish(duplicateReport(withDigest, earlier));
  const identity: FileIdentity = {
    sha256: ledgerKey,
    partnerId: location.partner.id,
    kind: location.kind,
    file: object.key,
    receivedAt: object.receivedAt,
  };
  const record = (report: FileReport) =>
    finish(report, {
      sha256: ledgerKey,
      file: object.key,
      partnerId: identity.partnerId,
      kind: identity.kind,
      receivedAt: object.receivedAt,
      outcome: report.outcome,
      rows: report.rows,
    });

  if (!first.header.ok)
    return record({ ...withDigest, warnings: first.header.warnings, reason: first.header.reason });
  if (first.rows === 0)
    return record({
      ...withDigest,
      warnings: first.header.header.warnings,
      reason: 'the file has a header but no rows',
    });

  // Second read: validate and apply, chunk by chunk.
  const applied = await apply(object, first.header.header, identity, location.partner, receivedDate, deps);
  if (applied === 'gone') return { outcome: 'ignored' };
  if (applied.sha256 !== sha256)
    throw new Error(`${object.key} changed between two reads; the notification will be retried`);
  const rows = {
    total: applied.accepted + applied.rejected,
    accepted: applied.accepted,
    rejected: applied.rejected,
  };
  return record({
    ...withDigest,
    outcome: outcomeOf(rows),
    rows,
    warnings: first.header.header.warnings,
    rejections: applied.rejections,
    rejectionsNotListed: applied.notListed,
  });
}

type Inspection =
  | { sha256: string; bytes: number; header: ReturnType<typeof matchHeader>; rows: number }
  | { unreadable: string };

async function inspect(
  object: DroppedObject,
  kind: Header['kind'],
  deps: IngestDependencies,
): Promise<Inspection | 'gone'> {
  const body = await deps.bucket.open(object);
  if (!body) return 'gone';
  const reading = readCsv(body, { maxBytes: deps.maxBytes });
  let header: ReturnType<typeof matchHeader> | undefined;
  let rows = 0;
  try {
    for await (const record of reading.records) {
      if (header) rows += 1;
      else header = matchHeader(kind, record.cells);
    }
  } catch (error) {
    if (error instanceof UnreadableFile) return { unreadable: error.reason };
    throw error;
  }
  return { ...reading.digest(), header: header!, rows };
}

async function apply(
  object: DroppedObject,
  header: Header,
  file: FileIdentity,
  partner: Partner,
  receivedDate: string,
  deps: IngestDependencies,
) {
  const body = await deps.bucket.open(object);
  if (!body) return 'gone' as const;
  const reading = readCsv(body, { maxBytes: deps.maxBytes });
  const rejections: RowRejection[] = [];
  let notListed = 0;
  let accepted = 0;
  let rejected = 0;
  const applier = chunkedApplier(chunkPolicy, chunkCommitter(file, receivedDate, deps));

  let isHeader = true;
  for await (const record of reading.records) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    const read = readRow(header, record.line, record.cells);
    const row = read.ok ? acceptRow(header.kind, read.row, record.line, partner, file) : read;
    if (row.ok) {
      accepted += 1;
      await applier.accept(row.effect);
    } else {
      rejected += 1;
      for (const r of 'rejection' in row ? [row.rejection] : row.rejections) {
        if (rejections.length < maxListedRejections) rejections.push(r);
        else notListed += 1;
      }
      await applier.reject();
    }
  }
  const totals = difference([], (await applier.finish()).flat());

  const now = deps.clock();
  await deps.ledger.foldCounters({
    sha256: file.sha256,
    counters: totals,
    recordedAt: now.toISOString(),
    expiresAt: expiresAt(now, deps.retentionDays),
  });
  return { ...reading.digest(), accepted, rejected, rejections, notListed };
}

/** A chunk's transaction is its ledger item and one write per tracked outcome and per rota shift (a custody event is recorded on its own). */
const chunkPolicy: ChunkPolicy<RowEffect> = {
  maxRows: maxRowsPerChunk,
  maxInFlight: maxChunksInFlight,
  fits(effects, next) {
    const shifts = new Set(effects.flatMap((e) => ('rota' in e ? [e.subject] : []))).size;
    const outcomes = effects.filter((e) => 'outcome' in e).length;
    return 1 + shifts + outcomes + ('event' in next ? 0 : 1) <= maxActions;
  },
  subjectOf: (effect) => effect.subject,
};

/**
 * A file of people or referrals Gatehouse has not heard of (a first report, a backfill) needs no read: the chunk
 * is written as if every subject were new, and its transaction fails (at no cost to the counts) if one was not.
 * From the first subject found stored, the file reads before it writes.
 */
interface OutcomeGuess {
  allNew: boolean;
}

/**
 * One chunk, once. Custody events are recorded first, each exactly once by its own ledger item; the chunk's
 * transaction then writes its ledger item (with the chunk's counter deltas), rota entries and the outcomes
 * it moved. Its result is the deltas the chunk recorded, now or on an earlier attempt.
 */
function chunkCommitter(
  file: FileIdentity,
  receivedDate: string,
  deps: IngestDependencies,
): ChunkCommitter<RowEffect, CounterDelta[]> {
  const guess: OutcomeGuess = { allNew: true };
  return {
    attempts: maxConflictRetries,
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    exhausted: (chunk) =>
      new Error(
        `${file.file}: chunk ${chunk.index} kept conflicting with other writers; the notification will be retried`,
      ),
    prepare: (chunk) =>
      recordEvents(
        chunk.effects.flatMap((e) => ('event' in e ? [e.event] : [])),
        `partner-file:${file.partnerId}`,
        deps,
      ),
    async attempt(chunk, attempt) {
      const now = deps.clock();
      const rows = fileCounts(file, receivedDate, {
        rowsAccepted: chunk.effects.length,
        rowsRejected: chunk.rejected,
      });
      // Rows about the same subject are folded in file order into one write; the same shift twice: the later row wins.
      const bySubject = new Map<string, { subject: OutcomeSubject; rows: TrackedOutcome[] }>();
      const shifts = new Map<string, RotaEntry>();
      for (const e of chunk.effects) {
        if ('outcome' in e)
          bySubject.set(e.subject, {
            subject: e.outcome.subject,
            rows: [...(bySubject.get(e.subject)?.rows ?? []), e.outcome],
          });
        if ('rota' in e) shifts.set(e.subject, e.rota);
      }
      const subjects = [...bySubject.values()];
      const guessed = guess.allNew && attempt === 1;
      const stored =
        subjects.length > 0 && !guessed ? await deps.ledger.outcomes(subjects.map((s) => s.subject)) : [];
      if (stored.some((s) => s !== undefined)) guess.allNew = false;
      const outcomes = subjects.map(({ subject, rows: tracked }, i) => {
        const before = stored[i];
        const state = tracked.reduce<OutcomeState | undefined>((previous, o) => o.next(previous), before)!;
        return {
          subject,
          state,
          before,
          version: (before?.version ?? 0) + 1,
          expectedVersion: before?.version ?? 0,
        };
      });
      const counters = difference(
        [],
        [rows, ...outcomes.flatMap((o) => difference(o.before?.contribution ?? [], o.state.contribution))],
      );

      const result = await deps.ledger.commitChunk({
        sha256: file.sha256,
        index: chunk.index,
        rotaEntries: [...shifts.values()],
        outcomes: outcomes.map(({ subject, state, version, expectedVersion }) => ({
          subject,
          state,
          version,
          expectedVersion,
        })),
        counters,
        recordedAt: now.toISOString(),
        expiresAt: expiresAt(now, deps.retentionDays),
      });
      if (result === 'committed') return counters;
      if (result === 'duplicate') return deps.ledger.chunkCounters(file.sha256, chunk.index);
      if (guessed) {
        guess.allNew = false; // a subject was there after all: read, and do not back off
        return againAtOnce;
      }
      return again;
    },
  };
}

/** A person's rows in file order, different people side by side: their records never touch. */
async function recordEvents(events: CustodyFact[], source: string, deps: IngestDependencies): Promise<void> {
  const byPerson = new Map<string, CustodyFact[]>();
  for (const e of events)
    byPerson.set(e.person.prisonNumber, [...(byPerson.get(e.person.prisonNumber) ?? []), e]);
  const queue = [...byPerson.values()];
  const worker = async () => {
    for (let person = queue.shift(); person; person = queue.shift())
      // Each fact says it came from a partner's file, so the case can say where its facts came from.
      for (const e of person) await deps.recordEvent({ ...e, toldBy: 'partner-file' }, source);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function duplicateReport(report: FileReport, earlier: IngestedFile): FileReport {
  return {
    ...report,
    outcome: 'duplicate',
    duplicateOf: { file: earlier.file, receivedAt: earlier.receivedAt },
    reason: `the same bytes were received before as ${earlier.file}`,
  };
}

interface Completion {
  object: DroppedObject;
  dropId: string;
  located: { partnerId: string; kind: string; name: string };
  receivedDate: string;
}

/** Report first (a retry rewrites it the same), then the record of the file and drop with the counts, then the move. */
async function complete(
  report: FileReport,
  file: IngestedFile | undefined,
  c: Completion,
  deps: IngestDependencies,
): Promise<IngestResult> {
  const quarantined = report.outcome === 'quarantined';
  const { reports, movedTo } = deps.bucket.placesFor(c.located, c.receivedDate, quarantined);
  await deps.bucket.writeReport(report, reports);
  const now = deps.clock();
  const counted = { partnerId: report.partner, kind: report.kind as FileIdentity['kind'] };
  const result = await deps.ledger.completeFile({
    dropId: c.dropId,
    drop: {
      file: report.file,
      outcome: report.outcome,
      movedTo,
      ...(report.sha256 ? { sha256: report.sha256 } : {}),
    },
    ...(file ? { file } : {}),
    counters: [fileCounts(counted, c.receivedDate, { received: 1, [report.outcome]: 1 })],
    recordedAt: now.toISOString(),
    expiresAt: expiresAt(now, deps.retentionDays),
  });
  if (result === 'dropTaken') return { outcome: 'redelivered' };
  if (result === 'fileTaken') {
    // The same bytes under another name finished first while we read: this drop is its duplicate.
    const earlier = await deps.ledger.ingestedFile(file!.sha256);
    return complete(
      duplicateReport(
        {
          ...report,
          rows: { total: 0, accepted: 0, rejected: 0 },
          warnings: [],
          rejections: [],
          rejectionsNotListed: 0,
        },
        earlier!,
      ),
      undefined,
      c,
      deps,
    );
  }
  await deps.bucket.move(c.object.key, movedTo, c.object.versionId);
  return { outcome: report.outcome, report };
}
