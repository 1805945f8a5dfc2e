/**
 * Rota entries of an area, as the partner-drops ingest writes them (pk ROTA#{la}, contract in domain/rota.ts).
 * Routing reads them with one Query per page; `save` is how tests and the demo write a rota directly.
 */
import {
  BatchWriteCommand,
  paginateQuery,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RotaEntry } from '#domain/rota';
import type { RotaStore } from '#use-cases/alert-ports';
import { keys } from './keys';

export function dynamoRotaStore(
  client: DynamoDBDocumentClient,
  recordsTable: string,
): RotaStore & { save(entries: RotaEntry[]): Promise<void> } {
  return {
    async entries(localAuthority) {
      const entries: RotaEntry[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: recordsTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `ROTA#${localAuthority}` },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const {
            localAuthority: la,
            tier,
            start,
            end,
            channel,
            address,
            displayName,
            source,
          } = item as RotaEntry;
          entries.push({
            localAuthority: la,
            tier,
            start,
            end,
            channel,
            address,
            source,
            ...(displayName ? { displayName } : {}),
          });
        }
      }
      return entries;
    },

    async save(entries) {
      for (let i = 0; i < entries.length; i += 25) {
        let requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string] | undefined = entries
          .slice(i, i + 25)
          .map((e) => ({
            PutRequest: {
              Item: {
                ...keys.rotaEntry(e.localAuthority, e.tier, e.start, e.end),
                entity: 'rotaEntry',
                ...e,
              },
            },
          }));
        // A batch may come back partly unprocessed under throttling: send the rest again.
        while (requests && requests.length > 0) {
          const response: BatchWriteCommandOutput = await client.send(
            new BatchWriteCommand({ RequestItems: { [recordsTable]: requests } }),
          );
          requests = response.UnprocessedItems?.[recordsTable];
        }
      }
    },
  };
}
