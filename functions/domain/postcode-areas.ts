/**
 * Which local authority a postcode lies in, from a lookup the deployment supplies.
 *
 * The ONS Postcode Directory (ONSPD) is the source of truth, but it cannot be downloaded from where Gatehouse is
 * built, and at 2.7 million rows it is too big to ship whole. So the deployment imports it
 * (`npm run postcode-areas:import -- ONSPD.csv`), which writes this file format:
 *
 * ```json
 * { "format": "gatehouse.postcode-areas.v1",
 *   "source": "ONSPD February 2026",          // what it was made from, in words
 *   "sample": false,                           // true only for the sample shipped in the repository
 *   "areas": { "E06000005": "Darlington" },    // ONS local-authority code -> name
 *   "postcodes": { "DL1 1AA": "E06000005",     // a full postcode,
 *                  "DL3 0": "E06000005",       // a sector: every postcode of it is in that area,
 *                  "DL1": "E06000005" } }      // a district: every postcode of it is in that area
 * ```
 *
 * A sector or district appears only when every postcode of it in the source lies in the same authority: the
 * importer collapses unanimous groups and keeps full postcodes where a boundary cuts through. Looking up tries the
 * full postcode, then its sector, then its district. A postcode none of them covers is "area not known": never the
 * nearest match, never a guess.
 */
import * as z from 'zod';

export const postcodeAreasFormat = 'gatehouse.postcode-areas.v1';

/** The outward code (district) and the sector digit of a UK postcode, normalised to upper case with one space. */
const FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$/;
const SECTOR = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$/;
const DISTRICT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

const onsCode = z.string().regex(/^[EWSN][0-9]{8}$/, 'an ONS local-authority code such as E06000005');

const postcodeAreasSchema = z.object({
  format: z.literal(postcodeAreasFormat),
  source: z.string().min(1).max(500),
  sample: z.boolean(),
  areas: z.record(onsCode, z.string().min(1).max(100)),
  postcodes: z.record(z.string(), onsCode),
});

export type PostcodeAreasFile = z.infer<typeof postcodeAreasSchema>;

export interface PostcodeAreas {
  source: string;
  sample: boolean;
  /** How many full postcodes, sectors and districts the lookup holds. */
  size: { postcodes: number; sectors: number; districts: number };
  /** The area of a postcode, and how it was found; `undefined` when the lookup does not cover it. */
  areaOf(postcode: string): AreaMatch | undefined;
  /** The ONS code of an authority named exactly (case and spacing aside), e.g. "Darlington"; undefined otherwise. */
  codeNamed(name: string): string | undefined;
  nameOf(code: string): string | undefined;
}

export interface AreaMatch {
  code: string;
  name: string;
  /** What matched: the full postcode, its sector or its district. */
  by: 'postcode' | 'sector' | 'district';
}

export class PostcodeAreasError extends Error {
  override name = 'PostcodeAreasError';
}

/** A postcode as the lookup keys it ("dl11aa" -> "DL1 1AA"), or undefined when it is not a full UK postcode. */
export function normalisePostcode(raw: string): string | undefined {
  const m = FULL.exec(raw.toUpperCase().replace(/\s+/g, ' ').trim());
  return m ? `${m[1]} ${m[2]}${m[3]}` : undefined;
}

/**
 * Checks a lookup file and builds the lookup. Every problem is named (the key and what was expected), up to
 * twenty, so a bad import fails at synth with something a person can fix.
 */
export function parsePostcodeAreas(input: unknown): PostcodeAreas {
  const parsed = postcodeAreasSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 20)
      .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new PostcodeAreasError(
      `the postcode lookup is not a ${postcodeAreasFormat} file: ${issues.join('; ')}`,
    );
  }
  const file = parsed.data;
  const problems: string[] = [];
  const entries = new Map<string, string>();
  const size = { postcodes: 0, sectors: 0, districts: 0 };
  for (const [key, code] of Object.entries(file.postcodes)) {
    const full = normalisePostcode(key);
    const shape = full
      ? 'postcodes'
      : SECTOR.test(key)
        ? 'sectors'
        : DISTRICT.test(key)
          ? 'districts'
          : undefined;
    if (!shape)
      problems.push(`postcodes.${key}: not a postcode, sector ("DL1 1") or district ("DL1") in upper case`);
    else if (full && full !== key) problems.push(`postcodes.${key}: write it as "${full}"`);
    else if (!(code in file.areas)) problems.push(`postcodes.${key}: ${code} is not one of the file's areas`);
    else {
      entries.set(key, code);
      size[shape] += 1;
    }
  }
  if (problems.length > 0) {
    throw new PostcodeAreasError(
      `the postcode lookup has ${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}: ${problems.slice(0, 20).join('; ')}`,
    );
  }
  const byName = new Map(Object.entries(file.areas).map(([code, name]) => [squash(name), code]));
  return {
    source: file.source,
    sample: file.sample,
    size,
    areaOf(postcode) {
      const full = normalisePostcode(postcode);
      if (!full) return undefined;
      const [district, inward] = full.split(' ') as [string, string];
      const tries = [
        [full, 'postcode'],
        [`${district} ${inward[0]}`, 'sector'],
        [district, 'district'],
      ] as const;
      for (const [key, by] of tries) {
        const code = entries.get(key);
        if (code) return { code, name: file.areas[code]!, by };
      }
      return undefined;
    },
    codeNamed: (name) => byName.get(squash(name)),
    nameOf: (code) => file.areas[code],
  };
}

function squash(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
