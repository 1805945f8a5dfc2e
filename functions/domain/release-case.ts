/**
 * The release lifecycle of one person: scheduled → rescheduled* → released | cancelled; released → received back.
 *
 * Events arrive late, twice and out of order, so a case is never moved step by step in arrival order. The
 * person's record keeps the events themselves (facts); on every event the cases are derived again from all of
 * them, in the order they *occurred*: which events belong to which release (episodes), then each case's state.
 * The result is a function of the set of events, so every arrival order gives the same cases (property-tested).
 * The rules are written out as a table in events/README.md. Pure: time, ids, rules and scope are passed in.
 */
// The domain's own facts (custody-facts.ts), under the names this module has always used for them.
import type { CustodyFact, RecordableFact } from './custody-facts';
import type { Accommodation, AftercarePlan, Cohort, Pathway } from './circumstances';
import { londonTime, type LocalDate } from './calendar';
import { classifyRelease, type Classification, type ReleaseRules } from './classification';
import {
  addressApprovedByKind,
  plannedByKind,
  releaseKindOf,
  type MovementKind,
  type ReleaseKind,
} from './movements';
import { releaseScope, type Scope, type Whose } from './scope';
import {
  mergeFacts,
  type AccommodationTold,
  type Fact,
  type FactsFetch,
  type ReleaseFacts,
  type SourceOutcomes,
} from './release-facts';

/** CLOSED: a scheduled release that will not happen because the person died, went to hospital or to immigration detention. */
export type CaseStatus = 'SCHEDULED' | 'RELEASED' | 'CANCELLED' | 'RETURNED' | 'CLOSED';

export interface Circumstances {
  reason?: string;
  destinationLocalAuthority?: string;
  accommodation?: Accommodation;
  aftercarePlan?: AftercarePlan;
  needs: Pathway[];
  cohorts: Cohort[];
  /** What the producer said about planning, if anything; otherwise Gatehouse infers it from the schedule. */
  declaredType?: 'planned' | 'unplanned';
}

export interface ReleaseCase {
  /** A reference that identifies the case to the people who work it without naming the person. */
  caseRef: string;
  status: CaseStatus;
  prisonId: string;
  crn?: string;
  /** The date of the newest schedule (or of the cancelled one). */
  scheduledFor?: LocalDate;
  releasedAt?: string;
  returnedAt?: string;
  /** When and why a scheduled release was closed (CLOSED). */
  closedAt?: string;
  closedBecause?: MovementKind;
  /** The kind of release (from the HMPPS movement code, or the producer's reason). */
  kind?: ReleaseKind;
  /** Whether the release is the partnership's, and why (scope.ts). Absent on cases recorded before scope existed. */
  ours?: boolean;
  whose?: Whose;
  scopeReason?: string;
  circumstances: Circumstances;
  /** occurredAt of the newest event whose circumstances were applied. */
  circumstancesAsOf: string;
  /** occurredAt of the newest event that set the schedule or cancelled it. */
  scheduleAsOf?: string;
  classification: Classification;
  /** Deduplication keys of the alerts raised for this case. */
  alertKeys: string[];
  events: { eventId: string; eventType: string; occurredAt: string }[];
  /**
   * What is known of the release, fact by fact, with where each came from (source, at, how): present once
   * HMPPS's APIs were asked (domain/release-facts.ts).
   */
  facts?: ReleaseFacts;
  /** What the last fetch got from each source (cause only). */
  factSources?: SourceOutcomes;
  /** Waiting for facts: nobody is paged until they come or `factsDueBy` passes. */
  factsPending?: boolean;
  factsDueBy?: string;
  /** The sources that could not be fetched, in words, once the wait is over without them. */
  factsMissing?: string[];
  /** When the sweeper asks HMPPS again. */
  factsRecheckAt?: string;
}

/** An HMPPS movement as kept on the person's record, for people to see (it is counted when it arrives). */
export interface RecordedMovement {
  eventId: string;
  hmppsEventType: string;
  reason: string;
  code?: string;
  kind?: MovementKind;
  occurredAt: string;
  prisonId: string;
  /** The movement table says someone should look (an unknown code or reason). */
  reviewNeeded: boolean;
}

