/**
 * A local stand-in for the GOV.UK Notify API on 127.0.0.1: it answers POST /v2/notifications/sms and /email
 * as Notify does (201 with the notification, or Notify's error body), records every request, and replies
 * with whatever statuses a test queues up (429, 500, 400…) before answering normally again.
 *
 * Told where (`callbackTo`), it also sends what Notify sends afterwards, with the bearer token: a delivery
 * receipt for each accepted message (`delivered`, or per number: `phoneOff` → temporary-failure,
 * `noSuchNumber` → permanent-failure), and text-message replies (`reply`). `slowMs` delays every answer.
 *
 * GET /v2/notifications/{id} (getNotificationById) answers in Notify's published shape with the message's status
 * now, for a Gatehouse that polls instead of being called back; numbers in `stillSending` stay `sending`.
 * Used by the tests, `npm start` and the demo.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export interface NotifyRequest {
  path: string;
  authorization: string;
  body: {
    template_id: string;
    phone_number?: string;
    email_address?: string;
    personalisation?: Record<string, string>;
    reference?: string;
  };
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
  /** Numbers whose messages are accepted but then fail: the phone is off (temporary-failure), or the number does not exist (permanent-failure). */
  phoneOff: Set<string>;
  noSuchNumber: Set<string>;
  /** Numbers (or addresses) whose messages stay `sending`: no receipt yet, by callback or by asking. */
  stillSending: Set<string>;
  /** Every GET /v2/notifications/{id}, by notification id. */
  lookups: string[];
  /** Every accepted message as Notify keeps it (what GET /v2/notifications/{id} answers), by notification id. */
  notifications: Map<string, Record<string, unknown>>;
  /** Delay before every answer, as a slow Notify. */
  slowMs: number;
  /** Where Notify's callbacks go, and the bearer token registered with them. */
  callbackTo(baseUrl: string, token: string): void;
  /** Callbacks sent so far: their kind, the HTTP status Gatehouse answered, the body. */
  callbacks: { kind: 'delivery_status' | 'inbound_sms'; status: number; body: Record<string, unknown> }[];
  /** Resolves when every callback sent so far has been answered. */
  callbacksDone(): Promise<void>;
  /** Sends a delivery receipt as Notify would (for duplicates and late receipts). */
  sendReceipt(body: Record<string, unknown>): Promise<number>;
  /** A text-message reply from `from` (an 07… number) to the service's number, as Notify forwards it. */
  reply(from: string, message: string): Promise<number>;
  close(): Promise<void>;
}

const errorNames: Record<number, { error: string; message: string }> = {
  400: { error: 'BadRequestError', message: "Can't send to this recipient using a team-only API key" },
  403: { error: 'AuthError', message: 'Invalid token: API key not found' },
  429: {
    error: 'RateLimitError',
    message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
  },
  500: { error: 'Exception', message: 'Internal server error' },
};

