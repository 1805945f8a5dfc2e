/**
 * Recording a custody event, as a specification: the real use case on in-memory ports with the DynamoDB
 * adapters' exactly-once semantics. Friday 20 November 2026, 17:00 in London.
 */
import { describe, expect, it } from 'vitest';
import { cancelled, hmppsRecordable, released, scheduled } from '#test-support/custody-events';
import { inMemoryGatehouse } from '#test-support/in-memory/world';
import { repeatsOf } from '#test-support/in-memory/release-store';

const start = '2026-11-20T17:00:00Z';
const darlington = { la: 'E06000005', prison: 'DMI' };
const movementsAtDmi = { la: 'UNKNOWN', prison: 'DMI' };
const homeless = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'NO_FIXED_ABODE',
  needs: ['HEALTH'],
} satisfies Parameters<typeof released>[2];
const housed = {
  destinationLocalAuthority: 'E06000005',
  accommodation: 'SETTLED',
  aftercarePlan: 'IN_PLACE',
  needs: ['HEALTH'],
} satisfies Parameters<typeof released>[2];

describe('recording a release', () => {
  it('counts the release once, by its area and day, with its classification', async () => {
    const g = inMemoryGatehouse({ start });
    await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    expect(g.tables.counts('releases', darlington, '2026-11-20')).toMatchObject({
      total: 1,
      unplanned: 1,
      lateWeek: 1,
      lateDay: 1,
      noFixedAbode: 1,
      'urgency.CRITICAL': 1,
      'need.HEALTH': 1,
    });
    expect(g.tables.count('releases', {}, '2026-11-20', 'total')).toBe(1);
  });

  it('counts an HMPPS movement once in the movement figures, by prison, on the day it happened', async () => {
    const g = inMemoryGatehouse({ start });
    await g.record(hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00'));
    expect(g.tables.counts('movements', movementsAtDmi, '2026-11-20')).toEqual({
      'kind.RELEASE': 1,
      'release.CONDITIONAL_RELEASE': 1,
    });
    expect(
      g.ports.releases.ledger(
        hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00').eventId,
      ),
    ).toMatchObject({
      movement: 'RELEASED',
      movementKind: 'RELEASE',
      movementCounted: true,
      prisonId: 'DMI',
    });
  });

  it('raises an on-call alert with its escalation policy and a referral for a CRITICAL release, each with its first page in the outbox', async () => {
    const g = inMemoryGatehouse({ start });
    const result = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    const alerts = await Promise.all(result.alertIds.map((id) => g.ports.alerts.load(id)));
    expect(alerts.map((a) => [a!.kind, a!.recipientGroup, a!.status, a!.policy !== undefined])).toEqual([
      ['CRITICAL_RELEASE', 'oncall:E06000005', 'OPEN', true],
      ['REFERRAL', 'services:E06000005', 'OPEN', false],
    ]);
    expect(result.alertIds.map((id) => g.ports.outbox.notice(id, 'page.000')?.status)).toEqual([
      'PENDING',
      'PENDING',
    ]);
    expect(g.tables.counts('alerts', darlington, '2026-11-20')).toEqual({
      raised: 2,
      'raised.CRITICAL_RELEASE': 1,
      'raised.REFERRAL': 1,
    });
  });

  it('raises only a referral for a HIGH release (planned, but with nowhere to live)', async () => {
    const g = inMemoryGatehouse({ start: '2026-11-18T12:00:00Z' });
    await g.record(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-18', homeless));
    const result = await g.record(released('r1', '2026-11-18T10:00:00Z', homeless));
    expect(
      await Promise.all(result.alertIds.map(async (id) => (await g.ports.alerts.load(id))!.kind)),
    ).toEqual(['REFERRAL']);
    expect(g.tables.counts('releases', darlington, '2026-11-18')).toMatchObject({
      planned: 1,
      'urgency.HIGH': 1,
    });
  });

  it("pages nobody for a ROUTINE release with needs: it goes into the services' next digest", async () => {
    const g = inMemoryGatehouse({ start: '2026-11-18T12:00:00Z' });
    await g.record(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-18', housed));
    const result = await g.record(released('r1', '2026-11-18T10:00:00Z', housed));
    expect(result.alertIds).toEqual([]);
    expect(await g.deps.sweep.digests.entries('E06000005', '2026-11-18')).toEqual([
      expect.objectContaining({ caseRef: result.caseRef, needs: ['HEALTH'] }),
    ]);
  });

  it('records and counts an event older than an alert lives, but pages nobody and says it was late', async () => {
    const g = inMemoryGatehouse({ start: '2026-11-25T17:00:00Z' });
    const event = hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00');
    const result = await g.record(event);
    expect(result).toMatchObject({ outcome: 'recorded', late: true, alertIds: [] });
    expect(g.tables.counts('movements', movementsAtDmi, '2026-11-20')).toMatchObject({
      'kind.RELEASE': 1,
      recordedLate: 1,
    });
    expect(g.tables.count('releases', { prison: 'DMI' }, '2026-11-20', 'total')).toBe(1);
    expect(g.ports.releases.ledger(event.eventId)?.late).toBe(true);
  });

  it("pages nobody for a release that is not the partnership's, and counts it only as not ours", async () => {
    const g = inMemoryGatehouse({ start });
    const result = await g.record(
      released('r1', '2026-11-20T16:40:00Z', { ...homeless, destinationLocalAuthority: 'E08000021' }),
    );
    expect(result.alertIds).toEqual([]);
    expect(g.tables.counts('releases', { la: 'E08000021', prison: 'DMI' }, '2026-11-20')).toEqual({
      notOurs: 1,
    });
  });
});

describe('exactly once', () => {
  it('treats a redelivered event as a duplicate: no count, no alert, no notice changes', async () => {
    const g = inMemoryGatehouse({ start });
    const event = hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00');
    const first = await g.record(event);
    const counters = structuredClone([...g.tables.counterItems]);
    const person = await g.ports.releases.loadPerson('A1234BC');
    const again = await g.record(event);
    expect(again).toEqual({ outcome: 'duplicate', eventId: event.eventId, alertIds: [] });
    expect([...g.tables.counterItems]).toEqual(counters);
    expect(await g.ports.releases.loadPerson('A1234BC')).toEqual(person);
    expect(first.alertIds).toHaveLength(2);
    expect(repeatsOf(g.tables, first.alertIds[0]!)).toBe(0);
  });

  it('counts the same release reported by another feed once, and notes the repeat on the alerts without paging again', async () => {
    const g = inMemoryGatehouse({ start });
    const first = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    const second = await g.record(
      hmppsRecordable('prison-offender-events.prisoner.released', '2026-11-20T16:40:00+00:00'),
    );
    expect(second).toMatchObject({ outcome: 'recorded', caseRef: first.caseRef, alertIds: [] });
    expect(g.tables.count('releases', darlington, '2026-11-20', 'total')).toBe(1);
    expect(first.alertIds.map((id) => repeatsOf(g.tables, id))).toEqual([1, 1]);
    expect(await g.ports.outbox.pending(new Date('2026-11-21T00:00:00Z'), 10)).toHaveLength(2);
  });

  it('decides again when another writer changed the person first, and both events count', async () => {
    const g = inMemoryGatehouse({ start });
    // An admission (recorded by another function) lands between this event's read and its commit.
    g.ports.releases.interleave(
      async () =>
        void (await g.record(
          hmppsRecordable('prison-offender-events.prisoner.received', '2026-11-10T11:00:00Z', {
            reason: 'ADMISSION',
          }),
        )),
    );
    const result = await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    expect(g.ports.releases.commits).toEqual({ committed: 2, duplicate: 0, conflict: 1 });
    expect(result).toMatchObject({ outcome: 'recorded', transition: 'opened' });
    expect(g.tables.count('releases', darlington, '2026-11-20', 'total')).toBe(1);
    expect(g.tables.count('movements', movementsAtDmi, '2026-11-10', 'kind.ADMISSION')).toBe(1);
    expect(
      (await g.ports.outbox.pending(new Date('2026-11-21T00:00:00Z'), 10)).map((n) => n.alertId).sort(),
    ).toEqual([...result.alertIds].sort());
  });
});

describe('out of order', () => {
  it('lets a release stand when its cancellation arrives afterwards but was sent before it', async () => {
    const g = inMemoryGatehouse({ start });
    await g.record(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', homeless));
    await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    await g.record(cancelled('c1', '2026-11-19T09:00:00Z', '2026-11-20'));
    expect((await g.ports.releases.loadPerson('A1234BC'))!.cases[0]).toMatchObject({ status: 'RELEASED' });
    expect(g.tables.count('releases', darlington, '2026-11-20', 'total')).toBe(1);
  });

  it('moves a release from unplanned to planned when its schedule arrives late, counting it once', async () => {
    const g = inMemoryGatehouse({ start });
    await g.record(released('r1', '2026-11-20T16:40:00Z', homeless));
    expect(g.tables.counts('releases', darlington, '2026-11-20')).toMatchObject({ total: 1, unplanned: 1 });
    await g.record(scheduled('s1', '2026-11-16T09:00:00Z', '2026-11-20', homeless));
    const counts = g.tables.counts('releases', darlington, '2026-11-20');
    expect(counts).toMatchObject({ total: 1, planned: 1 });
    expect(counts.unplanned).toBeUndefined();
  });
});
