import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookChannel } from '#adapters/channels/webhook';
import { DeliveryError, type OutgoingMessage } from '#use-cases/dispatch-alert';

const secret = 'whsec-a-shared-secret-of-32-characters';
/** Each receiver its own key: this one's, and another receiver's. */
const keys = {
  'durham-employment': secret,
  'darlington-recovery': 'whsec-another-receivers-secret-32-chars',
};

/** The receiver's side, as README.md shows it: recompute the HMAC over `{timestamp}.{body}` and compare in constant time. */
function verify(headers: IncomingHttpHeaders, body: string, now = Date.now()): boolean {
  const timestamp = Number(headers['gatehouse-timestamp']);
  const signature = String(headers['gatehouse-signature'] ?? '');
  if (!Number.isFinite(timestamp) || Math.abs(now / 1000 - timestamp) > 300) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

describe('signed webhooks', () => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const answers: number[] = [];
  let url = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const message = (): OutgoingMessage => ({
    alertId: 'a1b2c3',
    notice: 'page.000',
    recipient: {
      id: 'durham-employment',
      label: 'County Durham employment support',
      channel: 'webhook',
      address: url,
    },
    reference: 'a1b2c3-page.000',
    template: 'referral',
    subject: 'Gatehouse referral (HIGH): case GH-ABCD-EFGH released to County Durham',
    personalisation: { case_ref: 'GH-ABCD-EFGH' },
    text: 'Gatehouse referral (HIGH): case GH-ABCD-EFGH …',
  });

  it('posts the message with a timestamp and an HMAC-SHA256 signature the receiver can verify', async () => {
    await webhookChannel(keys).send(message());
    const [request] = received.splice(0);
    expect(request!.headers['gatehouse-delivery']).toBe('a1b2c3-page.000');
    expect(JSON.parse(request!.body)).toMatchObject({
      alertId: 'a1b2c3',
      template: 'referral',
      fields: { case_ref: 'GH-ABCD-EFGH' },
    });
    expect(verify(request!.headers, request!.body)).toBe(true);
    expect(verify(request!.headers, request!.body.replace('GH-ABCD', 'GH-XXXX'))).toBe(false);
  });

  it('reports 429 and 5xx as worth retrying and other refusals as permanent', async () => {
    answers.push(503, 410);
    await expect(webhookChannel(keys).send(message())).rejects.toMatchObject({
      permanent: false,
      status: 503,
    });
    const refused = await webhookChannel(keys)
      .send(message())
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused).toMatchObject({ permanent: true, status: 410 });
  });

  it("signs each receiver's messages with that receiver's key only, so one receiver cannot forge another's (12)", async () => {
    received.splice(0);
    await webhookChannel(keys).send({
      ...message(),
      recipient: { ...message().recipient, id: 'darlington-recovery' },
    });
    const [request] = received.splice(0);
    // The other receiver's message does not verify with this receiver's key.
    expect(verify(request!.headers, request!.body)).toBe(false);
  });

  it('refuses, for good, to send to a receiver with no key of its own', async () => {
    received.splice(0);
    const refused = await webhookChannel(keys)
      .send({ ...message(), recipient: { ...message().recipient, id: 'unknown-receiver' } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      permanent: true,
      message: expect.stringContaining('unknown-receiver has no signing key'),
    });
    expect(received).toHaveLength(0);
  });
});