/** A movement that ends the person's time in custody other than by release: closes a scheduled release. */
export interface CustodyEnded {
  eventId: string;
  eventType: 'custody.ended';
  occurredAt: string;
  prisonId: string;
  person: { prisonNumber: string; crn?: undefined };
  kind: MovementKind;
}

/** What a person's cases are derived from. */
export type CaseFact = CustodyFact | CustodyEnded | FactsFetch | AccommodationTold;

export interface PersonReleases {
  prisonNumber: string;
  /** Optimistic-lock version: every write is conditional on it. */
  version: number;
  /** Newest first. */
  cases: ReleaseCase[];
  /** The last time the person was received into custody. */
  lastReceivedAt?: string;
  /** The custody events the cases are derived from (those of the kept cases, and receptions). */
  facts?: CaseFact[];
  /** The newest HMPPS movements, newest first. */
  movements?: RecordedMovement[];
}

export interface LifecycleContext {
  rules: ReleaseRules;
  /** A release within this many days of a schedule on record is planned. */
  scheduleWindowDays: number;
  newCaseRef: () => string;
  /** Watched prisons and the partnership's areas: whose a release is. */
  scope: Scope;
}

export interface Transition {
  after: PersonReleases;
  /** The case the event touched, before and after (undefined before = it was opened). */
  caseBefore?: ReleaseCase;
  caseAfter?: ReleaseCase;
  /** What happened, for the ledger and the API. */
  outcome: 'opened' | 'updated' | 'unchanged' | 'movement';
  /** Cases dropped from the record for age: their figures stand, so they are not subtracted. */
  retired: ReleaseCase[];
}

const maxCasesKept = 20;
const maxMovementsKept = 30;
const maxStrayReceptionsKept = 5;

export function applyCustodyEvent(
  before: PersonReleases | undefined,
  event: RecordableFact | FactsFetch | AccommodationTold,
  ctx: LifecycleContext,
  also: readonly FactsFetch[] = [],
): Transition {
  const record: PersonReleases = before
    ? {
        ...structuredClone(before),
        facts: structuredClone(before.facts ?? []),
        movements: structuredClone(before.movements ?? []),
      }
    : { prisonNumber: event.person.prisonNumber, version: 0, cases: [], facts: [], movements: [] };
  if (event.eventType !== 'release.facts' && event.eventType !== 'accommodation.recorded' && event.movement)
    noteMovement(record, event);
  const fact = factOf(event);
  // A movement with no fact of its own can still tell where the person was before a release (court): derive again.
  if (!fact && record.facts!.length === 0) return { after: record, outcome: 'movement', retired: [] };
  if (fact && !record.facts!.some((f) => f.eventId === fact.eventId)) record.facts!.push(fact);
  // Facts fetched for this event (HMPPS's APIs) are kept beside it.
  for (const extra of also)
    if (!record.facts!.some((f) => f.eventId === extra.eventId)) record.facts!.push(extra);
  const derived = deriveCases(record, ctx);
  record.cases = derived.cases;
  record.facts = derived.facts;
  const received = record.facts.filter((f) => f.eventType === 'prisoner.received').map((f) => f.occurredAt);
  const lastReceivedAt = latest([...received, ...(before?.lastReceivedAt ? [before.lastReceivedAt] : [])]);
  if (lastReceivedAt) record.lastReceivedAt = lastReceivedAt;

  const caseAfter = record.cases.find((c) => c.events.some((e) => e.eventId === event.eventId));
  const caseBefore = caseAfter && before?.cases.find((c) => c.caseRef === caseAfter.caseRef);
  // Which alerts the case raises is the alert policy's to decide (alert-policy.ts); the use case records their keys.
  const retired = (before?.cases ?? []).filter((c) => derived.retired.includes(c.caseRef));
  return {
    after: record,
    ...(caseBefore ? { caseBefore: structuredClone(caseBefore) } : {}),
    ...(caseAfter ? { caseAfter } : {}),
    outcome: !fact
      ? 'movement'
      : !caseAfter
        ? 'unchanged'
        : !caseBefore
          ? 'opened'
          : canonical(caseBefore) !== canonical(caseAfter)
            ? 'updated'
            : 'unchanged',
    retired,
  };
}

