/**
 * The files of the LCJB dashboard and the headers they are served with: one list for the local server
 * (served at `/`) and for the CDK deployment (S3 + CloudFront), so what is tested is what is deployed.
 * The chart library comes from node_modules and is served with the site: no CDN, nothing fetched at run time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as words from './words';

const here = import.meta.dirname;
const nodeModules = join(here, '..', '..', 'node_modules');

export interface SiteFile {
  /** Key in the site bucket, and the URL path below the site's root. */
  key: string;
  /** What is served: a file's text, read when asked (so the local server shows an edit at once). */
  contents: () => string;
  contentType: string;
}

const fromFile = (key: string, file: string, contentType: string): SiteFile => ({
  key,
  contents: () => readFileSync(file, 'utf8'),
  contentType,
});

/** The ES module `words.js` that dashboard.js imports: the domain's words (words.ts) as constants. */
export function wordsModule(): string {
  const lines = Object.entries(words).map(
    ([name, value]) => `export const ${name} = ${JSON.stringify(value)};`,
  );
  return `// Written by functions/dashboard/site.ts from the domain's words (functions/dashboard/words.ts).\n${lines.sort().join('\n')}\n`;
}

export const siteFiles: readonly SiteFile[] = [
  fromFile('index.html', join(here, 'index.html'), 'text/html; charset=utf-8'),
  fromFile('dashboard.js', join(here, 'dashboard.js'), 'text/javascript; charset=utf-8'),
  { key: 'words.js', contents: wordsModule, contentType: 'text/javascript; charset=utf-8' },
  fromFile('dashboard.css', join(here, 'dashboard.css'), 'text/css; charset=utf-8'),
  fromFile(
    'vendor/chart.umd.min.js',
    join(nodeModules, 'chart.js', 'dist', 'chart.umd.min.js'),
    'text/javascript; charset=utf-8',
  ),
  fromFile(
    'vendor/chartjs-chart-matrix.min.js',
    join(nodeModules, 'chartjs-chart-matrix', 'dist', 'chartjs-chart-matrix.min.js'),
    'text/javascript; charset=utf-8',
  ),
];

/**
 * Where the page finds the API and how it signs in; `config.json` beside index.html. Locally the API is the
 * same origin and nobody signs in (the server listens on 127.0.0.1 only).
 */
export interface DashboardConfig {
  /** Base URL of the HTTP API; empty for the page's own origin. */
  apiUrl: string;
  /** Cognito hosted UI, authorization code with PKCE; null when no sign-in is needed. */
  auth: { domain: string; clientId: string; redirectUri: string; scopes: string[] } | null;
}

export const localDashboardConfig: DashboardConfig = { apiUrl: '', auth: null };

/** Content-Security-Policy: scripts, styles and fonts from the site only; data only from the given origins. */
export function contentSecurityPolicy(connectTo: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${connectTo.map((origin) => ` ${origin}`).join('')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The security headers of every dashboard response (CloudFront adds them with a response headers policy). */
export function securityHeaders(connectTo: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(connectTo),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
  };
}
