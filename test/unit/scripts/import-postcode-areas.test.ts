import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPostcodeAreas } from '#local/scripts/import-postcode-areas';
import { parsePostcodeAreas } from '#domain/postcode-areas';

/** A few rows in the ONS Postcode Directory's shape (invented postcodes; only the columns the import reads matter). */
function onspd(rows: [string, string, string?][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'onspd-'));
  const path = join(dir, 'ONSPD_TEST.csv');
  writeFileSync(
    path,
    [
      'pcd,pcds,dointr,doterm,oslaua',
      ...rows.map(([pcds, la, doterm = '']) => `${pcds.replace(' ', '')},${pcds},202001,${doterm},${la}`),
    ].join('\r\n'),
  );
  return path;
}

const darlington = 'E06000005';
const durham = 'E06000047';

describe('importing the ONS Postcode Directory', () => {
  it('keeps a whole district as one entry, a whole sector where the district is cut, and full postcodes where a sector is cut', async () => {
    const csv = onspd([
      ['DL1 1AA', darlington],
      ['DL1 2AB', darlington],
      ['DL2 1AA', darlington],
      ['DL2 1AB', darlington],
      ['DL2 2AA', darlington],
      ['DL2 2AB', durham],
      ['DL2 3AA', durham],
    ]);
    const file = await importPostcodeAreas(csv);
    expect(file.postcodes).toEqual({
      DL1: darlington,
      'DL2 1': darlington,
      'DL2 2AA': darlington,
      'DL2 2AB': durham,
      'DL2 3': durham,
    });
    expect(file.sample).toBe(false);
    expect(file.areas).toEqual({ [darlington]: 'Darlington', [durham]: 'County Durham' });
    const areas = parsePostcodeAreas(file);
    expect(areas.areaOf('DL2 1ZZ')?.code).toBe(darlington);
    expect(areas.areaOf('DL2 2ZZ')).toBeUndefined();
  });

  it('judges a district whole on every row even when it keeps only some areas', async () => {
    const csv = onspd([
      ['TS1 1AA', 'E06000002'],
      ['DL3 1AA', darlington],
      ['DL3 1AB', 'E06000002'],
    ]);
    const file = await importPostcodeAreas(csv, { areas: [darlington] });
    expect(file.postcodes).toEqual({ 'DL3 1AA': darlington });
  });

  it('leaves out terminated postcodes unless asked', async () => {
    const csv = onspd([
      ['DL1 1AA', darlington],
      ['DL1 1AB', durham, '201905'],
    ]);
    expect((await importPostcodeAreas(csv)).postcodes).toEqual({ DL1: darlington });
    expect((await importPostcodeAreas(csv, { includeTerminated: true })).postcodes).toEqual({
      'DL1 1AA': darlington,
      'DL1 1AB': durham,
    });
  });

  it('says what is wrong with a file that is not the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onspd-'));
    writeFileSync(join(dir, 'x.csv'), 'postcode,area\r\nDL1 1AA,E06000005');
    await expect(importPostcodeAreas(join(dir, 'x.csv'))).rejects.toThrow(/no pcds column/);
  });
});