/** The fact an event adds to the person's record: the custody event itself; a CLOSE movement as `custody.ended`; other movements none. */
function factOf(event: RecordableFact | FactsFetch | AccommodationTold): CaseFact | undefined {
  if (event.eventType === 'release.facts' || event.eventType === 'accommodation.recorded') return event;
  const { movement, ...rest } = event;
  if (rest.eventType !== 'prison.movement') return rest as CustodyFact;
  if (movement?.action !== 'CLOSE') return undefined;
  return {
    eventId: rest.eventId,
    eventType: 'custody.ended',
    occurredAt: rest.occurredAt,
    prisonId: rest.prisonId,
    person: { prisonNumber: rest.person.prisonNumber },
    kind: movement.kind,
  };
}

/** Movements that say where the person was just before a release (not the release reports themselves). */
const whereabouts = new Set<MovementKind>([
  'COURT_OUT',
  'COURT_RETURN',
  'TEMPORARY_ABSENCE_OUT',
  'TEMPORARY_ABSENCE_RETURN',
  'TRANSFER_OUT',
  'TRANSFER_IN',
  'ADMISSION',
  'RECALL',
]);
const courtDayMs = 24 * 3_600_000;

/**
 * A release within a day of being taken to court, with no return in between, is a release from court (unplanned),
 * whatever code NOMIS gave it. Read from the person's movements, so the answer does not depend on arrival order.
 */
function releasedFromCourt(movements: readonly RecordedMovement[], releasedAt: string): boolean {
  const last = movements
    .filter((m) => m.kind && whereabouts.has(m.kind) && byInstant(m.occurredAt, releasedAt) < 0)
    .sort((a, b) => byInstant(b.occurredAt, a.occurredAt))[0];
  return last?.kind === 'COURT_OUT' && byInstant(releasedAt, last.occurredAt) <= courtDayMs;
}

function noteMovement(record: PersonReleases, event: RecordableFact & { movement?: unknown }): void {
  if (record.movements!.some((r) => r.eventId === event.eventId)) return;
  const { hmppsEventType, reason, reviewNeeded, kind, code } = event.movement!;
  record.movements!.push({
    eventId: event.eventId,
    hmppsEventType,
    reason,
    ...(code !== undefined ? { code } : {}),
    kind,
    occurredAt: event.occurredAt,
    prisonId: event.prisonId,
    reviewNeeded,
  });
  record.movements!.sort(
    (a, b) => byInstant(b.occurredAt, a.occurredAt) || b.eventId.localeCompare(a.eventId),
  );
  record.movements = record.movements!.slice(0, maxMovementsKept);
}

/**
 * The person's cases derived again from the facts on record, with today's rules and scope (no new event): what a
 * recount of the figures starts from (infra/ops/recount.ts). Case references and alert keys are kept.
 */
export function rederive(person: PersonReleases, ctx: LifecycleContext): PersonReleases {
  const record: PersonReleases = {
    ...structuredClone(person),
    facts: structuredClone(person.facts ?? []),
    movements: structuredClone(person.movements ?? []),
  };
  if (record.facts!.length === 0) return record;
  const derived = deriveCases(record, ctx);
  return { ...record, cases: derived.cases, facts: derived.facts };
}

// ——— Which events belong to which release ————————————————————————————————————————————————

interface Episode {
  facts: CaseFact[];
  releasedAt?: string;
  releaseDate?: LocalDate;
  returned: boolean;
  closed?: CustodyEnded;
}

