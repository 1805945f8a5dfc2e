/**
 * Ingesting a partner file, as a specification: each row validated alone and refused with its reason, each
 * accepted row applied once, whatever is redelivered or retried. The real use case (through its public entry)
 * on in-memory ports; files received on Monday 16 November 2026.
 */
import { describe, expect, it } from 'vitest';
import type { IngestDependencies } from '#use-cases/ingest-partner-file';
import { ingestPartnerFile } from '#use-cases/ingest-partner-file';
import { inMemoryGatehouse } from '#test-support/in-memory/world';

const start = '2026-11-16T10:00:00Z';
const receivedAt = '2026-11-16T09:59:00Z';
const files = (g: ReturnType<typeof inMemoryGatehouse>, partner: string, kind: string) =>
  g.tables.counts('files', { partner, kind }, '2026-11-16');

describe('rows', () => {
  it('applies every valid row of a release schedule through the record use case, and archives the file', async () => {
    const g = inMemoryGatehouse({ start });
    const csv =
      'prison_number,prison_id,scheduled_for,destination_local_authority,accommodation,aftercare_plan,needs\nA1234BC,DMI,2026-11-20,E06000005,NO_FIXED_ABODE,NONE,HEALTH\nB2345CD,DMI,2026-11-23,E06000047,SETTLED,IN_PLACE,\n';
    const result = await g.ingest(
      g.ports.drops.put('incoming/probation-durham/release-schedule/week 47.csv', csv, receivedAt),
    );
    expect(result.report).toMatchObject({
      outcome: 'accepted',
      rows: { total: 2, accepted: 2, rejected: 0 },
      rejections: [],
    });
    expect((await g.ports.releases.loadPerson('A1234BC'))!.cases[0]).toMatchObject({
      status: 'SCHEDULED',
      scheduledFor: '2026-11-20',
      circumstances: { accommodation: 'NO_FIXED_ABODE' },
    });
    expect((await g.ports.releases.loadPerson('B2345CD'))!.cases[0]).toMatchObject({
      status: 'SCHEDULED',
      scheduledFor: '2026-11-23',
    });
    // Each recorded fact says it came from a partner's file (the case shows where its facts came from).
    const facts = (await g.ports.releases.loadPerson('A1234BC'))!.facts ?? [];
    expect(facts.map((f) => ('toldBy' in f ? f.toldBy : undefined))).toEqual(['partner-file']);
    expect(files(g, 'probation-durham', 'release-schedule')).toEqual({
      received: 1,
      accepted: 1,
      rowsAccepted: 2,
    });
    expect(g.ports.drops.moves).toEqual([
      {
        from: 'incoming/probation-durham/release-schedule/week 47.csv',
        to: 'archive/probation-durham/release-schedule/2026-11-16/week 47.csv',
      },
    ]);
    expect(
      g.ports.drops.reports.get('reports/probation-durham/release-schedule/week 47.report.json'),
    ).toMatchObject({ outcome: 'accepted' });
  });

  it('refuses each invalid row alone with its line, column, value and reason, and counts the valid ones', async () => {
    const g = inMemoryGatehouse({ start });
    const csv = [
      'prison_number,release_date,local_authority,night1,day7,day28,week12',
      'C1000AA,2026-11-20,E06000005,NO_FIXED_ABODE,,,',
      'C1000A,2026-11-20,E06000005,SETTLED,,,',
      'C1000BB,31/02/2026,E06000005,HOSTEL,,,',
      'C1000CC,2026-11-20,E06000047,,,,',
      'C1000DD,2026-11-20,E06000047,cas3,Temporary,,',
    ].join('\n');
    const { report } = await g.ingest(
      g.ports.drops.put(
        'incoming/accommodation-providers/accommodation-outcome/outcomes.csv',
        csv,
        receivedAt,
      ),
    );
    expect(report).toMatchObject({
      outcome: 'partiallyAccepted',
      rows: { total: 5, accepted: 2, rejected: 3 },
      rejectionsNotListed: 0,
    });
    expect(report!.rejections).toEqual([
      {
        line: 3,
        column: 'prison_number',
        value: 'C1000A',
        reason: 'expected a prison (NOMS) number such as A1234BC',
      },
      { line: 4, column: 'release_date', value: '31/02/2026', reason: 'expected a date as YYYY-MM-DD' },
      {
        line: 4,
        column: 'night1',
        value: 'HOSTEL',
        reason: 'expected one of SETTLED, TEMPORARY, APPROVED_PREMISES, CAS3, NO_FIXED_ABODE, UNKNOWN',
      },
      {
        line: 5,
        column: 'night1',
        value: '',
        reason: 'expected a status in at least one of night1, day7, day28, week12',
      },
    ]);
    expect(g.tables.counts('accommodation', { la: 'E06000005' }, '2026-11-20')).toEqual({
      'night1.NO_FIXED_ABODE': 1,
      'night1.total': 1,
    });
    expect(g.tables.counts('accommodation', { la: 'E06000047' }, '2026-11-20')).toEqual({
      'night1.CAS3': 1,
      'night1.total': 1,
      'day7.TEMPORARY': 1,
      'day7.total': 1,
    });
    expect(files(g, 'accommodation-providers', 'accommodation-outcome')).toEqual({
      received: 1,
      partiallyAccepted: 1,
      rowsAccepted: 2,
      rowsRejected: 3,
    });
  });

  it("refuses rota rows for an area that is not the partner's own, and puts its own area's rows on the rota", async () => {
    const g = inMemoryGatehouse({ start });
    const csv =
      'local_authority,tier,start,end,channel,address\nE06000047,primary,2026-11-27T17:00:00Z,2026-11-30T09:00:00Z,sms,07700900457\nE06000005,primary,2026-11-27T17:00:00Z,2026-11-30T09:00:00Z,sms,07700900458\n';
    const { report } = await g.ingest(
      g.ports.drops.put('incoming/durham-housing/on-call-rota/both-areas.csv', csv, receivedAt),
    );
    expect(report!.rejections).toEqual([
      {
        line: 3,
        column: 'local_authority',
        value: 'E06000005',
        reason: 'durham-housing may set the on-call rota only for E06000047',
      },
    ]);
    expect((await g.ports.rota.entries('E06000047')).map((e) => [e.tier, e.address])).toEqual([
      ['primary', '+447700900457'],
    ]);
    expect(await g.ports.rota.entries('E06000005')).toEqual([]);
  });

  it("moves a person's accommodation figures when a later file changes the outcome, rather than counting it twice", async () => {
    const g = inMemoryGatehouse({ start });
    await g.ingest(
      g.ports.drops.put(
        'incoming/darlington-housing/accommodation-outcome/night1.csv',
        'prison_number,release_date,local_authority,night1\nR1000AA,2026-12-04,E06000005,NO_FIXED_ABODE\n',
        receivedAt,
      ),
    );
    await g.ingest(
      g.ports.drops.put(
        'incoming/accommodation-providers/accommodation-outcome/week1.csv',
        'prison_number,release_date,local_authority,night1,day7\nR1000AA,2026-12-04,E06000005,TEMPORARY,CAS3\n',
        receivedAt,
      ),
    );
    expect(g.tables.counts('accommodation', { la: 'E06000005' }, '2026-12-04')).toEqual({
      'night1.TEMPORARY': 1,
      'night1.total': 1,
      'day7.CAS3': 1,
      'day7.total': 1,
    });
  });
  it('keeps what an earlier file said at a checkpoint a later file leaves empty', async () => {
    const g = inMemoryGatehouse({ start });
    await g.ingest(
      g.ports.drops.put(
        'incoming/darlington-housing/accommodation-outcome/night1.csv',
        'prison_number,release_date,local_authority,night1\nR1000AA,2026-12-04,E06000005,NO_FIXED_ABODE\n',
        receivedAt,
      ),
    );
    await g.ingest(
      g.ports.drops.put(
        'incoming/accommodation-providers/accommodation-outcome/week1.csv',
        'prison_number,release_date,local_authority,night1,day7\nR1000AA,2026-12-04,E06000005,,CAS3\n',
        receivedAt,
      ),
    );
    expect(g.tables.counts('accommodation', { la: 'E06000005' }, '2026-12-04')).toEqual({
      'night1.NO_FIXED_ABODE': 1,
      'night1.total': 1,
      'day7.CAS3': 1,
      'day7.total': 1,
    });
    expect(
      g.ports.ledger.outcome({ type: 'accommodation', prisonNumber: 'R1000AA', releaseDate: '2026-12-04' }),
    ).toMatchObject({ version: 2, facts: { night1: 'NO_FIXED_ABODE', day7: 'CAS3' } });
  });
});

