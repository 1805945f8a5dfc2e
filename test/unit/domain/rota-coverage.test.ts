import { describe, expect, it } from 'vitest';
import { englandAndWales } from '#domain/calendar';
import { coverageCheckDay, coverageGaps, coverageWindow, gapInWords } from '#domain/rota-coverage';
import type { RotaEntry } from '#domain/rota';

const entry = (
  tier: RotaEntry['tier'],
  start: string,
  end: string,
  localAuthority = 'E06000005',
): RotaEntry => ({
  localAuthority,
  tier,
  start,
  end,
  channel: 'sms',
  address: '07700900100',
  source: 'test',
});

describe('when the rota coverage check runs', () => {
  it('runs on Thursdays and on the working day before a bank holiday, never on a weekend', () => {
    expect(coverageCheckDay('2025-06-12', englandAndWales)).toBe(true); // a Thursday
    expect(coverageCheckDay('2025-06-13', englandAndWales)).toBe(false); // a Friday before an ordinary weekend
    expect(coverageCheckDay('2025-05-23', englandAndWales)).toBe(true); // Friday before the spring bank holiday
    expect(coverageCheckDay('2025-12-24', englandAndWales)).toBe(true); // Christmas Eve, a Wednesday
    expect(coverageCheckDay('2025-06-14', englandAndWales)).toBe(false);
  });

  it('looks from Thursday noon to 09:00 on Monday, and over Easter to the Tuesday', () => {
    expect(coverageWindow('2025-06-12', englandAndWales)).toEqual({
      from: new Date('2025-06-12T11:00:00Z'),
      until: new Date('2025-06-16T08:00:00Z'),
    });
    // Thursday 17 April 2025: Good Friday, the weekend and Easter Monday follow.
    expect(coverageWindow('2025-04-17', englandAndWales)).toEqual({
      from: new Date('2025-04-17T11:00:00Z'),
      until: new Date('2025-04-22T08:00:00Z'),
    });
    // Christmas Eve 2025 (Wednesday): Christmas and Boxing Day, then the weekend.
    expect(coverageWindow('2025-12-24', englandAndWales).until).toEqual(new Date('2025-12-29T09:00:00Z'));
  });
});

describe('rota gaps', () => {
  const window = coverageWindow('2025-06-12', englandAndWales);

  it('finds none when each tier is covered end to end, by abutting or overlapping entries', () => {
    const entries = [
      entry('primary', '2025-06-12T08:00:00Z', '2025-06-14T08:00:00Z'),
      entry('primary', '2025-06-14T08:00:00Z', '2025-06-16T09:00:00Z'),
      entry('secondary', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
      entry('manager', '2025-06-12T00:00:00Z', '2025-06-15T00:00:00Z'),
      entry('manager', '2025-06-14T12:00:00Z', '2025-06-17T00:00:00Z'),
    ];
    expect(coverageGaps(entries, ['E06000005'], window)).toEqual([]);
  });

  it('names each uncovered stretch by area and tier, including a tier with no entry at all and another area', () => {
    const entries = [
      entry('primary', '2025-06-12T08:00:00Z', '2025-06-14T15:00:00Z'),
      entry('primary', '2025-06-15T08:00:00Z', '2025-06-17T00:00:00Z'),
      entry('secondary', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
      entry('manager', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
    ];
    const gaps = coverageGaps(entries, ['E06000005', 'E06000047'], window);
    expect(gaps.filter((g) => g.localAuthority === 'E06000005')).toEqual([
      {
        localAuthority: 'E06000005',
        tier: 'primary',
        from: '2025-06-14T15:00:00.000Z',
        until: '2025-06-15T08:00:00.000Z',
      },
    ]);
    expect(
      gaps.filter((g) => g.localAuthority === 'E06000047').map((g) => [g.tier, g.from, g.until]),
    ).toEqual([
      ['primary', '2025-06-12T11:00:00.000Z', '2025-06-16T08:00:00.000Z'],
      ['secondary', '2025-06-12T11:00:00.000Z', '2025-06-16T08:00:00.000Z'],
      ['manager', '2025-06-12T11:00:00.000Z', '2025-06-16T08:00:00.000Z'],
    ]);
    expect(gapInWords(gaps[0]!)).toBe('primary on call, Sat 14/06 16:00 to Sun 15/06 09:00');
  });
});
