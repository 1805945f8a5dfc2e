/**
 * OAuth2 client credentials against HMPPS Auth, as HMPPS's own services do it: `POST {auth}/oauth/token?
 * grant_type=client_credentials` (auth being e.g. https://sign-in.hmpps.service.justice.gov.uk/auth) with the client id and secret as HTTP Basic. The token is kept until shortly
 * before it expires and shared by every call in the process, so a warm Lambda container asks once, not once per
 * event; concurrent callers share one request (single flight). Neither the token nor the secret is ever logged.
 */
import { readResponse, tokenResponse } from './responses';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenSourceOptions {
  /** HMPPS Auth's base URL as HMPPS's services configure it (API_BASE_URL_HMPPS_AUTH), e.g. https://sign-in.hmpps.service.justice.gov.uk/auth; oauth/token is added. */
  authUrl: string;
  credentials: () => Promise<ClientCredentials>;
  now: () => number;
  fetch?: typeof fetch;
  /** Renew this long before expiry, so a token never expires in flight. */
  renewBeforeMs?: number;
  timeoutMs?: number;
}

/** HMPPS Auth would not give a token: `permanent` when retrying cannot help (wrong client id or secret). */
export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface TokenSource {
  /** A valid bearer token, from the cache when it has one. */
  token(): Promise<string>;
  /** Forget `token` (an API refused it); the next `token()` asks HMPPS Auth again. A newer token is kept. */
  invalidate(token: string): void;
  /** How many tokens were requested from HMPPS Auth since this source was made. */
  readonly requests: number;
}

export function clientCredentialsTokens(options: TokenSourceOptions): TokenSource {
  const doFetch = options.fetch ?? fetch;
  const renewBeforeMs = options.renewBeforeMs ?? 60_000;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let requests = 0;

  async function request(): Promise<string> {
    requests += 1;
    const { clientId, clientSecret } = await options.credentials();
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    let response: Response;
    try {
      response = await doFetch(
        new URL(
          'oauth/token?grant_type=client_credentials',
          options.authUrl.endsWith('/') ? options.authUrl : `${options.authUrl}/`,
        ),
        {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        },
      );
    } catch (error) {
      throw new TokenError(
        `HMPPS Auth could not be reached (${(error as Error).name === 'TimeoutError' ? 'no answer in time' : 'no connection'})`,
        false,
      );
    }
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new TokenError(
        `HMPPS Auth refused the client credentials (${response.status}): check the client id and secret`,
        true,
      );
    }
    if (!response.ok) throw new TokenError(`HMPPS Auth answered ${response.status}`, false);
    const body = readResponse(tokenResponse, await response.json().catch(() => undefined), 'HMPPS Auth');
    const issuedAt = options.now();
    // A token shorter-lived than the margin is used once rather than never.
    cached = {
      token: body.access_token,
      renewAt: issuedAt + Math.max(body.expires_in * 1000 - renewBeforeMs, 0),
    };
    return body.access_token;
  }

  return {
    async token() {
      if (cached && options.now() < cached.renewAt) return cached.token;
      pending ??= request().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    get requests() {
      return requests;
    },
  };
}
