/**
 * The files of the LCJB dashboard and the headers they are served with: one list for the local server
 * (served at `/`) and for the CDK deployment (S3 + CloudFront), so what is tested is what is deployed.
 * The chart library comes from node_modules and is served with the site: no CDN, nothing fetched at run time.
 */
import { join } from 'node:path';

const here = import.meta.dirname;
const nodeModules = join(here, '..', '..', 'node_modules');

export interface SiteFile {
  /** Key in the site bucket, and the URL path below the site's root. */
  key: string;
  file: string;
  contentType: string;
}

export const siteFiles: readonly SiteFile[] = [
  { key: 'index.html', file: join(here, 'index.html'), contentType: 'text/html; charset=utf-8' },
  { key: 'dashboard.js', file: join(here, 'dashboard.js'), contentType: 'text/javascript; charset=utf-8' },
  { key: 'dashboard.css', file: join(here, 'dashboard.css'), contentType: 'text/css; charset=utf-8' },
  { key: 'vendor/chart.umd.min.js', file: join(nodeModules, 'chart.js', 'dist', 'chart.umd.min.js'), contentType: 'text/javascript; charset=utf-8' },
  {
    key: 'vendor/chartjs-chart-matrix.min.js',
    file: join(nodeModules, 'chartjs-chart-matrix', 'dist', 'chartjs-chart-matrix.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
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
