/**
 * The release lifecycle of one person: scheduled → rescheduled* → released | cancelled; released → received back.
 * Events arrive late, twice and out of order, so each transition is decided from the person's whole record
 * and the event's own `occurredAt`, never from arrival order. Pure: time, ids and rules are passed in.
 */
import type { Accommodation, AftercarePlan, Cohort, CustodyEvent, Pathway } from '../../events/custody-event';
import { londonTime, type LocalDate } from './calendar';
import { classifyRelease, type Classification, type ReleaseRules } from './classification';

export type CaseStatus = 'SCHEDULED' | 'RELEASED' | 'CANCELLED' | 'RETURNED';

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
  scheduledFor?: LocalDate;
  releasedAt?: string;
  returnedAt?: string;
  circumstances: Circumstances;
  /** occurredAt of the newest event whose circumstances were applied. */
  circumstancesAsOf: string;
  /** occurredAt of the newest event that set the schedule or cancelled it. */
  scheduleAsOf?: string;
  classification: Classification;
  /** Deduplication keys of the alerts raised for this case. */
  alertKeys: string[];
  events: { eventId: string; eventType: string; occurredAt: string }[];
}

export interface PersonReleases {
  prisonNumber: string;
  /** Optimistic-lock version: every write is conditional on it. */
  version: number;
  /** Newest first. */
  cases: ReleaseCase[];
  /** The last time HMPPS said the person was received into custody. */
  lastReceivedAt?: string;
}

export interface LifecycleContext {
  rules: ReleaseRules;
  /** A release within this many days of a schedule on record is planned. */
  scheduleWindowDays: number;
  newCaseRef: () => string;
}

export interface Transition {
  after: PersonReleases;
  /** The case the event touched, before and after (undefined before = it was opened). */
  caseBefore?: ReleaseCase;
  caseAfter?: ReleaseCase;
  /** What happened, for the ledger and the API. */
  outcome: 'opened' | 'updated' | 'unchanged';
}

const maxCasesKept = 20;

export function applyCustodyEvent(before: PersonReleases | undefined, event: CustodyEvent, ctx: LifecycleContext): Transition {
  const record: PersonReleases = before ? structuredClone(before) : { prisonNumber: event.person.prisonNumber, version: 0, cases: [] };
  const index = findCase(record, event, ctx);
  const existing = index === undefined ? undefined : record.cases[index];

  if (event.eventType === 'prisoner.received') {
    if (!record.lastReceivedAt || event.occurredAt > record.lastReceivedAt) record.lastReceivedAt = event.occurredAt;
    if (!existing) return { after: record, outcome: 'unchanged' };
  }

  const caseBefore = existing ? structuredClone(existing) : undefined;
  const draft: CaseDraft = existing ?? openCase(event, ctx);
  const changed = transition(draft, event, record);
  noteEvent(draft, event);
  const working: ReleaseCase = Object.assign(draft, { classification: classify(draft, ctx) });

  if (!existing) record.cases.unshift(working);
  record.cases = record.cases.slice(0, maxCasesKept);

  // Which alerts the case raises is the alert policy's to decide (alert-policy.ts); it records their keys here.
  return {
    after: record,
    ...(caseBefore ? { caseBefore } : {}),
    caseAfter: working,
    outcome: !existing ? 'opened' : changed ? 'updated' : 'unchanged',
  };
}

/** The case an event belongs to, by the rules written in events/README.md. */
function findCase(record: PersonReleases, event: CustodyEvent, ctx: LifecycleContext): number | undefined {
  const near = (a: LocalDate | undefined, b: LocalDate | undefined) =>
    a !== undefined && b !== undefined && Math.abs(daysBetween(a, b)) <= ctx.scheduleWindowDays;
  const dateOf = (c: ReleaseCase) => (c.releasedAt ? londonTime(c.releasedAt).date : c.scheduledFor);
  const find = (p: (c: ReleaseCase) => boolean) => {
    const i = record.cases.findIndex(p);
    return i < 0 ? undefined : i;
  };

  switch (event.eventType) {
    case 'release.scheduled':
    case 'release.rescheduled': {
      const date = event.release.scheduledFor;
      const previous = event.eventType === 'release.rescheduled' ? event.release.previouslyScheduledFor : undefined;
      return (
        find((c) => c.status === 'SCHEDULED' || (c.status === 'CANCELLED' && (c.scheduledFor === date || c.scheduledFor === previous))) ??
        find((c) => (c.status === 'RELEASED' || c.status === 'RETURNED') && (near(dateOf(c), date) || near(dateOf(c), previous)))
      );
    }
    case 'release.cancelled':
      return find((c) => c.scheduledFor === event.release.scheduledFor) ?? find((c) => c.status === 'SCHEDULED');
    case 'prisoner.released': {
      const date = londonTime(event.release.releasedAt ?? event.occurredAt).date;
      return (
        find((c) => (c.status === 'RELEASED' || c.status === 'RETURNED') && dateOf(c) === date) ??
        find((c) => (c.status === 'SCHEDULED' || c.status === 'CANCELLED') && near(c.scheduledFor, date))
      );
    }
    case 'prisoner.received':
      return find((c) => c.status === 'RELEASED' && c.releasedAt !== undefined && c.releasedAt < event.occurredAt);
  }
}

