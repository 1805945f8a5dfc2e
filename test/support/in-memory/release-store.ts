/**
 * The ReleaseStore port in memory, with the DynamoDB adapter's semantics (adapters/dynamodb/release-store.ts):
 * the ledger item by event id makes an event count once (a repeat is 'duplicate' and changes nothing), the
 * person's releases are written only at the version read ('conflict' otherwise), and the alerts, their first
 * pages in the notice outbox, the repeats, the resolved warnings, the digest entries and the counters go in the same all-or-nothing commit.
 */
import { firstNotice, type Alert } from '#domain/alerts';
import type { PersonReleases } from '#domain/release-case';
import type { CommitResult, LedgerEntry, ReleaseChange, ReleaseStore } from '#use-cases/record-custody-event';
import { alertKey, digestPrefix, insertNotice } from './alert-store';
import type { InMemoryTables } from './tables';

export const personKey = (prisonNumber: string) => `PERSON#${prisonNumber}`;
export const ledgerKey = (eventId: string) => `LEDGER#${eventId}`;

export interface InMemoryReleaseStore extends ReleaseStore {
  /** The ledger item of an event, as the commit wrote it. */
  ledger(eventId: string): LedgerEntry | undefined;
  /** Runs once, inside the next commit, before its conditions are checked: another writer getting there first. */
  interleave(writer: () => Promise<void>): void;
  commits: { committed: number; duplicate: number; conflict: number };
}

export function inMemoryReleaseStore(tables: InMemoryTables): InMemoryReleaseStore {
  let interleaved: (() => Promise<void>) | undefined;
  const commits = { committed: 0, duplicate: 0, conflict: 0 };
  return {
    commits,
    ledger: (eventId) => tables.get<LedgerEntry>(ledgerKey(eventId)),
    interleave(writer) {
      interleaved = writer;
    },

    async loadPerson(prisonNumber) {
      return tables.get<PersonReleases>(personKey(prisonNumber));
    },

    async loadAlert(alertId) {
      return tables.get<Alert>(alertKey(alertId));
    },

    async commit(change: ReleaseChange): Promise<CommitResult> {
      if (interleaved) {
        const writer = interleaved;
        interleaved = undefined;
        await writer();
      }
      // The ledger first: a repeat is a duplicate whatever else moved meanwhile (the transaction names the ledger item).
      if (tables.has(ledgerKey(change.ledger.eventId))) {
        commits.duplicate += 1;
        return 'duplicate';
      }
      const stored = tables.peek<PersonReleases>(personKey(change.person.prisonNumber));
      const stale =
        (stored?.version ?? 0) !== change.expectedVersion ||
        (change.expectedVersion === 0 && stored !== undefined) ||
        // A resolved warning is written only at the version it was decided on (DynamoDB's condition on it).
        change.resolvedAlerts.some(
          ({ before }) => tables.peek<Alert>(alertKey(before.alertId))?.version !== before.version,
        );
      if (stale) {
        commits.conflict += 1;
        return 'conflict';
      }

      tables.put(ledgerKey(change.ledger.eventId), { ...change.ledger, expiresAt: change.expiresAt });
      tables.put(personKey(change.person.prisonNumber), change.person);
      for (const alert of change.alerts) {
        tables.insertOnce(alertKey(alert.alertId), alert);
        insertNotice(tables, firstNotice(alert), alert.kind, new Date(alert.raisedAt));
      }
      for (const { after } of change.resolvedAlerts) tables.put(alertKey(after.alertId), after);
      for (const alertId of change.repeatedAlertIds) {
        const repeats = tables.get<{ repeats?: number }>(`${alertKey(alertId)}#REPEATS`)?.repeats ?? 0;
        tables.put(`${alertKey(alertId)}#REPEATS`, {
          repeats: repeats + 1,
          lastRepeatAt: change.ledger.recordedAt,
        });
      }
      for (const entry of change.digestEntries)
        tables.insertOnce(
          `${digestPrefix(entry.localAuthority, entry.releaseLocal.date)}${entry.caseRef}`,
          entry,
        );
      tables.addCounters(change.counters);
      commits.committed += 1;
      return 'committed';
    },
  };
}

/** How often a raised alert was repeated by a later event (noted on it, nobody paged again). */
export function repeatsOf(tables: InMemoryTables, alertId: string): number {
  return tables.get<{ repeats: number }>(`${alertKey(alertId)}#REPEATS`)?.repeats ?? 0;
}
