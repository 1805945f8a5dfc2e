/**
 * What the record use case takes from the custody-events queue: a custody event v1, or an HMPPS domain event mapped
 * (hmpps/to-custody-event.ts) to one or to a movement only. Its own module, so the parser and the HMPPS mapping
 * both use it without importing each other. The domain's words for it are in functions/domain/custody-facts.ts.
 */
import type { CustodyEvent } from './custody-event';
import type { Movement, MovementOnly } from '#domain/custody-facts';

export type { Movement, MovementOnly } from '#domain/custody-facts';

/** What the record use case takes: a custody event v1, or an HMPPS event mapped to one or to a movement. */
export type RecordableEvent = (CustodyEvent | MovementOnly) & { movement?: Movement };
