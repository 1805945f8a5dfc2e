/** The api handler's case route: board tokens refused, case workers area-scoped, every read audited (issue 15, 2). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { englandAndWales } from '#domain/calendar';
import { defaultScope } from '#domain/scope';
import { applyCustodyEvent, type PersonReleases } from '#domain/release-case';
import { apiHandler } from '#handlers/api';
import type { CaseRead } from '#use-cases/read-case';
import { lambdaContext } from '#local/lambda-context';
import { released } from '#test-support/custody-events';

const at = new Date('2025-02-03T10:00:00Z');
let refs = 0;
const ctx = {
  rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
  scope: defaultScope,
  scheduleWindowDays: 2,
  newCaseRef: () => `GH-TEST-${++refs}`,
};

function person(): PersonReleases {
  let p: PersonReleases | undefined;
  p = applyCustodyEvent(
    p,
    released(
      'r1',
      '2025-01-10T10:00:00Z',
      { destinationLocalAuthority: 'E06000047', accommodation: 'SETTLED', aftercarePlan: 'IN_PLACE' },
      undefined,
      'C1000AA',
    ),
    ctx,
  ).after;
  p = applyCustodyEvent(
    p,
    released(
      'r2',
      '2025-01-28T10:00:00Z',
      { destinationLocalAuthority: 'E06000005', accommodation: 'SETTLED', aftercarePlan: 'IN_PLACE' },
      undefined,
      'C1000AA',
    ),
    ctx,
  ).after;
  return p;
}

function request(path: string, claims?: Record<string, unknown>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '1',
      apiId: 'a',
      domainName: 'd',
      domainPrefix: 'd',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      requestId: `req-${Math.random()}`,
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as APIGatewayProxyEventV2;
}

describe('GET /cases/{prisonNumber}', () => {
  let audit: CaseRead[];
  let handler: ReturnType<typeof apiHandler>;
  beforeEach(() => {
    audit = [];
    const stored = person();
    handler = apiHandler({
      releases: { loadPerson: async (n) => (n === 'C1000AA' ? stored : undefined) },
      audit: { record: async (read) => void audit.push(read) },
      aggregates: { query: async () => [] } as never,
      timelines: { load: async () => undefined } as never,
      acknowledgements: async () => {
        throw new Error('not used');
      },
      clock: () => at,
    });
  });
  const get = async (path: string, claims?: Record<string, unknown>) => {
    const result = (await handler(request(path, claims), lambdaContext('api'))) as {
      statusCode: number;
      body: string;
    };
    return { status: result.statusCode, body: JSON.parse(result.body) };
  };

  const board = {
    sub: 'board-member-1',
    'cognito:groups': '[board]',
    scope: 'openid email gatehouse/figures.read',
  };
  const durhamWorker = {
    sub: 'worker-durham-1',
    'cognito:groups': '[case-workers-E06000047]',
    scope: 'gatehouse/cases.read',
  };

  it('refuses a figures-only token (board member) with 403, and audits the refusal', async () => {
    const response = await get('/cases/C1000AA', board);
    expect(response.status).toBe(403);
    expect(JSON.stringify(response.body)).not.toContain('GH-TEST');
    expect(audit).toEqual([
      expect.objectContaining({
        readerId: 'board-member-1',
        prisonNumber: 'C1000AA',
        outcome: 'refused',
        caseRefs: [],
        at: at.toISOString(),
      }),
    ]);
  });

  it('refuses a case worker group whose token lacks the cases scope', async () => {
    expect((await get('/cases/C1000AA', { ...durhamWorker, scope: 'gatehouse/figures.read' })).status).toBe(
      403,
    );
  });

  it('refuses a request with no verified caller at all', async () => {
    expect((await get('/cases/C1000AA')).status).toBe(403);
  });

  it("shows a case worker only their own area's cases, and audits who read which", async () => {
    const response = await get('/cases/C1000AA', durhamWorker);
    expect(response.status).toBe(200);
    expect(
      response.body.cases.map(
        (c: { circumstances: { destinationLocalAuthority: string } }) =>
          c.circumstances.destinationLocalAuthority,
      ),
    ).toEqual(['E06000047']);
    expect(audit).toEqual([
      expect.objectContaining({
        readerId: 'worker-durham-1',
        prisonNumber: 'C1000AA',
        outcome: 'shown',
        caseRefs: [response.body.cases[0].caseRef],
      }),
    ]);
  });

  it('answers 404 alike for a person who does not exist and one whose cases are all in other areas', async () => {
    const hartlepool = { ...durhamWorker, 'cognito:groups': '[case-workers-E06000001]' };
    const elsewhere = await get('/cases/C1000AA', hartlepool);
    const nobody = await get('/cases/Z9999ZZ', hartlepool);
    expect([elsewhere.status, nobody.status]).toEqual([404, 404]);
    expect(audit.map((a) => a.outcome)).toEqual(['not-found', 'not-found']);
  });

  it('answers nothing when the read cannot be audited', async () => {
    handler = apiHandler({
      releases: { loadPerson: async () => person() },
      audit: { record: async () => Promise.reject(new Error('audit table unavailable')) },
      aggregates: { query: async () => [] } as never,
      timelines: { load: async () => undefined } as never,
      acknowledgements: async () => {
        throw new Error('not used');
      },
      clock: () => at,
    });
    expect((await get('/cases/C1000AA', durhamWorker)).status).toBe(500);
  });

  it('refuses the figures to a token with no Gatehouse group', async () => {
    expect((await get('/metrics', { sub: 'someone', scope: 'gatehouse/figures.read' })).status).toBe(403);
    expect((await get('/metrics', board)).status).toBe(200);
  });
});

describe('a malformed path (10)', () => {
  it('is a 400 on the public acknowledgement route, not a thrown error', async () => {
    const handler = apiHandler({
      releases: { loadPerson: async () => undefined },
      audit: { record: async () => undefined },
      aggregates: { query: async () => [] } as never,
      timelines: { load: async () => undefined } as never,
      acknowledgements: async () => {
        throw new Error('not reached');
      },
      clock: () => at,
    });
    const result = (await handler(request('/alerts/%E0%A4%A/ack'), lambdaContext('api'))) as {
      statusCode: number;
      body: string;
    };
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error).toMatch(/percent-encoding/);
  });
});

describe('raw counters (16)', () => {
  const failing = (message: string) =>
    apiHandler({
      releases: { loadPerson: async () => undefined },
      audit: { record: async () => undefined },
      aggregates: {
        series: async () => {
          throw Object.assign(new Error(message), { name: 'ValidationException' });
        },
      } as never,
      timelines: { load: async () => undefined } as never,
      acknowledgements: async () => {
        throw new Error('not reached');
      },
      clock: () => at,
    });
  const board = { sub: 'b', 'cognito:groups': '[board]' };

  it.each(['from=2026-02-30', 'to=yesterday', 'from=2026-03-02&to=2026-03-01'])(
    'refuses %s with a 400 naming the field',
    async (query) => {
      const result = (await failing('unused')(
        { ...request('/aggregates', board), rawQueryString: query } as APIGatewayProxyEventV2,
        lambdaContext('api'),
      )) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).invalid[0]).toMatchObject({ expected: expect.any(String) });
    },
  );

  it('logs the name of a failure, not its message, which may echo the request', async () => {
    const written: string[] = [];
    const streams = [process.stdout, process.stderr];
    const writes = streams.map((s) => s.write);
    for (const s of streams)
      s.write = ((chunk: string) => {
        written.push(String(chunk));
        return true;
      }) as typeof s.write;
    try {
      const result = (await failing('key condition PERSON#A1234BC is not valid')(
        request('/aggregates', board),
        lambdaContext('api'),
      )) as { statusCode: number };
      expect(result.statusCode).toBe(500);
    } finally {
      streams.forEach((s, i) => {
        s.write = writes[i]!;
      });
    }
    const line = written.find((l) => l.includes('api route failed'));
    expect(line).toContain('ValidationException');
    expect(written.join('')).not.toContain('A1234BC');
  });
});

describe('the CSV export (11)', () => {
  const handler = apiHandler({
    releases: { loadPerson: async () => undefined },
    audit: { record: async () => undefined },
    aggregates: { series: async () => [] },
    timelines: { load: async () => undefined } as never,
    acknowledgements: async () => {
      throw new Error('not reached');
    },
    clock: () => at,
  });
  const board = { sub: 'b', 'cognito:groups': '[board]' };
  const csvOf = async (query: string) =>
    (await handler(
      { ...request('/aggregates/export.csv', board), rawQueryString: query } as APIGatewayProxyEventV2,
      lambdaContext('api'),
    )) as { statusCode: number; body: string; headers: Record<string, string> };

  it('refuses, with what to change, an export larger than one Lambda response can carry', async () => {
    const big = await csvOf('from=2020-01-01&to=2024-12-31&granularity=day');
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body).error).toMatch(
      /over the 5 MB one response can carry: ask for fewer metrics, a shorter period or a coarser granularity/,
    );
    // Builds five years of daily figures to find them too large: slow on a loaded machine, so not held to vitest's 5 s.
  }, 30_000);

  it('still answers the same five years by month', async () => {
    const monthly = await csvOf('from=2020-01-01&to=2024-12-31&granularity=month');
    expect(monthly.statusCode).toBe(200);
    expect(monthly.headers['content-type']).toMatch(/^text\/csv/);
  });
});
