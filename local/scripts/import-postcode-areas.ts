/**
 * Makes the postcode lookup (functions/commons/postcode-areas.json) from the ONS Postcode Directory, which the
 * deployment downloads itself (https://geoportal.statistics.gov.uk, "ONS Postcode Directory", the CSV):
 *
 *   npm run postcode-areas:import -- ONSPD_FEB_2026_UK.csv [--areas E06000005,E06000047] [--names LAD_names.csv]
 *                                     [--la-column oslaua] [--include-terminated] [--out path.json]
 *
 * The CSV needs `pcds` (the postcode) and a local-authority column (`oslaua`, or `lad<yy>cd` in newer releases;
 * found by itself, or named with --la-column). Terminated postcodes (`doterm` set) are left out unless asked.
 * A district or sector whose every postcode lies in one authority becomes one entry; full postcodes are kept
 * only where a boundary cuts through. `--areas` keeps only entries in those authorities (the partnership's, say);
 * whether a district is whole is still judged on every row. `--names` reads a code,name CSV (ONS's LAD names).
 * The file is checked (domain/postcode-areas.ts) before it is written.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import { POSTCODE_AREAS_FILE } from '#adapters/postcode-areas';
import { localAuthorityName } from '#domain/places';
import {
  normalisePostcode,
  parsePostcodeAreas,
  postcodeAreasFormat,
  type PostcodeAreasFile,
} from '#domain/postcode-areas';

export interface ImportOptions {
  areas?: string[];
  laColumn?: string;
  includeTerminated?: boolean;
  names?: Record<string, string>;
}

const MIXED = '*';

export async function importPostcodeAreas(
  csvPath: string,
  options: ImportOptions = {},
): Promise<PostcodeAreasFile> {
  const wanted = options.areas?.length ? new Set(options.areas) : undefined;
  const districts = new Map<string, string>();
  const sectors = new Map<string, string>();
  const postcodesBySector = new Map<string, [string, string][]>();
  let laColumn = options.laColumn;
  let rows = 0;
  let line = 1;

  const parser = createReadStream(csvPath).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }),
  );
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    if (rows === 0 && line === 2) {
      const headers = Object.keys(row);
      if (!headers.includes('pcds'))
        throw new Error(
          `${basename(csvPath)} has no pcds column (it has ${headers.slice(0, 8).join(', ')}…): is it the ONS Postcode Directory CSV?`,
        );
      laColumn ??= headers.find((h) => /^(oslaua|lad\d{2}cd)$/i.test(h));
      if (!laColumn || !headers.includes(laColumn))
        throw new Error(
          `${basename(csvPath)} has no local-authority column (oslaua or lad<yy>cd): name it with --la-column`,
        );
    }
    if (!options.includeTerminated && row.doterm) continue;
    const postcode = normalisePostcode(row.pcds ?? '');
    const la = row[laColumn!] ?? '';
    // Rows without an authority (e.g. the Channel Islands' pseudo-codes) cannot place anyone.
    if (!postcode || !/^[EWSN][0-9]{8}$/.test(la)) continue;
    rows += 1;
    const [district, inward] = postcode.split(' ') as [string, string];
    const sector = `${district} ${inward[0]}`;
    note(districts, district, la);
    note(sectors, sector, la);
    if (!wanted || wanted.has(la)) {
      const list = postcodesBySector.get(sector) ?? [];
      list.push([postcode, la]);
      postcodesBySector.set(sector, list);
    }
  }
  if (rows === 0) throw new Error(`${basename(csvPath)} has no postcode with a local authority`);

  const keep = (la: string) => la !== MIXED && (!wanted || wanted.has(la));
  const postcodes: Record<string, string> = {};
  for (const [district, la] of districts) if (keep(la)) postcodes[district] = la;
  for (const [sector, la] of sectors) {
    const district = sector.split(' ')[0]!;
    if (districts.get(district) !== MIXED) continue;
    if (keep(la)) postcodes[sector] = la;
    else if (la === MIXED)
      for (const [postcode, code] of postcodesBySector.get(sector) ?? []) postcodes[postcode] = code;
  }
  const used = [...new Set(Object.values(postcodes))].sort();
  const file: PostcodeAreasFile = {
    format: postcodeAreasFormat,
    source: `${basename(csvPath)} (ONS Postcode Directory), ${rows} postcodes read${options.includeTerminated ? ', terminated included' : ''}${wanted ? `, kept for ${[...wanted].join(', ')}` : ''}`,
    sample: false,
    areas: Object.fromEntries(used.map((code) => [code, options.names?.[code] ?? localAuthorityName(code)])),
    postcodes: Object.fromEntries(Object.entries(postcodes).sort(([a], [b]) => a.localeCompare(b))),
  };
  parsePostcodeAreas(file);
  return file;
}

function note(map: Map<string, string>, key: string, la: string): void {
  const seen = map.get(key);
  if (seen === undefined) map.set(key, la);
  else if (seen !== la) map.set(key, MIXED);
}

/** A code,name CSV (ONS "LAD23CD,LAD23NM"): the first column ending in CD and the first ending in NM. */
export async function readNames(csvPath: string): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const parser = createReadStream(csvPath).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }),
  );
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const code = Object.keys(row).find((h) => /cd$/i.test(h));
    const name = Object.keys(row).find((h) => /nm$/i.test(h));
    if (!code || !name)
      throw new Error(`${basename(csvPath)} needs a code column (…CD) and a name column (…NM)`);
    names[row[code]!] = row[name]!;
  }
  return names;
}

async function main(args: string[]): Promise<void> {
  const csv = args.find(
    (a, i) => !a.startsWith('--') && !args[i - 1]?.match(/^--(areas|names|la-column|out)$/),
  );
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!csv) {
    console.error(
      'usage: npm run postcode-areas:import -- <ONSPD csv> [--areas E06000005,E06000047] [--names names.csv] [--la-column oslaua] [--include-terminated] [--out file.json]',
    );
    process.exit(2);
  }
  const namesFile = flag('names');
  const laColumn = flag('la-column');
  const file = await importPostcodeAreas(csv, {
    ...(flag('areas') ? { areas: flag('areas')!.split(',') } : {}),
    ...(laColumn ? { laColumn } : {}),
    includeTerminated: args.includes('--include-terminated'),
    ...(namesFile ? { names: await readNames(namesFile) } : {}),
  });
  const out = flag('out') ?? POSTCODE_AREAS_FILE;
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  const size = parsePostcodeAreas(file).size;
  console.log(
    `${out}: ${size.districts} districts, ${size.sectors} sectors and ${size.postcodes} postcodes in ${Object.keys(file.areas).length} areas`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
