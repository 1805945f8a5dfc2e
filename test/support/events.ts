/** Custody events for tests, built from the example so they stay valid as the contract grows. */
import type { CustodyEvent } from '#events/custody-event';

type Released = Extract<CustodyEvent, { eventType: 'prisoner.released' }>;

let counter = 0;

/** The Friday case: unplanned, 16:40 on Friday 20 November 2026, to Darlington, no fixed abode, no aftercare plan. */
export function fridayRelease(
  overrides: Partial<Released> & { release?: Partial<Released['release']> } = {},
): Released {
  counter += 1;
  const { release, ...rest } = overrides;
  return {
    eventId: `test-${process.pid}-${counter}`,
    eventType: 'prisoner.released',
    occurredAt: '2026-11-20T16:40:00Z',
    prisonId: 'DMI',
    person: { prisonNumber: 'A1234BC' },
    ...rest,
    release: {
      releasedAt: '2026-11-20T16:40:00Z',
      reason: 'RELEASED_FROM_COURT',
      destinationLocalAuthority: 'E06000005',
      accommodation: 'NO_FIXED_ABODE',
      aftercarePlan: 'NONE',
      needs: ['DRUGS_AND_ALCOHOL'],
      ...release,
    },
  };
}
