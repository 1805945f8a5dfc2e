import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, testGatehouse } from '../support/gatehouse';
import { partnerDrops } from '../support/partner-drops';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('partner file drops, end to end on s3rver and DynamoDB Local', () => {
  let gatehouse: Gatehouse;
  let drops: ReturnType<typeof partnerDrops>;
  beforeAll(async () => {
    // Its own s3rver: the runtime hears that emulator's put events, as S3 notifies the queue in AWS.
    gatehouse = await testGatehouse({ s3Endpoint: undefined });
    drops = partnerDrops(gatehouse);
  });
  afterAll(async () => {
    drops.close();
    await gatehouse.stop();
  });

  const files = async (partner = '*', kind = '*') =>
    (await getJson(`${gatehouse.url}/aggregates?family=files&partner=${partner}&kind=${kind}`)).body.totals as Record<string, number>;

  it('records a release-schedule file as release.scheduled events and reports every row accepted', async () => {
    await drops.drop('incoming/probation-durham/release-schedule/week 47.csv', readFileSync('events/partner-files/release-schedule.csv'));
    const report = await drops.report('probation-durham/release-schedule/week 47');
    expect(report).toMatchObject({ outcome: 'accepted', rows: { total: 2, accepted: 2, rejected: 0 }, rejections: [], warnings: [] });
    const view = await getJson(`${gatehouse.url}/cases/A1234BC`);
    expect(view.body.current).toMatchObject({ status: 'SCHEDULED', scheduledFor: '2026-11-20' });
    expect(await files('probation-durham', 'release-schedule')).toEqual({ received: 1, accepted: 1, rowsAccepted: 2 });
    expect(await drops.exists('incoming/probation-durham/release-schedule/week 47.csv')).toBe(false);
  });
});
