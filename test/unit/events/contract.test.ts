import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testIdentifierKey } from '#test-support/custody-events';
import { describe, expect, it } from 'vitest';
import { custodyEventTypes } from '#events/custody-event';
import { parseCustodyMessage } from '#events/custody-message';
import { hmppsEventId } from '#events/hmpps/to-custody-event';
import { publishedSchemas, schemaFileText } from '#events/schemas';

const eventsDir = join(import.meta.dirname, '..', '..', '..', 'events');
const example = (name: string) => readFileSync(join(eventsDir, 'examples', name), 'utf8');

describe('the published contract', () => {
  it.each(Object.keys(publishedSchemas))(
    'has events/schemas/%s as generated from the zod schemas (run `npm run schemas` after changing them)',
    (name) => {
      expect(readFileSync(join(eventsDir, 'schemas', name), 'utf8')).toBe(schemaFileText(name));
    },
  );

  it('publishes one example per custody event type', () => {
    const types = readdirSync(join(eventsDir, 'examples'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(example(f)).eventType);
    expect(types.sort()).toEqual([...custodyEventTypes].sort());
  });

  it.each(readdirSync(join(eventsDir, 'examples')).filter((f) => f.endsWith('.json')))(
    'accepts the example %s',
    (name) => {
      const parsed = parseCustodyMessage(example(name), testIdentifierKey);
      expect(parsed).toMatchObject({ ok: true, source: 'gatehouse.v1' });
    },
  );
});

const mappedExamples = [
  [
    'prisoner-released.json',
    'prisoner.released',
    'RELEASE',
    'hmpps:prison-offender-events.prisoner.released',
  ],
  [
    'prisoner-released.sns.json',
    'prisoner.released',
    'RELEASE',
    'hmpps:prison-offender-events.prisoner.released via sns',
  ],
  [
    'prisoner-released-temporary-absence.sns.json',
    'prison.movement',
    'TEMPORARY_ABSENCE_OUT',
    'hmpps:prison-offender-events.prisoner.released via sns',
  ],
  [
    'prisoner-released-unknown.json',
    'prison.movement',
    'UNKNOWN',
    'hmpps:prison-offender-events.prisoner.released',
  ],
  ['prisoner-received.json', 'prisoner.received', 'RECALL', 'hmpps:prison-offender-events.prisoner.received'],
  [
    'prisoner-received.sns.json',
    'prisoner.received',
    'RECALL',
    'hmpps:prison-offender-events.prisoner.received via sns',
  ],
  [
    'prisoner-search-released.json',
    'prison.movement',
    'UNCONFIRMED_RELEASE',
    'hmpps:prisoner-offender-search.prisoner.released',
  ],
  [
    'prisoner-search-released.sns.json',
    'prison.movement',
    'UNCONFIRMED_RELEASE',
    'hmpps:prisoner-offender-search.prisoner.released via sns',
  ],
] as const;

const movementExamples = [
  ['prisoner-released-died.sns.json', 'prison.movement', 'DIED', 'CLOSE', false],
  ['prisoner-released-absconded.sns.json', 'prison.movement', 'ABSCONDED', 'RECORD', false],
  ['prisoner-released-hospital-detention.sns.json', 'prison.movement', 'HOSPITAL', 'CLOSE', false],
  ['prisoner-released-to-hospital.sns.json', 'prison.movement', 'HOSPITAL', 'CLOSE', false],
  ['prisoner-released-deported.sns.json', 'prison.movement', 'IMMIGRATION', 'CLOSE', false],
  ['prisoner-released-early-removal.sns.json', 'prison.movement', 'IMMIGRATION', 'CLOSE', false],
  ['prisoner-released-merge.sns.json', 'prison.movement', 'MERGE', 'RECORD', false],
  ['prisoner-released-hdc.sns.json', 'prisoner.released', 'RELEASE', 'RELEASE', false],
  ['prisoner-released-ecsl.sns.json', 'prisoner.released', 'RELEASE', 'RELEASE', false],
  ['prisoner-released-unknown-code.sns.json', 'prisoner.released', 'RELEASE', 'RELEASE', true],
  ['prisoner-released-no-code.sns.json', 'prisoner.released', 'RELEASE', 'RELEASE', true],
  ['prisoner-released-sent-to-court.sns.json', 'prison.movement', 'COURT_OUT', 'RECORD', false],
  ['prisoner-released-transferred.sns.json', 'prison.movement', 'TRANSFER_OUT', 'RECORD', false],
  ['prisoner-released-unwatched-prison.sns.json', 'prisoner.released', 'RELEASE', 'RELEASE', false],
  ['prisoner-received-return-from-court.sns.json', 'prisoner.received', 'COURT_RETURN', 'RETURN', false],
  ['prisoner-received-remand.sns.json', 'prisoner.received', 'ADMISSION', 'RETURN', false],
  ['prisoner-received-transfer.sns.json', 'prisoner.received', 'TRANSFER_IN', 'RETURN', false],
  [
    'prisoner-received-temporary-absence-return.sns.json',
    'prisoner.received',
    'TEMPORARY_ABSENCE_RETURN',
    'RETURN',
    false,
  ],
] as const;

describe('HMPPS examples, bare and SNS-wrapped', () => {
  it.each(mappedExamples)('maps hmpps/%s to %s, a movement of kind %s', (name, eventType, kind, source) => {
    const parsed = parseCustodyMessage(example(`hmpps/${name}`), testIdentifierKey);
    expect(parsed).toMatchObject({
      ok: true,
      source,
      event: { eventType, movement: { kind, counted: true } },
    });
  });

  it.each(movementExamples)(
    'reads hmpps/%s as %s, a movement of kind %s (%s; review %s)',
    (name, eventType, kind, action, reviewNeeded) => {
      const body = example(`hmpps/${name}`);
      const sns = JSON.parse(body);
      // The shape HMPPS publishes: the SNS envelope with its eventType and traceparent attributes, details left out when null.
      expect(Object.keys(sns.MessageAttributes).sort()).toEqual(['eventType', 'traceparent']);
      const message = JSON.parse(sns.Message);
      expect(message.eventType).toBe(sns.MessageAttributes.eventType.Value);
      expect(Object.values(message.additionalInformation)).not.toContain(null);
      expect(parseCustodyMessage(body, testIdentifierKey)).toMatchObject({
        ok: true,
        event: { eventType, movement: { kind, action, reviewNeeded, counted: true } },
      });
    },
  );

  it.each([
    ['cas3-booking-confirmed.sns.json', 'CAS3: booking confirmed'],
    ['cas3-person-arrived.sns.json', 'CAS3: the person arrived at the premises'],
  ])(
    'reads hmpps/%s (chosen by its SNS eventType attribute) as CAS3 accommodation for the person it names by NOMS number',
    (name, how) => {
      const parsed = parseCustodyMessage(example(`hmpps/${name}`), testIdentifierKey);
      expect(parsed).toMatchObject({
        ok: true,
        event: {
          eventType: 'accommodation.recorded',
          accommodation: 'CAS3',
          source: 'cas3',
          how,
          person: { prisonNumber: 'E5678FG', crn: 'X100005' },
        },
      });
      if (parsed.ok) expect(parsed.event.eventId).toMatch(/^hmpps-[0-9a-f]{32}$/);
    },
  );

  it('reads hmpps/release-dates-changed.sns.json as a request to re-read the release dates of the prisoner it names', () => {
    const parsed = parseCustodyMessage(example('hmpps/release-dates-changed.sns.json'), testIdentifierKey);
    expect(parsed).toMatchObject({
      ok: true,
      source: 'hmpps:calculate-release-dates.prisoner.changed via sns',
      event: {
        eventType: 'release.dates-changed',
        person: { prisonNumber: 'C3456DE' },
        occurredAt: '2026-11-18T16:30:00Z',
      },
    });
  });

  it('refuses a CAS3 event with no NOMS identifier, saying why', () => {
    expect(
      parseCustodyMessage(example('hmpps/cas3-booking-confirmed-no-noms.sns.json'), testIdentifierKey),
    ).toMatchObject({
      ok: false,
      errors: [
        { path: 'Message.personReference.identifiers', expected: expect.stringMatching(/NOMS identifier/) },
      ],
    });
  });

  it('chooses the mapper by the SNS eventType attribute, and refuses a message whose attribute and eventType disagree', () => {
    const sns = JSON.parse(example('hmpps/prisoner-released.sns.json'));
    const wrongAttribute = {
      ...sns,
      MessageAttributes: { eventType: { Type: 'String', Value: 'accommodation.cas3.person.arrived' } },
    };
    expect(parseCustodyMessage(JSON.stringify(wrongAttribute), testIdentifierKey)).toMatchObject({
      ok: false,
      errors: [{ path: 'Message.eventType' }],
    });
    const unknown = {
      ...sns,
      MessageAttributes: { eventType: { Type: 'String', Value: 'probation-case.engagement.created' } },
    };
    expect(parseCustodyMessage(JSON.stringify(unknown), testIdentifierKey)).toMatchObject({
      ok: false,
      errors: [{ path: 'MessageAttributes.eventType', expected: expect.stringMatching(/subscribes to/) }],
    });
    // A custody event v1 with dotted words of its own is never taken for HMPPS's by counting dots.
    const v1 = JSON.parse(example('prisoner-released.json'));
    expect(parseCustodyMessage(JSON.stringify(v1), testIdentifierKey)).toMatchObject({
      ok: true,
      source: 'gatehouse.v1',
    });
  });

  it('covers every HMPPS example in a test of its meaning', () => {
    const named = [
      ...mappedExamples,
      ...movementExamples,
      ['cas3-booking-confirmed.sns.json'],
      ['cas3-person-arrived.sns.json'],
      ['cas3-booking-confirmed-no-noms.sns.json'],
      ['release-dates-changed.sns.json'],
    ].map(([name]) => name);
    expect(readdirSync(join(eventsDir, 'examples', 'hmpps')).sort()).toEqual([...named].sort());
  });

  it('derives the same id for the same movement whatever offset occurredAt is written with, and never includes the prison number', () => {
    const a = hmppsEventId(
      'prison-offender-events.prisoner.released',
      'A1234BC',
      '2026-06-05T17:40:00+01:00',
      testIdentifierKey,
    );
    expect(a).toBe(
      hmppsEventId(
        'prison-offender-events.prisoner.released',
        'A1234BC',
        '2026-06-05T16:40:00Z',
        testIdentifierKey,
      ),
    );
    expect(a).not.toBe(
      hmppsEventId(
        'prison-offender-events.prisoner.received',
        'A1234BC',
        '2026-06-05T16:40:00Z',
        testIdentifierKey,
      ),
    );
    expect(a).toMatch(/^hmpps-[0-9a-f]{32}$/);
  });

  it('keeps the destination and accommodation out of an HMPPS release: HMPPS does not know them', () => {
    const parsed = parseCustodyMessage(example('hmpps/prisoner-released.json'), testIdentifierKey);
    expect(parsed.ok && parsed.event.eventType === 'prisoner.released' && parsed.event.release).toEqual({
      releasedAt: '2026-11-20T16:40:00+00:00',
      reason: 'CONDITIONAL_RELEASE',
    });
  });

  it('tolerates fields HMPPS adds later, and still checks the fields Gatehouse reads', () => {
    const event = JSON.parse(example('hmpps/prisoner-released.json'));
    expect(
      parseCustodyMessage(
        JSON.stringify({
          ...event,
          newEnvelopeField: 1,
          additionalInformation: { ...event.additionalInformation, added: 'x' },
        }),
        testIdentifierKey,
      ).ok,
    ).toBe(true);
    expect(
      parseCustodyMessage(
        JSON.stringify({
          ...event,
          additionalInformation: { ...event.additionalInformation, nomsNumber: 'a1234bc' },
        }),
        testIdentifierKey,
      ),
    ).toEqual({
      ok: false,
      errors: [
        { path: 'additionalInformation.nomsNumber', expected: 'a prison (NOMS) number such as A1234BC' },
      ],
    });
  });
});

describe('rejects, each naming the field and what was expected', () => {
  it.each([
    ['not json', [{ path: '', expected: 'a JSON object (the message body is not valid JSON)' }]],
    ['[1,2]', [{ path: '', expected: 'a JSON object (a custody event or an HMPPS domain event)' }]],
    [
      '{"Type":"Notification","Message":"{oops"}',
      [{ path: 'Message', expected: 'the SNS Message to be valid JSON' }],
    ],
    [
      '{"Type":"Notification","Message":42}',
      [{ path: 'Message', expected: 'the SNS notification to carry the event as a JSON string' }],
    ],
    [
      '{"Type":"Notification","Message":"{}","MessageAttributes":{"eventType":{"Type":"String"}}}',
      [
        {
          path: 'MessageAttributes.eventType.Value',
          expected: 'SNS message attributes, each as { "Type": string, "Value": string }',
        },
      ],
    ],
    [
      '{"Type":"Notification","Message":"\\"text\\""}',
      [{ path: 'Message', expected: 'a JSON object (a custody event or an HMPPS domain event)' }],
    ],
  ])('%s', (body, errors) => {
    expect(parseCustodyMessage(body, testIdentifierKey)).toEqual({ ok: false, errors });
  });

  it('names an unknown event type with the types it accepts', () => {
    const parsed = parseCustodyMessage(
      JSON.stringify({ ...JSON.parse(example('release-scheduled.json')), eventType: 'release.moved' }),
      testIdentifierKey,
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toEqual({
      path: 'eventType',
      expected: expect.stringContaining('"release.scheduled"'),
    });
  });

  it('says that a date in the right form that does not exist is not a real date', () => {
    const scheduled = JSON.parse(example('release-scheduled.json'));
    const parsed = parseCustodyMessage(
      JSON.stringify({ ...scheduled, release: { ...scheduled.release, scheduledFor: '2026-02-31' } }),
      testIdentifierKey,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: [{ path: 'release.scheduledFor', expected: 'a real date (2026-02-31 is not a real date)' }],
    });
  });

  it('says a date in another form is expected as YYYY-MM-DD, and a missing one is required', () => {
    const scheduled = JSON.parse(example('release-scheduled.json'));
    const wrongForm = parseCustodyMessage(
      JSON.stringify({ ...scheduled, release: { ...scheduled.release, scheduledFor: '31/01/2026' } }),
      testIdentifierKey,
    );
    expect(!wrongForm.ok && wrongForm.errors).toEqual([
      { path: 'release.scheduledFor', expected: 'a date as YYYY-MM-DD' },
    ]);
    const { scheduledFor: _, ...withoutDate } = scheduled.release;
    const missing = parseCustodyMessage(
      JSON.stringify({ ...scheduled, release: withoutDate }),
      testIdentifierKey,
    );
    expect(!missing.ok && missing.errors).toEqual([
      { path: 'release.scheduledFor', expected: 'a date as YYYY-MM-DD (the field is required)' },
    ]);
  });

  it('names a field unknown to the contract instead of ignoring it', () => {
    const parsed = parseCustodyMessage(
      JSON.stringify({ ...JSON.parse(example('prisoner-received.json')), releaseDate: '2026-12-01' }),
      testIdentifierKey,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: [{ path: '', expected: "no field named 'releaseDate' (not part of the contract)" }],
    });
  });
});