export async function startFakeNotify(): Promise<FakeNotify> {
  const requests: NotifyRequest[] = [];
  const queued = new Map<string, number[]>();
  const refuse = new Set<string>();
  const phoneOff = new Set<string>();
  const noSuchNumber = new Set<string>();
  const stillSending = new Set<string>();
  const lookups: string[] = [];
  /** Every accepted message as Notify keeps it (its status moves on when the network answers). */
  const notifications = new Map<string, Record<string, unknown>>();
  const callbacks: FakeNotify['callbacks'] = [];
  const inFlight = new Set<Promise<unknown>>();
  let target: { baseUrl: string; token: string } | undefined;
  const post = (kind: 'delivery_status' | 'inbound_sms', body: Record<string, unknown>): Promise<number> => {
    if (!target) return Promise.resolve(0);
    const path = kind === 'delivery_status' ? '/notify/delivery-status' : '/notify/inbound-sms';
    const sending = fetch(`${target.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
      body: JSON.stringify(body),
    })
      .then(async (r) => {
        await r.body?.cancel();
        callbacks.push({ kind, status: r.status, body });
        return r.status;
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    return sending;
  };
  const fake = { slowMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const lookup =
        req.method === 'GET' ? /^\/v2\/notifications\/([0-9a-f-]{36})$/.exec(req.url ?? '') : null;
      if (req.method === 'GET') {
        const found = lookup ? notifications.get(lookup[1]!) : undefined;
        if (lookup) lookups.push(lookup[1]!);
        const status = !req.headers.authorization?.startsWith('Bearer ') ? 403 : found ? 200 : 404;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            found && status === 200
              ? found
              : {
                  errors: [
                    status === 403 ? errorNames[403] : { error: 'NoResultFound', message: 'No result found' },
                  ],
                  status_code: status,
                },
          ),
        );
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as NotifyRequest['body'];
      const to = body.phone_number ?? body.email_address ?? '';
      const valid =
        req.method === 'POST' &&
        (req.url === '/v2/notifications/sms' || req.url === '/v2/notifications/email');
      const status = !valid
        ? 404
        : !req.headers.authorization?.startsWith('Bearer ')
          ? 403
          : refuse.has(to)
            ? 400
            : (queued.get(to)?.shift() ?? 201);
      requests.push({
        path: req.url ?? '',
        authorization: req.headers.authorization ?? '',
        body,
        answeredWith: status,
      });
      // Status 0: Notify does not answer at all (the client must time out); the socket closes with the server.
      if (status === 0) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      const answer = () => {
        if (status === 201) {
          const id = randomUUID();
          res.end(
            JSON.stringify({
              id,
              reference: body.reference ?? null,
              content: { body: '(rendered by Notify)', from_number: 'GOVUK' },
              uri: `/v2/notifications/${id}`,
              template: { id: body.template_id, version: 1, uri: `/v2/template/${body.template_id}` },
            }),
          );
          // Then, as Notify does once the network has answered, the delivery receipt.
          const at = new Date().toISOString().replace('Z', '000Z');
          const receipt = phoneOff.has(to)
            ? 'temporary-failure'
            : noSuchNumber.has(to)
              ? 'permanent-failure'
              : 'delivered';
          const sms = body.phone_number !== undefined;
          // As GET /v2/notifications/{id} shows it (notifications-tech-docs, "Get the status of one message").
          const kept: Record<string, unknown> = {
            id,
            reference: body.reference ?? null,
            email_address: sms ? null : to,
            phone_number: sms ? to : null,
            line_1: null,
            line_2: null,
            line_3: null,
            line_4: null,
            line_5: null,
            line_6: null,
            postcode: null,
            type: sms ? 'sms' : 'email',
            status: 'sending',
            template: { id: body.template_id, version: 1, uri: `/v2/template/${body.template_id}` },
            body: '(rendered by Notify)',
            subject: sms ? null : '(rendered by Notify)',
            created_at: at,
            created_by_name: null,
            sent_at: at,
            completed_at: null,
            scheduled_for: null,
            one_click_unsubscribe_url: null,
            is_cost_data_ready: false,
            cost_in_pounds: null,
            cost_details: {},
          };
          notifications.set(id, kept);
          if (stillSending.has(to)) return;
          Object.assign(kept, { status: receipt, completed_at: at });
          setImmediate(
            () =>
              void post('delivery_status', {
                id,
                reference: body.reference ?? null,
                to,
                status: receipt,
                created_at: at,
                completed_at: at,
                sent_at: at,
                notification_type: body.phone_number ? 'sms' : 'email',
                template_id: body.template_id,
                template_version: 1,
              }),
          );
        } else {
          res.end(
            JSON.stringify({
              errors: [errorNames[status] ?? { error: 'Error', message: `status ${status}` }],
              status_code: status,
            }),
          );
        }
      };
      if (fake.slowMs > 0) setTimeout(answer, fake.slowMs);
      else answer();
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
    phoneOff,
    noSuchNumber,
    stillSending,
    lookups,
    notifications,
    get slowMs() {
      return fake.slowMs;
    },
    set slowMs(ms: number) {
      fake.slowMs = ms;
    },
    callbackTo: (baseUrl, token) => {
      target = { baseUrl, token };
    },
    callbacks,
    callbacksDone: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    sendReceipt: (body) => post('delivery_status', body),
    reply: (from, message) =>
      post('inbound_sms', {
        id: randomUUID(),
        source_number: `44${from.replace(/^0/, '')}`,
        destination_number: '07700900000',
        message,
        date_received: new Date().toISOString().replace('Z', '000Z'),
      }),
    failNext: (to, ...statuses) => queued.set(to, [...(queued.get(to) ?? []), ...statuses]),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
