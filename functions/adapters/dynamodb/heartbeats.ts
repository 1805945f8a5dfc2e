/** Last-seen times of the feeds (`HEARTBEAT` / `{feed}`): raised only forward, so a late or repeated arrival is harmless. */
import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeartbeatStore } from '#use-cases/alert-ports';

export function dynamoHeartbeats(client: DynamoDBDocumentClient, tableName: string): HeartbeatStore {
  return {
    async seen(feed, at) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: 'HEARTBEAT', sk: feed },
            UpdateExpression: 'SET lastSeenAt = :at, entity = :entity',
            ConditionExpression: 'attribute_not_exists(lastSeenAt) OR lastSeenAt < :at',
            ExpressionAttributeValues: { ':at': at, ':entity': 'heartbeat' },
          }),
        )
        .catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        });
    },

    async lastSeen(feeds) {
      const seen: Record<string, string | undefined> = {};
      for (let i = 0; i < feeds.length; i += 100) {
        const keys = feeds.slice(i, i + 100).map((sk) => ({ pk: 'HEARTBEAT', sk }));
        let request:
          | Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }>
          | undefined = { [tableName]: { Keys: keys, ConsistentRead: true } };
        while (request && Object.keys(request).length > 0) {
          const { Responses, UnprocessedKeys } = await client.send(
            new BatchGetCommand({ RequestItems: request }),
          );
          for (const item of Responses?.[tableName] ?? [])
            seen[item.sk as string] = item.lastSeenAt as string;
          request = UnprocessedKeys as typeof request;
        }
      }
      return seen;
    },
  };
}

/**
 * At most one write per feed a minute from this container: silence is judged in minutes (domain/heartbeats.ts), so
 * recording every event of a busy feed would only cost a write per event. A time no later than the one written is
 * dropped here as the table would drop it; a minute later the feed is recorded again.
 */
export function oncePerMinute(store: HeartbeatStore, minGapMs = 60_000): HeartbeatStore {
  const written = new Map<string, number>();
  return {
    async seen(feed, at) {
      const time = Date.parse(at);
      const last = written.get(feed);
      if (last !== undefined && time - last < minGapMs) return;
      await store.seen(feed, at);
      written.set(feed, Math.max(time, last ?? time));
    },
    lastSeen: (feeds) => store.lastSeen(feeds),
  };
}
