/**
 * `npm run test:any-date [-- --unit]`: the suites on dates other than today. The unit suite runs under
 * faketime (the whole process believes it is that instant); the integration and e2e suites run with the local
 * runtime's clock starting at that instant (GATEHOUSE_CLOCK_START), because DynamoDB Local's JVM hangs under
 * faketime. `--unit` runs only the unit part (what .ci/run does).
 */
import { spawnSync } from 'node:child_process';
import { clockStartVariable } from '../../local/clock';

/** Europe/London wall times, as instants: a Thursday afternoon before Easter, the Friday between Christmas and New Year, a summer Friday. */
export const anyDateInstants = ['2027-04-01T16:30:00+01:00', '2028-12-29T09:00:00Z', '2030-06-14T12:00:00+01:00'];

const unitOnly = process.argv.includes('--unit');

if (spawnSync('faketime', ['--version'], { stdio: 'ignore' }).error) {
  console.error('faketime is missing: install it with  sudo apt-get install -y faketime  (Debian/Ubuntu; macOS: brew install libfaketime)');
  process.exit(1);
}

const runs: { what: string; at: string; ok: boolean }[] = [];
for (const at of anyDateInstants) {
  const epoch = Math.floor(Date.parse(at) / 1000);
  console.log(`\n== unit suite under faketime at ${at}`);
  const unit = spawnSync('faketime', [`@${epoch}`, 'npx', 'vitest', 'run', '--project', 'unit'], { stdio: 'inherit' });
  runs.push({ what: 'unit (faketime)', at, ok: unit.status === 0 });
}
if (!unitOnly) {
  for (const at of anyDateInstants) {
    console.log(`\n== integration and e2e suites with the runtime's clock from ${at}`);
    const integration = spawnSync('npx', ['vitest', 'run', '--project', 'integration'], { stdio: 'inherit', env: { ...process.env, [clockStartVariable]: at } });
    runs.push({ what: `integration + e2e (${clockStartVariable})`, at, ok: integration.status === 0 });
  }
}
console.log('\nAny-date runs:');
for (const run of runs) console.log(`  ${run.ok ? 'passed' : 'FAILED'}  ${run.what.padEnd(44)} ${run.at}`);
process.exit(runs.every((r) => r.ok) ? 0 : 1);
