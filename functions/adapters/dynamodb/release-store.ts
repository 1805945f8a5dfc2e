/**
 * The ReleaseStore port on DynamoDB: one TransactWriteItems per event across the records and aggregates tables.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '#commons/resources';
import { firstNotice, type Alert } from '#domain/alerts';
import { dueIndexed } from './alert-items';
import type { PersonReleases } from '#domain/release-case';
import type { ReleaseChange, ReleaseStore } from '#use-cases/record-custody-event';
import { ledgerPut, transactOnce, versionedPut } from './exactly-once';
import { counterUpdates, insertOnce, type TransactItem } from './expressions';
import { keys } from './keys';
import { noticeItem } from './notice-outbox';

/** The bySchedule partition of people whose release waits for HMPPS's facts (sort key `{recheckAt}#{prisonNumber}`). */
export const factsDuePartition = 'FACTS_DUE';

export interface TableNames {
  records: string;
  aggregates: string;
}

export function dynamoReleaseStore(client: DynamoDBDocumentClient, tables: TableNames): ReleaseStore {
  return {
    async loadPerson(prisonNumber) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tables.records, Key: keys.person(prisonNumber), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { prisonNumber: pn, version, cases, lastReceivedAt, facts, movements } = Item as PersonReleases;
      return {
        prisonNumber: pn,
        version,
        cases,
        facts: facts ?? [],
        movements: movements ?? [],
        ...(lastReceivedAt ? { lastReceivedAt } : {}),
      };
    },

    async loadAlert(alertId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tables.records, Key: keys.alert(alertId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      // The alert's own fields, as alert-store.ts reads them (keys, entity, retention and repeats left out).
      const { pk: _pk, sk: _sk, entity: _e, expiresAt: _x, lastRepeatAt: _l, repeats: _r, ...alert } = Item;
      return alert as Alert;
    },

    async commit(change) {
      const result = await transactOnce(client, {
        // The event's ledger item: its condition failing means this event was recorded before.
        ledger: [
          {
            name: 'event',
            item: ledgerPut(tables.records, {
              ...keys.ledger(change.ledger.eventId),
              entity: entity.ledger,
              ...change.ledger,
              expiresAt: change.expiresAt,
            }),
          },
        ],
        writes: [
          // The person's releases, at the version the transition was decided on.
          versionedPut(tables.records, personItem(change), change.expectedVersion),
          ...change.alerts.map((alert) => insertOnce(tables.records, alertItem(alert, change.expiresAt))),
          // Each new alert's first page enters the notice outbox in the same transaction.
          ...change.alerts.map((alert) =>
            insertOnce(
              tables.records,
              noticeItem(firstNotice(alert), alert.kind, new Date(alert.raisedAt), change.expiresAt),
            ),
          ),
          ...change.repeatedAlertIds.map((alertId) =>
            alertRepeat(tables.records, alertId, change.ledger.recordedAt),
          ),
          // A warning this event made needless, resolved at the version it was decided on.
          ...change.resolvedAlerts.map(({ before, after }) =>
            resolvedAlertUpdate(tables.records, before, after),
          ),
          ...change.digestEntries.map(({ localAuthority, ...item }) =>
            insertOnce(tables.records, {
              ...keys.digestEntry(localAuthority, item.releaseLocal.date, item.caseRef),
              entity: entity.digestEntry,
              ...item,
              expiresAt: change.expiresAt,
            }),
          ),
          ...counterUpdates(tables.aggregates, change.counters, change.ledger.recordedAt),
        ],
      });
      return typeof result === 'object' ? 'duplicate' : result;
    },
  };
}

function personItem(change: ReleaseChange): Record<string, unknown> {
  const current = change.person.cases[0];
  const scheduled = current?.status === 'SCHEDULED' && current.scheduledFor;
  // A case waiting for HMPPS's facts is in the same sparse index, in its own partition, by when to ask again.
  const recheckAt = change.person.cases
    .map((c) => c.factsRecheckAt)
    .filter((t): t is string => t !== undefined)
    .sort()[0];
  return {
    ...keys.person(change.person.prisonNumber),
    entity: entity.releases,
    ...change.person,
    updatedAt: change.ledger.recordedAt,
    expiresAt: change.expiresAt,
    // Only a pending schedule is in the bySchedule index (sparse): the sweeper's pre-release warnings read it.
    ...(recheckAt
      ? { schedulePartition: factsDuePartition, scheduledFor: `${recheckAt}#${change.person.prisonNumber}` }
      : scheduled
        ? {
            schedulePartition: 'SCHEDULED',
            scheduledFor: `${current.scheduledFor}#${change.person.prisonNumber}`,
          }
        : {}),
  };
}

export function alertItem(alert: Alert, expiresAt: number): Record<string, unknown> {
  return { ...keys.alert(alert.alertId), entity: entity.alert, ...dueIndexed(alert), expiresAt };
}

/** A repeat of a raised alert is noted on it (a MODIFY, which the stream filter does not pass on). */
function alertRepeat(tableName: string, alertId: string, at: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.alert(alertId),
      UpdateExpression: 'SET lastRepeatAt = :at ADD repeats :one',
      ExpressionAttributeValues: { ':at': at, ':one': 1 },
    },
  };
}

/** The resolved alert's update, only at the version it was decided on (else the commit is a conflict, decided again). */
function resolvedAlertUpdate(table: string, before: Alert, after: Alert): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.alert(before.alertId),
      UpdateExpression:
        'SET #status = :status, #resolvedAt = :resolvedAt, #closedAt = :closedAt, #version = :version REMOVE #dueAt, #duePartition',
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#resolvedAt': 'resolvedAt',
        '#closedAt': 'closedAt',
        '#version': 'version',
        '#dueAt': 'dueAt',
        '#duePartition': 'duePartition',
      },
      ExpressionAttributeValues: {
        ':status': after.status,
        ':resolvedAt': after.resolvedAt,
        ':closedAt': after.closedAt,
        ':version': after.version,
        ':expectedVersion': before.version,
      },
    },
  };
}
