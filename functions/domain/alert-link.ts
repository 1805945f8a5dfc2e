/**
 * Signed links in messages: `/alerts/{id}/ack?t=…` and `/alerts/{id}/resolve?t=…`. The token names the alert,
 * the recipient it was sent to, what it may do and until when, and is signed with HMAC-SHA256, so the link
 * works without a sign-in and cannot be altered or reused for another alert. It is single-use in effect:
 * the first acknowledgement moves the alert on, and any later use changes nothing and says why.
 *
 * Token: exactly `{payload}.{mac}` (base64url), the payload a JSON object with a version (`v: 2`) and the id of
 * the key that signed it (`k`), so keys can be rotated: links are checked against every key still held (the
 * current one and the previous one), and signed with the current one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

export type LinkAction = 'ack' | 'resolve';

export interface LinkClaims {
  alertId: string;
  recipient: string;
  action: LinkAction;
  /** Epoch seconds after which the link no longer works. */
  expires: number;
}

/** The link-signing keys by id, and which of them signs new links. */
export interface LinkKeys {
  current: string;
  keys: Record<string, string>;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; why: string };

const tokenVersion = 2;

const payloadSchema = z.strictObject({
  v: z.literal(tokenVersion),
  k: z.string().min(1).max(64),
  a: z.string().min(1).max(64),
  r: z.string().min(1).max(200),
  x: z.enum(['ack', 'resolve']),
  e: z.number().int().positive(),
});

export function signLink(claims: LinkClaims, keys: LinkKeys): string {
  const key = keys.keys[keys.current];
  if (!key) throw new Error(`the current link-signing key '${keys.current}' is not among the keys held`);
  const payload = Buffer.from(
    JSON.stringify({
      v: tokenVersion,
      k: keys.current,
      a: claims.alertId,
      r: claims.recipient,
      x: claims.action,
      e: claims.expires,
    }),
  ).toString('base64url');
  return `${payload}.${mac(payload, key)}`;
}

export function linkUrl(baseUrl: string, claims: LinkClaims, keys: LinkKeys): string {
  return `${baseUrl.replace(/\/$/, '')}/alerts/${claims.alertId}/${claims.action}?t=${signLink(claims, keys)}`;
}

const damaged = {
  ok: false as const,
  why: 'the link is damaged: open it from the message exactly as it was sent',
};

export function checkLink(
  token: string | null | undefined,
  expected: { alertId: string; action: LinkAction },
  keys: LinkKeys,
  now: Date,
): LinkCheck {
  if (!token)
    return { ok: false, why: 'the link has no token: open it from the message exactly as it was sent' };
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[\w-]+$/.test(parts[0]!) || !/^[\w-]+$/.test(parts[1]!)) return damaged;
  const [payload, signature] = parts as [string, string];
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return damaged;
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return damaged;
  const key = keys.keys[parsed.data.k];
  // An unknown key id is what a forged link and a link signed with a key since retired both look like.
  const expectedMac = Buffer.from(key ? mac(payload, key) : '');
  const given = Buffer.from(signature);
  if (!key || given.length !== expectedMac.length || !timingSafeEqual(given, expectedMac))
    return { ok: false, why: 'the link is not valid: it was altered or not issued by Gatehouse' };
  const claims: LinkClaims = {
    alertId: parsed.data.a,
    recipient: parsed.data.r,
    action: parsed.data.x,
    expires: parsed.data.e,
  };
  if (claims.alertId !== expected.alertId || claims.action !== expected.action)
    return { ok: false, why: 'the link belongs to another alert or action' };
  if (now.getTime() / 1000 > claims.expires)
    return { ok: false, why: `the link expired at ${new Date(claims.expires * 1000).toISOString()}` };
  return { ok: true, claims };
}

function mac(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}
