/**
 * Signed links in messages: `/alerts/{id}/ack?t=…` and `/alerts/{id}/resolve?t=…`. The token names the alert,
 * the recipient it was sent to, what it may do and until when, and is signed with HMAC-SHA256, so the link
 * works without a sign-in and cannot be altered or reused for another alert. It is single-use in effect:
 * the first acknowledgement moves the alert on, and any later use changes nothing and says why.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkAction = 'ack' | 'resolve';

export interface LinkClaims {
  alertId: string;
  recipient: string;
  action: LinkAction;
  /** Epoch seconds after which the link no longer works. */
  expires: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; why: string };

export function signLink(claims: LinkClaims, key: string): string {
  const payload = Buffer.from(JSON.stringify([claims.alertId, claims.recipient, claims.action, claims.expires])).toString('base64url');
  return `${payload}.${mac(payload, key)}`;
}

export function linkUrl(baseUrl: string, claims: LinkClaims, key: string): string {
  return `${baseUrl.replace(/\/$/, '')}/alerts/${claims.alertId}/${claims.action}?t=${signLink(claims, key)}`;
}

export function checkLink(token: string | null | undefined, expected: { alertId: string; action: LinkAction }, key: string, now: Date): LinkCheck {
  if (!token) return { ok: false, why: 'the link has no token: open it from the message exactly as it was sent' };
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return { ok: false, why: 'the link is damaged: open it from the message exactly as it was sent' };
  const expectedMac = Buffer.from(mac(payload, key));
  const given = Buffer.from(signature);
  if (given.length !== expectedMac.length || !timingSafeEqual(given, expectedMac)) return { ok: false, why: 'the link is not valid: it was altered or not issued by Gatehouse' };
  let claims: LinkClaims;
  try {
    const [alertId, recipient, action, expires] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, LinkAction, number];
    claims = { alertId, recipient, action, expires };
  } catch {
    return { ok: false, why: 'the link is damaged: open it from the message exactly as it was sent' };
  }
  if (claims.alertId !== expected.alertId || claims.action !== expected.action) return { ok: false, why: 'the link belongs to another alert or action' };
  if (now.getTime() / 1000 > claims.expires) return { ok: false, why: `the link expired at ${new Date(claims.expires * 1000).toISOString()}` };
  return { ok: true, claims };
}

function mac(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}
