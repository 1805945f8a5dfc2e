/**
 * A gap in the on-call rota before a weekend warns the rota's owner and the area's manager by GOV.UK Notify
 * (issue 14), through the outbox, exactly once per gap per check: sweeps that run one after another, at the same
 * moment, or after one that died mid-send, send each person each warning once. DynamoDB Local; the channel is the
 * scripted Notify stand-in of the outbox world.
 */
import { describe, expect, it } from 'vitest';
import { outboxWorld } from '#test-support/outbox-world';

// Thursday 12 June 2025, 12:05 in London: the check runs from 12:00 and looks until 09:00 on Monday 16 June.
const thursdayNoon = '2025-06-12T11:05:00Z';
const darlington = (tier: 'primary' | 'secondary' | 'manager', start: string, end: string) => ({
  localAuthority: 'E06000005',
  tier,
  start,
  end,
  channel: 'sms' as const,
  address: '07700900700',
  displayName: 'Sam Example',
  source: 'test',
});
const coverDarlingtonButSaturdayNight = [
  darlington('primary', '2025-06-12T08:00:00Z', '2025-06-14T16:00:00Z'),
  darlington('secondary', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
  darlington('manager', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'),
];
const darlingtonGap = 'rotagap-20250612-E06000005-primary-20250614T160000Z';

async function worldWithGaps() {
  const world = await outboxWorld(thursdayNoon);
  await world.rota.save(coverDarlingtonButSaturdayNight);
  const warnings = () => world.channel.accepted.filter((m) => m.notice === 'rotagap.000');
  /** How many times each (warning, person) was accepted by Notify. */
  const sentTo = () => {
    const counts: Record<string, number> = {};
    for (const m of warnings())
      counts[`${m.alertId} ${m.recipient.id}`] = (counts[`${m.alertId} ${m.recipient.id}`] ?? 0) + 1;
    return counts;
  };
  return { world, warnings, sentTo };
}

describe('rota-gap warnings', () => {
  it('warn the rota owner and the area manager of each gap, once, whatever the later sweeps of the day find', async () => {
    const { world, warnings, sentTo } = await worldWithGaps();
    const first = await world.sweep();
    // Darlington: Saturday 17:00 to Monday 09:00 without a primary; County Durham has no rota at all (three tiers).
    expect(first.rotaGapWarnings).toMatchObject({
      written: 4,
      sent: 4,
      postponed: 0,
      nobodyToWarn: 0,
      errors: [],
    });
    expect(sentTo()).toMatchObject({
      [`${darlingtonGap} darlington-rota-coordinator`]: 1,
      [`${darlingtonGap} darlington-housing-manager`]: 1,
    });
    expect(
      Object.keys(sentTo())
        .filter((k) => k.includes('E06000047'))
        .map((k) => k.split(' ')[1])
        .sort(),
    ).toEqual([
      'durham-housing-manager',
      'durham-housing-manager',
      'durham-housing-manager',
      'durham-rota-coordinator',
      'durham-rota-coordinator',
      'durham-rota-coordinator',
    ]);

    const toOwner = warnings().find(
      (m) => m.alertId === darlingtonGap && m.recipient.id === 'darlington-rota-coordinator',
    )!;
    expect(toOwner).toMatchObject({
      template: 'rota_gap',
      personalisation: {
        area: 'Darlington',
        tier: 'primary',
        from: 'Sat 14/06 17:00',
        until: 'Mon 16/06 09:00',
      },
    });
    expect(toOwner.text).toBe(
      'Gatehouse: the Darlington on-call rota has nobody primary on call from Sat 14/06 17:00 to Mon 16/06 09:00. Please add cover to the on-call rota file before then.',
    );
    // Nothing about anyone on the rota: not their name, not their number.
    for (const m of warnings())
      expect(
        JSON.stringify({ text: m.text, personalisation: m.personalisation, reference: m.reference }),
      ).not.toMatch(/Sam Example|07700|@/);
    expect(await world.rotaGapWarning(darlingtonGap)).toMatchObject({
      status: 'DONE',
      localAuthority: 'E06000005',
      tier: 'primary',
    });
    expect((await world.rotaGapWarning(darlingtonGap))!.duePartition).toBeUndefined();

    // The sweep runs every minute all afternoon: the same gaps are reported, and nobody is told again.
    for (let minute = 0; minute < 5; minute++) {
      world.clock.advance(1);
      const later = await world.sweep();
      expect(later.rotaGaps.map((g) => `${g.localAuthority} ${g.tier}`)).toContain('E06000005 primary');
      expect(later.rotaGapWarnings).toMatchObject({ written: 0, sent: 0 });
    }
    expect(warnings()).toHaveLength(8);
    expect(Object.values(sentTo()).every((n) => n === 1)).toBe(true);
  });

  it('are sent once when two sweeps run at the same moment', async () => {
    const { world, sentTo } = await worldWithGaps();
    const [a, b] = await Promise.all([world.sweep(), world.sweep()]);
    expect(a.rotaGapWarnings!.written + b.rotaGapWarnings!.written).toBe(4);
    // Each person's delivery is claimed: whichever sweep lost a claim leaves it to the one sending it.
    await Promise.all([world.sweep(), world.sweep()]);
    world.clock.advance(3);
    await world.sweep();
    expect(Object.keys(sentTo())).toHaveLength(8);
    expect(Object.values(sentTo()).every((n) => n === 1)).toBe(true);
  });

  it('stay in the outbox when Notify fails or a sweep dies mid-send, and go out once from a later sweep', async () => {
    const { world, sentTo } = await worldWithGaps();
    // The first send hangs (the sweeper is killed holding it); then Notify answers 500 four times.
    world.channel.plan('hang');
    void world.sweep();
    await world.channel.hanging();
    world.channel.plan(500, 500, 500, 500);
    world.clock.advance(1);
    const second = await world.sweep();
    expect(second.rotaGapWarnings!.postponed).toBeGreaterThanOrEqual(1);
    expect(second.rotaGapWarnings!.errors.join('\n')).not.toMatch(/07700|@/);

    // After the dead sweep's claim lapses (2 minutes) and the backoff, everything is sent, once.
    for (let minute = 0; minute < 20; minute++) {
      world.clock.advance(1);
      await world.sweep();
    }
    expect(Object.keys(sentTo())).toHaveLength(8);
    expect(Object.values(sentTo()).every((n) => n === 1)).toBe(true);
    const hung = world.channel.calls[0]!;
    expect(sentTo()[`${hung.alertId} ${hung.recipient.id}`]).toBe(1);
  });

  it('expire, unsent, once the gap is over', async () => {
    const { world } = await worldWithGaps();
    // Notify refuses everything for passing reasons until Monday.
    world.channel.plan(...Array.from({ length: 400 }, () => 503));
    await world.sweep();
    world.clock.advance((Date.parse('2025-06-16T08:30:00Z') - world.clock().getTime()) / 60_000); // Monday 09:30 in London: every gap of Thursday's check has ended
    const monday = await world.sweep();
    expect(monday.rotaGapWarnings!.expired).toBe(4);
    expect(await world.rotaGapWarning(darlingtonGap)).toMatchObject({ status: 'EXPIRED' });
    const deliveries = await world.deliveries(darlingtonGap);
    expect(deliveries.map((d) => d.status)).toEqual(['EXPIRED', 'EXPIRED']);
  });
});
