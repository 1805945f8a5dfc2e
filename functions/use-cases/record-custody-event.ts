/**
 * Record one custody event (or HMPPS movement), exactly once.
 *
 * 1. Load the person's releases.
 * 2. Decide the transition: the cases after the event (lifecycle, with the scope: whose release it is), the alerts it
 *    raises (alert policy; none for a release that is not ours, or for a movement older than an alert lives).
 * 3. Commit in one transaction: the ledger item (new, or the event is a duplicate), the person's releases
 *    (at the version we read), the difference in the counters (the person's release figures after − before,
 *    plus the movement, once), and the alerts (the outbox).
 * 4. When another writer got there first, start again from 1. A duplicate changes nothing.
 *
 * An HMPPS release says nothing of the release date on record, the destination or the accommodation. With a
 * `releaseFacts` port, a release to the community that may be ours, whose case lacks those facts, has them
 * fetched once (before 1, not on every retry) and kept beside the event. When some source could not answer, the
 * case waits for them until `factsDueBy` and pages nobody yet: the sweeper asks again (recheck-release-facts.ts).
 */
import { randomBytes } from 'node:crypto';
import type { RecordableEvent } from '#events/custody-message';
import { difference, movementContribution, personContribution, type CounterDelta } from '#domain/aggregates';
import {
  alertsForRelease,
  digestEntryFor,
  tooLateToAlert,
  warningsSettled,
  type DigestEntry,
} from '#domain/alert-policy';
import { alertIdFor, openAlert, resolve, type Alert, type AlertChange } from '#domain/alerts';
import { londonTime } from '#domain/calendar';
import type { ReleaseRules } from '#domain/classification';
import {
  applyCustodyEvent,
  type PersonReleases,
  type ReleaseCase,
  type Transition,
} from '#domain/release-case';
import type { RoutingConfig } from '#domain/routing';
import type { Scope } from '#domain/scope';
import { expiresAt } from '#commons/retention';
import { again, retrying, type Backoff } from '#commons/retry';
import {
  defaultFactsWait,
  factsDueBy,
  factsFetchOf,
  type AccommodationTold,
  type FactsFetch,
  type FactsWaitSettings,
  type FetchResultLike,
  type ReleaseCircumstances,
} from '#domain/release-facts';

export interface LedgerEntry {
  eventId: string;
  eventType: string;
  occurredAt: string;
  recordedAt: string;
  source: string;
  outcome: string;
  caseRef?: string;
  /** The prison the event is about (a code, not personal data): what a recount counts movements by. */
  prisonId?: string;
  /** The HMPPS movement reason, for movements, and what the movement table made of it. */
  movement?: string;
  movementKind?: string;
  movementReleaseKind?: string;
  movementCode?: string;
  /** Whether the movement counts in the `movements` figures. */
  movementCounted?: boolean;
  reviewNeeded?: boolean;
  /** Recorded too late to page anyone. */
  late?: boolean;
}

export interface ReleaseChange {
  ledger: LedgerEntry;
  person: PersonReleases;
  /** The version the change was decided on; the commit fails if it has moved. */
  expectedVersion: number;
  counters: CounterDelta[];
  alerts: Alert[];
  /** Alerts raised before that this event repeats: updated, nobody paged again. */
  repeatedAlertIds: string[];
  /**
   * Open pre-release warnings this event made needless (somewhere to stay is now recorded), resolved: each is
   * written only at the version it was decided on, so a concurrent change to it makes the commit a conflict.
   */
  resolvedAlerts: Pick<AlertChange, 'before' | 'after'>[];
  /** ROUTINE releases for the services' daily digest. */
  digestEntries: DigestEntry[];
  /** Epoch seconds after which case and alert items may be deleted. */
  expiresAt: number;
}

export type CommitResult = 'committed' | 'duplicate' | 'conflict';

/** The port the use case needs from storage; DynamoDB implements it in adapters/. */
export interface ReleaseStore {
  loadPerson(prisonNumber: string): Promise<PersonReleases | undefined>;
  /** An alert as stored (a strongly consistent read), to resolve one this event made needless. */
  loadAlert(alertId: string): Promise<Alert | undefined>;
  commit(change: ReleaseChange): Promise<CommitResult>;
}

export interface RecordDependencies {
  store: ReleaseStore;
  rules: ReleaseRules;
  /** Escalation policies and alert lifetimes per area. */
  routing: RoutingConfig;
  /** Watched prisons and the partnership's areas. */
  scope: Scope;
  scheduleWindowDays: number;
  retentionDays: number;
  /** The deployment's identifier key: alert ids are keyed with it. */
  idKey: string;
  clock: () => Date;
  /** How long to wait before deciding again when another writer got there first (default: real time). */
  backoff?: Backoff;
  /** Fetches what an HMPPS release does not say (fetch-release-facts.ts); without it, HMPPS releases are recorded as they come. */
  releaseFacts?: (prisonNumber: string, circumstances: ReleaseCircumstances) => Promise<FetchResultLike>;
  /** How long a case waits for facts that could not be fetched; defaults in domain/release-facts.ts. */
  factsWait?: FactsWaitSettings;
}

