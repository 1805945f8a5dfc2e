/** What the sweeper reads besides due alerts: pending schedules (bySchedule index) and the day's digest entries. */
import { paginateQuery, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { factsDuePartition } from './release-store';
import { recordsTable } from '#commons/resources';
import type { DigestEntry } from '#domain/alert-policy';
import type { PersonReleases } from '#domain/release-case';
import type { DigestReader, ScheduleReader } from '#use-cases/alert-ports';

const bySchedule = recordsTable.globalIndexes.find((i) => i.indexName === 'bySchedule')!;

export function dynamoScheduleReader(client: DynamoDBDocumentClient, tableName: string): ScheduleReader {
  return {
    async scheduledBetween(from, to) {
      const people: PersonReleases[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          IndexName: bySchedule.indexName,
          // The sort key is `{date}#{prisonNumber}`: '~' sorts after every prison number.
          KeyConditionExpression: '#partition = :scheduled AND #date BETWEEN :from AND :to',
          ExpressionAttributeNames: {
            '#partition': bySchedule.partitionKey.name,
            '#date': bySchedule.sortKey!.name,
          },
          ExpressionAttributeValues: { ':scheduled': 'SCHEDULED', ':from': from, ':to': `${to}#~` },
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) people.push(releasesOf(item));
      // A person whose earlier release waits for HMPPS's facts is in the index under FACTS_DUE instead (one
      // partition per item), even when a newer case is scheduled: those few are read whole and kept if it is.
      const waiting = paginateQuery(
        { client },
        {
          TableName: tableName,
          IndexName: bySchedule.indexName,
          KeyConditionExpression: '#partition = :due',
          ExpressionAttributeNames: { '#partition': bySchedule.partitionKey.name },
          ExpressionAttributeValues: { ':due': factsDuePartition },
        },
      );
      const scheduledFor = (p: PersonReleases) =>
        p.cases[0]?.status === 'SCHEDULED' ? p.cases[0].scheduledFor : undefined;
      for await (const page of waiting)
        for (const item of page.Items ?? []) {
          const person = releasesOf(item);
          const date = scheduledFor(person);
          if (date !== undefined && date >= from && date <= to) people.push(person);
        }
      return people.sort((a, b) =>
        `${scheduledFor(a)}#${a.prisonNumber}`.localeCompare(`${scheduledFor(b)}#${b.prisonNumber}`),
      );
    },
  };
}

function releasesOf(item: Record<string, unknown>): PersonReleases {
  const { prisonNumber, version, cases, lastReceivedAt } = item as unknown as PersonReleases;
  return { prisonNumber, version, cases, ...(lastReceivedAt ? { lastReceivedAt } : {}) };
}

/** Prison numbers of people whose release's facts are due to be asked for again by `now`, oldest first. */
export function dynamoFactsDue(
  client: DynamoDBDocumentClient,
  tableName: string,
): { due(now: Date, limit: number): Promise<string[]> } {
  return {
    async due(now, limit) {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: bySchedule.indexName,
          KeyConditionExpression: '#partition = :due AND #at <= :now',
          ExpressionAttributeNames: {
            '#partition': bySchedule.partitionKey.name,
            '#at': bySchedule.sortKey!.name,
          },
          ExpressionAttributeValues: { ':due': factsDuePartition, ':now': `${now.toISOString()}#~` },
          Limit: limit,
        }),
      );
      return (Items ?? []).map((item) => (item as { prisonNumber: string }).prisonNumber);
    },
  };
}

export function dynamoDigestReader(client: DynamoDBDocumentClient, tableName: string): DigestReader {
  return {
    async entries(localAuthority, date) {
      const entries: DigestEntry[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `DIGEST#${localAuthority}#${date}` },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const { caseRef, prisonId, releaseLocal, needs } = item as DigestEntry;
          entries.push({ localAuthority, caseRef, prisonId, releaseLocal, needs });
        }
      }
      return entries;
    },
  };
}
