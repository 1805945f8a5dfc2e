/**
 * A local stand-in for the GOV.UK Notify API on 127.0.0.1: it answers POST /v2/notifications/sms and /email
 * as Notify does (201 with the notification, or Notify's error body), records every request, and replies
 * with whatever statuses a test queues up (429, 500, 400…) before answering normally again.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export interface NotifyRequest {
  path: string;
  authorization: string;
  body: { template_id: string; phone_number?: string; email_address?: string; personalisation?: Record<string, string>; reference?: string };
  answeredWith: number;
}

export interface FakeNotify {
  url: string;
  /** A valid-looking key: {name}-{service id}-{secret id}. */
  apiKey: string;
  requests: NotifyRequest[];
  /** The next answers to one recipient, in order; afterwards its requests succeed. Recipients in `refuse` always get 400. */
  failNext(to: string, ...statuses: number[]): void;
  refuse: Set<string>;
  close(): Promise<void>;
}

const errorNames: Record<number, { error: string; message: string }> = {
  400: { error: 'BadRequestError', message: "Can't send to this recipient using a team-only API key" },
  403: { error: 'AuthError', message: 'Invalid token: API key not found' },
  429: { error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds' },
  500: { error: 'Exception', message: 'Internal server error' },
};

export async function startFakeNotify(): Promise<FakeNotify> {
  const requests: NotifyRequest[] = [];
  const queued = new Map<string, number[]>();
  const refuse = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as NotifyRequest['body'];
      const to = body.phone_number ?? body.email_address ?? '';
      const valid = req.method === 'POST' && (req.url === '/v2/notifications/sms' || req.url === '/v2/notifications/email');
      const status = !valid ? 404 : !req.headers.authorization?.startsWith('Bearer ') ? 403 : refuse.has(to) ? 400 : (queued.get(to)?.shift() ?? 201);
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization ?? '', body, answeredWith: status });
      // Status 0: Notify does not answer at all (the client must time out); the socket closes with the server.
      if (status === 0) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      if (status === 201) {
        const id = randomUUID();
        res.end(JSON.stringify({ id, reference: body.reference ?? null, content: { body: '(rendered by Notify)', from_number: 'GOVUK' }, uri: `/v2/notifications/${id}`, template: { id: body.template_id, version: 1, uri: `/v2/template/${body.template_id}` } }));
      } else {
        res.end(JSON.stringify({ errors: [errorNames[status] ?? { error: 'Error', message: `status ${status}` }], status_code: status }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: `gatehouse_test-${randomUUID()}-${randomUUID()}`,
    requests,
    refuse,
    failNext: (to, ...statuses) => queued.set(to, [...(queued.get(to) ?? []), ...statuses]),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
