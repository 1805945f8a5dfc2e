/**
 * How every function is bundled: ESM, minified, for Node.js 24 on arm64. The CDK stack and the
 * bundle benchmark use these same options, so what is measured is what is deployed.
 */
import { join } from 'node:path';

/** Each Lambda's entry is its composition root: the handler wired to its adapters. */
export const functionsRoot = join(import.meta.dirname, '..', 'functions', 'composition');

/** Lambda entry files by function name. */
export const entries = {
  'custody-events': join(functionsRoot, 'custody-events.ts'),
  dispatch: join(functionsRoot, 'dispatch.ts'),
  api: join(functionsRoot, 'api.ts'),
  sweeper: join(functionsRoot, 'sweeper.ts'),
  'partner-drop': join(functionsRoot, 'partner-drop.ts'),
  'notify-callbacks': join(functionsRoot, 'notify-callbacks.ts'),
} as const;

export type FunctionName = keyof typeof entries;

/** ESM bundles that pull in CommonJS need `require`; this banner gives it to them. */
export const esmRequireBanner =
  "import { createRequire as __gatehouseCreateRequire } from 'node:module'; const require = __gatehouseCreateRequire(import.meta.url);";

export const esbuildTarget = 'node24';

/** The AWS SDK v3 is in the Lambda runtime; bundling it would only add size and cold-start time. */
export const externalModules = ['@aws-sdk/*'];

/**
 * Module substitutions in every bundle. GOV.UK Notify's client brings axios, whose Node build drags in form-data
 * and its 160 KB MIME database for uploads Gatehouse never makes; axios's fetch-based build does the same HTTP on
 * Node 24's fetch at half the size. test/integration/bundled-notify.test.ts sends through a bundle built this way.
 */
export const aliases: Record<string, string> = { axios: 'axios/dist/browser/axios.cjs' };

/** The esbuild options the CDK stack bundles with (NodejsFunction maps the same constants); used by the bench and tests. */
export function esbuildOptions(entryPoint: string, outfile: string) {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    minify: true,
    target: esbuildTarget,
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    external: externalModules,
    alias: aliases,
    logLevel: 'silent' as const,
  };
}
