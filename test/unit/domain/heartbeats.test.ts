import { describe, expect, it } from 'vitest';
import { englandAndWales } from '#domain/calendar';
import { defaultExpectations, overdueFeeds, partnerFileFeed, type FeedExpectation } from '#domain/heartbeats';

const hmpps = defaultExpectations;
const at = (iso: string) => new Date(iso);

describe('HMPPS events in working hours', () => {
  it('is overdue after two silent hours on a working day, measured from 07:00 when nothing came since yesterday', () => {
    // Wednesday 11 June 2025, BST: 07:00 London is 06:00Z.
    const yesterday = { 'hmpps-events': '2025-06-10T17:30:00Z' };
    expect(overdueFeeds(hmpps, yesterday, at('2025-06-11T08:00:00Z'), englandAndWales)).toEqual([]);
    expect(overdueFeeds(hmpps, yesterday, at('2025-06-11T08:01:00Z'), englandAndWales)).toEqual([
      {
        feed: 'hmpps-events',
        label: 'HMPPS domain events',
        lastSeenAt: '2025-06-10T17:30:00Z',
        why: 'nothing since 07:00 (121 minutes; expected at least every 120 between 07:00 and 19:00 on working days)',
      },
    ]);
  });

  it('is not overdue while events keep coming, outside working hours, at weekends or on a bank holiday', () => {
    expect(
      overdueFeeds(
        hmpps,
        { 'hmpps-events': '2025-06-11T12:00:00Z' },
        at('2025-06-11T13:59:00Z'),
        englandAndWales,
      ),
    ).toEqual([]);
    expect(overdueFeeds(hmpps, {}, at('2025-06-11T19:30:00Z'), englandAndWales)).toEqual([]); // 20:30 London
    expect(overdueFeeds(hmpps, {}, at('2025-06-14T12:00:00Z'), englandAndWales)).toEqual([]); // Saturday
    expect(overdueFeeds(hmpps, {}, at('2025-08-25T12:00:00Z'), englandAndWales)).toEqual([]); // summer bank holiday
  });
});

describe("a partner's regular file", () => {
  const rota: FeedExpectation = {
    kind: 'cadence',
    feed: partnerFileFeed('darlington-housing', 'on-call-rota'),
    label: 'Darlington on-call rota',
    everyDays: 7,
    graceHours: 24,
  };

  it('is overdue a week and a day after the last one, and when none has ever come', () => {
    const seen = { [rota.feed]: '2025-06-02T09:00:00Z' };
    expect(overdueFeeds([rota], seen, at('2025-06-10T09:00:00Z'), englandAndWales)).toEqual([]);
    expect(overdueFeeds([rota], seen, at('2025-06-10T09:01:00Z'), englandAndWales).map((f) => f.why)).toEqual(
      ['last received 2025-06-02T09:00:00Z, expected every 7 days'],
    );
    expect(overdueFeeds([rota], {}, at('2025-06-10T09:01:00Z'), englandAndWales).map((f) => f.why)).toEqual([
      'never received (expected every 7 days)',
    ]);
  });
});