/**
 * Walks the events in the order they occurred (ties by eventId) and groups them into releases:
 * - a schedule, reschedule or cancellation belongs to the release in progress (one per person at a time),
 *   or to a release that already happened near one of its dates (a late correction), or starts a new one;
 * - a release report belongs to the release on the same local date (several reports of one release), or
 *   to the release in progress (whatever its scheduled date: planning is judged from the dates), or starts one;
 * - a reception after a release closes that release; otherwise it only says the person is in custody;
 * - a death, hospital detention or immigration removal closes the release in progress; otherwise it changes nothing.
 */
function episodesOf(facts: CaseFact[], windowDays: number): Episode[] {
  const episodes: Episode[] = [];
  const near = (a: LocalDate | undefined, b: LocalDate | undefined) =>
    a !== undefined && b !== undefined && Math.abs(daysBetween(a, b)) <= windowDays;
  const fetched: FactsFetch[] = [];
  for (const f of facts) {
    const current = episodes.at(-1);
    const inProgress = current && !current.releasedAt && !current.closed ? current : undefined;
    let target: Episode | undefined;
    switch (f.eventType) {
      case 'release.scheduled':
      case 'release.rescheduled':
      case 'release.cancelled': {
        const dates = [
          f.release.scheduledFor,
          f.eventType === 'release.rescheduled' ? f.release.previouslyScheduledFor : undefined,
        ];
        target =
          inProgress ??
          [...episodes].reverse().find((e) => e.releaseDate && dates.some((d) => near(e.releaseDate, d)));
        break;
      }
      case 'prisoner.released': {
        const at = f.release.releasedAt ?? f.occurredAt;
        target = episodes.find((e) => e.releaseDate === londonTime(at).date) ?? inProgress;
        if (!target) {
          target = { facts: [], returned: false };
          episodes.push(target);
        }
        if (!target.releasedAt || byInstant(at, target.releasedAt) < 0) {
          target.releasedAt = at;
          target.releaseDate = londonTime(at).date;
        }
        break;
      }
      case 'prisoner.received':
        if (current?.releasedAt && !current.returned && byInstant(f.occurredAt, current.releasedAt) > 0) {
          target = current;
          current.returned = true;
        } else continue; // in custody already: nothing to close
        break;
      case 'custody.ended':
        if (!inProgress || inProgress.facts.length === 0) continue; // no release waited for: nothing to close
        target = inProgress;
        inProgress.closed = f;
        break;
      case 'release.facts':
        // Fetched facts belong to the release they were fetched for, and to nothing else: attached below, once
        // every release is placed (a fetch can carry the very instant of its release).
        fetched.push(f);
        continue;
      case 'accommodation.recorded':
        // To the release in progress, or to the one that happened and has not ended in a return.
        target = inProgress ?? (current?.releasedAt && !current.returned ? current : undefined);
        if (!target) continue;
        break;
    }
    if (!target) {
      target = { facts: [], returned: false };
      episodes.push(target);
    }
    target.facts.push(f);
  }
  for (const f of fetched)
    episodes.find((e) => e.facts.some((g) => g.eventId === f.forEventId))?.facts.push(f);
  return episodes;
}

