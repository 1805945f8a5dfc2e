/**
 * `npx tsx bench/run-ingest.ts [--quick]`: the partner-file ingest figures alone. A full run writes
 * bench/results/ingest-full.json; a quick one only prints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ingestBenchmarks } from './ingest';

const quick = process.argv.includes('--quick');
const started = Date.now();
const figures = await ingestBenchmarks({ quick, onProgress: (step) => process.stderr.write(`[ingest ${((Date.now() - started) / 1000).toFixed(0)} s] ${step}\n`) });
for (const [name, f] of Object.entries(figures)) {
  console.log(`${name.padEnd(40)} ${String(f.value).padStart(10)} ${f.unit}  target ${f.target}${f.met === null ? '' : f.met ? '  met' : '  NOT met'}`);
}
const report = {
  mode: quick ? 'quick' : 'full (ingest only: npx tsx bench/run-ingest.ts)',
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  seconds: Math.round((Date.now() - started) / 100) / 10,
  figures,
};
if (!quick) {
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'ingest-full.json'), `${JSON.stringify(report, null, 2)}\n`);
}
