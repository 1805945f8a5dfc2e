import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BANK_HOLIDAYS_FILE,
  type BankHoliday,
  type Division,
  mergeBankHolidays,
  parseGovUkDownload,
  refreshBankHolidays,
  serialiseDivision,
  summarise,
} from '#local/scripts/refresh-bank-holidays';

const holiday = (date: string, title = 'Bank holiday', notes = ''): BankHoliday => ({
  title,
  date,
  notes,
  bunting: true,
});
const division = (...events: BankHoliday[]): Division => ({ division: 'england-and-wales', events });
/** The eight holidays of a plain year, as gov.uk would list them. */
const year2026 = [
  holiday('2026-01-01', 'New Year’s Day'),
  holiday('2026-04-03', 'Good Friday'),
  holiday('2026-04-06', 'Easter Monday'),
  holiday('2026-05-04', 'Early May bank holiday'),
  holiday('2026-05-25', 'Spring bank holiday'),
  holiday('2026-08-31', 'Summer bank holiday'),
  holiday('2026-12-25', 'Christmas Day'),
  holiday('2026-12-28', 'Boxing Day', 'Substitute day'),
];
const govUkFile = (events: BankHoliday[]) => ({
  'england-and-wales': { division: 'england-and-wales', events },
  scotland: { division: 'scotland', events: [holiday('2026-01-02', '2nd January')] },
  'northern-ireland': { division: 'northern-ireland', events: [holiday('2026-03-17', 'St Patrick’s Day')] },
});

describe('reading a gov.uk bank-holidays download', () => {
  it('takes the England and Wales division and drops Scotland and Northern Ireland', () => {
    expect(parseGovUkDownload(govUkFile(year2026))).toEqual(division(...year2026));
  });

  it('rejects a download that lists fewer than eight holidays in a year, as a truncated file would', () => {
    expect(() => parseGovUkDownload(govUkFile(year2026.slice(0, 7)))).toThrow(/fewer than 8 .* 2026 \(7\)/);
  });

  it('rejects a file without the England and Wales division', () => {
    const { 'england-and-wales': _, ...others } = govUkFile([]);
    expect(() => parseGovUkDownload(others)).toThrow(/england-and-wales/);
  });

  it('rejects an impossible date, naming it', () => {
    expect(() => parseGovUkDownload(govUkFile([...year2026, holiday('2026-02-31')]))).toThrow(/not a date/);
  });

  it('rejects an event missing a field, an empty division, and something that is not a file of divisions', () => {
    const noTitle = { date: '2026-04-03', notes: '', bunting: false };
    expect(() =>
      parseGovUkDownload({ 'england-and-wales': { division: 'england-and-wales', events: [noTitle] } }),
    ).toThrow(/title/);
    expect(() => parseGovUkDownload(govUkFile([]))).toThrow(/england-and-wales/);
    expect(() => parseGovUkDownload([])).toThrow(/not a gov.uk bank-holidays file/);
  });
});

