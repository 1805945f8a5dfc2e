/**
 * What an HMPPS domain event means to Gatehouse (the table in events/README.md):
 * - prisoner.released, reason RELEASED / RELEASED_TO_HOSPITAL → a release (custody event `prisoner.released`);
 * - prisoner.released, any other reason → a movement only: recorded and counted, no case, no alert; UNKNOWN is flagged for review;
 * - prisoner.received → `prisoner.received` (closes a case of someone released and now back), and counted;
 * - prisoner-offender-search.prisoner.released → counted as an unconfirmed release, never acted on.
 * HMPPS events carry no id: the idempotency key is derived from eventType + nomsNumber + occurredAt, keyed with the
 * deployment's identifier key (so nobody can test a guessed prison number against an id).
 */
import { createHmac } from 'node:crypto';
import type { RecordableEvent } from '../custody-message';
import { dischargeReasons, hmppsEventTypes, type HmppsDomainEvent } from './domain-event';

export function fromHmpps(event: HmppsDomainEvent, idKey: string): RecordableEvent {
  const { nomsNumber, prisonId } = event.additionalInformation;
  const common = {
    eventId: hmppsEventId(event.eventType, nomsNumber, event.occurredAt, idKey),
    occurredAt: event.occurredAt,
    prisonId,
    person: { prisonNumber: nomsNumber },
  };

  switch (event.eventType) {
    case hmppsEventTypes.released: {
      const { reason } = event.additionalInformation;
      const movement = { hmppsEventType: event.eventType, reason, counter: reason, reviewNeeded: reason === 'UNKNOWN' };
      if ((dischargeReasons as readonly string[]).includes(reason)) {
        // HMPPS does not know the destination or the accommodation: those stay as earlier Gatehouse events said.
        return { ...common, eventType: 'prisoner.released', release: { releasedAt: event.occurredAt, reason }, movement };
      }
      return { ...common, eventType: 'prison.movement', movement };
    }
    case hmppsEventTypes.received: {
      const { reason } = event.additionalInformation;
      return {
        ...common,
        eventType: 'prisoner.received',
        reason,
        movement: { hmppsEventType: event.eventType, reason, counter: `received.${reason}`, reviewNeeded: false },
      };
    }
    case hmppsEventTypes.releasedUnconfirmed: {
      const reason = event.additionalInformation.reason ?? 'RELEASED';
      const discharge = (dischargeReasons as readonly string[]).includes(reason);
      return {
        ...common,
        eventType: 'prison.movement',
        // Only a discharge is an unconfirmed release; other reasons arrive confirmed 45 minutes later and are counted then.
        movement: { hmppsEventType: event.eventType, reason, counter: discharge ? 'unconfirmedRelease' : undefined, reviewNeeded: false },
      };
    }
  }
}

/**
 * `hmpps-` and an HMAC: stable for the same movement whatever offset occurredAt was written with, and free of the
 * prison number, because event ids appear in logs. Keyed, because an unkeyed hash of a prison number (about
 * 1.8 × 10⁸ of them) is reversed by trying them all; another deployment's key gives another id.
 */
export function hmppsEventId(eventType: string, nomsNumber: string, occurredAt: string, idKey: string): string {
  const instant = new Date(occurredAt).toISOString();
  return `hmpps-${createHmac('sha256', idKey).update(`${eventType}|${nomsNumber}|${instant}`).digest('hex').slice(0, 32)}`;
}
