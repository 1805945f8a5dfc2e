import { describe, expect, it } from 'vitest';
import { readCsv } from '#domain/partner-files/csv-text';
import { destinations } from '#adapters/s3/drop-layout';
import { locateDrop } from '#domain/partner-files/drop';
import { accommodationOutcome } from '#domain/partner-files/effects';
import { matchHeader, readRow } from '#domain/partner-files/header';
import { csvCell, reportCsv, type FileReport } from '#domain/partner-files/report';
import { csvCell as exportCsvCell } from '#domain/csv';
import { accommodationOutcomeRow } from '#domain/partner-files/rows';
import { parseS3Notification, encodeS3EventKey } from '#handlers/partner-drop';

async function records(...chunks: (string | Uint8Array)[]) {
  const reading = readCsv(
    (async function* () {
      for (const c of chunks) yield typeof c === 'string' ? new TextEncoder().encode(c) : c;
    })(),
    { maxBytes: 1024 },
  );
  const out = [];
  for await (const r of reading.records) out.push(r);
  return { records: out, digest: reading.digest() };
}

describe('reading a partner file as it streams', () => {
  it('numbers records by the line they start on, across quoted newlines, blank lines and a BOM', async () => {
    const { records: rows, digest } = await records('\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n,\r\n2,3\r\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x\r\ny'] },
      { line: 6, cells: ['2', '3'] },
    ]);
    expect(digest.bytes).toBe(28);
    expect(digest.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a UTF-8 character split between two chunks and names a bad byte by its line', async () => {
    const pound = new TextEncoder().encode('a\n£\n');
    expect((await records(pound.subarray(0, 3), pound.subarray(3))).records).toEqual([
      { line: 1, cells: ['a'] },
      { line: 2, cells: ['£'] },
    ]);
    await expect(records('a\nb\n', new Uint8Array([0x63, 0xe9, 0x0a]))).rejects.toThrow(
      'line 3 has the byte 0xE9',
    );
    await expect(records(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).rejects.toThrow(
      'line 1 has the byte 0xED',
    ); // a UTF-16 surrogate, which UTF-8 may not encode
  });

  it('stops at the size limit without reading further', async () => {
    await expect(records('x'.repeat(1000), 'y'.repeat(100))).rejects.toThrow(
      'the file is larger than the limit of 1 KB',
    );
  });
});

describe('the header and rows of a kind', () => {
  it('matches columns ignoring case, spaces, hyphens and underscores, and warns about columns it does not know', () => {
    const match = matchHeader('accommodation-outcome', [
      'Prison Number',
      'RELEASE-DATE',
      'local_authority',
      'Night 1',
      'comments',
    ]);
    expect(match).toEqual({
      ok: true,
      header: {
        kind: 'accommodation-outcome',
        positions: ['prison_number', 'release_date', 'local_authority', 'night1', undefined],
        warnings: ["column 'comments' (column 5) is not part of accommodation-outcome and was ignored"],
      },
    });
  });

  it('refuses a header that names a column twice', () => {
    expect(
      matchHeader('referral-outcome', ['referral_id', 'Referral ID', 'service', 'referral_date', 'outcome']),
    ).toMatchObject({ ok: false, reason: "the header names 'referral_id' more than once" });
  });

  it('refuses a row with more or fewer cells than the header, but not trailing empty cells', () => {
    const match = matchHeader('referral-outcome', ['referral_id', 'service', 'referral_date', 'outcome']);
    if (!match.ok) throw new Error('header');
    expect(readRow(match.header, 4, ['R-1', 'HEALTH', '2026-11-16'])).toEqual({
      ok: false,
      rejections: [{ line: 4, column: '', value: '', reason: 'the row has 3 cells where the header has 4' }],
    });
    expect(readRow(match.header, 5, ['R-1', 'health', '2026-11-16', 'did not attend', '', ''])).toEqual({
      ok: true,
      row: { referral_id: 'R-1', service: 'HEALTH', referral_date: '2026-11-16', outcome: 'DID_NOT_ATTEND' },
    });
  });
});

describe('tracked accommodation outcomes', () => {
  it('keeps a checkpoint an earlier file reported when a later file leaves it empty', () => {
    const row = (cells: Record<string, string>) =>
      accommodationOutcomeRow.parse({
        prison_number: 'A1234BC',
        release_date: '2026-11-20',
        local_authority: 'E06000005',
        ...cells,
      });
    const first = accommodationOutcome(row({ night1: 'NO_FIXED_ABODE' })).next(undefined);
    const second = accommodationOutcome(row({ day7: 'CAS3' })).next(first);
    expect(second.contribution).toEqual([
      {
        family: 'accommodation',
        dimensions: { la: 'E06000005' },
        date: '2026-11-20',
        counts: { 'night1.NO_FIXED_ABODE': 1, 'night1.total': 1, 'day7.CAS3': 1, 'day7.total': 1 },
      },
    ]);
  });
});

