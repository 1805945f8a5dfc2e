/**
 * HMPPS releases with their facts fetched from HMPPS's APIs (here the local stand-ins, local/stand-ins/hmpps):
 * what the case knows, where each fact came from, who is paged, and the bounded wait when a source is down.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readOutbox } from '#adapters/channels/local-outbox';
import { dynamoAlertStore } from '#adapters/dynamodb/alert-store';
import { dynamoDocuments } from '#commons/clients';
import { hmpps, scheduled, snsWrapped } from '#test-support/custody-events';
import { getJson, postJson, testGatehouse } from '#test-support/gatehouse';
import { manualClock } from '#test-support/clock';

type Gatehouse = Awaited<ReturnType<typeof testGatehouse>>;
const released = 'prison-offender-events.prisoner.released' as const;

describe('an HMPPS release of a person HMPPS knows, with the facts fetched', () => {
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse();
  });
  afterAll(() => gatehouse.stop());

  const send = async (...bodies: unknown[]) => {
    await gatehouse.custodyQueue.send(bodies.map((b) => JSON.stringify(b)));
    await gatehouse.settle();
  };
  const pagesFor = async (caseRef: string) =>
    (await readOutbox(gatehouse.outboxFile)).filter((a) => a.text.includes(caseRef));

  it('pages Darlington for a bare release on the confirmed date to a Darlington address with nowhere to stay, saying where each fact came from', async () => {
    await send(
      snsWrapped(
        hmpps(released, '2026-11-20T16:10:00Z', { nomsNumber: 'E5678FG', nomisMovementReasonCode: 'CR' }),
      ),
    );

    const view = (await getJson(`${gatehouse.url}/cases/E5678FG`)).body;
    expect(view.current).toMatchObject({
      status: 'RELEASED',
      crn: 'X100005',
      circumstances: { destinationLocalAuthority: 'E06000005', needs: ['ACCOMMODATION', 'HEALTH'] },
      classification: {
        urgency: 'CRITICAL',
        flags: { unplanned: false, lateWeek: true, lateDay: true, noFixedAbode: true },
      },
      facts: {
        destinationLocalAuthority: { value: 'E06000005', source: 'probation' },
        releaseType: { value: { type: 'planned' }, source: 'prisoner-search' },
        confirmedReleaseDate: { value: '2026-11-20', source: 'prisoner-search' },
        crn: { value: 'X100005', source: 'probation' },
      },
      factSources: {
        prisonerSearch: { outcome: 'ok' },
        probation: { outcome: 'ok' },
        resettlementPassport: { outcome: 'ok' },
      },
    });
    expect(view.current.factsPending).toBeUndefined();
    expect(view.current.facts.destinationLocalAuthority.how).toMatch(/Darlington/);
    const critical = (await pagesFor(view.current.caseRef)).filter((a) => a.template === 'critical');
    expect(critical).toMatchObject([
      { recipientLabel: expect.stringMatching(/Darlington/), notice: 'page.000' },
    ]);
    expect(critical[0]!.text).toMatch(/fixed abode/i);
  });

  it('pages nobody for a home detention curfew release to an approved curfew address', async () => {
    await send(
      snsWrapped(
        hmpps(released, '2026-11-20T11:00:00Z', { nomsNumber: 'F6789GH', nomisMovementReasonCode: 'HD' }),
      ),
    );

    const view = (await getJson(`${gatehouse.url}/cases/F6789GH`)).body;
    expect(view.current).toMatchObject({
      kind: 'HDC',
      circumstances: { accommodation: 'SETTLED', destinationLocalAuthority: 'E06000047' },
      facts: {
        accommodation: { value: 'SETTLED', source: 'prisoner-search', how: 'home detention curfew address' },
        homeDetentionCurfew: { value: true },
      },
    });
    expect((await pagesFor(view.current.caseRef)).filter((a) => a.template === 'critical')).toEqual([]);
  });

  it('keeps what a newer Gatehouse event said over what was fetched, and what was fetched over an older one', async () => {
    // Told before the release: Durham, somewhere settled. Fetched at the release: Darlington (newer, so it wins).
    await postJson(
      `${gatehouse.url}/custody-events`,
      scheduled(
        'facts-s1',
        '2026-11-19T09:00:00Z',
        '2026-11-20',
        { destinationLocalAuthority: 'E06000047' },
        'E5678FG',
      ),
    );
    await gatehouse.settle();
    const view = (await getJson(`${gatehouse.url}/cases/E5678FG`)).body;
    // The schedule is older than the facts fetched at the release: they stand.
    expect(view.current.facts.destinationLocalAuthority).toMatchObject({
      value: 'E06000005',
      source: 'probation',
    });
    // A Gatehouse event after the fetch wins.
    await postJson(`${gatehouse.url}/custody-events`, {
      eventId: 'facts-r2',
      eventType: 'prisoner.released',
      occurredAt: '2026-11-20T16:59:00Z',
      prisonId: 'DMI',
      person: { prisonNumber: 'E5678FG' },
      release: { releasedAt: '2026-11-20T16:10:00Z', accommodation: 'TEMPORARY' },
    });
    await gatehouse.settle();
    const later = (await getJson(`${gatehouse.url}/cases/E5678FG`)).body.current;
    expect(later.facts.accommodation).toMatchObject({
      value: 'TEMPORARY',
      source: 'gatehouse-event',
      at: '2026-11-20T16:59:00Z',
    });
    expect(later.circumstances.accommodation).toBe('TEMPORARY');
  });

  it('records CAS3 accommodation from a person-arrived event (chosen by its SNS eventType) on the release, as of when it happened', async () => {
    await gatehouse.custodyQueue.send([
      readFileSync('events/examples/hmpps/cas3-person-arrived.sns.json', 'utf8'),
    ]);
    await gatehouse.settle();
    const current = (await getJson(`${gatehouse.url}/cases/E5678FG`)).body.current;
    // Newer than the Gatehouse event of 16:59 (TEMPORARY): the arrival at 18:30 wins.
    expect(current.facts.accommodation).toMatchObject({
      value: 'CAS3',
      source: 'cas3',
      at: '2026-11-20T18:30:00Z',
      how: 'CAS3: the person arrived at the premises',
    });
    expect(current.circumstances.accommodation).toBe('CAS3');
    expect(gatehouse.deadLetters.custody.messages).toEqual([]);
  });

  it('warns before a scheduled release with nowhere to stay, but not once CAS3 has confirmed a bed', async () => {
    for (const pn of ['W1000AA', 'W2000BB'])
      await postJson(
        `${gatehouse.url}/custody-events`,
        scheduled(
          `facts-w-${pn}`,
          '2026-11-20T09:00:00Z',
          '2026-11-23',
          { destinationLocalAuthority: 'E06000005' },
          pn,
        ),
      );
    const confirmed = JSON.parse(
      readFileSync('events/examples/hmpps/cas3-booking-confirmed.sns.json', 'utf8'),
    );
    const message = JSON.parse(confirmed.Message);
    message.occurredAt = '2026-11-20T12:00:00Z';
    message.personReference.identifiers = [
      { type: 'CRN', value: 'X200001' },
      { type: 'NOMS', value: 'W1000AA' },
    ];
    await gatehouse.custodyQueue.send([JSON.stringify({ ...confirmed, Message: JSON.stringify(message) })]);
    await gatehouse.settle();
    await gatehouse.sweep();
    await gatehouse.settle();
    const warnings = async (pn: string) => {
      const ref = (await getJson(`${gatehouse.url}/cases/${pn}`)).body.current.caseRef as string;
      return (await readOutbox(gatehouse.outboxFile)).filter(
        (a) => a.template === 'warning' && a.text.includes(ref),
      );
    };
    expect((await getJson(`${gatehouse.url}/cases/W1000AA`)).body.current).toMatchObject({
      status: 'SCHEDULED',
      circumstances: { accommodation: 'CAS3' },
      facts: { accommodation: { source: 'cas3' } },
    });
    expect(await warnings('W1000AA')).toEqual([]);
    expect((await warnings('W2000BB')).length).toBeGreaterThan(0);
  });

  it('resolves a warning already sent, once, when CAS3 confirms a bed; the same event twice and the arrival at once change nothing more', async () => {
    const pn = 'W3000CC';
    await postJson(
      `${gatehouse.url}/custody-events`,
      scheduled(
        'facts-w-resolve',
        '2026-11-20T09:00:00Z',
        '2026-11-23',
        { destinationLocalAuthority: 'E06000005' },
        pn,
      ),
    );
    await gatehouse.sweep();
    await gatehouse.settle();
    const ref = (await getJson(`${gatehouse.url}/cases/${pn}`)).body.current.caseRef as string;
    const sent = (await readOutbox(gatehouse.outboxFile)).filter(
      (a) => a.template === 'warning' && a.text.includes(ref),
    );
    expect(sent.length).toBeGreaterThan(0);
    const alertId = sent[0]!.alertId;
    const alerts = dynamoAlertStore(dynamoDocuments(gatehouse.env), {
      records: gatehouse.names.tables.Records!,
      aggregates: gatehouse.names.tables.Aggregates!,
    });
    const open = await alerts.load(alertId);
    expect(open).toMatchObject({ kind: 'PRE_RELEASE_WARNING', status: 'OPEN' });

    const cas3 = (file: string, occurredAt: string) => {
      const envelope = JSON.parse(readFileSync(`events/examples/hmpps/${file}`, 'utf8'));
      const message = JSON.parse(envelope.Message);
      message.occurredAt = occurredAt;
      message.personReference.identifiers = [
        { type: 'CRN', value: 'X200003' },
        { type: 'NOMS', value: pn },
      ];
      return JSON.stringify({ ...envelope, Message: JSON.stringify(message) });
    };
    const confirmed = cas3('cas3-booking-confirmed.sns.json', '2026-11-20T12:00:00Z');
    // Delivered twice, beside the arrival, in one batch: the three are handled at once.
    await gatehouse.custodyQueue.send([
      confirmed,
      confirmed,
      cas3('cas3-person-arrived.sns.json', '2026-11-20T12:05:00Z'),
    ]);
    await gatehouse.settle();
    const resolved = await alerts.load(alertId);
    expect(resolved).toMatchObject({ status: 'RESOLVED', version: open!.version + 1 });
    expect(resolved!.resolvedAt).toBeDefined();
    expect(resolved!.dueAt).toBeUndefined();
    expect((await getJson(`${gatehouse.url}/cases/${pn}`)).body.current).toMatchObject({
      status: 'SCHEDULED',
      circumstances: { accommodation: 'CAS3' },
    });

    // Redelivered later, and the sweep after it: still resolved at the same version, and no new warning.
    await gatehouse.custodyQueue.send([confirmed]);
    await gatehouse.settle();
    await gatehouse.sweep();
    await gatehouse.settle();
    expect(await alerts.load(alertId)).toEqual(resolved);
    expect(
      (await readOutbox(gatehouse.outboxFile)).filter(
        (a) => a.template === 'warning' && a.text.includes(ref),
      ),
    ).toEqual(sent);
    expect(gatehouse.deadLetters.custody.messages).toEqual([]);
  });

  it('still warns before a newer scheduled release of a person whose earlier release waits for its facts', async () => {
    // Friday: a release at noon waits for Prisoner Search; a new schedule for Monday is a case of its own.
    gatehouse.hmpps!.setMode('prisoner-search', 'failing');
    const pn = 'W4000DD';
    await gatehouse.custodyQueue.send([
      JSON.stringify(
        snsWrapped(
          hmpps(released, '2026-11-20T12:10:00Z', { nomsNumber: pn, nomisMovementReasonCode: 'CR' }),
        ),
      ),
    ]);
    await gatehouse.settle();
    await postJson(
      `${gatehouse.url}/custody-events`,
      scheduled(
        'facts-wait-then-scheduled',
        '2026-11-20T12:15:00Z',
        '2026-11-23',
        { destinationLocalAuthority: 'E06000005', accommodation: 'NO_FIXED_ABODE' },
        pn,
      ),
    );
    const { current, cases } = (await getJson(`${gatehouse.url}/cases/${pn}`)).body;
    expect(current).toMatchObject({ status: 'SCHEDULED', scheduledFor: '2026-11-23' });
    expect(cases[1]).toMatchObject({ status: 'RELEASED', factsPending: true });

    const swept = await gatehouse.sweep();
    await gatehouse.settle();
    gatehouse.hmpps!.setMode('prisoner-search', 'normal');
    expect(swept.warnings).toBeGreaterThan(0);
    expect(swept.factsErrors ?? []).toEqual([]);
    const warned = (await readOutbox(gatehouse.outboxFile)).filter(
      (a) => a.template === 'warning' && a.text.includes(current.caseRef),
    );
    expect(warned.length).toBeGreaterThan(0);
  });

  it('records a person HMPPS does not know as not found, once, with no retries, as before', async () => {
    const asked = gatehouse.hmpps!.counts['prisoner-search'];
    await send(
      snsWrapped(
        hmpps(released, '2026-11-20T12:00:00Z', { nomsNumber: 'Z9999ZZ', nomisMovementReasonCode: 'CR' }),
      ),
    );
    expect(gatehouse.hmpps!.counts['prisoner-search']).toBe(asked + 1);
    const view = (await getJson(`${gatehouse.url}/cases/Z9999ZZ`)).body;
    expect(view.current.factSources).toMatchObject({
      prisonerSearch: { outcome: 'not-found' },
      probation: { outcome: 'not-found' },
      cas3: { outcome: 'not-asked' },
    });
    expect(view.current.factsPending).toBeUndefined();
    expect(view.current.circumstances.destinationLocalAuthority).toBeUndefined();
  });
});

describe('the bounded wait for facts HMPPS could not give (the sweeper asks again; nothing waits in a Lambda)', () => {
  // Wednesday 18 November 2026, 16:12 in London: not late in the week, so the default wait of 10 minutes.
  const clock = manualClock('2026-11-18T16:12:00Z');
  let gatehouse: Gatehouse;
  beforeAll(async () => {
    gatehouse = await testGatehouse({ clock });
  });
  afterAll(() => gatehouse.stop());
  beforeEach(() => {
    for (const api of ['prisoner-search', 'probation'] as const) gatehouse.hmpps!.setMode(api, 'normal');
  });

  const view = async () => (await getJson(`${gatehouse.url}/cases/E5678FG`)).body.current;
  const pages = async (caseRef: string) =>
    (await readOutbox(gatehouse.outboxFile)).filter(
      (a) => a.text.includes(caseRef) && a.template === 'critical',
    );
  const sweep = async () => {
    const result = await gatehouse.sweep();
    await gatehouse.settle();
    return result;
  };

  it('pages nobody while waiting, alerts at the deadline saying what could not be fetched, and tells the right area when the facts come', async () => {
    gatehouse.hmpps!.setMode('prisoner-search', 'failing');
    gatehouse.hmpps!.setMode('probation', 'failing');
    const event = snsWrapped(
      hmpps(released, '2026-11-18T16:10:00Z', { nomsNumber: 'E5678FG', nomisMovementReasonCode: 'CR' }),
    );
    await gatehouse.custodyQueue.send([JSON.stringify(event)]);
    await gatehouse.settle();

    const waiting = await view();
    expect(waiting).toMatchObject({
      status: 'RELEASED',
      factsPending: true,
      factsDueBy: '2026-11-18T16:22:00.000Z',
      factSources: {
        prisonerSearch: { outcome: 'unavailable', cause: 'failed' },
        probation: { outcome: 'unavailable' },
        cas3: { outcome: 'not-asked' },
      },
    });
    expect(await pages(waiting.caseRef)).toEqual([]);

    // A sweep before the deadline asks again; two at once record one fetch.
    clock.advance(1);
    const [a, b] = await Promise.all([gatehouse.sweep(), gatehouse.sweep()]);
    await gatehouse.settle();
    expect((a.factsRechecked ?? 0) + (b.factsRechecked ?? 0)).toBe(1);
    expect((await view()).factsPending).toBe(true);
    expect(await pages(waiting.caseRef)).toEqual([]);

    // The deadline: alert on what is known (area not known → the fallback area), saying what could not be fetched.
    clock.advance(9);
    expect((await sweep()).factsAlerts).toBeGreaterThan(0);
    const atDeadline = await view();
    expect(atDeadline.factsPending).toBeUndefined();
    expect(atDeadline.factsMissing).toEqual(['Prisoner Search', 'the probation record', 'CAS3']);
    const first = await pages(waiting.caseRef);
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toContain(
      'Details could not be fetched from Prisoner Search, the probation record, CAS3',
    );
    expect(first[0]!.text).not.toContain('E5678FG');

    // The APIs come back: the next later re-check (15 minutes on) finds Darlington, and Darlington is paged.
    gatehouse.hmpps!.setMode('prisoner-search', 'normal');
    gatehouse.hmpps!.setMode('probation', 'normal');
    clock.advance(15);
    await sweep();
    const complete = await view();
    expect(complete).toMatchObject({
      circumstances: { destinationLocalAuthority: 'E06000005' },
      facts: { destinationLocalAuthority: { source: 'probation' } },
    });
    expect(complete.factsMissing).toBeUndefined();
    expect(complete.factsRecheckAt).toBeUndefined();
    // (The fallback area's unacknowledged page escalates meanwhile: its next step, not a new alert.)
    const all = (await pages(waiting.caseRef)).filter((p) => p.notice === 'page.000');
    expect(all.map((p) => p.recipientLabel)).toEqual([
      first[0]!.recipientLabel,
      expect.stringMatching(/Darlington/),
    ]);
    expect(first[0]!.recipientLabel).not.toMatch(/Darlington/);
    // Nothing more to ask: a further sweep re-checks nothing and pages nobody.
    clock.advance(15);
    expect((await sweep()).factsRechecked).toBe(0);
    expect((await pages(waiting.caseRef)).filter((p) => p.notice === 'page.000')).toHaveLength(2);
  });

  it('follows a moved release date: calculate-release-dates says the dates changed, Prisoner Search says to what, and the warning follows', async () => {
    // Scheduled for Wednesday 25th: beyond the two working days, so no warning yet.
    await postJson(
      `${gatehouse.url}/custody-events`,
      scheduled(
        'crd-s1',
        '2026-11-18T09:00:00Z',
        '2026-11-25',
        { destinationLocalAuthority: 'E06000005' },
        'C3456DE',
      ),
    );
    await gatehouse.settle();
    await sweep();
    const ref = (await getJson(`${gatehouse.url}/cases/C3456DE`)).body.current.caseRef as string;
    const warnings = async () =>
      (await readOutbox(gatehouse.outboxFile)).filter(
        (a) => a.template === 'warning' && a.text.includes(ref),
      );
    expect(await warnings()).toEqual([]);

    // The stand-in holds a confirmed date of Thursday 19th: the change is a reschedule, received twice, recorded once.
    const body = readFileSync('events/examples/hmpps/release-dates-changed.sns.json', 'utf8');
    await gatehouse.custodyQueue.send([body, body]);
    await gatehouse.settle();
    const current = (await getJson(`${gatehouse.url}/cases/C3456DE`)).body.current;
    expect(current).toMatchObject({ status: 'SCHEDULED', scheduledFor: '2026-11-19', caseRef: ref });
    expect(
      current.events.filter((e: { eventType: string }) => e.eventType === 'release.rescheduled'),
    ).toHaveLength(1);
    await sweep();
    expect(await warnings()).toHaveLength(1);
    expect(gatehouse.deadLetters.custody.messages).toEqual([]);
  });
});
