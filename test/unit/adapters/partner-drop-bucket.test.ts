/** Moving a processed partner file moves the version S3 notified about, not whatever is current (issue 15, 19). */
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3PartnerDropBucket } from '#adapters/s3/partner-drop-bucket';

describe('the partner-drops bucket', () => {
  it('copies and deletes the version it processed, so a newer upload under the same key stays for its own turn', async () => {
    const sent: { command: string; input: Record<string, unknown> }[] = [];
    const s3 = {
      send: async (c: { constructor: { name: string }; input: Record<string, unknown> }) =>
        void sent.push({ command: c.constructor.name, input: c.input }),
    } as unknown as S3Client;
    await s3PartnerDropBucket(s3, 'drops').move(
      'incoming/durham-housing/on-call-rota/week 48.csv',
      'archive/durham-housing/on-call-rota/2025-01-06/week 48.csv',
      'v-3/abc',
    );
    expect(sent).toEqual([
      {
        command: 'CopyObjectCommand',
        input: {
          Bucket: 'drops',
          Key: 'archive/durham-housing/on-call-rota/2025-01-06/week 48.csv',
          CopySource: 'drops/incoming/durham-housing/on-call-rota/week%2048.csv?versionId=v-3%2Fabc',
        },
      },
      {
        command: 'DeleteObjectCommand',
        input: {
          Bucket: 'drops',
          Key: 'incoming/durham-housing/on-call-rota/week 48.csv',
          VersionId: 'v-3/abc',
        },
      },
    ]);
  });
});
