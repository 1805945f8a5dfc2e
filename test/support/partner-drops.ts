/** Puts partner files into the S3 emulator of a test Gatehouse and reads back what Gatehouse wrote. */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localCredentials } from '#local/emulators';
import type { Gatehouse } from '#local/runtime';
import { partnerDropsBucket } from '#commons/resources';

export function partnerDrops(gatehouse: Gatehouse) {
  const s3 = new S3Client({
    endpoint: gatehouse.endpoints.s3,
    region: 'eu-west-2',
    credentials: localCredentials,
    forcePathStyle: true,
  });
  const bucket = gatehouse.names.buckets[partnerDropsBucket.id]!;
  return {
    bucket,
    s3,
    /** Puts a file as a partner would and waits until Gatehouse has handled it. */
    async drop(key: string, body: string | Uint8Array): Promise<void> {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      await gatehouse.settle();
    },
    async text(key: string): Promise<string | undefined> {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await response.Body!.transformToString('utf8');
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async report(stem: string): Promise<any> {
      const text = await this.text(`reports/${stem}.report.json`);
      return text === undefined ? undefined : JSON.parse(text);
    },
    async exists(key: string): Promise<boolean> {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch {
        return false;
      }
    },
    close: () => s3.destroy(),
  };
}
