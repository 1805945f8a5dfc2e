/**
 * A realistic day at HMP Durham, Friday 14 March 2025, as HMPPS sends it: 43 movements over SNS (releases of several
 * kinds, court runs and returns, transfers, temporary absences, an admission, a recall, a death, an abscond, a merge,
 * a hospital detention, a deportation, releases from two prisons Gatehouse does not watch), with the week's schedules
 * from HMP Durham before it. The test says exactly who is paged and referred, and what the board's figures become;
 * then a month of old events is replayed and pages nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox, type OutboxEntry } from '#adapters/channels/local-outbox';
import { hmpps, scheduled, snsWrapped } from '#test-support/custody-events';
import { runningFrom } from '#test-support/clock';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;
const released = 'prison-offender-events.prisoner.released' as const;
const received = 'prison-offender-events.prisoner.received' as const;

/** One HMPPS movement, wrapped as SNS delivers it. */
function movement(
  type: typeof released | typeof received | 'prisoner-offender-search.prisoner.released',
  at: string,
  nomsNumber: string,
  reason: string,
  code?: string,
  prisonId = 'DMI',
) {
  const out = type !== received;
  return snsWrapped(
    hmpps(type, at, {
      nomsNumber,
      prisonId,
      reason,
      nomisMovementReasonCode: code,
      details: code ? `Movement reason code ${code}` : undefined,
      currentLocation: out ? 'OUTSIDE_PRISON' : 'IN_PRISON',
      currentPrisonStatus:
        out && ['RELEASED', 'RELEASED_TO_HOSPITAL'].includes(reason)
          ? 'NOT_UNDER_PRISON_CARE'
          : 'UNDER_PRISON_CARE',
    }),
  );
}

const durham = 'E06000047';
const darlington = 'E06000005';

/** Monday: what HMP Durham told Gatehouse about the week's releases (custody events v1). */
const schedules = [
  scheduled(
    'dmi-w11-01',
    '2025-03-10T09:00:00Z',
    '2025-03-14',
    {
      destinationLocalAuthority: darlington,
      accommodation: 'NO_FIXED_ABODE',
      aftercarePlan: 'NONE',
      needs: ['DRUGS_AND_ALCOHOL'],
    },
    'D1001AA',
  ),
  scheduled(
    'dmi-w11-02',
    '2025-03-10T09:00:00Z',
    '2025-03-14',
    { destinationLocalAuthority: durham, accommodation: 'SETTLED', aftercarePlan: 'IN_PLACE' },
    'D1002AA',
  ),
  scheduled(
    'dmi-w11-03',
    '2025-03-10T09:00:00Z',
    '2025-03-14',
    { destinationLocalAuthority: durham, aftercarePlan: 'NONE', needs: ['EDUCATION_SKILLS_AND_WORK'] },
    'D1003AA',
  ),
  scheduled(
    'dmi-w11-06',
    '2025-03-10T09:00:00Z',
    '2025-03-14',
    { destinationLocalAuthority: 'E08000021', accommodation: 'NO_FIXED_ABODE', aftercarePlan: 'NONE' },
    'D1006AA',
  ),
  scheduled(
    'dmi-w11-07',
    '2025-03-10T09:00:00Z',
    '2025-03-20',
    { destinationLocalAuthority: durham, accommodation: 'NO_FIXED_ABODE' },
    'D1007AA',
  ),
  scheduled(
    'dmi-w11-12',
    '2025-03-10T09:00:00Z',
    '2025-03-14',
    { destinationLocalAuthority: durham, accommodation: 'SETTLED', aftercarePlan: 'IN_PLACE' },
    'D1012AA',
  ),
];

const courtRuns = ['D1015AA', 'D1016AA', 'D1017AA', 'D1018AA', 'D1019AA', 'D1026AA', 'D1027AA', 'D1028AA'];

