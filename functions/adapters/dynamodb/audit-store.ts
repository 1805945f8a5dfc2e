/** The case-read audit in DynamoDB: one new item per read, never updated (the put is conditional on a new key). */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseReadAudit } from '#use-cases/read-case';
import { expiresAt } from '#commons/retention';

export function dynamoCaseReadAudit(
  client: DynamoDBDocumentClient,
  table: string,
  retentionDays: number,
): CaseReadAudit {
  return {
    async record(read) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: `CASE#${read.prisonNumber}`,
            sk: `${read.at}#${read.requestId}`,
            entity: 'caseRead',
            ...read,
            expiresAt: expiresAt(read.at, retentionDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
  };
}
