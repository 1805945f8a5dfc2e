import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '#infra/bundling';
import type { notifyChannel as NotifyChannel, notifyClient as NotifyClient } from '#adapters/channels/notify';
import { startFakeNotify, type FakeNotify } from '#test-support/fake-notify';

/**
 * The deployed bundle swaps axios for its fetch-based build (infra/bundling.ts). This sends through the GOV.UK
 * Notify client as bundled for Lambda, not as the other tests import it from node_modules.
 */
describe('GOV.UK Notify from the Lambda bundle', () => {
  let notify: FakeNotify;
  let outDir: string;
  let bundled: { notifyClient: typeof NotifyClient; notifyChannel: typeof NotifyChannel };

  beforeAll(async () => {
    notify = await startFakeNotify();
    // Inside the repository, so the bundle resolves the externals (the AWS SDK) as Lambda's runtime would.
    outDir = mkdtempSync(join(import.meta.dirname, '..', '..', 'bench', 'results', 'tmp-'));
    const file = join(outDir, 'notify.mjs');
    await build(esbuildOptions(join(import.meta.dirname, '..', 'support', 'bundled-notify-entry.ts'), file));
    bundled = await import(file);
  });
  afterAll(async () => {
    await notify.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  const message = (to: string) => ({
    alertId: 'a1',
    notice: 'page.000',
    recipient: { id: 'rota.primary', label: 'primary on call', channel: 'sms' as const, address: to },
    template: 'critical' as const,
    personalisation: { case_ref: 'GH-TEST-0001' },
    text: 'Gatehouse CRITICAL: case GH-TEST-0001',
    subject: 'Gatehouse CRITICAL',
    reference: 'a1-page.000',
  });
  const channel = (timeoutMs: number) =>
    bundled.notifyChannel(bundled.notifyClient(notify.apiKey, notify.url, timeoutMs), {
      sms: { critical: 'template-critical' },
      email: {},
    });

  it('sends an SMS with its template, personalisation and reference', async () => {
    const sent = await channel(2000).send(message('07700900901') as never);
    expect(sent.providerRef).toMatch(/^[0-9a-f-]{36}$/);
    expect(notify.requests.at(-1)).toMatchObject({
      answeredWith: 201,
      authorization: expect.stringMatching(/^Bearer /),
      body: {
        phone_number: '07700900901',
        template_id: 'template-critical',
        personalisation: { case_ref: 'GH-TEST-0001' },
        reference: 'a1-page.000',
      },
    });
  });

  it('reads a 429 as worth retrying and a 400 as final', async () => {
    notify.failNext('07700900902', 429);
    await expect(channel(2000).send(message('07700900902') as never)).rejects.toMatchObject({
      permanent: false,
      status: 429,
    });
    notify.refuse.add('07700900903');
    await expect(channel(2000).send(message('07700900903') as never)).rejects.toMatchObject({
      permanent: true,
      status: 400,
    });
  });

  it('times out on a Notify that does not answer', async () => {
    notify.failNext('07700900904', 0);
    await expect(channel(200).send(message('07700900904') as never)).rejects.toMatchObject({
      permanent: false,
      message: expect.stringMatching(/could not be reached/),
    });
  });
});