/** Friday 14 March 2025 at HMP Durham (and two other prisons), in the order HMPPS published it. */
const day = [
  movement(released, '2025-03-14T05:45:00Z', 'D1011AA', 'RELEASED', 'DE'), // deported
  movement(released, '2025-03-14T06:12:41.118402+00:00', 'D1007AA', 'RELEASED', 'DEC'), // died; his release next week is closed
  movement(released, '2025-03-14T07:03:50.912169+00:00', 'D1009AA', 'RELEASED', 'MRG'), // two records merged
  movement(released, '2025-03-14T08:00:00Z', 'D1024AA', 'TEMPORARY_ABSENCE_RELEASE', 'C3'),
  movement(released, '2025-03-14T08:02:00Z', 'D1025AA', 'TEMPORARY_ABSENCE_RELEASE', 'C3'),
  movement(released, '2025-03-14T08:05:00Z', 'D1004AA', 'SENT_TO_COURT', 'CRT'), // released from court this afternoon
  ...courtRuns.map((n, i) =>
    movement(released, `2025-03-14T08:${String(10 + i * 2).padStart(2, '0')}:00Z`, n, 'SENT_TO_COURT', 'CRT'),
  ),
  movement(released, '2025-03-14T08:45:00Z', 'D1020AA', 'TRANSFERRED', 'NOTR'),
  movement(released, '2025-03-14T08:50:00Z', 'D1021AA', 'TRANSFERRED', 'NOTR'),
  movement(released, '2025-03-14T09:20:00Z', 'D1003AA', 'RELEASED', 'HD'), // home detention curfew
  movement(released, '2025-03-14T09:40:00Z', 'D1012AA', 'RELEASED', 'ECSL'),
  movement('prisoner-offender-search.prisoner.released', '2025-03-14T10:15:00Z', 'D1002AA', 'RELEASED'),
  movement(released, '2025-03-14T10:15:00Z', 'D1002AA', 'RELEASED', 'CR'),
  movement(released, '2025-03-14T10:30:00Z', 'S2001AA', 'RELEASED', 'CR', 'SHI'), // HMP Stoke Heath, destination unknown
  movement(released, '2025-03-14T10:40:00Z', 'W3001AA', 'RELEASED', 'CR', 'WEI'), // HMP Wealstun, destination unknown
  movement(released, '2025-03-14T11:00:00Z', 'D1006AA', 'RELEASED', 'CR'), // to Newcastle: outside the partnership
  movement(released, '2025-03-14T11:30:00Z', 'D1010AA', 'RELEASED', 'HO'), // sectioned to a secure hospital
  movement(received, '2025-03-14T13:10:00Z', 'D1022AA', 'TRANSFERRED', 'INT'),
  movement(received, '2025-03-14T13:40:00Z', 'D1023AA', 'TRANSFERRED', 'INT'),
  movement(released, '2025-03-14T14:02:09.5+00:00', 'D1008AA', 'RELEASED', 'UAL'), // absconded
  movement(released, '2025-03-14T15:10:00Z', 'D1004AA', 'RELEASED', 'CR'), // from court, nothing known
  movement(received, '2025-03-14T15:45:00Z', 'D1014AA', 'ADMISSION', 'L'), // recalled on licence
  ...courtRuns.map((n, i) =>
    movement(received, `2025-03-14T16:${String(i * 3).padStart(2, '0')}:00Z`, n, 'RETURN_FROM_COURT', 'CRT'),
  ),
  movement('prisoner-offender-search.prisoner.released', '2025-03-14T16:40:00Z', 'D1001AA', 'RELEASED'),
  movement(released, '2025-03-14T16:40:00Z', 'D1001AA', 'RELEASED', 'CR'), // late on a Friday, no fixed abode
  movement(released, '2025-03-14T16:55:00Z', 'D1005AA', 'RELEASED', 'XQ7'), // a code nobody knows
  movement(received, '2025-03-14T18:00:00Z', 'D1024AA', 'TEMPORARY_ABSENCE_RETURN', 'C3'),
  movement(received, '2025-03-14T18:05:00Z', 'D1025AA', 'TEMPORARY_ABSENCE_RETURN', 'C3'),
  movement(received, '2025-03-14T18:40:00Z', 'D1013AA', 'ADMISSION', 'N'), // remanded
];

