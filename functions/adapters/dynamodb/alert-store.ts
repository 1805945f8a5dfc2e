/**
 * The AlertStore port on DynamoDB. Each change is one TransactWriteItems: the alert at the version it was
 * decided on, the notice it sends (an INSERT the stream passes to dispatch, and an entry in the notice outbox)
 * and its counters. Raising an alert writes its first page as a notice too.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { entity, recordsTable } from '#commons/resources';
import { rollUps, type CounterDelta } from '#domain/aggregates';
import { firstNotice, type Alert } from '#domain/alerts';
import { dueIndexed, duePartition, withoutDuePartition } from './alert-items';
import { londonTime } from '#domain/calendar';
import type { AlertStore } from '#use-cases/alert-ports';
import { cancellationCodes } from './exactly-once';
import { counterUpdates, type TransactItem } from './expressions';
import { aggregateKey, keys } from './keys';
import { noticeItem } from './notice-outbox';
import type { TableNames } from './release-store';
import { expiresAt } from '#commons/retention';

const byDue = recordsTable.globalIndexes.find((i) => i.indexName === 'byDue')!;
/** Alert and notice items stay as long as the case they are about. */
const retentionDaysDefault = 730;

export function dynamoAlertStore(
  client: DynamoDBDocumentClient,
  tables: TableNames,
  retentionDays = retentionDaysDefault,
): AlertStore {
  return {
    async load(alertId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tables.records, Key: keys.alert(alertId), ConsistentRead: true }),
      );
      return Item ? toAlert(Item) : undefined;
    },

    async apply(change, at) {
      const { before, after, notice } = change;
      const { set, remove, names, values } = differences(dueIndexed(before), dueIndexed(after));
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tables.records,
            Key: keys.alert(before.alertId),
            UpdateExpression: [
              set.length ? `SET ${set.join(', ')}` : '',
              remove.length ? `REMOVE ${remove.join(', ')}` : '',
            ]
              .join(' ')
              .trim(),
            ConditionExpression: '#version = :expectedVersion',
            ExpressionAttributeNames: { ...names, '#version': 'version' },
            ExpressionAttributeValues: { ...values, ':expectedVersion': before.version },
          },
        },
        ...(notice
          ? [
              {
                Put: {
                  TableName: tables.records,
                  Item: noticeItem(notice, before.kind, at, expiresAt(at, retentionDays)),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
        ...counterUpdates(tables.aggregates, counters(before, change.counts), at.toISOString()),
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return 'applied';
      } catch (error) {
        if (isCancelled(error)) return 'conflict';
        throw error;
      }
    },

    async raise(alert, expires) {
      const existing = await client.send(
        new GetCommand({
          TableName: tables.records,
          Key: keys.alert(alert.alertId),
          ProjectionExpression: 'pk',
        }),
      );
      if (existing.Item) return 'exists';
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.records,
                  Item: {
                    ...keys.alert(alert.alertId),
                    entity: entity.alert,
                    ...dueIndexed(alert),
                    expiresAt: expires,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tables.records,
                  Item: noticeItem(firstNotice(alert), alert.kind, new Date(alert.raisedAt), expires),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...counterUpdates(
                tables.aggregates,
                counters(alert, { raised: 1, [`raised.${alert.kind}`]: 1 }),
                alert.raisedAt,
              ),
            ],
          }),
        );
        return 'raised';
      } catch (error) {
        if (isCancelled(error)) return 'exists';
        throw error;
      }
    },

    async due(now, limit) {
      const due: Alert[] = [];
      const pages = paginateQuery(
        { client, pageSize: Math.min(limit, 100) },
        {
          TableName: tables.records,
          IndexName: byDue.indexName,
          KeyConditionExpression: '#partition = :partition AND #dueAt <= :now',
          ExpressionAttributeNames: { '#partition': byDue.partitionKey.name, '#dueAt': byDue.sortKey!.name },
          ExpressionAttributeValues: { ':partition': duePartition, ':now': now.toISOString() },
        },
      );
      for await (const page of pages) {
        due.push(...(page.Items ?? []).map(toAlert));
        if (due.length >= limit) break;
      }
      return due.slice(0, limit);
    },

    async count(alert, counts, at) {
      const updates = counterUpdates(tables.aggregates, counters(alert, counts), at.toISOString());
      if (updates.length > 0) await client.send(new TransactWriteCommand({ TransactItems: updates }));
    },

    async recordAckMinutesMax(alert, minutes) {
      // DynamoDB's ADD cannot keep a maximum; a SET on condition "lower or absent" can, and repeating it is harmless.
      for (const { pk, sk } of counters(alert, { 'ackMinutes.max': minutes })
        .flatMap(rollUps)
        .map(aggregateKey)) {
        try {
          await client.send(
            new UpdateCommand({
              TableName: tables.aggregates,
              Key: { pk, sk },
              UpdateExpression: 'SET #max = :minutes',
              ConditionExpression: 'attribute_not_exists(#max) OR #max < :minutes',
              ExpressionAttributeNames: { '#max': 'ackMinutes.max' },
              ExpressionAttributeValues: { ':minutes': minutes },
            }),
          );
        } catch (error) {
          if (
            !(error instanceof ConditionalCheckFailedException) &&
            (error as Error).name !== 'ConditionalCheckFailedException'
          )
            throw error;
        }
      }
    },
  };
}

/** The alert's figures count on the day it was raised, so a week's acknowledgement times are about that week's alerts. */
function counters(alert: Alert, counts: Record<string, number>): CounterDelta[] {
  if (Object.keys(counts).length === 0) return [];
  return [
    {
      family: 'alerts',
      dimensions: { la: alert.localAuthority, prison: alert.prisonId },
      date: londonTime(alert.raisedAt).date,
      counts,
    },
  ];
}

/** SET for every attribute that changed or appeared, REMOVE for every one that went. */
function differences(before: Alert, after: Alert) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  const all = new Set([...Object.keys(before), ...Object.keys(after)]);
  let i = 0;
  for (const name of all) {
    const a = (before as unknown as Record<string, unknown>)[name];
    const b = (after as unknown as Record<string, unknown>)[name];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    names[`#d${i}`] = name;
    if (b === undefined) remove.push(`#d${i}`);
    else {
      values[`:d${i}`] = b;
      set.push(`#d${i} = :d${i}`);
    }
    i += 1;
  }
  return { set, remove, names, values };
}

function toAlert(item: Record<string, unknown>): Alert {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    expiresAt: _expiresAt,
    lastRepeatAt: _lastRepeatAt,
    repeats: _repeats,
    ...alert
  } = withoutDuePartition(item);
  return alert as unknown as Alert;
}

function isCancelled(error: unknown): boolean {
  return cancellationCodes(error) !== undefined;
}
