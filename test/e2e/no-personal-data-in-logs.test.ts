import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '#commons/powertools';
import { demoOptions, demoRota, playDemo } from '#local/demo';
import { localRouting } from '#local/routing';
import { demoFailedPage, demoMistake, demoPartnerFile, demoWeek } from '#local/demo-scenario';
import { testGatehouse } from '#test-support/gatehouse';

/** Field names whose values identify a person, wherever they appear in the scenario. */
const personalFields = new Set([
  'prisonNumber',
  'crn',
  'name',
  'firstName',
  'lastName',
  'displayName',
  'dateOfBirth',
  'dob',
  'phone',
  'email',
  'address',
]);

function personalValues(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) personalValues(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (personalFields.has(key) && typeof v === 'string' && v.length >= 4) found.add(v);
      else personalValues(v, found);
    }
  }
  return found;
}

describe('logs of the whole demo scenario', () => {
  const lines: string[] = [];
  /** What the demo printed (it plays here anyway): its times are checked below. */
  const printed: string[] = [];
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  const writes = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };

  beforeAll(async () => {
    // Its own S3 emulator: the demo drops a partner file, and only an emulator the runtime runs tells it of puts.
    gatehouse = await testGatehouse({ ...demoOptions, s3Endpoint: undefined });
    logger.setLogLevel('DEBUG');
    // Capture every line any function logs, at the most talkative level.
    const capture = (chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    await playDemo(gatehouse, (line = '') => printed.push(line));
    await gatehouse.settle();
  });

  afterAll(async () => {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    logger.setLogLevel((process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN') as 'WARN');
    await gatehouse.stop();
  });

  it('are produced at all (the capture works)', () => {
    expect(lines.some((l) => l.includes('custody event recorded'))).toBe(true);
  });

  it('contain none of the names, dates of birth, phone numbers, e-mail addresses or prison numbers in the scenario', () => {
    // The released people (prison numbers), the on-call workers (names, phone numbers) and the services' addresses.
    const partnerFileRows = demoPartnerFile.csv
      .split('\r\n')
      .slice(1)
      .map((line) => ({ prisonNumber: line.split(',')[0] }));
    const secrets = [
      ...personalValues([demoWeek, demoMistake, demoFailedPage, demoRota(), localRouting, partnerFileRows]),
    ];
    expect(secrets).toEqual(
      expect.arrayContaining([
        'A1234BC',
        'F6789GH',
        'Sam Okafor',
        '07700900112',
        'housing-options@darlington.example.org',
      ]),
    );
    const leaks = secrets.flatMap((secret) =>
      lines.filter((line) => line.includes(secret)).map((line) => `${secret} in ${line.slice(0, 200)}`),
    );
    expect(leaks).toEqual([]);
  });

  it('(and the demo itself) prints every time on the story clock, Monday 16 to Monday 23 November 2026', () => {
    const stamps = printed.flatMap((line) =>
      [...line.matchAll(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) Nov (\d{2}:\d{2})\b/g)].map((m) =>
        Number(m[2]),
      ),
    );
    expect(stamps.length).toBeGreaterThan(20);
    expect(stamps.filter((day) => day < 16 || day > 23)).toEqual([]);
    // The secondary acknowledges four minutes after the 16:56 sweep: the notice says the story's 17:00.
    expect(printed.some((line) => line.includes('was acknowledged at 17:00 by Alex Reid'))).toBe(true);
    expect(printed.some((line) => /slowest after 20 min/.test(line))).toBe(true);
  });
});
