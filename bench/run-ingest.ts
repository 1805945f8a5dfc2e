/** `npx tsx bench/run-ingest.ts [--quick]`: the partner-file ingest figures alone. */
import { ingestBenchmarks } from './ingest';

const figures = await ingestBenchmarks({ quick: process.argv.includes('--quick') });
for (const [name, f] of Object.entries(figures)) {
  console.log(`${name.padEnd(40)} ${String(f.value).padStart(10)} ${f.unit}  target ${f.target}${f.met === null ? '' : f.met ? '  met' : '  NOT met'}`);
}
