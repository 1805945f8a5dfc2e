/**
 * What an HMPPS domain event means to Gatehouse: the movement table (functions/domain/movements.ts, published in
 * events/README.md) decides from the event type, the reason and the NOMIS movement reason code:
 * - a release to the community → a custody event `prisoner.released` (its `reason` is the kind of release);
 * - a reception → `prisoner.received` (closes a case of someone released and now back);
 * - anything else → a movement only, recorded and counted; a CLOSE movement (died, hospital, immigration) also
 *   closes a scheduled release.
 * HMPPS events carry no id: the idempotency key is derived from eventType + nomsNumber + occurredAt, keyed with the
 * deployment's identifier key (so nobody can test a guessed prison number against an id).
 */
import { createHmac } from 'node:crypto';
import type { RecordableEvent } from '#events/recordable-event';
import { movementFor } from '#domain/movements';
import { dischargeReasons, hmppsEventTypes, type HmppsDomainEvent } from './domain-event';

type PrisonEvent = Extract<HmppsDomainEvent, { additionalInformation: { nomsNumber: string } }>;

export function fromHmpps(event: PrisonEvent, idKey: string): RecordableEvent {
  const { nomsNumber, prisonId } = event.additionalInformation;
  const common = {
    eventId: hmppsEventId(event.eventType, nomsNumber, event.occurredAt, idKey),
    occurredAt: event.occurredAt,
    prisonId,
    person: { prisonNumber: nomsNumber },
  };

  switch (event.eventType) {
    case hmppsEventTypes.released: {
      const { reason, nomisMovementReasonCode: code } = event.additionalInformation;
      const meaning = movementFor(event.eventType, reason, code);
      const movement = { hmppsEventType: event.eventType, reason, ...meaningOf(meaning), counted: true };
      if (meaning.action === 'RELEASE') {
        // HMPPS does not know the destination or the accommodation: those stay as earlier Gatehouse events said.
        return {
          ...common,
          eventType: 'prisoner.released',
          release: { releasedAt: event.occurredAt, reason: meaning.releaseKind ?? 'OTHER' },
          movement,
        };
      }
      return { ...common, eventType: 'prison.movement', movement };
    }
    case hmppsEventTypes.received: {
      const { reason, nomisMovementReasonCode: code } = event.additionalInformation;
      const meaning = movementFor(event.eventType, reason, code);
      return {
        ...common,
        eventType: 'prisoner.received',
        reason: meaning.kind === 'RECALL' ? 'RECALL' : reason,
        movement: { hmppsEventType: event.eventType, reason, ...meaningOf(meaning), counted: true },
      };
    }
    case hmppsEventTypes.releasedUnconfirmed: {
      const reason = event.additionalInformation.reason ?? 'RELEASED';
      // Only a discharge is an unconfirmed release; other reasons arrive confirmed 45 minutes later and are counted then.
      const discharge = (dischargeReasons as readonly string[]).includes(reason);
      const meaning = movementFor(event.eventType, discharge ? reason : 'RELEASED', undefined);
      return {
        ...common,
        eventType: 'prison.movement',
        movement: { hmppsEventType: event.eventType, reason, ...meaningOf(meaning), counted: discharge },
      };
    }
  }
}

function meaningOf(meaning: ReturnType<typeof movementFor>) {
  return {
    kind: meaning.kind,
    ...(meaning.releaseKind ? { releaseKind: meaning.releaseKind } : {}),
    ...(meaning.code !== undefined ? { code: meaning.code } : {}),
    action: meaning.action,
    reviewNeeded: meaning.review,
    reasons: meaning.reasons,
  };
}

/**
 * `hmpps-` and an HMAC: stable for the same movement whatever offset occurredAt was written with, and free of the
 * prison number, because event ids appear in logs. Keyed, because an unkeyed hash of a prison number (about
 * 1.8 × 10⁸ of them) is reversed by trying them all; another deployment's key gives another id.
 */
export function hmppsEventId(
  eventType: string,
  nomsNumber: string,
  occurredAt: string,
  idKey: string,
): string {
  const instant = new Date(occurredAt).toISOString();
  return `hmpps-${createHmac('sha256', idKey).update(`${eventType}|${nomsNumber}|${instant}`).digest('hex').slice(0, 32)}`;
}