function deriveCases(
  record: PersonReleases,
  ctx: LifecycleContext,
): { cases: ReleaseCase[]; facts: CaseFact[]; retired: string[] } {
  const facts = [...record.facts!].sort(
    (a, b) => byInstant(a.occurredAt, b.occurredAt) || a.eventId.localeCompare(b.eventId),
  );
  let episodes = episodesOf(facts, ctx.scheduleWindowDays);
  if (episodes.length > maxCasesKept) episodes = episodes.slice(-maxCasesKept); // the oldest leave the record; their figures stand
  // Receptions that closed nothing (the person was in custody already) are kept only while they might still
  // close a release reported late: the newest few.
  const inEpisodes = new Set(episodes.flatMap((e) => e.facts.map((f) => f.eventId)));
  const stray = facts
    .filter(
      (f) =>
        (f.eventType === 'prisoner.received' || f.eventType === 'custody.ended') &&
        !inEpisodes.has(f.eventId),
    )
    .slice(-maxStrayReceptionsKept);
  // Fetched facts whose release is not (yet) in an episode are kept while their release event is.
  const kept = facts.filter((f) => inEpisodes.has(f.eventId) || stray.includes(f));

  // A case keeps its reference (and the alerts it raised) through re-derivation: the first episode holding one of
  // its events takes it over. Episodes are visited oldest first, so the answer does not depend on arrival order.
  const refOf = new Map<string, ReleaseCase>();
  for (const c of record.cases) for (const e of c.events) refOf.set(e.eventId, c);
  const claimed = new Set<string>();
  const cases = episodes.map((episode) => {
    const previous = [
      ...new Set(
        episode.facts.map((f) => refOf.get(f.eventId)).filter((c): c is ReleaseCase => c !== undefined),
      ),
    ];
    const owner = previous.find((c) => !claimed.has(c.caseRef));
    const caseRef = owner?.caseRef ?? ctx.newCaseRef();
    claimed.add(caseRef);
    const alertKeys = [...new Set(previous.flatMap((c) => c.alertKeys))].sort();
    return caseOf(episode, caseRef, alertKeys, record.movements ?? [], ctx);
  });
  const retired = record.cases
    .filter((c) => !claimed.has(c.caseRef) && !c.events.some((e) => inEpisodes.has(e.eventId)))
    .map((c) => c.caseRef);
  return { cases: cases.reverse(), facts: kept, retired };
}

// ——— One release's state, from its events ——————————————————————————————————————————————

