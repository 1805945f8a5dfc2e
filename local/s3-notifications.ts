/**
 * s3rver announces every object it stores; S3 in AWS sends the same announcement to the partner-drops queue
 * when the key is under incoming/. This turns the one into the other: the SQS message body S3 would send.
 */
import { prefixes } from '#adapters/s3/drop-layout';
import { encodeS3EventKey } from '#handlers/partner-drop';

export interface S3rverEvent {
  Records: {
    eventName: string;
    eventTime: string;
    s3: {
      bucket: { name: string };
      object: { key: string; size?: number; eTag?: string; sequencer?: string };
    };
  }[];
}

let sequence = 0;

/**
 * The notification for puts under incoming/ of `bucket`, or undefined for anything S3 would not send.
 * Its eventTime is the runtime's clock, not s3rver's wall clock: a file is received when the runtime says it is.
 */
export function s3NotificationBody(
  event: S3rverEvent,
  bucket: string,
  clock: () => Date = () => new Date(),
): string | undefined {
  const eventTime = clock().toISOString();
  const records = event.Records.filter(
    (r) =>
      r.eventName.startsWith('ObjectCreated:') &&
      r.s3.bucket.name === bucket &&
      r.s3.object.key.startsWith(prefixes.incoming),
  ).map((r) => ({
    ...r,
    eventTime,
    awsRegion: 'eu-west-2',
    s3: {
      ...r.s3,
      bucket: { ...r.s3.bucket, arn: `arn:aws:s3:::${bucket}` },
      // S3 URL-encodes keys in notifications, and its sequencer is unique per event (s3rver's is per millisecond).
      object: {
        ...r.s3.object,
        key: encodeS3EventKey(r.s3.object.key),
        sequencer: `${Date.now().toString(16).toUpperCase()}${(sequence++).toString(16).padStart(6, '0')}`,
      },
    },
  }));
  return records.length > 0 ? JSON.stringify({ Records: records }) : undefined;
}
