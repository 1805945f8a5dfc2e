import { describe, expect, it } from 'vitest';
import { checkLink, linkUrl, signLink } from '../../../functions/domain/alert-link';

const key = 'a-signing-key-of-at-least-thirty-two-chars';
const claims = { alertId: 'a1b2c3', recipient: 'rota.primary.20261120T080000Z', action: 'ack' as const, expires: Date.parse('2026-11-21T00:00:00Z') / 1000 };
const before = new Date('2026-11-20T17:00:00Z');

describe('signed acknowledge links', () => {
  it('accepts its own link for the alert and action it names, and says who it was sent to', () => {
    expect(checkLink(signLink(claims, key), { alertId: 'a1b2c3', action: 'ack' }, key, before)).toEqual({ ok: true, claims });
    expect(linkUrl('https://api.example/', claims, key)).toMatch(/^https:\/\/api\.example\/alerts\/a1b2c3\/ack\?t=[\w-]+\.[\w-]+$/);
  });

  it('refuses a link that was altered, signed with another key, or used for another alert or action', () => {
    const token = signLink(claims, key);
    const forged = signLink({ ...claims, alertId: 'zzzz' }, key).split('.')[0] + '.' + token.split('.')[1];
    expect(checkLink(forged, { alertId: 'zzzz', action: 'ack' }, key, before)).toMatchObject({ ok: false, why: expect.stringContaining('altered') });
    expect(checkLink(signLink(claims, 'another-key-that-is-long-enough-too'), { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({ ok: false });
    expect(checkLink(token, { alertId: 'other', action: 'ack' }, key, before)).toMatchObject({ ok: false, why: 'the link belongs to another alert or action' });
    expect(checkLink(token, { alertId: 'a1b2c3', action: 'resolve' }, key, before)).toMatchObject({ ok: false });
    expect(checkLink(null, { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({ ok: false, why: expect.stringContaining('no token') });
    expect(checkLink('garbage', { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({ ok: false, why: expect.stringContaining('damaged') });
  });

  it('refuses a link after it expired and says when that was', () => {
    expect(checkLink(signLink(claims, key), { alertId: 'a1b2c3', action: 'ack' }, key, new Date('2026-11-21T00:00:01Z'))).toEqual({
      ok: false,
      why: 'the link expired at 2026-11-21T00:00:00.000Z',
    });
  });
});