function caseOf(
  episode: Episode,
  caseRef: string,
  alertKeys: string[],
  movements: readonly RecordedMovement[],
  ctx: LifecycleContext,
): ReleaseCase {
  const { facts, releasedAt, closed } = episode;
  const schedules = facts.filter(isSchedule);
  const lastSchedule = schedules.at(-1);
  const informing = facts.filter(
    (
      f,
    ): f is Extract<
      CustodyFact,
      { eventType: 'release.scheduled' | 'release.rescheduled' | 'prisoner.released' }
    > =>
      f.eventType === 'release.scheduled' ||
      f.eventType === 'release.rescheduled' ||
      f.eventType === 'prisoner.released',
  );
  const releases = facts.filter(
    (f): f is Extract<CustodyFact, { eventType: 'prisoner.released' }> => f.eventType === 'prisoner.released',
  );
  const returnedAt = earliest(
    facts.filter((f) => f.eventType === 'prisoner.received').map((f) => f.occurredAt),
  );
  const firstRelease = facts.find(
    (f) => f.eventType === 'prisoner.released' && (f.release.releasedAt ?? f.occurredAt) === releasedAt,
  );
  const toldCrn = facts
    .map((f) => f.person.crn)
    .filter((v) => v !== undefined)
    .at(-1);
  const fetches = facts.filter((f): f is FactsFetch => f.eventType === 'release.facts');
  const toldAccommodation = facts.filter(
    (f): f is AccommodationTold => f.eventType === 'accommodation.recorded',
  );

  // Each field is what the newest event that said anything about it said (HMPPS releases say nothing of them).
  const circumstances: Circumstances = { needs: [], cohorts: [] };
  for (const f of informing) {
    const r = f.release as Partial<Extract<CustodyFact, { eventType: 'prisoner.released' }>['release']>;
    if (r.reason !== undefined) circumstances.reason = r.reason;
    if (r.destinationLocalAuthority !== undefined)
      circumstances.destinationLocalAuthority = r.destinationLocalAuthority;
    if (r.accommodation !== undefined) circumstances.accommodation = r.accommodation;
    if (r.aftercarePlan !== undefined) circumstances.aftercarePlan = r.aftercarePlan;
    if (r.needs !== undefined) circumstances.needs = [...new Set(r.needs)].sort();
    if (r.cohorts !== undefined) circumstances.cohorts = [...new Set(r.cohorts)].sort();
    if (r.type !== undefined) circumstances.declaredType = r.type;
  }

  // What HMPPS's APIs said, merged with what Gatehouse was told, fact by fact (the newer wins; release-facts.ts).
  const lastFetch = fetches.at(-1);
  const told = toldAccommodation.reduce(
    (held, f) =>
      mergeFacts(held, {
        accommodation: { value: f.accommodation, source: f.source, at: f.occurredAt, how: f.how },
      }),
    heldFacts(informing, toldCrn),
  );
  const merged =
    fetches.length > 0 || toldAccommodation.length > 0
      ? fetches.reduce((held, f) => mergeFacts(held, f.facts), told)
      : undefined;
  if (merged) {
    const destination = merged.destinationLocalAuthority?.value;
    if (destination !== undefined && destination !== 'UNKNOWN')
      circumstances.destinationLocalAuthority = destination;
    if (merged.accommodation) circumstances.accommodation = merged.accommodation.value;
    if (merged.needs) circumstances.needs = [...new Set(merged.needs.value)].sort();
  }
  const crn = merged?.crn?.value ?? toldCrn;

  const status: CaseStatus = releasedAt
    ? returnedAt
      ? 'RETURNED'
      : 'RELEASED'
    : closed
      ? 'CLOSED'
      : lastSchedule?.eventType === 'release.cancelled'
        ? 'CANCELLED'
        : 'SCHEDULED';
  const scheduledFor = lastSchedule?.release.scheduledFor;
  // The kind comes from the release reports (HMPPS's code, or the producer's words); before a release, from the schedule.
  const reported = releaseKindOf(
    releases
      .map((f) => f.release.reason)
      .filter((r) => r !== undefined)
      .at(-1) ?? circumstances.reason,
  );
  const fromCourt =
    releasedAt && reported !== 'HDC' && reported !== 'ECSL' && releasedFromCourt(movements, releasedAt);
  // Prisoner Search saying the person left on home detention curfew tells the kind when the movement code did not.
  const kind: ReleaseKind = fromCourt
    ? 'FROM_COURT'
    : reported === 'OTHER' && merged?.homeDetentionCurfew?.value
      ? 'HDC'
      : reported;
  const fetchedType =
    merged?.releaseType &&
    merged.releaseType.source !== 'gatehouse-event' &&
    merged.releaseType.source !== 'partner-file'
      ? merged.releaseType.value.type
      : undefined;
  const planned = circumstances.declaredType
    ? circumstances.declaredType === 'planned'
    : !releasedAt ||
      (plannedByKind(kind) ??
        (fetchedType === 'planned' || plannedRelease(schedules, releasedAt, ctx.scheduleWindowDays)));
  const prisonId = (
    firstRelease ??
    facts.find((f) => f.eventType !== 'custody.ended' && f.eventType !== 'accommodation.recorded') ??
    facts.at(-1)!
  ).prisonId;
  const scope = releaseScope(prisonId, circumstances.destinationLocalAuthority, ctx.scope);
  const classification = classifyRelease(
    {
      ...(releasedAt ? { releasedAt } : {}),
      ...(scheduledFor ? { scheduledFor } : {}),
      planned,
      addressApproved: addressApprovedByKind(kind),
      ...(circumstances.accommodation ? { accommodation: circumstances.accommodation } : {}),
      ...(circumstances.aftercarePlan ? { aftercarePlan: circumstances.aftercarePlan } : {}),
    },
    ctx.rules,
  );

  return {
    caseRef,
    status,
    prisonId,
    ...(crn ? { crn } : {}),
    ...(scheduledFor ? { scheduledFor } : {}),
    ...(releasedAt ? { releasedAt } : {}),
    ...(returnedAt ? { returnedAt } : {}),
    ...(closed && !releasedAt ? { closedAt: closed.occurredAt, closedBecause: closed.kind } : {}),
    kind,
    ours: scope.ours,
    whose: scope.whose,
    scopeReason: scope.reason,
    circumstances,
    circumstancesAsOf: informing.at(-1)?.occurredAt ?? '',
    ...(lastSchedule ? { scheduleAsOf: lastSchedule.occurredAt } : {}),
    classification,
    alertKeys,
    events: facts.map((f) => ({ eventId: f.eventId, eventType: f.eventType, occurredAt: f.occurredAt })),
    ...(merged && !lastFetch ? { facts: merged } : {}),
    ...(merged && lastFetch
      ? {
          facts: merged,
          factSources: lastFetch.sources,
          ...(lastFetch.complete ? {} : { factsDueBy: lastFetch.dueBy }),
          ...(!lastFetch.complete && !lastFetch.final ? { factsPending: true } : {}),
          ...(!lastFetch.complete && lastFetch.final ? { factsMissing: lastFetch.missing } : {}),
          ...(lastFetch.recheckAt ? { factsRecheckAt: lastFetch.recheckAt } : {}),
        }
      : {}),
  };
}

