/**
 * Acknowledging by text-message reply. A page says "Reply 1 to take this case"; Notify forwards the reply with
 * the sender's number. The number is looked up by a keyed hash (HMAC with a Gatehouse key), so no key, id or
 * log line ever holds it, and the hash cannot be reversed by someone who only has the table.
 */
import { createHmac } from 'node:crypto';

/** UK numbers as Notify sends them (447700900123) and as rotas hold them (07700 900123, +44 7700 900123) become one form. */
export function normalisePhone(number: string): string {
  const digits = number.replace(/[^0-9]/g, '');
  return digits.startsWith('44') ? `0${digits.slice(2)}` : digits;
}

export function replyKey(number: string, key: string): string {
  return createHmac('sha256', key)
    .update(`reply-number:${normalisePhone(number)}`)
    .digest('base64url');
}

/** A reply that takes the case: "1", perhaps with words after it ("1 on my way"). */
export function takesTheCase(message: string): boolean {
  return /^\s*1(\s|[.!]|$)/.test(message);
}
