/**
 * `npm run test:any-date [-- --unit]`: the suites on dates other than today. The unit suite runs under
 * faketime (the whole process believes it is that instant); so do the integration and e2e suites, except DynamoDB
 * Local's JVM, which hangs under faketime and is started on real time. `--unit` runs only the unit part (what
 * .ci/run does).
 */
import { spawnSync } from 'node:child_process';

/** Europe/London wall times, as instants: a Thursday afternoon before Easter, the Friday between Christmas and New Year, a summer Friday. */
export const anyDateInstants = [
  '2027-04-01T16:30:00+01:00',
  '2028-12-29T09:00:00Z',
  '2030-06-14T12:00:00+01:00',
];

const unitOnly = process.argv.includes('--unit');

if (spawnSync('faketime', ['--version'], { stdio: 'ignore' }).error) {
  console.error(
    'faketime is missing: install it with  sudo apt-get install -y faketime  (Debian/Ubuntu; macOS: brew install libfaketime)',
  );
  process.exit(1);
}

const runs: { what: string; at: string; ok: boolean }[] = [];
for (const at of anyDateInstants) {
  const epoch = Math.floor(Date.parse(at) / 1000);
  console.log(`\n== unit suite under faketime at ${at}`);
  const unit = spawnSync('faketime', [`@${epoch}`, 'npx', 'vitest', 'run', '--project', 'unit'], {
    stdio: 'inherit',
  });
  runs.push({ what: 'unit (faketime)', at, ok: unit.status === 0 });
}
if (!unitOnly) {
  for (const at of anyDateInstants) {
    const epoch = Math.floor(Date.parse(at) / 1000);
    // The node process (tests, runtime, s3rver) believes it is that instant; local/emulators.ts spares only
    // DynamoDB Local's JVM, which hangs under faketime. Gatehouse's own clock is injected (the fixtures' epoch),
    // so anything that read the wall clock instead would see the faked date and fail.
    console.log(`\n== integration and e2e suites under faketime at ${at}`);
    const integration = spawnSync(
      'faketime',
      [`@${epoch}`, 'npx', 'vitest', 'run', '--project', 'integration'],
      { stdio: 'inherit' },
    );
    runs.push({ what: 'integration + e2e (faketime, JVM on real time)', at, ok: integration.status === 0 });
  }
}
console.log('\nAny-date runs:');
for (const run of runs) console.log(`  ${run.ok ? 'passed' : 'FAILED'}  ${run.what.padEnd(44)} ${run.at}`);
process.exit(runs.every((r) => r.ok) ? 0 : 1);
