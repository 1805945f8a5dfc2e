/**
 * The postcode lookup this deployment ships (functions/commons/postcode-areas.json, which this adapter reads; format and rules in
 * domain/postcode-areas.ts). The repository holds a small sample marked `"sample": true`;
 * `npm run postcode-areas:import -- <ONSPD csv>` replaces it with one made from the ONS Postcode Directory.
 * The CDK app calls `checkPostcodeAreas` at synth, so a broken file (or the sample, in production) never deploys.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import file from '../commons/postcode-areas.json' with { type: 'json' };
import { parsePostcodeAreas, type PostcodeAreas } from '#domain/postcode-areas';

export const POSTCODE_AREAS_FILE = fileURLToPath(new URL('../commons/postcode-areas.json', import.meta.url));

let parsed: PostcodeAreas | undefined;

/** The bundled lookup, checked once per process. */
export function postcodeAreas(): PostcodeAreas {
  parsed ??= parsePostcodeAreas(file);
  return parsed;
}

/**
 * Reads and checks a lookup file, as synth does; refuses the sample unless `allowSample`. Returns what a person
 * deploying wants to see: the source and how much it covers.
 */
export function checkPostcodeAreas(
  path: string = POSTCODE_AREAS_FILE,
  options: { allowSample: boolean },
): PostcodeAreas {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`the postcode lookup ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  const areas = parsePostcodeAreas(json);
  if (areas.sample && !options.allowSample) {
    throw new Error(
      `the postcode lookup ${path} is the repository's sample, not the ONS Postcode Directory: run npm run postcode-areas:import -- <ONSPD csv> before deploying this stage`,
    );
  }
  return areas;
}
