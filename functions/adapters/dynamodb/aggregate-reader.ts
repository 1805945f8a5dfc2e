/** Reads counter series from the aggregates table with Query, following pagination. */
import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AggregateReader, CounterRow } from '#use-cases/query-aggregates';

export function dynamoAggregateReader(client: DynamoDBDocumentClient, tableName: string): AggregateReader {
  return {
    async series(pk, from, to) {
      const rows: CounterRow[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const { pk: _pk, sk, updatedAt: _updatedAt, ...counts } = item;
          rows.push({ date: sk as string, counts: counts as Record<string, number> });
        }
      }
      return rows;
    },
  };
}
