/** NOTIFY_RECEIPTS: how the sweeper learns Notify's receipts where callbacks cannot be configured (issue 14). */
import { describe, expect, it } from 'vitest';
import { receiptPolling as polling } from '#composition/sweeper';

// A local environment: the Notify key is in it, so Secrets Manager is never asked.
const noSecretsManager: Parameters<typeof polling>[1] = () => {
  throw new Error('the local environment holds the key: Secrets Manager must not be asked');
};
const receiptPolling = (env: Record<string, string>) => polling(env, noSecretsManager);

describe('the sweeper asking GOV.UK Notify for receipts', () => {
  it('is off with callbacks (the default)', async () => {
    expect(await receiptPolling({})).toBeUndefined();
    expect(await receiptPolling({ NOTIFY_RECEIPTS: 'callbacks', NOTIFY_API_KEY: 'k' })).toBeUndefined();
  });

  it('asks after NOTIFY_POLL_AFTER_MINUTES (3 by default) when told to poll and there is a Notify key', async () => {
    expect(
      await receiptPolling({
        NOTIFY_RECEIPTS: 'poll',
        NOTIFY_API_KEY:
          'gatehouse_test-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ afterMinutes: 3 });
    expect(
      await receiptPolling({
        NOTIFY_RECEIPTS: 'poll',
        NOTIFY_POLL_AFTER_MINUTES: '10',
        NOTIFY_API_KEY:
          'gatehouse_test-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ afterMinutes: 10 });
    // Without a key nothing goes to Notify, so there is nothing to ask about.
    expect(await receiptPolling({ NOTIFY_RECEIPTS: 'poll' })).toBeUndefined();
  });

  it('refuses a mode or an age it does not know, saying what it expected', async () => {
    await expect(receiptPolling({ NOTIFY_RECEIPTS: 'sometimes' })).rejects.toThrow(
      "NOTIFY_RECEIPTS is 'sometimes': expected 'callbacks' (Notify calls back) or 'poll' (the sweeper asks Notify)",
    );
    await expect(
      receiptPolling({ NOTIFY_RECEIPTS: 'poll', NOTIFY_POLL_AFTER_MINUTES: '0.5' }),
    ).rejects.toThrow("NOTIFY_POLL_AFTER_MINUTES is '0.5': expected a whole number of minutes, at least 1");
  });
});
