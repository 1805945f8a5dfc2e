/** A failed record of a batch leaves one log line with its id and the error's name, and no personal data (issue 15, 17). */
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { englandAndWales } from '#domain/calendar';
import { defaultScope } from '#domain/scope';
import { parseRoutingConfig } from '#domain/routing';
import { custodyEventsHandler } from '#handlers/custody-events';
import { lambdaContext } from '#local/lambda-context';
import { localRouting } from '#local/routing';
import { fridayRelease } from '#test-support/events';
import { testIdentifierKey } from '#test-support/custody-events';

async function captured<T>(run: () => Promise<T>): Promise<{ result: T; output: string }> {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write);
  for (const s of streams)
    s.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof s.write;
  try {
    return { result: await run(), output: written.join('') };
  } finally {
    streams.forEach((s, i) => {
      s.write = writes[i]!;
    });
  }
}

describe('a record that fails in a custody batch', () => {
  it('is reported back and logged by message id and error name, without the message that names the person', async () => {
    const handler = custodyEventsHandler({
      record: {
        store: {
          loadPerson: async (prisonNumber) => {
            if (prisonNumber !== 'B7000XY') return undefined;
            throw Object.assign(new Error('Requested resource not found: key PERSON#B7000XY'), {
              name: 'ProvisionedThroughputExceededException',
            });
          },
          loadAlert: async () => undefined,
          commit: async () => 'committed',
        },
        rules: { calendar: englandAndWales, lateDayFrom: '15:00' },
        routing: parseRoutingConfig(localRouting),
        scheduleWindowDays: 2,
        retentionDays: 30,
        scope: defaultScope,
        idKey: testIdentifierKey,
        clock: () => new Date('2025-01-06T10:00:00Z'),
      },
      rejected: { keep: async () => undefined },
    });
    const record = (messageId: string, prisonNumber: string) => ({
      messageId,
      body: JSON.stringify(fridayRelease({ person: { prisonNumber } })),
      attributes: {},
      messageAttributes: {},
    });
    const event = {
      Records: [record('msg-0001', 'B7000XY'), record('msg-0002', 'B7001XY')],
    } as unknown as SQSEvent;
    const { result, output } = await captured(() => handler(event, lambdaContext('custody-events')));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0001' }] });
    const line = output.split('\n').find((l) => l.includes('batch record failed'));
    expect(JSON.parse(line!)).toMatchObject({
      recordId: 'msg-0001',
      error: { name: 'ProvisionedThroughputExceededException' },
    });
    expect(output).not.toContain('B7000XY');
  });
});
