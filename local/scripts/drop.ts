/**
 * `npm run drop -- <partner> <kind> <file>`: drops a file into the S3 emulator of a running `npm start`, as the
 * partner would into S3, waits for its report and prints it. The endpoint and bucket come from GET /health.
 */
import '#local/environment';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { partnerDropsBucket } from '#commons/resources';
import { destinations } from '#adapters/s3/drop-layout';
import { localCredentials } from '#local/emulators';

const [partner, kind, file] = process.argv.slice(2);
if (!partner || !kind || !file) {
  console.error(
    'usage: npm run drop -- <partnerId> <kind> <file.csv>   e.g. npm run drop -- darlington-housing on-call-rota events/partner-files/on-call-rota.csv',
  );
  process.exit(2);
}
const api = process.env.GATEHOUSE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

const health = await fetch(`${api}/health`)
  .then((r) => r.json() as Promise<{ endpoints: { s3: string }; buckets: Record<string, string> }>)
  .catch(() => {
    console.error(`Gatehouse does not answer on ${api}: start it with \`npm start\` (or set GATEHOUSE_URL).`);
    process.exit(1);
  });
const s3 = new S3Client({
  endpoint: health.endpoints.s3,
  region: 'eu-west-2',
  credentials: localCredentials,
  forcePathStyle: true,
});
const bucket = health.buckets[partnerDropsBucket.id]!;
const name = basename(file);
const key = `incoming/${partner}/${kind}/${name}`;
const reportKey = destinations({ partnerId: partner, kind, name }, '').reportJson;
/** The report now at reportKey, if any. Gatehouse's clock may not be this one (GATEHOUSE_CLOCK_START), so a new report is told by its content. */
const currentReport = async (): Promise<string | undefined> => {
  try {
    return await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKey }))
    ).Body!.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
};
const earlier = await currentReport();
await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
console.log(`put s3://${bucket}/${key}; waiting for its report…`);

const started = Date.now();
for (;;) {
  const report = await currentReport();
  if (report !== undefined && report !== earlier) {
    console.log(JSON.stringify(JSON.parse(report), null, 2));
    break;
  }
  if (Date.now() - started > 60_000) {
    console.error(`no report at ${reportKey} after a minute: see GET ${api}/dead-letters`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
s3.destroy();
