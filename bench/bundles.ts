/**
 * Each Lambda bundle, built with the very options the CDK stack uses: its minified size, and the time to
 * import it in a fresh Node process next to a floor bundle that imports only the same AWS SDK clients.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { entries, esbuildOptions, type FunctionName } from '#infra/bundling';
import type { Figure } from './figures';

const outDir = join(import.meta.dirname, 'results', 'tmp');

export async function bundleBenchmarks(options: { importRuns: number }): Promise<Record<string, Figure>> {
  mkdirSync(outDir, { recursive: true });
  const figures: Record<string, Figure> = {};
  for (const name of Object.keys(entries) as FunctionName[]) {
    const file = join(outDir, `${name}.mjs`);
    const result = await build({ ...esbuildOptions(entries[name], file), metafile: true });
    // The floor imports exactly the AWS SDK packages this bundle imports, and nothing else.
    const sdk = [
      ...new Set(
        Object.values(result.metafile.outputs).flatMap((o) =>
          o.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path),
        ),
      ),
    ];
    const floorFile = join(outDir, `${name}.floor.mjs`);
    writeFileSync(floorFile, `${sdk.map((pkg) => `import '${pkg}';`).join('\n')}\n`);

    const bytes = statSync(file).size;
    const importMs = median(importTimes(file, options.importRuns));
    const floorMs = median(importTimes(floorFile, options.importRuns));
    const ratio = importMs / floorMs;
    figures[`bundle.${name}.bytes`] = {
      value: bytes,
      unit: 'bytes',
      target: '≤ 512000',
      met: bytes <= 500 * 1024,
    };
    figures[`bundle.${name}.importMs`] = {
      value: round(importMs),
      unit: `ms (floor ${round(floorMs)} ms: ${sdk.join(', ') || 'no SDK'})`,
      target: 'recorded',
      met: null,
    };
    figures[`bundle.${name}.importToFloor`] = {
      value: round(ratio),
      unit: 'ratio',
      target: '≤ 2',
      met: ratio <= 2,
    };
  }
  return figures;
}

/** Import time of a module in fresh Node processes (module loading only, not process start-up). */
function importTimes(file: string, runs: number): number[] {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  return Array.from({ length: runs }, () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
    return Number(child.stdout);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