type CaseDraft = Omit<ReleaseCase, 'classification'> & { classification?: Classification };

function openCase(event: CustodyEvent, ctx: LifecycleContext): CaseDraft {
  return {
    caseRef: ctx.newCaseRef(),
    status: 'SCHEDULED',
    prisonId: event.prisonId,
    circumstances: { needs: [], cohorts: [] },
    circumstancesAsOf: '',
    alertKeys: [],
    events: [],
  };
}

/** Moves one case; returns whether anything about it changed. */
function transition(c: CaseDraft, event: CustodyEvent, record: PersonReleases): boolean {
  const snapshot = JSON.stringify(c);
  if (event.person.crn) c.crn = event.person.crn;

  switch (event.eventType) {
    case 'release.scheduled':
    case 'release.rescheduled':
      applyCircumstances(c, event.release, event.occurredAt);
      if (!c.scheduleAsOf || event.occurredAt >= c.scheduleAsOf) {
        c.scheduledFor = event.release.scheduledFor;
        c.scheduleAsOf = event.occurredAt;
        if (c.status === 'CANCELLED') c.status = 'SCHEDULED';
      }
      break;
    case 'release.cancelled':
      if (!c.scheduledFor) c.scheduledFor = event.release.scheduledFor;
      // A cancellation older than the newest schedule is stale; a release always stands.
      if (c.status === 'SCHEDULED' && (!c.scheduleAsOf || event.occurredAt >= c.scheduleAsOf)) {
        c.status = 'CANCELLED';
        c.scheduleAsOf = event.occurredAt;
      }
      break;
    case 'prisoner.released': {
      const releasedAt = event.release.releasedAt ?? event.occurredAt;
      applyCircumstances(c, event.release, event.occurredAt);
      if (c.status === 'SCHEDULED' || c.status === 'CANCELLED') {
        const wasScheduled = c.status === 'SCHEDULED' && c.scheduledFor !== undefined;
        c.status = 'RELEASED';
        c.releasedAt = releasedAt;
        if (!wasScheduled) c.scheduledFor = undefined;
      } else if (!c.releasedAt || releasedAt < c.releasedAt) {
        c.releasedAt = releasedAt; // two reports of one release: the earlier time is the movement
      }
      // Received back before this (late) release event arrived: the release happened, and is over.
      if (c.status === 'RELEASED' && record.lastReceivedAt && record.lastReceivedAt > c.releasedAt) {
        c.status = 'RETURNED';
        c.returnedAt = record.lastReceivedAt;
      }
      break;
    }
    case 'prisoner.received':
      c.status = 'RETURNED';
      c.returnedAt = event.occurredAt;
      break;
  }
  return JSON.stringify(c) !== snapshot;
}

function applyCircumstances(c: CaseDraft, release: Partial<Circumstances> & { type?: 'planned' | 'unplanned' }, occurredAt: string): void {
  const newer = occurredAt >= c.circumstancesAsOf;
  const take = <K extends keyof Circumstances>(key: K, value: Circumstances[K] | undefined) => {
    if (value === undefined) return;
    if (newer || c.circumstances[key] === undefined || (Array.isArray(c.circumstances[key]) && (c.circumstances[key] as unknown[]).length === 0)) {
      c.circumstances[key] = value;
    }
  };
  take('reason', release.reason);
  take('destinationLocalAuthority', release.destinationLocalAuthority);
  take('accommodation', release.accommodation);
  take('aftercarePlan', release.aftercarePlan);
  take('needs', release.needs ? [...new Set(release.needs)].sort() : undefined);
  take('cohorts', release.cohorts ? [...new Set(release.cohorts)].sort() : undefined);
  take('declaredType', release.type);
  if (newer) c.circumstancesAsOf = occurredAt;
}

function noteEvent(c: CaseDraft, event: CustodyEvent): void {
  if (c.events.some((e) => e.eventId === event.eventId)) return;
  c.events.push({ eventId: event.eventId, eventType: event.eventType, occurredAt: event.occurredAt });
  c.events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));
}

function classify(c: CaseDraft, ctx: LifecycleContext): Classification {
  const released = c.status === 'RELEASED' || c.status === 'RETURNED';
  const planned = c.circumstances.declaredType ? c.circumstances.declaredType === 'planned' : !released || c.scheduledFor !== undefined;
  return classifyRelease(
    {
      ...(released && c.releasedAt ? { releasedAt: c.releasedAt } : {}),
      ...(c.scheduledFor ? { scheduledFor: c.scheduledFor } : {}),
      planned,
      ...(c.circumstances.accommodation ? { accommodation: c.circumstances.accommodation } : {}),
      ...(c.circumstances.aftercarePlan ? { aftercarePlan: c.circumstances.aftercarePlan } : {}),
    },
    ctx.rules,
  );
}

export function isReleased(c: ReleaseCase): boolean {
  return c.status === 'RELEASED' || c.status === 'RETURNED';
}

function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