describe('a Friday at HMP Durham, as HMPPS sends it', () => {
  let gatehouse: Gatehouse;
  let outbox: OutboxEntry[];
  beforeAll(async () => {
    // Friday 14 March 2025, 19:30: every movement of the day is within an alert's lifetime.
    gatehouse = await testGatehouse({ clock: runningFrom('2025-03-14T19:30:00Z'), sweepEveryMs: 0 });
    expect((await postJson(`${gatehouse.url}/custody-events`, schedules)).status).toBe(202);
    await gatehouse.settle();
    // HMPPS delivers at least once: the Friday release arrives twice.
    const bodies = [...day, day.at(-5)!].map((b) => JSON.stringify(b));
    await gatehouse.custodyQueue.send(bodies);
    await gatehouse.settle();
    outbox = await readOutbox(gatehouse.outboxFile);
  }, 120_000);
  afterAll(() => gatehouse.stop());

  const figures = async (query: Record<string, string>) =>
    (
      await getJson(
        `${gatehouse.url}/aggregates?${new URLSearchParams({ from: '2025-03-14', to: '2025-03-14', ...query })}`,
      )
    ).body.totals as Record<string, number>;
  const caseOf = async (prisonNumber: string) =>
    (await getJson(`${gatehouse.url}/cases/${prisonNumber}`)).body;

  it('plays at least 40 movements, and parks none', () => {
    expect(day.length).toBeGreaterThanOrEqual(40);
    expect(gatehouse.deadLetters.custody.messages).toEqual([]);
  });

  it('pages three on-call workers: the late Friday release to Darlington, the release from court and the unknown code', async () => {
    const pages = outbox.filter((e) => e.template === 'critical' && e.notice === 'page.000');
    const caseRefs = await Promise.all(
      ['D1001AA', 'D1004AA', 'D1005AA'].map(async (n) => (await caseOf(n)).current.caseRef as string),
    );
    expect(pages.map((p) => [caseRefs.find((ref) => p.text.includes(ref)), p.recipientLabel]).sort()).toEqual(
      [
        [caseRefs[0], 'Darlington out-of-hours housing'],
        [caseRefs[1], 'County Durham out-of-hours housing'], // area not known, from a watched prison: the fallback
        [caseRefs[2], 'County Durham out-of-hours housing'],
      ].sort(),
    );
  });

  it('refers exactly the releases that need a service, to that service', async () => {
    const referrals = outbox.filter((e) => e.template === 'referral');
    const labelsFor = async (n: string) => {
      const ref = (await caseOf(n)).current.caseRef as string;
      return referrals
        .filter((r) => r.text.includes(ref))
        .map((r) => r.recipientLabel)
        .sort();
    };
    expect(await labelsFor('D1001AA')).toEqual([
      'Darlington drug and alcohol recovery service',
      'Darlington housing options',
    ]);
    expect(await labelsFor('D1003AA')).toEqual(['County Durham employment support']); // HDC: housed, but no aftercare plan
    expect(await labelsFor('D1004AA')).toEqual(['County Durham housing solutions']);
    expect(await labelsFor('D1005AA')).toEqual(['County Durham housing solutions']);
    expect(referrals).toHaveLength(5);
  });

  it("pages nobody for the deaths, absconds, merges, hospital, deportation, transfers, courts and absences, nor for other prisons' releases", async () => {
    const everyone = new Set(outbox.map((e) => e.text));
    for (const n of [
      'D1007AA',
      'D1008AA',
      'D1009AA',
      'D1010AA',
      'D1011AA',
      'S2001AA',
      'W3001AA',
      'D1006AA',
      'D1002AA',
      'D1012AA',
    ]) {
      const view = await caseOf(n);
      for (const c of view.cases ?? [])
        expect(
          [...everyone].some((t) => t.includes(c.caseRef)),
          n,
        ).toBe(false);
    }
    expect(outbox).toHaveLength(3 + 5);
  });

  it('closes the scheduled release of the man who died, and keeps what each movement was', async () => {
    expect((await caseOf('D1007AA')).cases).toMatchObject([
      { status: 'CLOSED', closedBecause: 'DIED', scheduledFor: '2025-03-20' },
    ]);
    expect((await caseOf('D1008AA')).movements).toMatchObject([
      { kind: 'ABSCONDED', code: 'UAL', reviewNeeded: false },
    ]);
    expect((await caseOf('D1005AA')).reviewNeeded).toMatchObject([{ kind: 'RELEASE', code: 'XQ7' }]);
    expect((await caseOf('D1004AA')).current).toMatchObject({
      kind: 'FROM_COURT',
      classification: { flags: { unplanned: true } },
    });
    expect((await caseOf('S2001AA')).current).toMatchObject({ ours: false, whose: 'NOT_OURS' });
  });

  it("counts the partnership's releases on the board, and the others apart", async () => {
    const board = await figures({});
    expect(board).toMatchObject({
      total: 6,
      planned: 4,
      unplanned: 2,
      lateWeek: 6,
      lateDay: 3,
      'kind.CONDITIONAL_RELEASE': 2,
      'kind.HDC': 1,
      'kind.ECSL': 1,
      'kind.FROM_COURT': 1,
      'kind.OTHER': 1,
      notOurs: 3,
      'urgency.CRITICAL': 3,
    });
    const toDarlington = await figures({ la: darlington });
    expect(toDarlington).toMatchObject({ total: 1, planned: 1, lateWeekLateDay: 1, noFixedAbode: 1 });
    expect(toDarlington.unplanned).toBeUndefined(); // counters never written read as absent
    expect((await figures({ prison: 'SHI' })).notOurs).toBe(1);
    expect((await figures({ prison: 'WEI' })).notOurs).toBe(1);
    expect((await figures({ prison: 'SHI' })).total).toBeUndefined();
    const rates = (
      await getJson(
        `${gatehouse.url}/aggregates?${new URLSearchParams({ from: '2025-03-14', to: '2025-03-14', granularity: 'total', metric: 'releases.unplanned.rate' })}`,
      )
    ).body;
    expect(JSON.stringify(rates)).toContain('"numerator":2,"denominator":6');
  });

  it('counts every movement by kind and prison, each once', async () => {
    expect(await figures({ family: 'movements', prison: 'DMI' })).toEqual({
      'kind.RELEASE': 7,
      'release.CONDITIONAL_RELEASE': 4, // the release from court had code CR: HMPPS's code, the case's kind is FROM_COURT
      'release.HDC': 1,
      'release.ECSL': 1,
      'release.OTHER': 1,
      'kind.DIED': 1,
      'kind.ABSCONDED': 1,
      'kind.MERGE': 1,
      'kind.HOSPITAL': 1,
      'kind.IMMIGRATION': 1,
      'kind.COURT_OUT': 9,
      'kind.COURT_RETURN': 8,
      'kind.TRANSFER_OUT': 2,
      'kind.TRANSFER_IN': 2,
      'kind.TEMPORARY_ABSENCE_OUT': 2,
      'kind.TEMPORARY_ABSENCE_RETURN': 2,
      'kind.ADMISSION': 1,
      'kind.RECALL': 1,
      'kind.UNCONFIRMED_RELEASE': 2,
      reviewNeeded: 1,
    });
    expect(await figures({ family: 'movements', prison: 'SHI' })).toEqual({
      'kind.RELEASE': 1,
      'release.CONDITIONAL_RELEASE': 1,
    });
  });

  it('keeps the Friday release from court unplanned when a schedule for that day arrives afterwards', async () => {
    const before = (await readOutbox(gatehouse.outboxFile)).length;
    await postJson(`${gatehouse.url}/custody-events`, [
      scheduled('dmi-late-04', '2025-03-14T19:00:00Z', '2025-03-14', { accommodation: 'UNKNOWN' }, 'D1004AA'),
    ]);
    await gatehouse.settle();
    expect((await caseOf('D1004AA')).current).toMatchObject({
      classification: { flags: { unplanned: true } },
    });
    expect((await figures({})).unplanned).toBe(2);
    expect(await readOutbox(gatehouse.outboxFile)).toHaveLength(before);
  });

  it("pages nobody when a month of February's movements is replayed, and counts them on their own dates", async () => {
    const before = (await readOutbox(gatehouse.outboxFile)).length;
    const february = Array.from({ length: 28 }, (_, i) => {
      const date = `2025-02-${String(i + 1).padStart(2, '0')}`;
      return [
        movement(released, `${date}T16:30:00Z`, `R${String(1000 + i)}AA`, 'RELEASED', 'CR'),
        movement(released, `${date}T09:00:00Z`, `R${String(1000 + i)}BB`, 'SENT_TO_COURT', 'CRT'),
      ];
    }).flat();
    const ancient = movement(released, '2010-06-04T15:00:00+01:00', 'R9999ZZ', 'RELEASED', 'CR');
    await gatehouse.custodyQueue.send([...february, ancient].map((b) => JSON.stringify(b)));
    await gatehouse.settle();
    expect(await readOutbox(gatehouse.outboxFile)).toHaveLength(before);
    const month = (
      await getJson(
        `${gatehouse.url}/aggregates?${new URLSearchParams({ from: '2025-02-01', to: '2025-02-28' })}`,
      )
    ).body.totals;
    expect(month).toMatchObject({ total: 28, unplanned: 28 });
    const moved = (
      await getJson(
        `${gatehouse.url}/aggregates?${new URLSearchParams({ family: 'movements', from: '2025-02-01', to: '2025-02-28' })}`,
      )
    ).body.totals;
    expect(moved).toMatchObject({ 'kind.RELEASE': 28, 'kind.COURT_OUT': 28, recordedLate: 56 });
    expect(
      (
        await getJson(
          `${gatehouse.url}/aggregates?${new URLSearchParams({ from: '2010-06-04', to: '2010-06-04' })}`,
        )
      ).body.totals,
    ).toMatchObject({ total: 1 });
  });
});