type Informing = Extract<
  CustodyFact,
  { eventType: 'release.scheduled' | 'release.rescheduled' | 'prisoner.released' }
>;

/** What Gatehouse was told, as facts: each field from the newest event that said it, as of when it happened. */
function heldFacts(informing: readonly Informing[], crn: string | undefined): ReleaseFacts {
  const held: ReleaseFacts = {};
  for (const f of informing) {
    const told = <T>(value: T, at: string): Fact<T> => ({ value, source: f.toldBy ?? 'gatehouse-event', at });
    const r = f.release as Partial<Extract<CustodyFact, { eventType: 'prisoner.released' }>['release']>;
    if (r.destinationLocalAuthority !== undefined)
      held.destinationLocalAuthority = told(r.destinationLocalAuthority, f.occurredAt);
    if (r.accommodation !== undefined) held.accommodation = told(r.accommodation, f.occurredAt);
    if (r.needs !== undefined) held.needs = told([...new Set(r.needs)].sort(), f.occurredAt);
    if (r.type !== undefined)
      held.releaseType = told(
        { type: r.type, reason: `the producer said the release was ${r.type}` },
        f.occurredAt,
      );
    if (f.person.crn !== undefined) held.crn = told(f.person.crn, f.occurredAt);
  }
  if (crn !== undefined && !held.crn)
    held.crn = {
      value: crn,
      source: informing.at(-1)?.toldBy ?? 'gatehouse-event',
      at: informing.at(-1)?.occurredAt ?? '1970-01-01T00:00:00.000Z',
    };
  return held;
}

type ScheduleFact = Extract<
  CustodyFact,
  { eventType: 'release.scheduled' | 'release.rescheduled' | 'release.cancelled' }
>;

function isSchedule(f: CaseFact): f is ScheduleFact {
  return (
    f.eventType === 'release.scheduled' ||
    f.eventType === 'release.rescheduled' ||
    f.eventType === 'release.cancelled'
  );
}

/**
 * Planned: a schedule on record *before* the release, within the window of the release date, not cancelled
 * before the release. A schedule or a cancellation made after the release changes nothing: the release stands as it was.
 */
function plannedRelease(schedules: ScheduleFact[], releasedAt: string, windowDays: number): boolean {
  const date = londonTime(releasedAt).date;
  const onRecord = schedules.filter((s) => byInstant(s.occurredAt, releasedAt) <= 0);
  const near = onRecord.some(
    (s) =>
      s.eventType !== 'release.cancelled' &&
      Math.abs(daysBetween(s.release.scheduledFor, date)) <= windowDays,
  );
  return near && onRecord.at(-1)?.eventType !== 'release.cancelled';
}

export function isReleased(c: ReleaseCase): boolean {
  return c.status === 'RELEASED' || c.status === 'RETURNED';
}

function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Compares two ISO-8601 instants by the moment they name, whatever offset each is written with. */
function byInstant(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

function earliest(instants: string[]): string | undefined {
  return [...instants].sort(byInstant)[0];
}

function latest(instants: string[]): string | undefined {
  return [...instants].sort(byInstant).at(-1);
}

/** JSON with sorted keys, so a record read back from DynamoDB compares equal to the one written. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