export interface RecordResult {
  outcome: 'recorded' | 'duplicate';
  /** What the event did to the person's releases (recorded events only). */
  transition?: Transition['outcome'];
  eventId: string;
  caseRef?: string;
  alertIds: string[];
  /** Pre-release warnings this event resolved (a bed confirmed for the scheduled release); absent when none. */
  resolvedAlertIds?: string[];
  /** The event was too old to page anyone (recorded and counted all the same). */
  late?: boolean;
  /** The case's day lies where no bank holidays are loaded (treated as possibly non-working): operators must refresh them. */
  bankHolidaysUnknown?: boolean;
  /** HMPPS's APIs were asked; `waiting`: some could not answer and the case waits for them, nobody paged yet. */
  facts?: 'complete' | 'waiting' | 'incomplete';
}

const maxAttempts = 8;

export async function recordCustodyEvent(
  event: RecordableEvent | FactsFetch | AccommodationTold,
  source: string,
  deps: RecordDependencies,
): Promise<RecordResult> {
  let fetched: FactsFetch | undefined;
  const ctx = {
    rules: deps.rules,
    scheduleWindowDays: deps.scheduleWindowDays,
    newCaseRef,
    scope: deps.scope,
  };
  const exhausted = () =>
    new Error(
      `event ${event.eventId}: the person's record kept changing under ${maxAttempts} attempts; it will be retried`,
    );
  return retrying(
    { attempts: maxAttempts, ...(deps.backoff ? { backoff: deps.backoff } : {}), exhausted },
    async (attempt): Promise<RecordResult | typeof again> => {
      const before = await deps.store.loadPerson(event.person.prisonNumber);
      if (
        attempt === 1 &&
        event.eventType !== 'release.facts' &&
        event.eventType !== 'accommodation.recorded'
      )
        fetched = await factsFor(event, before, deps, ctx);
      const now = deps.clock();
      const transition = applyCustodyEvent(before, event, ctx, fetched ? [fetched] : []);
      const late = tooLateToAlert(event.occurredAt, transition.caseAfter?.releasedAt, now, deps.routing);
      // A case waiting for its facts pages nobody yet: the sweeper alerts when they come or the wait is over.
      const waiting = transition.caseAfter?.factsPending === true;
      const { raised, repeated } =
        transition.caseAfter && !late && !waiting
          ? alertsForRelease(transition.caseAfter, event.person.prisonNumber, deps.routing)
          : { raised: [], repeated: [] };
      transition.caseAfter?.alertKeys.push(...raised.map((a) => a.dedupKey));
      const alerts = raised.map((draft) => openAlert(draft, now, deps.routing, deps.idKey));
      // The digest is by release date (yesterday's releases), so an old release never reaches one: no need to hold it back.
      const digestEntry =
        transition.caseAfter && !waiting ? digestEntryFor(transition.caseAfter, deps.routing) : undefined;
      const counters = [
        ...difference(personContribution(before, transition.retired), personContribution(transition.after)),
        ...(event.eventType === 'release.facts' || event.eventType === 'accommodation.recorded'
          ? []
          : movementContribution(event, late)),
        ...alertsRaised(alerts),
      ];
      const after: PersonReleases = { ...transition.after, version: (before?.version ?? 0) + 1 };
      const resolvedAlerts: ReleaseChange['resolvedAlerts'] = [];
      for (const key of warningsSettled(before, transition.after, deps.routing)) {
        const warning = await deps.store.loadAlert(alertIdFor(key, deps.idKey));
        const decided = warning && resolve(warning, now);
        if (decided?.outcome === 'acknowledged') resolvedAlerts.push(decided.change);
      }

      const result = await deps.store.commit({
        ledger: {
          eventId: event.eventId,
          eventType: event.eventType,
          occurredAt: event.occurredAt,
          recordedAt: now.toISOString(),
          source,
          prisonId: event.prisonId,
          outcome: transition.outcome,
          ...(transition.caseAfter ? { caseRef: transition.caseAfter.caseRef } : {}),
          ...(event.eventType !== 'release.facts' &&
          event.eventType !== 'accommodation.recorded' &&
          event.movement
            ? {
                movement: event.movement.reason,
                movementKind: event.movement.kind,
                ...(event.movement.releaseKind ? { movementReleaseKind: event.movement.releaseKind } : {}),
                movementCounted: event.movement.counted,
                ...(event.movement.code !== undefined ? { movementCode: event.movement.code } : {}),
                ...(event.movement.reviewNeeded ? { reviewNeeded: true } : {}),
              }
            : {}),
          ...(late ? { late: true } : {}),
        },
        person: after,
        expectedVersion: before?.version ?? 0,
        counters,
        alerts,
        repeatedAlertIds: repeated.map((d) => alertIdFor(d.dedupKey, deps.idKey)),
        resolvedAlerts,
        digestEntries: digestEntry ? [digestEntry] : [],
        expiresAt: expiry(after, now, deps.retentionDays),
      });

      if (result === 'committed') {
        return {
          outcome: 'recorded',
          transition: transition.outcome,
          eventId: event.eventId,
          ...(transition.caseAfter ? { caseRef: transition.caseAfter.caseRef } : {}),
          alertIds: alerts.map((a) => a.alertId),
          ...(resolvedAlerts.length ? { resolvedAlertIds: resolvedAlerts.map((c) => c.after.alertId) } : {}),
          ...(transition.caseAfter?.classification.flags.bankHolidaysUnknown
            ? { bankHolidaysUnknown: true }
            : {}),
          ...(late ? { late: true } : {}),
          ...factsOutcome(event.eventType === 'release.facts' ? event : fetched),
        };
      }
      if (result === 'duplicate') return { outcome: 'duplicate', eventId: event.eventId, alertIds: [] };
      return again;
    },
  );
}