describe('merging a download into the list', () => {
  it('keeps years the download no longer lists', () => {
    const existing = division(holiday('2018-01-01'), holiday('2019-01-01'), holiday('2026-01-01'));
    const merged = mergeBankHolidays(existing, division(holiday('2026-01-01'), holiday('2027-01-01')));
    expect(merged.events.map((h) => h.date)).toEqual([
      '2018-01-01',
      '2019-01-01',
      '2026-01-01',
      '2027-01-01',
    ]);
  });

  it('replaces a listed year whole, so a holiday moved by proclamation leaves no old date behind', () => {
    const existing = division(holiday('2027-05-31', 'Spring bank holiday'), holiday('2027-08-30'));
    const download = division(holiday('2027-06-03', 'Spring bank holiday (moved)'), holiday('2027-08-30'));
    expect(mergeBankHolidays(existing, download).events.map((h) => h.date)).toEqual([
      '2027-06-03',
      '2027-08-30',
    ]);
  });

  it('takes the download’s title and notes for a date both list', () => {
    const merged = mergeBankHolidays(
      division(holiday('2026-12-28', 'Boxing Day')),
      division(holiday('2026-12-28', 'Boxing Day', 'Substitute day')),
    );
    expect(merged.events).toEqual([holiday('2026-12-28', 'Boxing Day', 'Substitute day')]);
  });

  it('keeps future years the download does not reach yet', () => {
    const merged = mergeBankHolidays(division(holiday('2030-12-25')), division(holiday('2026-12-25')));
    expect(merged.events.map((h) => h.date)).toEqual(['2026-12-25', '2030-12-25']);
  });

  it('always gives a sorted list with each date once, every download date kept', () => {
    const dateArb = fc
      .integer({ min: Date.UTC(2015, 0, 1) / 86_400_000, max: Date.UTC(2032, 11, 31) / 86_400_000 })
      .map((n) => holiday(new Date(n * 86_400_000).toISOString().slice(0, 10)));
    fc.assert(
      fc.property(fc.array(dateArb), fc.array(dateArb), (existing, download) => {
        const dates = mergeBankHolidays(division(...existing), division(...download)).events.map(
          (h) => h.date,
        );
        expect(dates).toEqual([...new Set(dates)].sort());
        for (const h of download) expect(dates).toContain(h.date);
        const downloadedYears = new Set(download.map((h) => h.date.slice(0, 4)));
        for (const h of existing)
          if (!downloadedYears.has(h.date.slice(0, 4))) expect(dates).toContain(h.date);
      }),
    );
  });
});

describe('writing the list', () => {
  it('writes one holiday per line and reads back to the same list', () => {
    const list = division(
      holiday('2026-04-03', 'Good Friday'),
      holiday('2026-12-28', 'Boxing Day', 'Substitute day'),
    );
    const text = serialiseDivision(list);
    expect(JSON.parse(text)).toEqual(list);
    expect(text.split('\n').filter((line) => line.includes('"date"'))).toHaveLength(2);
  });

  it('finds the committed bank-holidays.json already in that format, so a refresh diffs only what changed', () => {
    const committed = readFileSync(BANK_HOLIDAYS_FILE, 'utf8');
    expect(serialiseDivision(JSON.parse(committed) as Division)).toBe(committed);
  });

  it('summarises the years covered and the count in one line', () => {
    const merged = division(holiday('2018-01-01'), holiday('2026-01-01'), holiday('2027-01-01'));
    const line = summarise(merged, division(holiday('2026-01-01'), holiday('2027-01-01')));
    expect(line).toBe(
      'bank-holidays.json: 3 England and Wales bank holidays, 2018–2027 (2026–2027 from the download)',
    );
  });

  it('refreshes a list file from a download file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bank-holidays-'));
    const target = join(dir, 'bank-holidays.json');
    const download = join(dir, 'download.json');
    writeFileSync(
      target,
      serialiseDivision(division(holiday('2019-12-25'), holiday('2026-05-26', 'Wrong day'))),
    );
    writeFileSync(download, JSON.stringify(govUkFile(year2026)));
    expect(refreshBankHolidays(download, target)).toBe(
      'bank-holidays.json: 9 England and Wales bank holidays, 2019–2026 (2026 from the download)',
    );
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual(division(holiday('2019-12-25'), ...year2026));
  });

  it('leaves the list untouched when the download is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bank-holidays-'));
    const target = join(dir, 'bank-holidays.json');
    const download = join(dir, 'download.json');
    const before = serialiseDivision(division(holiday('2026-05-25')));
    writeFileSync(target, before);
    writeFileSync(download, '<html>rate limited</html>');
    expect(() => refreshBankHolidays(download, target)).toThrow(/cannot read .*download\.json as JSON/);
    expect(readFileSync(target, 'utf8')).toBe(before);
  });
});
