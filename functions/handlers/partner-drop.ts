/**
 * λ partner-drop: an SQS batch of S3 event notifications (a partner put a file under incoming/) → ingest each
 * file exactly once. A message that failed goes back to the queue (ReportBatchItemFailures) and the whole file
 * is tried again, safely; a message that is not an S3 notification goes to the dead-letter queue with its reason.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { isObject } from '#events/custody-message';
import type { FieldError } from '#events/validation';
import { lambdaHandler, loggingFailures } from '#commons/lambda';
import { logger, metrics } from '#commons/powertools';
import type { RejectedMessages } from '#adapters/rejected-messages';
import {
  ingestPartnerFile,
  type DroppedObject,
  type IngestDependencies,
} from '#use-cases/ingest-partner-file';
import type { HeartbeatStore } from '#use-cases/alert-ports';
import { partnerFileFeed } from '#domain/heartbeats';

export interface PartnerDropDependencies {
  ingest: IngestDependencies;
  rejected: RejectedMessages;
  /** The bucket notifications are expected from. */
  bucket: string;
  /** Records that each partner's file kind arrives (domain/heartbeats.ts). */
  heartbeats?: HeartbeatStore;
}

export function partnerDropHandler(deps: PartnerDropDependencies) {
  const processor = new BatchProcessor(EventType.SQS);

  const ingestMessage = async (message: SQSRecord): Promise<void> => {
    const parsed = parseS3Notification(message.body, deps.bucket);
    if (!parsed.ok) {
      logger.warn('partner-drop message rejected', {
        messageId: message.messageId,
        reason: parsed.errors.map((e) => `${e.path}: ${e.expected}`).join('; '),
      });
      await deps.rejected.keep({ messageId: message.messageId, body: message.body, errors: parsed.errors });
      return;
    }
    for (const object of parsed.objects) {
      const result = await ingestPartnerFile(object, deps.ingest);
      const [, partnerId, kind] = object.key.split('/');
      if (partnerId && kind) await deps.heartbeats?.seen(partnerFileFeed(partnerId, kind), object.receivedAt);
      const report = result.report;
      // File names and counts only: a report's rows may hold personal data, so they stay in the report.
      logger.info('partner file handled', {
        file: object.key,
        outcome: result.outcome,
        sha256: report?.sha256,
        rows: report?.rows,
        reason: report?.reason,
      });
      metrics.addMetric(
        `PartnerFiles${result.outcome[0]!.toUpperCase()}${result.outcome.slice(1)}`,
        MetricUnit.Count,
        1,
      );
      if (report) metrics.addMetric('PartnerRowsRejected', MetricUnit.Count, report.rows.rejected);
    }
  };

  return lambdaHandler(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(
        event,
        loggingFailures((m: SQSRecord) => m.messageId, ingestMessage),
        processor,
        { context },
      ),
  );
}

type ParsedNotification = { ok: true; objects: DroppedObject[] } | { ok: false; errors: FieldError[] };

/**
 * One record of an S3 event notification, from Powertools parser's S3 schema: its eventTime, eventName and
 * s3.object as S3 defines them, and only the bucket's name of the rest (the local emulator sends no more).
 */
const s3Record = S3Schema.shape.Records.element;
const droppedRecordSchema = z.object({
  eventTime: s3Record.shape.eventTime,
  eventName: s3Record.shape.eventName.optional(),
  s3: z.object({
    object: s3Record.shape.s3.shape.object,
    bucket: s3Record.shape.s3.shape.bucket.pick({ name: true }).partial().optional(),
  }),
});

/**
 * The S3 event notification as S3 puts it on the queue. Keys arrive URL-encoded with '+' for a space.
 * S3's test message (sent when the notification is configured) holds no object and is skipped.
 */
export function parseS3Notification(body: string, bucket: string): ParsedNotification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {
      ok: false,
      errors: [{ path: '', expected: 'an S3 event notification (the message body is not valid JSON)' }],
    };
  }
  if (isObject(json) && json.Event === 's3:TestEvent') return { ok: true, objects: [] };
  if (!isObject(json) || !Array.isArray(json.Records))
    return {
      ok: false,
      errors: [{ path: 'Records', expected: 'an S3 event notification with a Records array' }],
    };
  const objects: DroppedObject[] = [];
  const errors: FieldError[] = [];
  json.Records.forEach((raw: unknown, i) => {
    const parsed = droppedRecordSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push({ path: `Records.${i}`, expected: 'an S3 record with s3.object.key and eventTime' });
      return;
    }
    const record = parsed.data;
    if (record.eventName !== undefined && !record.eventName.startsWith('ObjectCreated:')) return;
    if (record.s3.bucket?.name !== bucket) {
      errors.push({ path: `Records.${i}.s3.bucket.name`, expected: `the partner drops bucket ${bucket}` });
      return;
    }
    const { key, size, versionId, sequencer, eTag } = record.s3.object;
    objects.push({
      key: decodeURIComponent(key.replace(/\+/g, ' ')),
      size: size ?? 0,
      receivedAt: record.eventTime,
      ...(versionId !== undefined ? { versionId } : {}),
      ...(sequencer !== undefined ? { sequencer } : {}),
      ...(eTag !== undefined ? { eTag } : {}),
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, objects };
}

/** How S3 writes a key into a notification: URL-encoded, '/' kept, a space as '+'. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');
}