describe('where a dropped file belongs', () => {
  it('reads partner, kind and name from incoming/{partnerId}/{kind}/{name}', () => {
    expect(locateDrop('incoming/durham-housing/on-call-rota/sub/rota.csv')).toMatchObject({
      ok: true,
      kind: 'on-call-rota',
      name: 'sub/rota.csv',
      partner: { id: 'durham-housing' },
    });
    expect(
      destinations({ partnerId: 'durham-housing', kind: 'on-call-rota', name: 'rota.csv' }, '2026-11-20'),
    ).toEqual({
      reportJson: 'reports/durham-housing/on-call-rota/rota.report.json',
      reportCsv: 'reports/durham-housing/on-call-rota/rota.report.csv',
      quarantine: 'quarantine/durham-housing/on-call-rota/rota.csv',
      archive: 'archive/durham-housing/on-call-rota/2026-11-20/rota.csv',
    });
  });

  it.each([
    ['incoming/durham-housing/on-call-rota/../../reports/probation-durham/x.csv', "'..' path segment"],
    ['incoming/durham-housing/on-call-rota/./rota.csv', "'.' or '..' path segment"],
    ['incoming/durham-housing/on-call-rota/a//rota.csv', 'empty'],
    ['incoming/durham-housing/on-call-rota/rota\u0000.csv', 'control character'],
    ['incoming/durham-housing/on-call-rota/rota\n.csv', 'control character'],
    ['incoming/durham-housing/on-call-rota/Cafe\u0301.csv', 'normal form C'],
  ])('refuses the partner key %j, and files its report under a harmless name (21)', (key, reason) => {
    const location = locateDrop(key);
    expect(location).toMatchObject({
      ok: false,
      partnerId: 'durham-housing',
      reason: expect.stringContaining(reason),
    });
    const { reportJson, quarantine } = destinations(
      location as { partnerId: string; kind: string; name: string },
      '2026-11-20',
    );
    for (const path of [reportJson, quarantine]) {
      expect(path.split('/')).not.toContain('..');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is that no control character is left
      expect(path).not.toMatch(/[\u0000-\u001f]/);
      expect(path.normalize('NFC')).toBe(path);
    }
  });

  it('files reports of a partner id that is not a safe name under _unknown', () => {
    expect(locateDrop('incoming/../etc/x.csv')).toMatchObject({
      ok: false,
      partnerId: '_unknown',
      reason: "'..' is not a registered partner",
    });
  });

  it('decodes keys as S3 encodes them in notifications: URL-encoded, with + for a space', () => {
    const key = 'incoming/durham-housing/on-call-rota/week 48 + 49 (v2)£.csv';
    expect(encodeS3EventKey(key)).toBe('incoming/durham-housing/on-call-rota/week+48+%2B+49+(v2)%C2%A3.csv');
    const body = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: '2026-11-20T10:00:00.000Z',
          s3: { bucket: { name: 'b' }, object: { key: encodeS3EventKey(key), size: 5, sequencer: '01' } },
        },
      ],
    });
    expect(parseS3Notification(body, 'b')).toEqual({
      ok: true,
      objects: [{ key, size: 5, sequencer: '01', receivedAt: '2026-11-20T10:00:00.000Z' }],
    });
    expect(parseS3Notification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }), 'b')).toEqual(
      { ok: true, objects: [] },
    );
    expect(parseS3Notification('{"Records": 3}', 'b')).toEqual({
      ok: false,
      errors: [{ path: 'Records', expected: 'an S3 event notification with a Records array' }],
    });
  });
});

describe('the CSV report', () => {
  it('escapes values a spreadsheet would run as formulas (= + - @ tab CR) and quotes as CSV requires', () => {
    expect(
      ['=HYPERLINK("x")', '+447700900123', '-2+3', '@SUM(A1)', '\tx', '\rx', 'plain', 'a,b'].map(csvCell),
    ).toEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+447700900123",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      'plain',
      '"a,b"',
    ]);
    // One escaping function for reports and exports alike (issue 15, 14).
    expect(csvCell).toBe(exportCsvCell);
  });

  it('has a line for the outcome, each warning and each refused cell', () => {
    const report: FileReport = {
      file: 'incoming/p/k/f.csv',
      partner: 'p',
      kind: 'k',
      receivedAt: '2026-11-20T10:00:00Z',
      outcome: 'partiallyAccepted',
      rows: { total: 2, accepted: 1, rejected: 1 },
      warnings: ["column 'x' (column 3) is not part of k and was ignored"],
      rejections: [
        {
          line: 3,
          column: 'address',
          value: '=cmd|calc',
          reason: 'expected an e-mail address (channel is email)',
        },
      ],
      rejectionsNotListed: 0,
    };
    expect(reportCsv(report)).toBe(
      [
        'type,line,column,value,message',
        'outcome,,,partiallyAccepted,"partially accepted: 1 of 2 rows accepted, 1 rejected"',
        "warning,,,,column 'x' (column 3) is not part of k and was ignored",
        "rejected,3,address,'=cmd|calc,expected an e-mail address (channel is email)",
        '',
      ].join('\r\n'),
    );
  });
});
