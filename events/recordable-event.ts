/**
 * What the record use case takes from the custody-events queue: a custody event v1, or an HMPPS domain event mapped
 * (hmpps/to-custody-event.ts) to one or to a movement only. Its own module, so the parser and the HMPPS mapping
 * both use it without importing each other.
 */
import type { CustodyEvent } from './custody-event';
import type { MovementAction, MovementKind, ReleaseKind } from '#domain/movements';

/** An HMPPS prison movement, as the movement table (functions/domain/movements.ts) reads it; counted in `movements`. */
export interface Movement {
  hmppsEventType: string;
  /** The HMPPS reason, e.g. TEMPORARY_ABSENCE_RELEASE. */
  reason: string;
  /** The NOMIS movement reason code, when HMPPS sent one. */
  code?: string;
  kind: MovementKind;
  releaseKind?: ReleaseKind;
  action: MovementAction;
  /** The movement table says a person should look at it (an unknown code or reason). */
  reviewNeeded: boolean;
  /** Why, in words an operator understands. */
  reasons: string[];
  /** Whether it counts in the `movements` figures (an unconfirmed non-discharge counts nowhere). */
  counted: boolean;
}

/** A movement that is not a release or a reception (temporary absence, court, transfer, death, hospital, unknown …). */
export interface MovementOnly {
  eventId: string;
  eventType: 'prison.movement';
  occurredAt: string;
  prisonId: string;
  person: { prisonNumber: string };
}

/** What the record use case takes: a custody event v1, or an HMPPS event mapped to one or to a movement. */
export type RecordableEvent = (CustodyEvent | MovementOnly) & { movement?: Movement };
