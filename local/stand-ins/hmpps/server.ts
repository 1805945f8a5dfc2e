/**
 * Local stand-ins for HMPPS Auth and the four HMPPS sources, on one HTTP server on 127.0.0.1, answering in the
 * published shapes (functions/adapters/hmpps/specs) for the people in people.ts:
 *
 *   POST /auth/oauth/token?grant_type=client_credentials             HMPPS Auth (HTTP Basic client id:secret)
 *   GET  /prisoner-search/prisoner/{id}                               Prisoner Search
 *   GET  /probation/probation-cases/{nomsId}/crn                      resettlement-passport-and-delius
 *   GET  /probation/duty-to-refer-nsi/{nomsId}?type=NOMS
 *   GET  /resettlement-passport/resettlement-passport/prisoner/{id}   Resettlement Passport
 *   GET  /cas3/cas3/external/referrals/{crn}                          CAS3 (hmpps-approved-premises-api)
 *
 * Every API wants a bearer token the stand-in Auth issued. Switches make each one slow, failing (503),
 * unauthorised (403; for Auth: refusing the client credentials) or not knowing anyone (404; CAS3: no referrals),
 * or fail only the next few requests, so every fault path of the real clients runs on this machine. The
 * switches are methods here, and HTTP for a running `npm start` (loopback only):
 *
 *   curl -X POST '{url}/_switches?api=prisoner-search&mode=failing'     (mode normal to undo; failNext=3 instead)
 *   curl '{url}/_switches'                                               modes and request counts
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmppsEnv } from '#adapters/hmpps/config';
import { standInPeople, type StandInPerson } from './people';

export const standInApis = ['auth', 'prisoner-search', 'probation', 'resettlement-passport', 'cas3'] as const;
export type StandInApi = (typeof standInApis)[number];
export const standInModes = ['normal', 'slow', 'failing', 'unauthorised', 'unknown-person'] as const;
export type StandInMode = (typeof standInModes)[number];

export interface HmppsStandInOptions {
  port?: number;
  people?: StandInPerson[];
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of the tokens issued, in seconds (HMPPS Auth's are 20 minutes). */
  tokenLifetimeSeconds?: number;
  /** How long a `slow` API takes to answer. */
  slowMs?: number;
}

export interface HmppsStandIns {
  url: string;
  /** The same as `url`: the runtime stops the stand-ins with its emulators. */
  endpoint: string;
  /** The environment that points Gatehouse's HMPPS clients at these stand-ins (names from adapters/hmpps/config). */
  env: Record<string, string>;
  setMode(api: StandInApi, mode: StandInMode): void;
  /** The next `count` requests to `api` answer 503, then it recovers. */
  failNext(api: StandInApi, count: number): void;
  /** Makes every token issued so far unknown, as if HMPPS Auth had rotated its keys. */
  revokeTokens(): void;
  /** Requests seen per API, and tokens issued. */
  readonly counts: Record<StandInApi, number> & { tokensIssued: number };
  reset(): void;
  stop(): Promise<void>;
}

