/** The timeline's reader: one Query of the alert's partition (the alert, its notices, its deliveries). */
import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '#commons/resources';
import type { Alert } from '#domain/alerts';
import type { TimelineReader } from '#use-cases/alert-timeline';

export function dynamoTimelineReader(client: DynamoDBDocumentClient, tableName: string): TimelineReader {
  return {
    async read(alertId) {
      let alert: Alert | undefined;
      const notices: Record<string, unknown>[] = [];
      const deliveries: Record<string, unknown>[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `ALERT#${alertId}` },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          if (item.entity === entity.alert) alert = item as unknown as Alert;
          else if (item.entity === entity.alertNotice) notices.push(item);
          else if (item.entity === entity.delivery) deliveries.push(item);
        }
      }
      return alert ? { alert, notices, deliveries } : undefined;
    },
  };
}
