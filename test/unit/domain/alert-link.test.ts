import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkLink, linkUrl, signLink } from '#domain/alert-link';

const key = { current: '1', keys: { '1': 'a-signing-key-of-at-least-thirty-two-chars' } };
const claims = {
  alertId: 'a1b2c3',
  recipient: 'rota.primary.20261120T080000Z',
  action: 'ack' as const,
  expires: Date.parse('2026-11-21T00:00:00Z') / 1000,
};
const before = new Date('2026-11-20T17:00:00Z');

describe('signed acknowledge links', () => {
  it('accepts its own link for the alert and action it names, and says who it was sent to', () => {
    expect(checkLink(signLink(claims, key), { alertId: 'a1b2c3', action: 'ack' }, key, before)).toEqual({
      ok: true,
      claims,
    });
    expect(linkUrl('https://api.example/', claims, key)).toMatch(
      /^https:\/\/api\.example\/alerts\/a1b2c3\/ack\?t=[\w-]+\.[\w-]+$/,
    );
  });

  it('refuses a link that was altered, signed with another key, or used for another alert or action', () => {
    const token = signLink(claims, key);
    const forged = `${signLink({ ...claims, alertId: 'zzzz' }, key).split('.')[0]}.${token.split('.')[1]}`;
    expect(checkLink(forged, { alertId: 'zzzz', action: 'ack' }, key, before)).toMatchObject({
      ok: false,
      why: expect.stringContaining('altered'),
    });
    expect(
      checkLink(
        signLink(claims, { current: '1', keys: { '1': 'another-key-that-is-long-enough-too' } }),
        { alertId: 'a1b2c3', action: 'ack' },
        key,
        before,
      ),
    ).toMatchObject({ ok: false });
    expect(checkLink(token, { alertId: 'other', action: 'ack' }, key, before)).toMatchObject({
      ok: false,
      why: 'the link belongs to another alert or action',
    });
    expect(checkLink(token, { alertId: 'a1b2c3', action: 'resolve' }, key, before)).toMatchObject({
      ok: false,
    });
    expect(checkLink(null, { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({
      ok: false,
      why: expect.stringContaining('no token'),
    });
    expect(checkLink('garbage', { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({
      ok: false,
      why: expect.stringContaining('damaged'),
    });
  });

  it('refuses a link after it expired and says when that was', () => {
    expect(
      checkLink(
        signLink(claims, key),
        { alertId: 'a1b2c3', action: 'ack' },
        key,
        new Date('2026-11-21T00:00:01Z'),
      ),
    ).toEqual({
      ok: false,
      why: 'the link expired at 2026-11-21T00:00:00.000Z',
    });
  });

  it('has exactly two segments, carries a version and validated claims (13)', () => {
    const token = signLink(claims, key);
    expect(token.split('.')).toHaveLength(2);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({
      v: 2,
      k: '1',
    });
    expect(checkLink(`${token}.junk`, { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({
      ok: false,
      why: expect.stringContaining('damaged'),
    });
    // A correctly signed payload whose expiry is a string never verifies (it would never expire).
    const forever = Buffer.from(
      JSON.stringify({ v: 2, k: '1', a: 'a1b2c3', r: 'x', x: 'ack', e: '9999999999' }),
    ).toString('base64url');
    const signed = `${forever}.${createHmac('sha256', key.keys['1']).update(forever).digest('base64url')}`;
    expect(checkLink(signed, { alertId: 'a1b2c3', action: 'ack' }, key, before)).toMatchObject({
      ok: false,
      why: expect.stringContaining('damaged'),
    });
  });

  it('verifies links signed with the previous key after a rotation, and refuses those of a key since retired (9)', () => {
    const old = signLink(claims, key);
    const rotated = {
      current: '2',
      keys: { '2': 'the-next-signing-key-of-thirty-two-chars', '1': key.keys['1'] },
    };
    expect(checkLink(old, { alertId: 'a1b2c3', action: 'ack' }, rotated, before)).toMatchObject({ ok: true });
    expect(
      JSON.parse(Buffer.from(signLink(claims, rotated).split('.')[0]!, 'base64url').toString()),
    ).toMatchObject({ k: '2' });
    const retired = { current: '2', keys: { '2': rotated.keys['2'] } };
    expect(checkLink(old, { alertId: 'a1b2c3', action: 'ack' }, retired, before)).toMatchObject({
      ok: false,
      why: expect.stringContaining('not valid'),
    });
  });
});
