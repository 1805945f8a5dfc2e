import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { manualClock } from '#test-support/clock';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;

describe('the sweeper: pre-release warnings and daily digests', () => {
  const clock = manualClock('2026-11-16T09:00:00Z'); // Monday
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse({ clock, sweepEveryMs: 0 });
  });
  afterAll(() => gatehouse.stop());

  const outbox = async (template: string) =>
    (await readOutbox(gatehouse.outboxFile)).filter((m) => m.template === template);

  it('warns the accommodation service, once, of a release within two working days that still has no accommodation', async () => {
    await postJson(`${gatehouse.url}/custody-events`, [
      {
        eventId: 'sw-1',
        eventType: 'release.scheduled',
        occurredAt: '2026-11-16T08:00:00Z',
        prisonId: 'DMI',
        person: { prisonNumber: 'W1000AA' },
        release: { scheduledFor: '2026-11-18', destinationLocalAuthority: 'E06000005', needs: ['HEALTH'] },
      },
      {
        eventId: 'sw-2',
        eventType: 'release.scheduled',
        occurredAt: '2026-11-16T08:00:00Z',
        prisonId: 'DMI',
        person: { prisonNumber: 'W2000BB' },
        release: {
          scheduledFor: '2026-11-18',
          destinationLocalAuthority: 'E06000005',
          accommodation: 'SETTLED',
        },
      },
      {
        eventId: 'sw-3',
        eventType: 'release.scheduled',
        occurredAt: '2026-11-16T08:00:00Z',
        prisonId: 'DMI',
        person: { prisonNumber: 'W3000CC' },
        release: { scheduledFor: '2026-11-25', destinationLocalAuthority: 'E06000005' },
      },
    ]);
    await gatehouse.settle();
    const caseRef = (await getJson(`${gatehouse.url}/cases/W1000AA`)).body.current.caseRef;

    expect((await gatehouse.sweep()).warnings).toBe(1);
    expect((await gatehouse.sweep()).warnings).toBe(0);
    await gatehouse.settle();
    const warnings = await outbox('warning');
    expect(warnings.map((m) => m.recipient)).toEqual(['darlington-housing-options']);
    expect(warnings[0]!.text).toBe(
      `Gatehouse warning: case ${caseRef} is due for release Wed 18/11 from HMP Durham to Darlington. No accommodation recorded for the release. Needs: health. Acknowledge: ${/Acknowledge: (\S+)/.exec(warnings[0]!.text)![1]}`,
    );
  });

  it("sends each service one digest of the day before's ROUTINE releases with needs it covers, from 08:00", async () => {
    const routine = (id: string, prisonNumber: string, needs: string[], releasedAt: string) => [
      {
        eventId: `${id}-s`,
        eventType: 'release.scheduled',
        occurredAt: '2026-11-16T08:00:00Z',
        prisonId: 'DMI',
        person: { prisonNumber },
        release: {
          scheduledFor: '2026-11-17',
          destinationLocalAuthority: 'E06000005',
          accommodation: 'SETTLED',
          aftercarePlan: 'IN_PLACE',
          needs,
        },
      },
      {
        eventId: `${id}-r`,
        eventType: 'prisoner.released',
        occurredAt: releasedAt,
        prisonId: 'DMI',
        person: { prisonNumber },
        release: { releasedAt },
      },
    ];
    await postJson(`${gatehouse.url}/custody-events`, [
      ...routine('dg-1', 'R1000AA', ['HEALTH'], '2026-11-17T10:15:00Z'),
      ...routine('dg-2', 'R2000BB', ['HEALTH', 'DRUGS_AND_ALCOHOL'], '2026-11-17T11:30:00Z'),
    ]);
    await gatehouse.settle();
    expect((await getJson(`${gatehouse.url}/cases/R1000AA`)).body.current.classification.urgency).toBe(
      'ROUTINE',
    );

    clock.advance(46 * 60 + 59); // Wednesday 07:59
    expect((await gatehouse.sweep()).digests).toBe(0);
    clock.advance(6);
    expect((await gatehouse.sweep()).digests).toBe(2);
    expect((await gatehouse.sweep()).digests).toBe(0);
    await gatehouse.settle();

    const digests = await outbox('digest');
    expect(digests.map((m) => [m.recipient, m.subject]).sort()).toEqual([
      ['darlington-mental-health', 'Gatehouse digest: 2 release(s) to Darlington Tue 17/11'],
      ['darlington-recovery', 'Gatehouse digest: 1 release(s) to Darlington Tue 17/11'],
    ]);
  });
});
