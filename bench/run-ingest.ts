/**
 * `npx tsx bench/run-ingest.ts [--quick] [--skip-1m]`: the partner-file ingest figures alone. A full run writes
 * bench/results/ingest-full.json; a quick one only prints. `--skip-1m` leaves out the 1,000,000-row file and
 * keeps its peak-RSS figure from the previous result, marked as not re-measured.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ingestBenchmarks } from './ingest';

const quick = process.argv.includes('--quick');
const skipLarge = process.argv.includes('--skip-1m');
const resultFile = join(import.meta.dirname, 'results', 'ingest-full.json');
const started = Date.now();
const figures = await ingestBenchmarks({
  quick,
  skipLarge,
  onProgress: (step) =>
    process.stderr.write(`[ingest ${((Date.now() - started) / 1000).toFixed(0)} s] ${step}\n`),
});
if (skipLarge && !quick && existsSync(resultFile)) {
  const previous = JSON.parse(readFileSync(resultFile, 'utf8')) as {
    at: string;
    figures: Record<string, { value: number; unit: string; target: string; met: boolean | null }>;
  };
  const large = previous.figures['ingest.peakRssMb.1m'];
  if (large)
    figures['ingest.peakRssMb.1m'] = {
      ...large,
      unit: `${large.unit.replace(/; not re-measured.*$/, '')}; not re-measured in this run (from the run of ${previous.at})`,
    };
}
for (const [name, f] of Object.entries(figures)) {
  console.log(
    `${name.padEnd(40)} ${String(f.value).padStart(10)} ${f.unit}  target ${f.target}${f.met === null ? '' : f.met ? '  met' : '  NOT met'}`,
  );
}
const report = {
  mode: quick ? 'quick' : `full (ingest only: npx tsx bench/run-ingest.ts${skipLarge ? ' --skip-1m' : ''})`,
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  seconds: Math.round((Date.now() - started) / 100) / 10,
  figures,
};
if (!quick) {
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
}