export async function startHmppsStandIns(options: HmppsStandInOptions = {}): Promise<HmppsStandIns> {
  const clientId = options.clientId ?? 'gatehouse-local';
  const clientSecret = options.clientSecret ?? 'local-only-hmpps-client-secret';
  const people = new Map((options.people ?? standInPeople).map((p) => [p.prisonNumber, p]));
  const byCrn = new Map([...people.values()].filter((p) => p.probation).map((p) => [p.probation!.crn, p]));
  const tokens = new Set<string>();
  const modes = new Map<StandInApi, StandInMode>();
  const failing = new Map<StandInApi, number>();
  const counts = {
    ...(Object.fromEntries(standInApis.map((a) => [a, 0])) as Record<StandInApi, number>),
    tokensIssued: 0,
  };

  const server = createServer((request, response) => {
    void handle(request, response).catch(() =>
      send(response, 500, { status: 500, userMessage: 'stand-in error' }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (url.pathname === '/_switches') return switches(request, url, response);
    const [api, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent) as [
      StandInApi | undefined,
      ...string[],
    ];
    if (!api || !standInApis.includes(api))
      return send(response, 404, { status: 404, userMessage: 'no such stand-in' });
    counts[api] += 1;
    const mode = modes.get(api) ?? 'normal';
    if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 10_000));
    if (response.destroyed) return;
    const toFail = failing.get(api) ?? 0;
    if (mode === 'failing' || toFail > 0) {
      if (toFail > 0) failing.set(api, toFail - 1);
      return send(response, 503, {
        status: 503,
        userMessage: 'Service unavailable (stand-in switched to failing)',
      });
    }

    if (api === 'auth') {
      if (
        request.method !== 'POST' ||
        rest.join('/') !== 'oauth/token' ||
        url.searchParams.get('grant_type') !== 'client_credentials'
      ) {
        return send(response, 400, { error: 'unsupported_grant_type' });
      }
      const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
      if (mode === 'unauthorised' || request.headers.authorization !== `Basic ${basic}`)
        return send(response, 401, { error: 'unauthorized', error_description: 'Bad client credentials' });
      const token = randomBytes(24).toString('base64url');
      tokens.add(token);
      counts.tokensIssued += 1;
      return send(response, 200, {
        access_token: token,
        token_type: 'bearer',
        expires_in: options.tokenLifetimeSeconds ?? 1200,
        scope: 'read',
        sub: clientId,
        auth_source: 'none',
        iss: 'http://stand-in/auth/issuer',
        jti: randomBytes(8).toString('hex'),
      });
    }

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer))
      return send(response, 401, { status: 401, userMessage: 'Unauthorised' });
    if (mode === 'unauthorised')
      return send(response, 403, { status: 403, userMessage: 'Forbidden, requires an appropriate role' });
    const unknown = mode === 'unknown-person';
    const found = (p: StandInPerson | undefined) => (unknown ? undefined : p);
    const notFound = () => send(response, 404, { status: 404, userMessage: 'Not found' });
    const path = rest.join('/');
    const on = (wanted: StandInApi, pattern: RegExp) => (api === wanted ? pattern.exec(path) : null);

    let m = on('prisoner-search', /^prisoner\/([^/]+)$/);
    if (m) {
      const p = found(people.get(m[1]!));
      return p ? send(response, 200, p.prisoner) : notFound();
    }
    m = on('probation', /^probation-cases\/([^/]+)\/crn$/);
    if (m) {
      const p = found(people.get(m[1]!));
      return p?.probation ? send(response, 200, { crn: p.probation.crn }) : notFound();
    }
    m = on('probation', /^duty-to-refer-nsi\/([^/]+)$/);
    if (m) {
      const type = url.searchParams.get('type') ?? 'CRN';
      const p = found(type === 'NOMS' ? people.get(m[1]!) : byCrn.get(m[1]!));
      return p?.probation?.dutyToRefer ? send(response, 200, p.probation.dutyToRefer) : notFound();
    }
    m = on('resettlement-passport', /^resettlement-passport\/prisoner\/([^/]+)$/);
    if (m) {
      const p = found(people.get(m[1]!));
      return p?.resettlement ? send(response, 200, p.resettlement) : notFound();
    }
    m = on('cas3', /^cas3\/external\/referrals\/([^/]+)$/);
    if (m) {
      return send(response, 200, found(byCrn.get(m[1]!))?.cas3 ?? []);
    }
    return send(response, 404, { status: 404, userMessage: 'No such endpoint on the stand-in' });
  }

  function switches(request: IncomingMessage, url: URL, response: ServerResponse) {
    if (request.method === 'POST') {
      const api = url.searchParams.get('api') as StandInApi;
      const mode = (url.searchParams.get('mode') ?? 'normal') as StandInMode;
      const failNext = url.searchParams.get('failNext');
      if (!standInApis.includes(api))
        return send(response, 400, { error: `api must be one of ${standInApis.join(', ')}` });
      if (!standInModes.includes(mode))
        return send(response, 400, { error: `mode must be one of ${standInModes.join(', ')}` });
      if (failNext !== null && !/^\d{1,4}$/.test(failNext))
        return send(response, 400, { error: 'failNext must be a whole number' });
      if (failNext !== null) failing.set(api, Number(failNext));
      else modes.set(api, mode);
    }
    send(response, 200, {
      modes: Object.fromEntries(standInApis.map((a) => [a, modes.get(a) ?? 'normal'])),
      failNext: Object.fromEntries(failing),
      counts,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    endpoint: url,
    env: {
      [hmppsEnv.authUrl]: `${url}/auth`,
      [hmppsEnv.prisonerSearchUrl]: `${url}/prisoner-search`,
      [hmppsEnv.probationUrl]: `${url}/probation`,
      [hmppsEnv.resettlementPassportUrl]: `${url}/resettlement-passport`,
      [hmppsEnv.cas3Url]: `${url}/cas3`,
      [hmppsEnv.clientId]: clientId,
      [hmppsEnv.clientSecret]: clientSecret,
    },
    setMode: (api, mode) => void modes.set(api, mode),
    failNext: (api, count) => void failing.set(api, count),
    revokeTokens: () => tokens.clear(),
    counts,
    reset() {
      modes.clear();
      failing.clear();
      for (const api of standInApis) counts[api] = 0;
      counts.tokensIssued = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
