import { readFileSync } from 'node:fs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDocuments } from '#commons/clients';
import { recordsTable } from '#commons/resources';
import { encodeS3EventKey } from '#handlers/partner-drop';
import { getJson, testGatehouse } from '#test-support/gatehouse';
import { partnerDrops } from '#test-support/partner-drops';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('partner file drops, end to end on s3rver and DynamoDB Local', () => {
  let gatehouse: Gatehouse;
  let drops: ReturnType<typeof partnerDrops>;
  beforeAll(async () => {
    // Its own s3rver: the runtime hears that emulator's put events, as S3 notifies the queue in AWS.
    gatehouse = await testGatehouse({
      s3Endpoint: undefined,
      env: { PARTNER_FILE_MAX_BYTES: String(64 * 1024) },
    });
    drops = partnerDrops(gatehouse);
  });
  afterAll(async () => {
    drops.close();
    await gatehouse.stop();
  });

  const totals = async (query: string) =>
    (await getJson(`${gatehouse.url}/aggregates?${query}`)).body.totals as Record<string, number>;
  const files = (partner: string, kind: string) => totals(`family=files&partner=${partner}&kind=${kind}`);
  const template = (kind: string) => readFileSync(`events/partner-files/${kind}.csv`);

  it('records a release-schedule file as release.scheduled events, reports every row accepted and archives the file', async () => {
    await drops.drop('incoming/probation-durham/release-schedule/week 47.csv', template('release-schedule'));
    const report = await drops.report('probation-durham/release-schedule/week 47');
    expect(report).toMatchObject({
      outcome: 'accepted',
      rows: { total: 2, accepted: 2, rejected: 0 },
      rejections: [],
      warnings: [],
      summary: 'accepted: 2 of 2 rows accepted, 0 rejected',
    });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    const view = await getJson(`${gatehouse.url}/cases/A1234BC`);
    expect(view.body.current).toMatchObject({
      status: 'SCHEDULED',
      scheduledFor: '2026-11-20',
      circumstances: { accommodation: 'NO_FIXED_ABODE', needs: ['DRUGS_AND_ALCOHOL', 'HEALTH'] },
    });
    expect(await files('probation-durham', 'release-schedule')).toEqual({
      received: 1,
      accepted: 1,
      rowsAccepted: 2,
    });
    expect(await drops.exists('incoming/probation-durham/release-schedule/week 47.csv')).toBe(false);
    expect(
      await drops.exists(
        `archive/probation-durham/release-schedule/${report.receivedAt.slice(0, 10)}/week 47.csv`,
      ),
    ).toBe(true);
  });

  it('rejects each invalid row alone with its line, column, value and reason, and applies the valid rows', async () => {
    const csv = [
      'prison_number,release_date,local_authority,night1,day7,day28,week12',
      'C1000AA,2026-11-20,E06000005,NO_FIXED_ABODE,,,',
      'C1000A,2026-11-20,E06000005,SETTLED,,,',
      'C1000BB,31/02/2026,E06000005,HOSTEL,,,',
      'C1000CC,2026-11-20,E06000047,,,,',
      'C1000DD,2026-11-20,E06000047,cas3,Temporary,,',
    ].join('\n');
    await drops.drop('incoming/accommodation-providers/accommodation-outcome/outcomes.csv', csv);
    const { receivedAt, sha256, bytes, summary, ...report } = await drops.report(
      'accommodation-providers/accommodation-outcome/outcomes',
    );
    expect(report).toEqual({
      file: 'incoming/accommodation-providers/accommodation-outcome/outcomes.csv',
      partner: 'accommodation-providers',
      kind: 'accommodation-outcome',
      outcome: 'partiallyAccepted',
      rows: { total: 5, accepted: 2, rejected: 3 },
      warnings: [],
      rejections: [
        {
          line: 3,
          column: 'prison_number',
          value: 'C1000A',
          reason: 'expected a prison (NOMS) number such as A1234BC',
        },
        { line: 4, column: 'release_date', value: '31/02/2026', reason: 'expected a date as YYYY-MM-DD' },
        {
          line: 4,
          column: 'night1',
          value: 'HOSTEL',
          reason: 'expected one of SETTLED, TEMPORARY, APPROVED_PREMISES, CAS3, NO_FIXED_ABODE, UNKNOWN',
        },
        {
          line: 5,
          column: 'night1',
          value: '',
          reason: 'expected a status in at least one of night1, day7, day28, week12',
        },
      ],
      rejectionsNotListed: 0,
    });
    expect(summary).toBe('partially accepted: 2 of 5 rows accepted, 3 rejected');
    expect(await totals('family=accommodation&la=E06000005')).toEqual({
      'night1.NO_FIXED_ABODE': 1,
      'night1.total': 1,
    });
    expect(await totals('family=accommodation&la=E06000047')).toEqual({
      'night1.CAS3': 1,
      'night1.total': 1,
      'day7.TEMPORARY': 1,
      'day7.total': 1,
    });
    expect(await files('accommodation-providers', 'accommodation-outcome')).toEqual({
      received: 1,
      partiallyAccepted: 1,
      rowsAccepted: 2,
      rowsRejected: 3,
    });
    const csvReport = await drops.text(
      'reports/accommodation-providers/accommodation-outcome/outcomes.report.csv',
    );
    expect(csvReport?.split('\r\n').slice(0, 3)).toEqual([
      'type,line,column,value,message',
      'outcome,,,partiallyAccepted,"partially accepted: 2 of 5 rows accepted, 3 rejected"',
      'rejected,3,prison_number,C1000A,expected a prison (NOMS) number such as A1234BC',
    ]);
  });

  it('reads a BOM, CRLF line ends, quoted commas and newlines, and a header in any case and spacing; an extra column is a warning', async () => {
    const csv =
      '\uFEFFLocal Authority ,TIER,Start,END,Channel,Address,Display-Name,Notes\r\n' +
      'E06000005,primary,2026-11-27T17:00:00Z,2026-11-30T09:00:00Z,sms,07700 900456,"Jo, Darlington housing","on call\r\nall weekend"\r\n' +
      'E06000005,secondary,2026-11-27T17:00:00Z,2026-11-30T09:00:00Z,email,duty@darlington.gov.uk,,\r\n';
    await drops.drop('incoming/darlington-housing/on-call-rota/rota+weekend.csv', csv);
    const report = await drops.report('darlington-housing/on-call-rota/rota+weekend');
    expect(report).toMatchObject({
      outcome: 'accepted',
      rows: { total: 2, accepted: 2, rejected: 0 },
      warnings: ["column 'Notes' (column 8) is not part of on-call-rota and was ignored"],
    });
    const { Items } = await dynamoDocuments(gatehouse.env).send(
      new QueryCommand({
        TableName: gatehouse.names.tables[recordsTable.id],
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ROTA#E06000005' },
      }),
    );
    expect(
      Items!.map(({ tier, start, end, channel, address, displayName }) => ({
        tier,
        start,
        end,
        channel,
        address,
        displayName,
      })),
    ).toEqual([
      {
        tier: 'primary',
        start: '2026-11-27T17:00:00.000Z',
        end: '2026-11-30T09:00:00.000Z',
        channel: 'sms',
        address: '+447700900456',
        displayName: 'Jo, Darlington housing',
      },
      {
        tier: 'secondary',
        start: '2026-11-27T17:00:00.000Z',
        end: '2026-11-30T09:00:00.000Z',
        channel: 'email',
        address: 'duty@darlington.gov.uk',
        displayName: undefined,
      },
    ]);
  });

  it("refuses rota rows for an area that is not the partner's own, so no council can redirect another's pages", async () => {
    const csv =
      'local_authority,tier,start,end,channel,address\n' +
      'E06000047,primary,2026-11-27T17:00:00Z,2026-11-30T09:00:00Z,sms,07700900457\n' +
      'E06000005,primary,2026-11-27T17:00:00Z,2026-11-30T09:00:00Z,sms,07700900458\n';
    await drops.drop('incoming/durham-housing/on-call-rota/both-areas.csv', csv);
    const report = await drops.report('durham-housing/on-call-rota/both-areas');
    expect(report).toMatchObject({
      outcome: 'partiallyAccepted',
      rows: { total: 2, accepted: 1, rejected: 1 },
    });
    expect(report.rejections).toEqual([
      {
        line: 3,
        column: 'local_authority',
        value: 'E06000005',
        reason: 'durham-housing may set the on-call rota only for E06000047',
      },
    ]);
    const { Items } = await dynamoDocuments(gatehouse.env).send(
      new QueryCommand({
        TableName: gatehouse.names.tables[recordsTable.id],
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ROTA#E06000005' },
      }),
    );
    expect(Items!.map((i) => i.address)).not.toContain('+447700900458');
  });

  it('rejects a file without a required column as a whole, with a report naming the columns', async () => {
    await drops.drop(
      'incoming/treatment-services/referral-outcome/no-outcome.csv',
      'referral_id,service,referral_date\nDA-1,HEALTH,2026-11-16\n',
    );
    const { receivedAt, sha256, bytes, ...report } = await drops.report(
      'treatment-services/referral-outcome/no-outcome',
    );
    expect(report).toEqual({
      file: 'incoming/treatment-services/referral-outcome/no-outcome.csv',
      partner: 'treatment-services',
      kind: 'referral-outcome',
      outcome: 'rejected',
      reason:
        "the header has no 'outcome' column, which referral-outcome requires (expected columns: referral_id, service, referral_date, outcome)",
      summary:
        "rejected: the header has no 'outcome' column, which referral-outcome requires (expected columns: referral_id, service, referral_date, outcome)",
      rows: { total: 0, accepted: 0, rejected: 0 },
      warnings: [],
      rejections: [],
      rejectionsNotListed: 0,
    });
    expect(await files('treatment-services', 'referral-outcome')).toEqual({ received: 1, rejected: 1 });
  });

  describe('quarantines a file it cannot read, with its report', () => {
    const cases: [string, string, string | Uint8Array, string][] = [
      [
        'not UTF-8',
        'incoming/durham-housing/on-call-rota/latin1.csv',
        Buffer.from('local_authority,tier\nE06000047,primary,\xa3\n', 'latin1'),
        'the file is not UTF-8: line 2 has the byte 0xA3, which UTF-8 does not allow there (save it as "CSV UTF-8")',
      ],
      [
        'binary, not CSV',
        'incoming/durham-housing/on-call-rota/workbook.csv',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]),
        'the file holds binary data (a NUL byte on line 1), not CSV text',
      ],
      [
        'a quote never closed',
        'incoming/durham-housing/on-call-rota/quote.csv',
        'local_authority,tier\n"E06000047,primary\n',
        'the file is not valid CSV: line 2: a quoted field is never closed',
      ],
      ['empty', 'incoming/durham-housing/on-call-rota/empty.csv', '', 'the file is empty'],
      [
        'blank lines only',
        'incoming/durham-housing/on-call-rota/blank.csv',
        '\uFEFF\r\n,,,\r\n',
        'the file is empty',
      ],
      [
        'over the size limit',
        'incoming/durham-housing/on-call-rota/huge.csv',
        'x'.repeat(64 * 1024 + 1),
        'the file is larger than the limit of 64 KB',
      ],
      [
        'an unknown partner',
        'incoming/acme-housing/on-call-rota/rota.csv',
        'a,b\n1,2\n',
        "'acme-housing' is not a registered partner",
      ],
      [
        'an unknown kind',
        'incoming/durham-housing/bed-nights/rota.csv',
        'a,b\n1,2\n',
        "'bed-nights' is not a kind of partner file (expected one of release-schedule, accommodation-outcome, referral-outcome, on-call-rota)",
      ],
      [
        'a kind the partner does not send',
        'incoming/durham-housing/release-schedule/rota.csv',
        'a,b\n1,2\n',
        'Durham County Council housing solutions does not send release-schedule files (registered kinds: accommodation-outcome, on-call-rota)',
      ],
    ];
    it.each(cases)('%s', async (_, key, body, reason) => {
      await drops.drop(key, body);
      const [, partner, kind, name] = key.split('/');
      const stem = `${partner}/${kind}/${name!.replace(/\.csv$/, '')}`;
      const { receivedAt, ...report } = await drops.report(stem);
      expect(report).toEqual({
        file: key,
        partner,
        kind,
        outcome: 'quarantined',
        reason,
        summary: `quarantined: ${reason}`,
        rows: { total: 0, accepted: 0, rejected: 0 },
        warnings: [],
        rejections: [],
        rejectionsNotListed: 0,
        ...(name === 'huge.csv' ? { bytes: 64 * 1024 + 1 } : {}),
      });
      expect(await drops.exists(key)).toBe(false);
      expect(await drops.exists(`quarantine/${stem}.csv`)).toBe(true);
      expect(JSON.parse((await drops.text(`quarantine/${stem}.csv.report.json`))!)).toMatchObject({
        outcome: 'quarantined',
        reason,
      });
    });

    it('a key outside incoming/', async () => {
      const key = 'uploads/durham-housing/rota.csv';
      await drops.s3.send(
        new (await import('@aws-sdk/client-s3')).PutObjectCommand({
          Bucket: drops.bucket,
          Key: key,
          Body: 'a,b\n',
        }),
      );
      await gatehouse.partnerDropQueue.send([notification(drops.bucket, key)]);
      await gatehouse.settle();
      const { receivedAt, ...report } = await drops.report('_unknown/uploads/durham-housing/rota');
      expect(report).toMatchObject({
        file: key,
        partner: '_unknown',
        outcome: 'quarantined',
        reason:
          'the file is outside incoming/: partners drop files as incoming/{partnerId}/{kind}/{name}.csv',
      });
      expect(await drops.exists(`quarantine/_unknown/${key}`)).toBe(true);
    });

    it('counts quarantined files per partner and kind', async () => {
      expect(await files('durham-housing', 'on-call-rota')).toMatchObject({ quarantined: 6 });
    });
  });

  it('changes nothing for a notification delivered three times at once, and reports the same bytes under another name as a duplicate', async () => {
    const csv =
      'referral_id,service,referral_date,outcome\nDA-0001,DRUGS_AND_ALCOHOL,2026-11-16,ENGAGED\nMH-0002,HEALTH,2026-11-18,DID_NOT_ATTEND\n';
    const key = 'incoming/treatment-services/referral-outcome/november.csv';
    const before = await files('treatment-services', 'referral-outcome');
    // The notification S3 sends for the put, delivered three times, as SQS may.
    const send = gatehouse.partnerDropQueue.send.bind(gatehouse.partnerDropQueue);
    const spy = vi
      .spyOn(gatehouse.partnerDropQueue, 'send')
      .mockImplementationOnce(
        async (bodies) => (await Promise.all([send(bodies), send(bodies), send(bodies)]))[0]!,
      );
    await drops.drop(key, csv);
    spy.mockRestore();
    const first = await drops.text('reports/treatment-services/referral-outcome/november.report.json');
    expect(JSON.parse(first!)).toMatchObject({
      outcome: 'accepted',
      rows: { total: 2, accepted: 2, rejected: 0 },
    });
    expect(difference(before, await files('treatment-services', 'referral-outcome'))).toEqual({
      received: 1,
      accepted: 1,
      rowsAccepted: 2,
      referrals: 2,
      'referrals.DRUGS_AND_ALCOHOL': 1,
      'referrals.DRUGS_AND_ALCOHOL.ENGAGED': 1,
      'referrals.HEALTH': 1,
      'referrals.HEALTH.DID_NOT_ATTEND': 1,
      'referralOutcomes.ENGAGED': 1,
      'referralOutcomes.DID_NOT_ATTEND': 1,
    });

    await drops.drop('incoming/treatment-services/referral-outcome/november (copy).csv', csv);
    const { receivedAt, sha256, bytes, ...duplicate } = await drops.report(
      'treatment-services/referral-outcome/november (copy)',
    );
    expect(duplicate).toEqual({
      file: 'incoming/treatment-services/referral-outcome/november (copy).csv',
      partner: 'treatment-services',
      kind: 'referral-outcome',
      outcome: 'duplicate',
      reason: `the same bytes were received before as ${key}`,
      duplicateOf: { file: key, receivedAt: JSON.parse(first!).receivedAt },
      summary: `duplicate of ${key} (received ${JSON.parse(first!).receivedAt}): nothing was applied again`,
      rows: { total: 0, accepted: 0, rejected: 0 },
      warnings: [],
      rejections: [],
      rejectionsNotListed: 0,
    });
    expect(difference(before, await files('treatment-services', 'referral-outcome'))).toMatchObject({
      received: 2,
      accepted: 1,
      duplicate: 1,
      rowsAccepted: 2,
      referrals: 2,
    });
    expect(await drops.text('reports/treatment-services/referral-outcome/november.report.json')).toBe(first);
    expect(gatehouse.deadLetters.partnerDrops.messages).toEqual([]);
  });

  it('moves the counts when a later file reports the same person or referral again, instead of adding to them', async () => {
    await drops.drop(
      'incoming/darlington-housing/accommodation-outcome/night1.csv',
      'prison_number,release_date,local_authority,night1\nR1000AA,2026-12-04,E06000005,NO_FIXED_ABODE\n',
    );
    await drops.drop(
      'incoming/accommodation-providers/accommodation-outcome/week1.csv',
      'prison_number,release_date,local_authority,night1,day7\nR1000AA,2026-12-04,E06000005,TEMPORARY,CAS3\n',
    );
    expect(await totals('family=accommodation&la=E06000005&from=2026-12-04&to=2026-12-04')).toEqual({
      'night1.NO_FIXED_ABODE': 0,
      'night1.TEMPORARY': 1,
      'night1.total': 1,
      'day7.CAS3': 1,
      'day7.total': 1,
    });

    await drops.drop(
      'incoming/treatment-services/referral-outcome/r1.csv',
      'referral_id,service,referral_date,outcome\nR-77,HEALTH,2025-03-03,PENDING\n',
    );
    await drops.drop(
      'incoming/treatment-services/referral-outcome/r2.csv',
      'referral_id,service,referral_date,outcome\nR-77,HEALTH,2025-03-03,ENGAGED\n',
    );
    // Referral counters are dated by the referral; the file's own counters by the day it arrived, which is never 2025-03-03.
    const referralDay = (
      await getJson(
        `${gatehouse.url}/aggregates?family=files&partner=treatment-services&kind=referral-outcome&from=2025-03-03&to=2025-03-03`,
      )
    ).body.totals;
    expect(referralDay).toEqual({
      referrals: 1,
      'referrals.HEALTH': 1,
      'referrals.HEALTH.PENDING': 0,
      'referrals.HEALTH.ENGAGED': 1,
      'referralOutcomes.PENDING': 0,
      'referralOutcomes.ENGAGED': 1,
    });
  });
});

/** What changed between two sets of totals, leaving out what did not. */
function difference(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)])
      .filter(([, v]) => v !== 0),
  );
}

/** The message S3 puts on the queue for an object created under `key`. */
function notification(bucket: string, key: string, sequencer = `${Date.now()}`): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-2',
        eventTime: '2026-11-20T10:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: {
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeS3EventKey(key), size: 10, sequencer },
        },
      },
    ],
  });
}
