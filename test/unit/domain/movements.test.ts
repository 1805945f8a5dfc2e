/**
 * The movement table, entry by entry: every (event, reason, code) the table lists means what the table says, through
 * the HMPPS mapping as well as the lookup; every reason has a catch-all; the README publishes the same table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCustodyMessage } from '#events/custody-message';
import { readmeWithMovementTable } from '#events/schemas';
import {
  movementActions,
  movementEvents,
  movementFor,
  movementKinds,
  movementTable,
  releaseKindOf,
  type MovementEntry,
} from '#domain/movements';
import { hmpps, snsWrapped, testIdentifierKey } from '#test-support/custody-events';

const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', 'README.md'), 'utf8');

/** Every code an entry covers, and for a catch-all a code no entry lists. */
const casesOf = (e: MovementEntry) =>
  (e.codes === 'other' ? ['ZZZ9'] : e.codes).map((code) => [e, code] as const);
const expectedEventType = (e: MovementEntry) =>
  e.event === movementEvents.received
    ? 'prisoner.received'
    : e.action === 'RELEASE'
      ? 'prisoner.released'
      : 'prison.movement';

describe('the movement table', () => {
  it.each(
    movementTable
      .flatMap(casesOf)
      .map(
        ([e, code]) => [`${e.event.split('.').slice(-2).join('.')} ${e.reason} ${code}`, e, code] as const,
      ),
  )('%s means what its entry says, looked up and through the HMPPS mapping', (_name, entry, code) => {
    const meaning = movementFor(entry.event, entry.reason, code);
    expect(meaning).toMatchObject({ kind: entry.kind, action: entry.action, review: entry.review, code });
    expect(meaning.entry).toBe(entry);
    if (entry.event === movementEvents.releasedUnconfirmed) return; // prisoner search sends no movement code
    const body = snsWrapped(
      hmpps(entry.event, '2025-03-14T10:00:00Z', {
        reason: entry.reason,
        nomisMovementReasonCode: code,
        details: `Movement reason code ${code}`,
      }),
    );
    const parsed = parseCustodyMessage(JSON.stringify(body), testIdentifierKey);
    expect(parsed).toMatchObject({
      ok: true,
      event: {
        eventType: expectedEventType(entry),
        movement: { kind: entry.kind, action: entry.action, reviewNeeded: entry.review, counted: true },
      },
    });
    if (parsed.ok && parsed.event.eventType === 'prisoner.released')
      expect(parsed.event.release.reason).toBe(entry.releaseKind);
  });

  it('has a catch-all for every event and reason, and lists each code once per reason', () => {
    const keys = new Set(movementTable.map((e) => `${e.event}|${e.reason}`));
    for (const key of keys) {
      const entries = movementTable.filter((e) => `${e.event}|${e.reason}` === key);
      expect(
        entries.filter((e) => e.codes === 'other'),
        key,
      ).toHaveLength(1);
      const codes = entries.flatMap((e) => (e.codes === 'other' ? [] : e.codes));
      expect(new Set(codes).size, key).toBe(codes.length);
    }
    for (const e of movementTable) {
      expect(movementKinds).toContain(e.kind);
      expect(movementActions).toContain(e.action);
      expect(e.kind === 'RELEASE', `${e.reason} ${e.codes}`).toBe(e.releaseKind !== undefined);
    }
  });

  it('treats an unknown code on RELEASED as a release to the community, flagged for review with its code', () => {
    expect(movementFor(movementEvents.released, 'RELEASED', 'XQ7')).toMatchObject({
      kind: 'RELEASE',
      releaseKind: 'OTHER',
      action: 'RELEASE',
      review: true,
      reasons: [expect.any(String), 'Movement code XQ7 is not in the movement table'],
    });
    expect(movementFor(movementEvents.released, 'RELEASED', undefined)).toMatchObject({
      kind: 'RELEASE',
      action: 'RELEASE',
      review: true,
      reasons: [expect.any(String), 'HMPPS sent no movement code'],
    });
  });

  it('never pages for a death, an abscond, a hospital, an immigration removal or a merge', () => {
    for (const code of [
      'DEC',
      'UAL',
      'UAL_ECL',
      'HO',
      'HP',
      'HQ',
      'DD',
      'DE',
      'DL',
      'ETR',
      'ECSLIRC',
      'MRG',
    ]) {
      expect(movementFor(movementEvents.released, 'RELEASED', code).action, code).not.toBe('RELEASE');
    }
    expect(movementFor(movementEvents.released, 'RELEASED_TO_HOSPITAL', 'CR').kind).toBe('HOSPITAL');
  });

  it('records a reason HMPPS adds later for review, and acts on nothing', () => {
    expect(movementFor(movementEvents.received, 'SOMETHING_NEW', undefined)).toMatchObject({
      kind: 'UNKNOWN',
      action: 'RECORD',
      review: true,
    });
  });

  it("reads a producer's words for the kind of release", () => {
    expect(releaseKindOf('RELEASED_FROM_COURT')).toBe('FROM_COURT');
    expect(releaseKindOf('time served')).toBe('FROM_COURT');
    expect(releaseKindOf('HDC')).toBe('HDC');
    expect(releaseKindOf('CONDITIONAL_RELEASE')).toBe('CONDITIONAL_RELEASE');
    expect(releaseKindOf('whatever')).toBe('OTHER');
    expect(releaseKindOf(undefined)).toBe('OTHER');
  });

  it('is published in events/README.md exactly as the code runs it (npm run schemas writes it)', () => {
    expect(readme).toBe(readmeWithMovementTable(readme));
    for (const e of movementTable) expect(readme).toContain(e.meaning);
  });
});
