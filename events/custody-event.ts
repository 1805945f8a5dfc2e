/**
 * Custody event v1: what HMP Durham's systems send to Gatehouse.
 * This zod schema is the single source of the contract: the TypeScript types are inferred from it and
 * the JSON Schema in `events/schemas/` is generated from it (`npm run schemas`).
 */
import * as z from 'zod';
import { accommodationStatuses, aftercarePlans, cohorts, pathways } from '#domain/circumstances';
import { receptionReasons } from '#domain/movements';
import { localAuthorityCode, prisonNumber, type CustodyFact } from '#domain/custody-facts';

export { accommodationStatuses, aftercarePlans, cohorts, pathways, localAuthorityCode, prisonNumber };
export type { Accommodation, AftercarePlan, Cohort, Pathway } from '#domain/circumstances';

/**
 * What was expected, in words; for a missing field that it is required, and for a value in the right shape
 * that is still wrong (2026-02-31) what is wrong with it.
 */
function expecting(expected: string, wrongButWellFormed?: (input: string) => string | undefined) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined
      ? `${expected} (the field is required)`
      : (typeof issue.input === 'string' && wrongButWellFormed?.(issue.input)) || expected;
}

export const localDate = z.iso.date({
  error: expecting('a date as YYYY-MM-DD', (s) =>
    /^\d{4}-\d{2}-\d{2}$/.test(s) ? `a real date (${s} is not a real date)` : undefined,
  ),
});
export const instant = z.iso.datetime({
  offset: true,
  error: expecting(
    'an ISO-8601 date-time with an offset, e.g. 2026-11-20T16:40:00Z or 2026-06-05T16:40:00+01:00',
  ),
});

export const custodyEventTypes = [
  'release.scheduled',
  'release.rescheduled',
  'release.cancelled',
  'prisoner.released',
  'prisoner.received',
] as const;

export type CustodyEventType = (typeof custodyEventTypes)[number];

const person = z.strictObject({
  prisonNumber,
  crn: z
    .string()
    .regex(/^[A-Z][0-9]{6}$/, 'a probation case reference (CRN) such as X123456')
    .optional(),
});

/** What is known about the release and the person's circumstances; every event may update it. */
const circumstances = {
  type: z
    .enum(['planned', 'unplanned'])
    .optional()
    .describe('Leave out unless the producer knows: Gatehouse infers it from the schedule on record'),
  reason: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe(
      "Release reason in the producer's words, e.g. CONDITIONAL_RELEASE, TIME_SERVED, RELEASED_FROM_COURT",
    ),
  destinationLocalAuthority: localAuthorityCode.optional(),
  accommodation: z.enum(accommodationStatuses).optional(),
  aftercarePlan: z.enum(aftercarePlans).optional(),
  needs: z
    .array(z.enum(pathways))
    .max(pathways.length)
    .optional()
    .describe('Resettlement pathways where support is required'),
  cohorts: z.array(z.enum(cohorts)).max(cohorts.length).optional(),
};

const envelope = {
  eventId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only')
    .describe("The producer's id for this event: the idempotency key"),
  occurredAt: instant,
  prisonId: z.string().regex(/^[A-Z]{3}$/, 'a three-letter prison code such as DMI (HMP Durham)'),
  person,
};

const scheduled = z.strictObject({
  ...envelope,
  eventType: z.literal('release.scheduled'),
  release: z.strictObject({ ...circumstances, scheduledFor: localDate }),
});

const rescheduled = z.strictObject({
  ...envelope,
  eventType: z.literal('release.rescheduled'),
  release: z.strictObject({
    ...circumstances,
    scheduledFor: localDate,
    previouslyScheduledFor: localDate.optional(),
  }),
});

const cancelled = z.strictObject({
  ...envelope,
  eventType: z.literal('release.cancelled'),
  release: z.strictObject({ scheduledFor: localDate, reason: circumstances.reason }),
});

const released = z.strictObject({
  ...envelope,
  eventType: z.literal('prisoner.released'),
  release: z.strictObject({
    ...circumstances,
    releasedAt: instant.optional().describe('Defaults to occurredAt'),
  }),
});

const received = z.strictObject({
  ...envelope,
  eventType: z.literal('prisoner.received'),
  reason: z.enum(receptionReasons).optional(),
});

export const custodyEventV1 = z.discriminatedUnion('eventType', [
  scheduled,
  rescheduled,
  cancelled,
  released,
  received,
]);

export type CustodyEvent = z.infer<typeof custodyEventV1>;

/**
 * The custody fact (functions/domain/custody-facts.ts) a valid custody event v1 states. v1 says it field for field,
 * so the mapping is the type: tsc fails here when the contract says what the domain's fact cannot (a v2 maps here).
 * The other way (a partner's release-schedule row, a domain fact, is recorded as a v1 event) is checked where the
 * partner-drop composition hands the rows' facts to the record use case.
 */
export function custodyFactOf(event: CustodyEvent): CustodyFact {
  return event;
}
