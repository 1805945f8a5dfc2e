/**
 * `npm run bench [-- --quick] [-- --notices N]`: measures Gatehouse on this machine, prints a table, and writes
 * bench/results/latest.json. Every figure stands next to a limit of the same machine measured in the same run
 * (a DynamoDB transaction, a batch-write ceiling, an SDK-only import), because absolute times drift.
 */
import '#local/environment';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '#local/runtime';
import { standInPeople } from '#local/stand-ins/hmpps/people';
import { alertBenchmarks, benchClock } from './alerts';
import { fetchingAlertBenchmarks, fetchingBenchPeople } from './alerts-fetching';
import { bundleBenchmarks } from './bundles';
import { ingestBenchmarks } from './ingest';
import { hmppsFactsBenchmarks } from './hmpps-facts';
import { noticeBenchmarks } from './notices';
import type { Figure } from './figures';

const quick = process.argv.includes('--quick');
const startedAt = Date.now();
const sizes = quick
  ? { singles: 20, burst: 50, exactBurst: 200, importRuns: 2 }
  : { singles: 200, burst: 1_000, exactBurst: 10_000, importRuns: 7 };
// The notice outbox bench: 10,000 notices (the issue's size) unless --notices says otherwise (a loaded machine).
const noticesFlag = process.argv.indexOf('--notices');
const notices = noticesFlag > 0 ? Number(process.argv[noticesFlag + 1]) : quick ? 500 : 10_000;
if (!Number.isInteger(notices) || notices < 1)
  throw new Error(`--notices ${process.argv[noticesFlag + 1]}: expected a whole number of notices`);

async function main(): Promise<void> {
  const started = Date.now();
  const figures: Record<string, Figure> = {};

  progress('bundles: building each Lambda and timing its import');
  Object.assign(figures, await bundleBenchmarks({ importRuns: sizes.importRuns }));

  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const gatehouse = await startGatehouse({
    dataDir,
    port: 0,
    stage: 'bench',
    clock: benchClock,
    hmppsStandIns: { people: [...standInPeople, ...fetchingBenchPeople(sizes.singles)] },
  });
  try {
    progress(
      `alerts: floor, ${sizes.singles} single events, a burst of ${sizes.burst}, ${sizes.exactBurst} deliveries with 20 % duplicates`,
    );
    Object.assign(figures, await alertBenchmarks(gatehouse, sizes));
    progress(
      `alerts with fetching: ${sizes.singles} bare HMPPS releases one at a time, facts from the stand-ins, to the page`,
    );
    const floorMs = {
      p50: figures['alert.floor.transactWriteMs.p50']!.value,
      p99: figures['alert.floor.transactWriteMs.p99']!.value,
    };
    Object.assign(figures, await fetchingAlertBenchmarks(gatehouse, { events: sizes.singles, floorMs }));
  } finally {
    await gatehouse.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  progress(
    `hmpps: ${sizes.singles} fetches of release facts from the stand-ins beside their bare round trips; tokens per container`,
  );
  Object.assign(figures, await hmppsFactsBenchmarks({ events: sizes.singles }));
  progress('ingest: a partner file, the batch-write ceiling, peak RSS');
  Object.assign(figures, await ingestBenchmarks({ quick, onProgress: progress }));

  progress(
    `notices: ${notices} referral notices through the outbox (20 % duplicate stream records, 5 % Notify failures), beside the same run's floor`,
  );
  Object.assign(figures, await noticeBenchmarks({ notices, onProgress: progress }));

  const report = {
    mode: quick ? 'quick' : 'full',
    notices,
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    seconds: Math.round((Date.now() - started) / 100) / 10,
    figures,
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  printTable(figures);
  const missed = Object.entries(figures).filter(([, f]) => f.met === false);
  console.log(
    `\n${Object.keys(figures).length} figures in ${report.seconds} s (${report.mode}); ${missed.length} target(s) missed${missed.length ? `: ${missed.map(([k]) => k).join(', ')}` : ''}. Written to bench/results/latest.json`,
  );
}

function progress(step: string): void {
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0)} s] ${step}\n`);
}

function printTable(figures: Record<string, Figure>): void {
  const rows = Object.entries(figures).map(([name, f]) => [
    name,
    String(f.value),
    f.unit,
    f.target,
    f.met === null ? '' : f.met ? 'met' : 'MISSED',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 6));
  for (const row of [['figure', 'value', 'unit', 'target', ''], ...rows]) {
    console.log(
      row
        .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : i < 4 ? cell.padEnd(widths[i]!) : cell))
        .join('  '),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
