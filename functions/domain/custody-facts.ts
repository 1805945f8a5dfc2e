/**
 * What a custody event tells Gatehouse, in the domain's words: the facts a person's release cases are derived from
 * (release-case.ts), whoever said them — HMP Durham's custody event v1, an HMPPS domain event, a partner's
 * release-schedule row. The wire contracts (events/) are mapped to these at the edge; the domain never reads them.
 *
 * The identifier rules (a prison number, an ONS local authority code) are the domain's too: the custody event
 * contract and the partner-file rows both validate with them.
 */
import * as z from 'zod';
import type { Accommodation, AftercarePlan, Cohort, Pathway } from './circumstances';
import type { MovementAction, MovementKind, ReleaseKind, receptionReasons } from './movements';

export const prisonNumber = z
  .string()
  .regex(/^[A-Z][0-9]{4}[A-Z]{2}$/, 'a prison (NOMS) number such as A1234BC');

export const localAuthorityCode = z
  .string()
  .regex(
    /^[EWSN][0-9]{8}$/,
    'an ONS local authority code such as E06000047 (County Durham) or E06000005 (Darlington)',
  );

/** Who the fact is about. */
export interface FactPerson {
  prisonNumber: string;
  crn?: string;
}

/** What every custody fact carries: its producer's id (the idempotency key), when it happened, where, about whom. */
interface FactEnvelope {
  eventId: string;
  /** Who told Gatehouse, when it was not a custody event of its own: a partner's file (release-schedule rows). */
  toldBy?: 'partner-file';
  /** An ISO-8601 instant. */
  occurredAt: string;
  prisonId: string;
  person: FactPerson;
}

/** What is known about the release and the person's circumstances; every release fact may update it. */
export interface ReleaseCircumstances {
  /** Said only when the producer knows; otherwise inferred from the schedule on record. */
  type?: 'planned' | 'unplanned';
  /** The release reason in the producer's words. */
  reason?: string;
  destinationLocalAuthority?: string;
  accommodation?: Accommodation;
  aftercarePlan?: AftercarePlan;
  needs?: Pathway[];
  cohorts?: Cohort[];
}

export interface ReleaseScheduled extends FactEnvelope {
  eventType: 'release.scheduled';
  release: ReleaseCircumstances & { scheduledFor: string };
}

export interface ReleaseRescheduled extends FactEnvelope {
  eventType: 'release.rescheduled';
  release: ReleaseCircumstances & { scheduledFor: string; previouslyScheduledFor?: string };
}

export interface ReleaseCancelled extends FactEnvelope {
  eventType: 'release.cancelled';
  release: { scheduledFor: string; reason?: string };
}

export interface PrisonerReleased extends FactEnvelope {
  eventType: 'prisoner.released';
  /** `releasedAt` defaults to `occurredAt`. */
  release: ReleaseCircumstances & { releasedAt?: string };
}

export interface PrisonerReceived extends FactEnvelope {
  eventType: 'prisoner.received';
  reason?: (typeof receptionReasons)[number];
}

/** A fact about one person's custody: a release scheduled, moved or cancelled; a release; a reception. */
export type CustodyFact =
  | ReleaseScheduled
  | ReleaseRescheduled
  | ReleaseCancelled
  | PrisonerReleased
  | PrisonerReceived;

/** An HMPPS prison movement, as the movement table (movements.ts) reads it; counted in `movements`. */
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

/** What a person's record takes from custody: a custody fact, or a movement only; either may carry its movement. */
export type RecordableFact = (CustodyFact | MovementOnly) & { movement?: Movement };