describe('whole files', () => {
  it('quarantines a file from a partner it does not know, with the reason, and reads none of it', async () => {
    const g = inMemoryGatehouse({ start });
    const { report } = await g.ingest(
      g.ports.drops.put('incoming/acme-housing/on-call-rota/rota.csv', 'a,b\n1,2\n', receivedAt),
    );
    expect(report).toMatchObject({
      outcome: 'quarantined',
      reason: "'acme-housing' is not a registered partner",
    });
    expect(g.ports.drops.moves.map((m) => m.to)).toEqual([expect.stringMatching(/^quarantine\//)]);
  });

  it('rejects a file without a required column as a whole, naming the columns', async () => {
    const g = inMemoryGatehouse({ start });
    const { report } = await g.ingest(
      g.ports.drops.put(
        'incoming/treatment-services/referral-outcome/no-outcome.csv',
        'referral_id,service,referral_date\nDA-1,HEALTH,2026-11-16\n',
        receivedAt,
      ),
    );
    expect(report).toMatchObject({ outcome: 'rejected', rows: { total: 0, accepted: 0, rejected: 0 } });
    expect(report!.reason).toMatch(/^the header has no .*outcome.* column/);
  });
});

describe('exactly once', () => {
  const csv =
    'prison_number,release_date,local_authority,night1\nR1000AA,2026-12-04,E06000005,NO_FIXED_ABODE\n';

  it('changes nothing for a redelivered notification', async () => {
    const g = inMemoryGatehouse({ start });
    const object = g.ports.drops.put(
      'incoming/darlington-housing/accommodation-outcome/night1.csv',
      csv,
      receivedAt,
    );
    await g.ingest(object);
    const counters = structuredClone([...g.tables.counterItems]);
    expect(await g.ingest(object)).toEqual({ outcome: 'redelivered' });
    expect([...g.tables.counterItems]).toEqual(counters);
  });

  it('reports the same bytes under another name as a duplicate of the first file, and applies nothing again', async () => {
    const g = inMemoryGatehouse({ start });
    await g.ingest(
      g.ports.drops.put('incoming/darlington-housing/accommodation-outcome/night1.csv', csv, receivedAt),
    );
    const { report } = await g.ingest(
      g.ports.drops.put(
        'incoming/darlington-housing/accommodation-outcome/night1 (copy).csv',
        csv,
        '2026-11-16T10:05:00Z',
      ),
    );
    expect(report).toMatchObject({
      outcome: 'duplicate',
      duplicateOf: { file: 'incoming/darlington-housing/accommodation-outcome/night1.csv', receivedAt },
    });
    expect(g.tables.counts('accommodation', { la: 'E06000005' }, '2026-12-04')).toEqual({
      'night1.NO_FIXED_ABODE': 1,
      'night1.total': 1,
    });
    expect(files(g, 'darlington-housing', 'accommodation-outcome')).toEqual({
      received: 2,
      accepted: 1,
      duplicate: 1,
      rowsAccepted: 1,
    });
  });

  it('hands no row of a duplicate release schedule to the record use case again', async () => {
    const g = inMemoryGatehouse({ start });
    const schedule =
      'prison_number,prison_id,scheduled_for,destination_local_authority,accommodation,aftercare_plan,needs\nA1234BC,DMI,2026-11-20,E06000005,NO_FIXED_ABODE,NONE,HEALTH\n';
    await g.ingest(
      g.ports.drops.put('incoming/probation-durham/release-schedule/week 47.csv', schedule, receivedAt),
    );
    expect(g.ports.releases.commits).toEqual({ committed: 1, duplicate: 0, conflict: 0 });
    const { report } = await g.ingest(
      g.ports.drops.put(
        'incoming/probation-durham/release-schedule/week 47 again.csv',
        schedule,
        '2026-11-16T10:05:00Z',
      ),
    );
    expect(report).toMatchObject({ outcome: 'duplicate', rows: { total: 0, accepted: 0, rejected: 0 } });
    expect(g.ports.releases.commits).toEqual({ committed: 1, duplicate: 0, conflict: 0 });
  });

  it('applies each row once when a crash between chunks is retried', async () => {
    const g = inMemoryGatehouse({ start });
    const rows = Array.from(
      { length: 250 },
      (_, i) => `S${1000 + i}YY,2026-12-04,E06000005,${i % 5 === 0 ? 'NO_FIXED_ABODE' : 'SETTLED'}`,
    );
    const object = g.ports.drops.put(
      'incoming/darlington-housing/accommodation-outcome/backfill.csv',
      ['prison_number,release_date,local_authority,night1', ...rows].join('\n'),
      receivedAt,
    );
    let crashed = false;
    const crashing: IngestDependencies = {
      ...g.deps.ingest,
      ledger: {
        ...g.deps.ingest.ledger,
        async commitChunk(chunk) {
          if (chunk.index === 1 && !crashed) {
            crashed = true;
            throw new Error('injected: the function died before chunk 1');
          }
          return g.deps.ingest.ledger.commitChunk(chunk);
        },
      },
    };
    await expect(ingestPartnerFile(object, crashing)).rejects.toThrow('injected');
    expect(g.tables.counts('accommodation', { la: 'E06000005' }, '2026-12-04')).toEqual({});
    const retried = await g.ingest(object);
    expect(retried.report).toMatchObject({
      outcome: 'accepted',
      rows: { total: 250, accepted: 250, rejected: 0 },
    });
    expect(g.tables.counts('accommodation', { la: 'E06000005' }, '2026-12-04')).toEqual({
      'night1.NO_FIXED_ABODE': 50,
      'night1.SETTLED': 200,
      'night1.total': 250,
    });
    expect(files(g, 'darlington-housing', 'accommodation-outcome')).toEqual({
      received: 1,
      accepted: 1,
      rowsAccepted: 250,
    });
  });
});
