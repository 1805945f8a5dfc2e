/**
 * The README's shell examples answer what the README says they answer: every `npm run` script it names exists,
 * the custody event it posts gets the reply written beside it, every local GET it shows answers 200, and the
 * partner file it drops is what its figures query then counts. Played against a test Gatehouse (the README's
 * `localhost:3000` is its URL here).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, testGatehouse } from '#test-support/gatehouse';
import { partnerDrops } from '#test-support/partner-drops';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
);
/** The lines of the README's ```sh blocks, continuation lines joined. */
const shellLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
  .filter(Boolean);

describe("the README's examples", () => {
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  const local = (path: string) => `${gatehouse.url}${path}`;

  beforeAll(async () => {
    // Its own S3 emulator: the partner-file example needs the put notifications only the runtime's emulator gives.
    gatehouse = await testGatehouse({ s3Endpoint: undefined, sweepEveryMs: 0 });
  });
  afterAll(() => gatehouse?.stop());

  it('name only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('post the example custody event and get the answer written beside it', async () => {
    const line = shellLines.find((l) => l.includes('-X POST') && l.includes('/custody-events'))!;
    const [, file, status, body] = /-d @(\S+)\s+#\s*(\d{3}) (\{.*\})/.exec(line)!;
    const response = await fetch(local('/custody-events'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFileSync(join(root, file!)),
    });
    expect(response.status).toBe(Number(status));
    expect(await response.json()).toEqual(JSON.parse(body!));
    await gatehouse.settle();
  });

  it('show local GETs that all answer 200', async () => {
    const paths = shellLines.flatMap((l) =>
      [...l.matchAll(/curl -s '?localhost:3000(\/[^\s']*)'?/g)].map((m) => m[1]!),
    );
    expect(paths).toEqual(expect.arrayContaining(['/cases/A1234BC', '/alerts', '/health']));
    for (const path of paths) expect((await fetch(local(path))).status, path).toBe(200);
  });

  it('drop a partner file and then query the figures of the partner that dropped it', async () => {
    const [, partner, kind, file] = /npm run drop -- (\S+) (\S+) (\S+)/.exec(
      shellLines.find((l) => l.includes('npm run drop --'))!,
    )!;
    const query = /localhost:3000(\/aggregates\?family=files[^\s']*)/.exec(
      shellLines.find((l) => l.includes('family=files'))!,
    )![1]!;
    expect(new URLSearchParams(query.split('?')[1]).get('partner')).toBe(partner);

    const drops = partnerDrops(gatehouse);
    await drops.drop(`incoming/${partner}/${kind}/${basename(file!)}`, readFileSync(join(root, file!)));
    drops.close();
    const { status, body } = await getJson(local(query));
    expect(status).toBe(200);
    expect(body.totals).toMatchObject({ received: 1, accepted: 1 });
  });
});