function factsOutcome(fetch: FactsFetch | undefined): Pick<RecordResult, 'facts'> {
  if (!fetch) return {};
  return { facts: fetch.complete ? 'complete' : fetch.final ? 'incomplete' : 'waiting' };
}

/**
 * The facts of an HMPPS release to the community that may be ours, fetched when its case lacks them. Not for a
 * redelivered event (already on record), a movement too old to page anyone, or a release known to be elsewhere's.
 */
async function factsFor(
  event: RecordableEvent,
  before: PersonReleases | undefined,
  deps: RecordDependencies,
  ctx: Parameters<typeof applyCustodyEvent>[2],
): Promise<FactsFetch | undefined> {
  if (!deps.releaseFacts || event.eventType !== 'prisoner.released' || event.movement?.action !== 'RELEASE')
    return undefined;
  if (before?.facts?.some((f) => f.eventId === event.eventId)) return undefined;
  const probe = applyCustodyEvent(before, event, ctx).caseAfter;
  if (!probe?.releasedAt || probe.facts) return undefined;
  const now = deps.clock();
  if (tooLateToAlert(event.occurredAt, probe.releasedAt, now, deps.routing)) return undefined;
  const known = probe.circumstances;
  if (
    known.destinationLocalAuthority !== undefined &&
    !deps.scope.partnershipAreas.includes(known.destinationLocalAuthority) &&
    !deps.scope.watchedPrisons.includes(probe.prisonId)
  )
    return undefined;
  if (
    known.destinationLocalAuthority !== undefined &&
    known.accommodation !== undefined &&
    known.declaredType !== undefined
  )
    return undefined;
  const result = await deps.releaseFacts(
    event.person.prisonNumber,
    releaseCircumstances(probe, event.movement.code),
  );
  const settings = deps.factsWait ?? defaultFactsWait;
  const askedAt = deps.clock().toISOString();
  const dueBy = factsDueBy(askedAt, settings, {
    calendar: deps.rules.calendar,
    lateDayFrom: deps.rules.lateDayFrom,
  });
  return factsFetchOf(
    {
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      prisonId: event.prisonId,
      prisonNumber: event.person.prisonNumber,
      releasedAt: probe.releasedAt,
    },
    1,
    result,
    askedAt,
    dueBy,
    settings,
  );
}

/** What the fetch needs to know of the release: when, the movement code, from court, and a schedule Gatehouse held. */
export function releaseCircumstances(c: ReleaseCase, code: string | undefined): ReleaseCircumstances {
  const schedule =
    c.scheduledFor && c.scheduleAsOf ? { date: c.scheduledFor, receivedAt: c.scheduleAsOf } : undefined;
  return {
    releasedAt: c.releasedAt!,
    ...(code !== undefined ? { movementReasonCode: code } : {}),
    ...(c.kind === 'FROM_COURT' ? { fromCourt: true } : {}),
    ...(schedule ? { scheduled: schedule } : {}),
  };
}

function alertsRaised(alerts: Alert[]): CounterDelta[] {
  return alerts.map((a) => ({
    family: 'alerts',
    dimensions: { la: a.localAuthority, prison: a.prisonId },
    date: londonTime(a.raisedAt).date,
    counts: { [`raised.${a.kind}`]: 1, raised: 1 },
  }));
}

/** Cases are kept for the retention period after the newest release or schedule of the person. */
function expiry(person: PersonReleases, now: Date, retentionDays: number): number {
  const newest = person.cases
    .map((c: ReleaseCase) => c.releasedAt ?? (c.scheduledFor ? `${c.scheduledFor}T00:00:00Z` : undefined))
    .filter((d): d is string => d !== undefined)
    .map((d) => Date.parse(d))
    .reduce((a, b) => Math.max(a, b), now.getTime());
  return expiresAt(newest, retentionDays);
}

/** A case reference that identifies the case to a worker without naming the person: GH-XXXX-XXXX. */
export function newCaseRef(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: read aloud over the phone
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `GH-${chars.slice(0, 4)}-${chars.slice(4)}`;
}
