import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { localCredentials } from '#local/emulators';
import { provisionTables, resourceNames } from '#local/provision';
import { fridayRelease } from '#test-support/events';
import { testGatehouse } from '#test-support/gatehouse';

describe('the local stream poller', () => {
  it("keeps reading its table's stream while other tables' streams on the same DynamoDB Local move on", async () => {
    const gatehouse = await testGatehouse();
    try {
      // DynamoDB Local calls an iterator on an empty shard "trimmed" once other tables' streams have moved on;
      // the poller must take a fresh one and still hand on what is written next.
      const dynamo = new DynamoDBClient({
        endpoint: gatehouse.endpoints.dynamodb,
        region: 'eu-west-2',
        credentials: localCredentials,
      });
      const other = resourceNames(`o${randomBytes(3).toString('hex')}`);
      await provisionTables(dynamo, other);
      for (let i = 0; i < 40; i++) {
        await dynamo.send(
          new PutItemCommand({
            TableName: other.tables.Records!,
            Item: { pk: { S: `x${i}` }, sk: { S: 'y' }, entity: { S: 'alert' } },
          }),
        );
      }
      dynamo.destroy();
      await new Promise((resolve) => setTimeout(resolve, 500));

      await gatehouse.custodyQueue.send([
        JSON.stringify(fridayRelease({ person: { prisonNumber: 'P7000AA' } })),
      ]);
      await gatehouse.settle();
      expect((await readOutbox(gatehouse.outboxFile)).some((e) => e.template === 'critical')).toBe(true);
    } finally {
      await gatehouse.stop();
    }
  });
});
