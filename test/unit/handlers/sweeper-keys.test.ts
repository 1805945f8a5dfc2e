/**
 * The sweeper re-reads its keys every five minutes, as dispatch does (issue 14), and a rebuild does not repeat the
 * once-a-day bank-holiday warning.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rebuiltEvery5Minutes, sweeperKeysMaxAgeMs } from '#handlers/sweeper';
import { logger } from '#commons/powertools';
import { workingCalendar } from '#domain/calendar';
import { parseRoutingConfig } from '#domain/routing';
import type { SweepDependencies } from '#use-cases/sweep';
import { localRouting } from '#local/routing';
import { lambdaContext } from '#local/lambda-context';

// Bank holidays loaded for 2025 only (until 2025-12-31): from 90 days before, the sweeper warns once a day.
const calendar = workingCalendar([{ date: '2025-12-25', title: 'Christmas Day' }]);

function sweeperWith(story: { now: number }) {
  const idKeys: string[] = [];
  const handler = rebuiltEvery5Minutes(
    async () => {
      // Each build reads the keys again: a rotation shows as a new identifier key.
      const idKey = `identifier-key-${idKeys.length + 1}`;
      idKeys.push(idKey);
      const deps: SweepDependencies = {
        alerts: {
          due: async () => [],
          apply: async () => 'applied',
          raise: async () => 'raised',
          load: async () => undefined,
          count: async () => undefined,
          recordAckMinutesMax: async () => undefined,
        },
        schedules: { scheduledBetween: async () => [] },
        digests: { entries: async () => [] },
        routing: parseRoutingConfig(localRouting),
        calendar,
        retentionDays: 30,
        idKey,
        clock: () => new Date(story.now),
      };
      return deps;
    },
    { now: () => story.now },
  );
  return { handler, idKeys };
}

describe('the sweeper entry', () => {
  afterEach(() => vi.restoreAllMocks());

  it('builds its dependencies (and reads its keys) again once they are five minutes old, and not before', async () => {
    const story = { now: Date.parse('2025-10-02T09:00:00Z') };
    const { handler, idKeys } = sweeperWith(story);
    await handler({}, lambdaContext('sweeper'));
    story.now += sweeperKeysMaxAgeMs - 60_000;
    await handler({}, lambdaContext('sweeper'));
    expect(idKeys).toEqual(['identifier-key-1']);
    story.now += 2 * 60_000;
    await handler({}, lambdaContext('sweeper'));
    expect(idKeys).toEqual(['identifier-key-1', 'identifier-key-2']);
  });

  it('does not repeat the once-a-day bank-holiday warning when it rebuilds, and warns again the next day', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const story = { now: Date.parse('2025-10-02T09:00:00Z') };
    const { handler, idKeys } = sweeperWith(story);
    const bankHolidayWarnings = () =>
      warn.mock.calls.filter(([message]) =>
        String(message).startsWith('Bank holidays are loaded only until 2025-12-31'),
      ).length;
    for (let minute = 0; minute < 13; minute++) {
      await handler({}, lambdaContext('sweeper'));
      story.now += 60_000;
    }
    expect(idKeys.length).toBeGreaterThanOrEqual(3);
    expect(bankHolidayWarnings()).toBe(1);
    story.now = Date.parse('2025-10-03T09:00:00Z');
    await handler({}, lambdaContext('sweeper'));
    expect(bankHolidayWarnings()).toBe(2);
  });
});
