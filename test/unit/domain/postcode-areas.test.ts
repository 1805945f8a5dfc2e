import { describe, expect, it } from 'vitest';
import {
  normalisePostcode,
  parsePostcodeAreas,
  PostcodeAreasError,
  postcodeAreasFormat,
} from '#domain/postcode-areas';
import { checkPostcodeAreas, postcodeAreas } from '#adapters/postcode-areas';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = (postcodes: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  format: postcodeAreasFormat,
  source: 'test',
  sample: true,
  areas: { E06000005: 'Darlington', E06000047: 'County Durham' },
  postcodes,
  ...extra,
});

describe('the postcode lookup', () => {
  it('finds a full postcode however it is written', () => {
    const areas = parsePostcodeAreas(file({ 'DL1 4PQ': 'E06000005' }));
    expect(areas.areaOf('dl14pq')).toEqual({ code: 'E06000005', name: 'Darlington', by: 'postcode' });
    expect(areas.areaOf('  DL1   4PQ ')).toMatchObject({ code: 'E06000005' });
  });

  it('falls back to the sector, then the district, when the file says the whole of it is in one area', () => {
    const areas = parsePostcodeAreas(
      file({ 'DL1 1': 'E06000005', DH1: 'E06000047', 'DH1 9ZZ': 'E06000005' }),
    );
    expect(areas.areaOf('DL1 1QX')).toMatchObject({ code: 'E06000005', by: 'sector' });
    expect(areas.areaOf('DH1 3AB')).toMatchObject({ code: 'E06000047', by: 'district' });
    // A full postcode listed beside its district is more specific and wins.
    expect(areas.areaOf('DH1 9ZZ')).toMatchObject({ code: 'E06000005', by: 'postcode' });
  });

  it('never guesses: a postcode outside the lookup, a neighbouring sector or a partial postcode has no area', () => {
    const areas = parsePostcodeAreas(file({ 'DL1 1': 'E06000005' }));
    expect(areas.areaOf('DL1 2AB')).toBeUndefined();
    expect(areas.areaOf('DL11 1AB')).toBeUndefined();
    expect(areas.areaOf('TS1 1AA')).toBeUndefined();
    expect(areas.areaOf('DL1')).toBeUndefined();
    expect(areas.areaOf('not a postcode')).toBeUndefined();
  });

  it('names each bad entry and what was expected', () => {
    expect(() =>
      parsePostcodeAreas(file({ 'dl1 1aa': 'E06000005', 'DL1 4PQ': 'E06000099', 'DL1-1': 'E06000005' })),
    ).toThrow(
      /postcodes\.dl1 1aa: write it as "DL1 1AA"; postcodes\.DL1 4PQ: E06000099 is not one of the file's areas; postcodes\.DL1-1: not a postcode/,
    );
    expect(() => parsePostcodeAreas(file({}, { format: 'csv' }))).toThrow(PostcodeAreasError);
    expect(() => parsePostcodeAreas(file({}, { areas: { Darlington: 'E06000005' } }))).toThrow(
      /areas.Darlington/,
    );
  });

  it('finds an area by its name, as CAS3 gives it', () => {
    const areas = parsePostcodeAreas(file({}));
    expect(areas.codeNamed('county durham')).toBe('E06000047');
    expect(areas.codeNamed('Darlington ')).toBe('E06000005');
    expect(areas.codeNamed('Durham')).toBeUndefined();
  });

  it('normalises postcodes to upper case with one space', () => {
    expect(normalisePostcode('dh97xx')).toBe('DH9 7XX');
    expect(normalisePostcode('SW1A1AA')).toBe('SW1A 1AA');
    expect(normalisePostcode('DH9')).toBeUndefined();
  });
});

describe('the shipped lookup', () => {
  it('is a valid sample covering the demo and fixture areas', () => {
    const areas = postcodeAreas();
    expect(areas.sample).toBe(true);
    expect(areas.areaOf('DL1 1AB')?.code).toBe('E06000005');
    expect(areas.areaOf('DH1 3NJ')?.code).toBe('E06000047');
  });

  it('passes the synth check where the stage allows the sample, and is refused where it does not', () => {
    expect(checkPostcodeAreas(undefined, { allowSample: true }).size.postcodes).toBeGreaterThan(0);
    expect(() => checkPostcodeAreas(undefined, { allowSample: false })).toThrow(
      /is the repository's sample.*postcode-areas:import/,
    );
  });

  it('refuses at synth a file that is not JSON, naming the file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'postcodes-')), 'broken.json');
    writeFileSync(path, '{ "format": ');
    expect(() => checkPostcodeAreas(path, { allowSample: true })).toThrow(
      /broken\.json cannot be read as JSON/,
    );
  });
});
