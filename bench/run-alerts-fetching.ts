/**
 * `npx tsx bench/run-alerts-fetching.ts [--quick]`: the alert latency with fetching alone, beside the floor and
 * the stand-ins' round trips (the same figures `npm run bench` writes into latest.json), written to
 * bench/results/alerts-fetching.json.
 */
import '#local/environment';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '#local/runtime';
import { standInPeople } from '#local/stand-ins/hmpps/people';
import { alertBenchmarks, benchClock } from './alerts';
import { fetchingAlertBenchmarks, fetchingBenchPeople } from './alerts-fetching';

const events = process.argv.includes('--quick') ? 20 : 200;
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const gatehouse = await startGatehouse({
  dataDir,
  port: 0,
  stage: 'bench',
  clock: benchClock,
  hmppsStandIns: { people: [...standInPeople, ...fetchingBenchPeople(events)] },
});
try {
  const floor = await alertBenchmarks(gatehouse, { singles: events, burst: 1, exactBurst: 10 });
  const figures = {
    'alert.floor.transactWriteMs.p50': floor['alert.floor.transactWriteMs.p50']!,
    'alert.floor.transactWriteMs.p99': floor['alert.floor.transactWriteMs.p99']!,
    // The same path without fetching (a Gatehouse event that says everything), for comparison.
    'alert.single.latencyMs.p50': floor['alert.single.latencyMs.p50']!,
    'alert.single.latencyMs.p99': floor['alert.single.latencyMs.p99']!,
    ...(await fetchingAlertBenchmarks(gatehouse, {
      events,
      floorMs: {
        p50: floor['alert.floor.transactWriteMs.p50']!.value,
        p99: floor['alert.floor.transactWriteMs.p99']!.value,
      },
    })),
  };
  const report = {
    events,
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
    },
    figures,
  };
  writeFileSync(
    join(import.meta.dirname, 'results', 'alerts-fetching.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  for (const [name, f] of Object.entries(figures))
    console.log(
      `${name.padEnd(44)} ${String(f.value).padStart(8)} ${f.unit}  target ${f.target}${f.met === null ? '' : f.met ? '  met' : '  NOT met'}`,
    );
} finally {
  await gatehouse.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
