/** Secrets are cached for a bounded time, so a rotation reaches a warm container (issue 15, 9). */
import { describe, expect, it } from 'vitest';
import { lazilyAsync } from '#commons/lambda';
import { lambdaContext } from '#local/lambda-context';

describe('dependencies built from secrets', () => {
  it('are built again once older than maxAgeMs, and not before', async () => {
    let clock = 0;
    let builds = 0;
    const handler = lazilyAsync(
      async () => {
        const key = `key-${++builds}`;
        return async () => key;
      },
      { maxAgeMs: 300_000, now: () => clock },
    );
    expect(await handler({}, lambdaContext('t'))).toBe('key-1');
    clock = 299_000;
    expect(await handler({}, lambdaContext('t'))).toBe('key-1');
    clock = 301_000;
    expect(await handler({}, lambdaContext('t'))).toBe('key-2');
  });

  it('try a failed build again on the next invocation', async () => {
    let builds = 0;
    const handler = lazilyAsync(async () => {
      if (++builds === 1) throw new Error('secret unavailable');
      return async () => 'ok';
    });
    await expect(handler({}, lambdaContext('t'))).rejects.toThrow('secret unavailable');
    expect(await handler({}, lambdaContext('t'))).toBe('ok');
  });
});
