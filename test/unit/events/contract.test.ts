import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testIdentifierKey } from '../../support/custody-events';
import { describe, expect, it } from 'vitest';
import { custodyEventTypes } from '../../../events/custody-event';
import { parseCustodyMessage } from '../../../events/custody-message';
import { hmppsEventId } from '../../../events/hmpps/to-custody-event';
import { publishedSchemas, schemaFileText } from '../../../events/schemas';

const eventsDir = join(import.meta.dirname, '..', '..', '..', 'events');
const example = (name: string) => readFileSync(join(eventsDir, 'examples', name), 'utf8');

describe('the published contract', () => {
  it.each(Object.keys(publishedSchemas))('has events/schemas/%s as generated from the zod schemas (run `npm run schemas` after changing them)', (name) => {
    expect(readFileSync(join(eventsDir, 'schemas', name), 'utf8')).toBe(schemaFileText(name));
  });

  it('publishes one example per custody event type', () => {
    const types = readdirSync(join(eventsDir, 'examples')).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(example(f)).eventType);
    expect(types.sort()).toEqual([...custodyEventTypes].sort());
  });

  it.each(readdirSync(join(eventsDir, 'examples')).filter((f) => f.endsWith('.json')))('accepts the example %s', (name) => {
    const parsed = parseCustodyMessage(example(name), testIdentifierKey);
    expect(parsed).toMatchObject({ ok: true, source: 'gatehouse.v1' });
  });
});

describe('HMPPS examples, bare and SNS-wrapped', () => {
  it.each([
    ['prisoner-released.json', 'prisoner.released', 'RELEASED', 'hmpps:prison-offender-events.prisoner.released'],
    ['prisoner-released.sns.json', 'prisoner.released', 'RELEASED', 'hmpps:prison-offender-events.prisoner.released via sns'],
    ['prisoner-released-temporary-absence.sns.json', 'prison.movement', 'TEMPORARY_ABSENCE_RELEASE', 'hmpps:prison-offender-events.prisoner.released via sns'],
    ['prisoner-released-unknown.json', 'prison.movement', 'UNKNOWN', 'hmpps:prison-offender-events.prisoner.released'],
    ['prisoner-received.json', 'prisoner.received', 'received.ADMISSION', 'hmpps:prison-offender-events.prisoner.received'],
    ['prisoner-received.sns.json', 'prisoner.received', 'received.ADMISSION', 'hmpps:prison-offender-events.prisoner.received via sns'],
    ['prisoner-search-released.json', 'prison.movement', 'unconfirmedRelease', 'hmpps:prisoner-offender-search.prisoner.released'],
    ['prisoner-search-released.sns.json', 'prison.movement', 'unconfirmedRelease', 'hmpps:prisoner-offender-search.prisoner.released via sns'],
  ])('maps hmpps/%s to %s, counted as %s', (name, eventType, counter, source) => {
    const parsed = parseCustodyMessage(example(`hmpps/${name}`), testIdentifierKey);
    expect(parsed).toMatchObject({ ok: true, source, event: { eventType, movement: { counter: counter === 'UNKNOWN' ? 'UNKNOWN' : counter } } });
  });

  it('derives the same id for the same movement whatever offset occurredAt is written with, and never includes the prison number', () => {
    const a = hmppsEventId('prison-offender-events.prisoner.released', 'A1234BC', '2026-06-05T17:40:00+01:00', testIdentifierKey);
    expect(a).toBe(hmppsEventId('prison-offender-events.prisoner.released', 'A1234BC', '2026-06-05T16:40:00Z', testIdentifierKey));
    expect(a).not.toBe(hmppsEventId('prison-offender-events.prisoner.received', 'A1234BC', '2026-06-05T16:40:00Z', testIdentifierKey));
    expect(a).toMatch(/^hmpps-[0-9a-f]{32}$/);
  });

  it('keeps the destination and accommodation out of an HMPPS release: HMPPS does not know them', () => {
    const parsed = parseCustodyMessage(example('hmpps/prisoner-released.json'), testIdentifierKey);
    expect(parsed.ok && parsed.event.eventType === 'prisoner.released' && parsed.event.release).toEqual({ releasedAt: '2026-11-20T16:40:00+00:00', reason: 'RELEASED' });
  });

  it('tolerates fields HMPPS adds later, and still checks the fields Gatehouse reads', () => {
    const event = JSON.parse(example('hmpps/prisoner-released.json'));
    expect(parseCustodyMessage(JSON.stringify({ ...event, newEnvelopeField: 1, additionalInformation: { ...event.additionalInformation, added: 'x' } }), testIdentifierKey).ok).toBe(true);
    expect(parseCustodyMessage(JSON.stringify({ ...event, additionalInformation: { ...event.additionalInformation, nomsNumber: 'a1234bc' } }), testIdentifierKey)).toEqual({
      ok: false,
      errors: [{ path: 'additionalInformation.nomsNumber', expected: 'a prison (NOMS) number such as A1234BC' }],
    });
  });
});

describe('rejects, each naming the field and what was expected', () => {
  it.each([
    ['not json', [{ path: '', expected: 'a JSON object (the message body is not valid JSON)' }]],
    ['[1,2]', [{ path: '', expected: 'a JSON object (a custody event or an HMPPS domain event)' }]],
    ['{"Type":"Notification","Message":"{oops"}', [{ path: 'Message', expected: 'the SNS Message to be valid JSON' }]],
    ['{"Type":"Notification","Message":42}', [{ path: 'Message', expected: 'the SNS notification to carry the event as a JSON string' }]],
    ['{"Type":"Notification","Message":"\\"text\\""}', [{ path: 'Message', expected: 'a JSON object (a custody event or an HMPPS domain event)' }]],
  ])('%s', (body, errors) => {
    expect(parseCustodyMessage(body, testIdentifierKey)).toEqual({ ok: false, errors });
  });

  it('names an unknown event type with the types it accepts', () => {
    const parsed = parseCustodyMessage(JSON.stringify({ ...JSON.parse(example('release-scheduled.json')), eventType: 'release.moved' }), testIdentifierKey);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toEqual({ path: 'eventType', expected: expect.stringContaining('"release.scheduled"') });
  });

  it('names a field unknown to the contract instead of ignoring it', () => {
    const parsed = parseCustodyMessage(JSON.stringify({ ...JSON.parse(example('prisoner-received.json')), releaseDate: '2026-12-01' }), testIdentifierKey);
    expect(parsed).toEqual({ ok: false, errors: [{ path: '', expected: "no field named 'releaseDate' (not part of the contract)" }] });
  });
});
