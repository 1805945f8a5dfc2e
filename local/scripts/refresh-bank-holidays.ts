/**
 * Refreshes functions/domain/bank-holidays.json from a file downloaded from
 * https://www.gov.uk/bank-holidays.json (the run itself needs no network):
 *
 *   npx tsx local/scripts/refresh-bank-holidays.ts ~/Downloads/bank-holidays.json
 *
 * gov.uk lists only a window of years, so a year the download lists replaces that year whole
 * (a moved holiday must not leave its old date behind) and every other year is kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod';
import { isLocalDate } from '#domain/calendar';

const bankHolidaySchema = z.object({
  title: z.string().min(1),
  date: z.string().refine(isLocalDate, { message: 'is not a date (expected YYYY-MM-DD)' }),
  notes: z.string(),
  bunting: z.boolean(),
});

export const divisionSchema = z.object({
  division: z.literal('england-and-wales'),
  events: z.array(bankHolidaySchema),
});

/** The whole gov.uk file; Scotland and Northern Ireland are checked for shape only, then dropped. */
const govUkSchema = z.object({
  'england-and-wales': divisionSchema.extend({ events: z.array(bankHolidaySchema).min(1) }),
  scotland: z.object({ division: z.literal('scotland'), events: z.array(z.unknown()) }).optional(),
  'northern-ireland': z
    .object({ division: z.literal('northern-ireland'), events: z.array(z.unknown()) })
    .optional(),
});

export type BankHoliday = z.infer<typeof bankHolidaySchema>;
export type Division = z.infer<typeof divisionSchema>;

export const BANK_HOLIDAYS_FILE = fileURLToPath(
  new URL('../../functions/domain/bank-holidays.json', import.meta.url),
);

const yearOf = (h: BankHoliday): string => h.date.slice(0, 4);

// Every England and Wales year since 1978 has had at least eight (New Year, Good Friday, Easter Monday,
// early May, spring, summer, Christmas, Boxing Day); fewer means a truncated download, which would
// otherwise replace a good year with half of one.
const FEWEST_IN_A_YEAR = 8;

/** The England and Wales division of a gov.uk download, or an error saying what is wrong with it. */
export function parseGovUkDownload(json: unknown): Division {
  const result = govUkSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`not a gov.uk bank-holidays file:\n${z.prettifyError(result.error)}`);
  }
  const division = result.data['england-and-wales'];
  const perYear = new Map<string, number>();
  for (const h of division.events) perYear.set(yearOf(h), (perYear.get(yearOf(h)) ?? 0) + 1);
  const short = [...perYear]
    .filter(([, count]) => count < FEWEST_IN_A_YEAR)
    .map(([year, count]) => `${year} (${count})`);
  if (short.length > 0) {
    throw new Error(
      `the download lists fewer than ${FEWEST_IN_A_YEAR} England and Wales bank holidays for ${short.join(', ')}; is it complete?`,
    );
  }
  return division;
}

export function mergeBankHolidays(existing: Division, download: Division): Division {
  const downloadedYears = new Set(download.events.map(yearOf));
  const byDate = new Map<string, BankHoliday>();
  for (const h of existing.events)
    if (!downloadedYears.has(yearOf(h)) && !byDate.has(h.date)) byDate.set(h.date, h);
  for (const h of download.events) if (!byDate.has(h.date)) byDate.set(h.date, h);
  const events = [...byDate.values()]
    .map(({ title, date, notes, bunting }) => ({ title, date, notes, bunting }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { division: 'england-and-wales', events };
}

/** One event per line, so a refresh shows up in review as the lines that changed. */
export function serialiseDivision(division: Division): string {
  const lines = division.events.map((h) => `    ${JSON.stringify(h)}`);
  return `{\n  "division": ${JSON.stringify(division.division)},\n  "events": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

function yearRange(events: readonly BankHoliday[]): string {
  const years = [...new Set(events.map(yearOf))].sort();
  const first = years[0] ?? '';
  const last = years[years.length - 1] ?? '';
  return first === last ? first : `${first}–${last}`;
}

export function summarise(division: Division, download: Division): string {
  return (
    `bank-holidays.json: ${division.events.length} England and Wales bank holidays, ` +
    `${yearRange(division.events)} (${yearRange(download.events)} from the download)`
  );
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path} as JSON: ${(error as Error).message}`);
  }
}

/** Merges the download at `downloadPath` into the list at `targetPath`; returns the summary line. */
export function refreshBankHolidays(downloadPath: string, targetPath: string): string {
  const download = parseGovUkDownload(readJson(downloadPath));
  const existing = divisionSchema.safeParse(readJson(targetPath));
  if (!existing.success)
    throw new Error(`${targetPath} is not a bank-holiday list:\n${z.prettifyError(existing.error)}`);
  const merged = mergeBankHolidays(existing.data, download);
  writeFileSync(targetPath, serialiseDivision(merged));
  return summarise(merged, download);
}

function main(argv: readonly string[]): number {
  const source = argv[0];
  if (!source) {
    console.error(
      'usage: npx tsx local/scripts/refresh-bank-holidays.ts <downloaded gov.uk bank-holidays.json>',
    );
    return 2;
  }
  try {
    console.log(refreshBankHolidays(source, BANK_HOLIDAYS_FILE));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
