/** `npx tsx bench/run-hmpps.ts [--quick]`: the HMPPS release-facts figures alone (against the local stand-ins). */
import '#local/environment';
import { hmppsFactsBenchmarks } from './hmpps-facts';

const figures = await hmppsFactsBenchmarks({ events: process.argv.includes('--quick') ? 50 : 200 });
for (const [name, f] of Object.entries(figures)) {
  console.log(
    `${name.padEnd(42)} ${String(f.value).padStart(8)} ${f.unit}  target ${f.target}${f.met === null ? '' : f.met ? '  met' : '  NOT met'}`,
  );
}
