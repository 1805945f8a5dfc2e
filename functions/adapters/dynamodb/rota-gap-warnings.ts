/**
 * Rota-gap warnings on DynamoDB: one item per gap per check (`ROTAGAP#{warningId}` / `WARNING`), written with a
 * condition that it does not exist, so sweeps that find the same gap (one after another, or at the same moment)
 * write it once. Until it is settled it sits in the byDue index under its own partition `WARN`, which the alert
 * sweep (`DUE`) and the notice outbox (`SEND`) do not read. No stream record sends it (the stream passes alert
 * notices only): the sweeper does.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entity } from '#commons/resources';
import type { PendingRotaGapWarning, RotaGapWarningStore } from '#use-cases/alert-ports';
import { dueItems, ignoringConditionFailure, postponeDue, settleOnce } from './due-items';
import { keys } from './keys';

/** The byDue partition of the rota-gap warnings not yet sent. */
export const warnPartition = 'WARN';

export function dynamoRotaGapWarnings(
  client: DynamoDBDocumentClient,
  tableName: string,
): RotaGapWarningStore {
  const key = (warningId: string) => keys.rotaGapWarning(warningId);
  return {
    async add(warning, at, expiresAt) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(warning.warningId),
              entity: entity.rotaGapWarning,
              ...warning,
              status: 'PENDING',
              createdAt: at.toISOString(),
              duePartition: warnPartition,
              dueAt: at.toISOString(),
              // A warning is worth sending until the gap is over.
              sendUntil: warning.until,
              tries: 0,
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'added';
      } catch (error) {
        ignoringConditionFailure(error as Error);
        return 'exists';
      }
    },

    pending: (now, limit) =>
      dueItems(
        client,
        tableName,
        warnPartition,
        now,
        limit,
        (item): PendingRotaGapWarning => ({
          warningId: item.warningId as string,
          checkDate: item.checkDate as string,
          localAuthority: item.localAuthority as string,
          tier: item.tier as PendingRotaGapWarning['tier'],
          from: item.from as string,
          until: item.until as string,
          sendUntil: item.sendUntil as string,
          tries: (item.tries as number | undefined) ?? 0,
        }),
      ),

    settle: (warningId, status, at, reason) =>
      settleOnce(client, tableName, key(warningId), status, at, reason),

    postpone: (warningId, dueAt, at) => postponeDue(client, tableName, key(warningId), dueAt, at),
  };
}
