/**
 * The PartnerDropBucket port on S3: the dropped object read as a stream (never whole), reports written as
 * JSON and CSV, and files moved to archive/ or quarantine/ (copy, then delete), where the layout (./drop-layout.ts) says.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { reportCsv, summary, type FileReport } from '#domain/partner-files/report';
import type { DroppedObject, PartnerDropBucket } from '#use-cases/ingest-partner-file';
import { placesFor } from './drop-layout';

export function s3PartnerDropBucket(s3: S3Client, bucket: string): PartnerDropBucket {
  return {
    placesFor,

    async open(object: DroppedObject) {
      try {
        const response = await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: object.key,
            ...(object.versionId ? { VersionId: object.versionId } : {}),
          }),
        );
        return response.Body as AsyncIterable<Uint8Array> | undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async writeReport(report: FileReport, paths) {
      const json = `${JSON.stringify({ ...report, summary: summary(report) }, null, 2)}\n`;
      await Promise.all([
        ...paths.json.map((key) =>
          s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: json,
              ContentType: 'application/json; charset=utf-8',
            }),
          ),
        ),
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: paths.csv,
            Body: reportCsv(report),
            ContentType: 'text/csv; charset=utf-8',
          }),
        ),
      ]);
    },

    // The version the notification named, not whatever is current: a partner may have put a newer file under the
    // same key since, and that one has its own notification to come. Deleting that version leaves the newer one.
    async move(from, to, versionId) {
      const source = `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
      try {
        await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: source }));
      } catch (error) {
        if (isMissing(error)) return; // moved before
        throw error;
      }
      await s3.send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: from,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
    },
  };
}

function isMissing(error: unknown): boolean {
  const name = (error as Error).name;
  return error instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NotFound';
}
