/**
 * Facts about a release that HMPPS holds and its events do not carry: the release date on record, whether the
 * release was planned, the CRN, where the person is going and whether they have somewhere to sleep.
 *
 * Each fact says where it came from and as of when (`source`, `at`), so a case can show it and a newer fact can
 * replace an older one. The rules here are pure: the sources' answers and the lookup are passed in.
 */
import type { Accommodation, Pathway } from './circumstances';
import { londonTime, type LocalDate } from './calendar';
import type { PostcodeAreas } from './postcode-areas';

/** Who said it: Gatehouse's own producers first, then the HMPPS APIs it fetches from. */
export const factSources = [
  'gatehouse-event',
  'partner-file',
  'prisoner-search',
  'probation',
  'resettlement-passport',
  'cas3',
] as const;
export type FactSource = (typeof factSources)[number];
const told: readonly FactSource[] = ['gatehouse-event', 'partner-file'];

export interface Fact<T> {
  value: T;
  source: FactSource;
  /** When the source says this was so (ISO instant); for an API that does not say, when it was asked. */
  at: string;
  /** How the fact was read, in words ("postcode sector DL1 1 is in Darlington"); never personal data. */
  how?: string;
}

export interface ReleaseType {
  type: 'planned' | 'unplanned';
  reason: string;
}

export interface ReleaseFacts {
  crn?: Fact<string>;
  /** The release date HMPPS has confirmed (Prisoner Search `confirmedReleaseDate`). */
  confirmedReleaseDate?: Fact<LocalDate>;
  releaseType?: Fact<ReleaseType>;
  homeDetentionCurfew?: Fact<boolean>;
  destinationLocalAuthority?: Fact<string>;
  accommodation?: Fact<Accommodation>;
  needs?: Fact<Pathway[]>;
}

export type FactName = keyof ReleaseFacts;

/**
 * One set of facts over another, fact by fact: the newer wins; at the same instant what a Gatehouse event or a
 * partner file said wins over what was fetched (they are told to Gatehouse on purpose; an API may lag).
 */
export function mergeFacts(held: ReleaseFacts, incoming: ReleaseFacts): ReleaseFacts {
  const merged: Record<string, Fact<unknown>> = { ...(held as Record<string, Fact<unknown>>) };
  for (const [name, fact] of Object.entries(incoming) as [string, Fact<unknown> | undefined][]) {
    if (!fact) continue;
    const current = merged[name];
    if (!current || wins(fact, current)) merged[name] = fact;
  }
  return merged as ReleaseFacts;
}

function wins(challenger: Fact<unknown>, current: Fact<unknown>): boolean {
  const a = Date.parse(challenger.at);
  const b = Date.parse(current.at);
  if (a !== b) return a > b;
  return told.includes(challenger.source) && !told.includes(current.source);
}

// ---- What the sources answered, as plain data (the adapters validate and map the HTTP responses to these). ----

/** Prisoner Search, `GET /prisoner/{prisonerNumber}`: the fields Gatehouse reads. */
export interface PrisonerRecord {
  prisonerNumber: string;
  status?: string;
  legalStatus?: string;
  prisonId?: string;
  confirmedReleaseDate?: LocalDate;
  releaseDate?: LocalDate;
  conditionalReleaseDate?: LocalDate;
  homeDetentionCurfewEligibilityDate?: LocalDate;
  homeDetentionCurfewActualDate?: LocalDate;
  lastMovementTypeCode?: string;
  lastMovementReasonCode?: string;
  lastMovementDate?: LocalDate;
}

/** The probation side (nDelius through resettlement-passport-and-delius): the CRN and the main address. */
export interface ProbationRecord {
  crn: string;
  /** Undefined when Delius holds no duty-to-refer record, which is where the main address is read. */
  mainAddress?: { postcode?: string; noFixedAbode?: boolean };
}

export const pathwayStatuses = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'SUPPORT_NOT_REQUIRED',
  'SUPPORT_DECLINED',
  'DONE',
  'SUPPORT_REQUIRED',
] as const;
export type PathwayStatus = (typeof pathwayStatuses)[number];

/** The Resettlement Passport: each pathway's status. */
export interface ResettlementRecord {
  pathways: { pathway: Pathway; status: PathwayStatus; lastDateChange?: LocalDate }[];
}

export const cas3BookingStatuses = [
  'arrived',
  'notMinusArrived',
  'departed',
  'cancelled',
  'provisional',
  'confirmed',
  'closed',
] as const;
export type Cas3BookingStatus = (typeof cas3BookingStatuses)[number];

/** A CAS3 referral (hmpps-approved-premises-api `GET /cas3/external/referrals/{crn}`). */
export interface Cas3Referral {
  date: LocalDate;
  bookingStatus?: Cas3BookingStatus;
  /** The duty-to-refer local authority, by name ("Darlington"). */
  localAuthorityArea?: string;
}

export interface ReleaseCircumstances {
  /** When the person left (the movement's `occurredAt`). */
  releasedAt: string;
  /** NOMIS movement reason code, when the event gave one (`HD` is home detention curfew). */
  movementReasonCode?: string;
  /** The person was released from court rather than from the prison. */
  fromCourt?: boolean;
  /** A schedule Gatehouse holds from its own producers, and when it was received. */
  scheduled?: { date: LocalDate; receivedAt: string };
}

/**
 * Planned or not, from data: a release on the date HMPPS had confirmed (or on a date Gatehouse was told before the
 * release) is planned; any other release is unplanned, with what is known about why in words. Undefined when
 * neither Prisoner Search's record nor a schedule is at hand: then nobody can tell.
 *
 * Prisoner Search does not say when a date was confirmed; a confirmed date matching the release day is taken as
 * on record before it (HMPPS confirms a date ahead of a release; a court release has none).
 */
export function decideReleaseType(
  circumstances: ReleaseCircumstances,
  record?: PrisonerRecord,
): ReleaseType | undefined {
  const day = londonTime(circumstances.releasedAt).date;
  const confirmed = record?.confirmedReleaseDate;
  if (confirmed === day)
    return { type: 'planned', reason: `released on ${day}, the release date HMPPS had confirmed` };
  const { scheduled } = circumstances;
  if (
    scheduled &&
    scheduled.date === day &&
    Date.parse(scheduled.receivedAt) < Date.parse(circumstances.releasedAt)
  ) {
    return {
      type: 'planned',
      reason: `released on ${day}, the date Gatehouse was told on ${londonTime(scheduled.receivedAt).date}`,
    };
  }
  if (!record) return undefined;
  const how = circumstances.fromCourt
    ? 'released from court'
    : record.legalStatus === 'REMAND'
      ? 'released while on remand'
      : record.legalStatus === 'CONVICTED_UNSENTENCED'
        ? 'released before being sentenced'
        : undefined;
  const onRecord = confirmed
    ? `released on ${day}, not on the confirmed release date ${confirmed}`
    : 'no release date was confirmed';
  return { type: 'unplanned', reason: how ? `${how}; ${onRecord}` : onRecord };
}

export interface FetchedSources {
  prisoner?: PrisonerRecord;
  probation?: ProbationRecord;
  resettlement?: ResettlementRecord;
  cas3?: Cas3Referral[];
}

/** Pathway statuses that mean support is still needed. */
const needed: readonly PathwayStatus[] = ['NOT_STARTED', 'IN_PROGRESS', 'SUPPORT_REQUIRED'];
/** CAS3 bookings that give the person a bed. */
const housedByCas3: readonly Cas3BookingStatus[] = ['confirmed', 'arrived'];

/**
 * The facts the sources' answers support, each with its source. `fetchedAt` stands in for "as of" where a
 * source gives no time of its own. Where two sources speak to one fact the order is fixed and written below.
 */
export function factsFromSources(
  sources: FetchedSources,
  circumstances: ReleaseCircumstances,
  areas: PostcodeAreas,
  fetchedAt: string,
): ReleaseFacts {
  const facts: ReleaseFacts = {};
  const { prisoner, probation, resettlement, cas3 } = sources;

  if (prisoner?.confirmedReleaseDate)
    facts.confirmedReleaseDate = {
      value: prisoner.confirmedReleaseDate,
      source: 'prisoner-search',
      at: fetchedAt,
    };
  const releaseType = decideReleaseType(circumstances, prisoner);
  if (releaseType && prisoner)
    facts.releaseType = {
      value: releaseType,
      source: 'prisoner-search',
      at: fetchedAt,
      how: releaseType.reason,
    };

  const day = londonTime(circumstances.releasedAt).date;
  const hdc =
    circumstances.movementReasonCode === 'HD' ||
    (prisoner?.homeDetentionCurfewActualDate !== undefined && prisoner.homeDetentionCurfewActualDate === day);
  if (hdc)
    facts.homeDetentionCurfew = {
      value: true,
      source: 'prisoner-search',
      at: fetchedAt,
      how: 'released on home detention curfew, which needs an approved curfew address',
    };

  if (probation) facts.crn = { value: probation.crn, source: 'probation', at: fetchedAt };

  // Somewhere to sleep: a CAS3 bed first, then an approved curfew address, then what Delius and the passport say.
  const bed = (cas3 ?? [])
    .filter((r) => r.bookingStatus && housedByCas3.includes(r.bookingStatus))
    .sort((a, b) => b.date.localeCompare(a.date))[0];
  const accommodationPathway = resettlement?.pathways.find((p) => p.pathway === 'ACCOMMODATION');
  if (bed)
    facts.accommodation = {
      value: 'CAS3',
      source: 'cas3',
      at: atDay(bed.date, fetchedAt),
      how: `CAS3 booking ${bed.bookingStatus}`,
    };
  else if (hdc)
    facts.accommodation = {
      value: 'SETTLED',
      source: 'prisoner-search',
      at: fetchedAt,
      how: 'home detention curfew address',
    };
  else if (probation?.mainAddress?.noFixedAbode)
    facts.accommodation = {
      value: 'NO_FIXED_ABODE',
      source: 'probation',
      at: fetchedAt,
      how: 'Delius main address is "no fixed abode"',
    };
  else if (accommodationPathway?.status === 'SUPPORT_NOT_REQUIRED') {
    facts.accommodation = {
      value: 'SETTLED',
      source: 'resettlement-passport',
      at: atDay(accommodationPathway.lastDateChange, fetchedAt),
      how: 'accommodation support not required',
    };
  }

  if (resettlement) {
    const latest = resettlement.pathways
      .map((p) => p.lastDateChange)
      .filter((d): d is LocalDate => Boolean(d))
      .sort()
      .at(-1);
    const needs = resettlement.pathways.filter((p) => needed.includes(p.status)).map((p) => p.pathway);
    facts.needs = {
      value: [...new Set(needs)].sort(),
      source: 'resettlement-passport',
      at: atDay(latest, fetchedAt),
      how: 'pathways not started, in progress or needing support',
    };
  }

  // Where to: the authority CAS3 was referred to when the person has a bed there, else the Delius main address.
  const referredArea = bed?.localAuthorityArea ? areas.codeNamed(bed.localAuthorityArea) : undefined;
  const postcode = probation?.mainAddress?.noFixedAbode ? undefined : probation?.mainAddress?.postcode;
  const match = postcode ? areas.areaOf(postcode) : undefined;
  if (referredArea) {
    facts.destinationLocalAuthority = {
      value: referredArea,
      source: 'cas3',
      at: atDay(bed!.date, fetchedAt),
      how: 'the local authority of the CAS3 referral',
    };
  } else if (match) {
    facts.destinationLocalAuthority = {
      value: match.code,
      source: 'probation',
      at: fetchedAt,
      how: `Delius main address: its ${match.by} is in ${match.name}`,
    };
  } else if (postcode) {
    facts.destinationLocalAuthority = {
      value: 'UNKNOWN',
      source: 'probation',
      at: fetchedAt,
      how: 'area not known: the main address postcode is not in the postcode lookup',
    };
  }
  return facts;
}

/** The start of a day a source gave, as an instant, but never later than when it was fetched. */
function atDay(date: LocalDate | undefined, fetchedAt: string): string {
  if (!date) return fetchedAt;
  const start = `${date}T00:00:00.000Z`;
  return Date.parse(start) < Date.parse(fetchedAt) ? start : fetchedAt;
}

/** The facts as the release fields of a custody event (events/custody-event.ts), for the enrichment step to merge. */
export interface ReleaseFields {
  crn?: string;
  type?: 'planned' | 'unplanned';
  destinationLocalAuthority?: string;
  accommodation?: Accommodation;
  needs?: Pathway[];
}

export function releaseFields(facts: ReleaseFacts): ReleaseFields {
  const fields: ReleaseFields = {};
  if (facts.crn) fields.crn = facts.crn.value;
  if (facts.releaseType) fields.type = facts.releaseType.value.type;
  if (facts.destinationLocalAuthority)
    fields.destinationLocalAuthority = facts.destinationLocalAuthority.value;
  if (facts.accommodation) fields.accommodation = facts.accommodation.value;
  if (facts.needs) fields.needs = facts.needs.value;
  return fields;
}

/**
 * The facts whose value differs between two sets (a fact only in one counts): a later fetch that changes the
 * destination, the accommodation or planned-ness may change who must act, and they must be told.
 */
export function changedFacts(before: ReleaseFacts, after: ReleaseFacts): FactName[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)] as FactName[]);
  return [...names]
    .filter((name) => JSON.stringify(before[name]?.value) !== JSON.stringify(after[name]?.value))
    .sort();
}

// ---- Facts on the case: what was fetched, kept with the person's record, and the bounded wait for them. ----

/** Per source, what came of asking: the outcome and, when it failed, the cause only (never a value). */
export type SourceOutcomes = Record<
  'prisonerSearch' | 'probation' | 'resettlementPassport' | 'cas3',
  { outcome: 'ok' | 'not-found' | 'unavailable' | 'not-asked'; cause?: string }
>;

/**
 * One fetch of a release's facts, kept on the person's record beside the custody events (a case fact): the
 * cases are derived from it like from any event, so re-derivation keeps it. Its id is derived from the release
 * event and the fetch's number, so two sweeps that re-fetch at once record it once.
 */
export interface FactsFetch {
  eventId: string;
  eventType: 'release.facts';
  /** When the facts were fetched (never before the release it is about). */
  occurredAt: string;
  prisonId: string;
  person: { prisonNumber: string; crn?: undefined };
  /** The release event whose facts these are. */
  forEventId: string;
  facts: ReleaseFacts;
  sources: SourceOutcomes;
  /** Every source answered (found or not found). */
  complete: boolean;
  /** The sources that could not be fetched, in words. */
  missing: string[];
  /** Until when the case waits for its facts before alerting on what is known. */
  dueBy: string;
  /** Fetched at or after `dueBy` and still incomplete: the case alerts on what it knows. */
  final: boolean;
  /** When the sweeper asks again; absent when there is nothing more to ask. */
  recheckAt?: string;
}

export interface FactsWaitSettings {
  /** How long a case waits for its facts (default 10). */
  minutes: number;
  /** The wait late on the last working day before a weekend or bank holiday (default 3): the offices are closing. */
  lateWeekMinutes: number;
  /** How often the sweeper asks again while waiting (default 1: every sweep). */
  recheckMinutes: number;
  /** After the wait, facts are still asked for this often … (default 15) */
  laterRecheckMinutes: number;
  /** … for this long after the release (default 12). */
  laterForHours: number;
}

export const defaultFactsWait: FactsWaitSettings = {
  minutes: 10,
  lateWeekMinutes: 3,
  recheckMinutes: 1,
  laterRecheckMinutes: 15,
  laterForHours: 12,
};

/** The calendar's part in the wait: late on a Friday (or before a bank holiday) the wait is shorter. */
export interface LateWeekRule {
  calendar: { isLateWeek(date: LocalDate): boolean };
  /** HH:mm London time from which a day is late (the rules' lateDayFrom). */
  lateDayFrom: string;
}

/** Until when a release waits for its facts, from when they were first asked for. */
export function factsDueBy(firstAskedAt: string, settings: FactsWaitSettings, rule: LateWeekRule): string {
  const local = londonTime(firstAskedAt);
  const [h, m] = rule.lateDayFrom.split(':').map(Number) as [number, number];
  const late = rule.calendar.isLateWeek(local.date) && local.minutesOfDay >= h * 60 + m;
  return new Date(
    Date.parse(firstAskedAt) + (late ? settings.lateWeekMinutes : settings.minutes) * 60_000,
  ).toISOString();
}

/** The outcome of one fetch as kept on the record: causes only, no values, no reasons that could carry data. */
export function outcomesOf(
  sources: Record<
    keyof SourceOutcomes,
    { outcome: SourceOutcomes[keyof SourceOutcomes]['outcome']; cause?: string }
  >,
): SourceOutcomes {
  const one = (s: { outcome: SourceOutcomes[keyof SourceOutcomes]['outcome']; cause?: string }) => ({
    outcome: s.outcome,
    ...(s.cause ? { cause: s.cause } : {}),
  });
  return {
    prisonerSearch: one(sources.prisonerSearch),
    probation: one(sources.probation),
    resettlementPassport: one(sources.resettlementPassport),
    cas3: one(sources.cas3),
  };
}

export interface FetchResultLike {
  facts: ReleaseFacts;
  sources: Parameters<typeof outcomesOf>[0];
  complete: boolean;
  missing: string[];
}

/**
 * The record of fetch number `n` (1 = at the release event) of a release's facts. `releasedAt` bounds how long
 * facts are still asked for after the wait.
 */
export function factsFetchOf(
  release: {
    eventId: string;
    occurredAt: string;
    prisonId: string;
    prisonNumber: string;
    releasedAt: string;
  },
  n: number,
  fetched: FetchResultLike,
  fetchedAt: string,
  dueBy: string,
  settings: FactsWaitSettings,
): FactsFetch {
  const at = Date.parse(fetchedAt);
  const final = !fetched.complete && at >= Date.parse(dueBy);
  const waiting = !fetched.complete && !final;
  const laterUntil = Date.parse(release.releasedAt) + settings.laterForHours * 3_600_000;
  const recheck = waiting
    ? Math.min(at + settings.recheckMinutes * 60_000, Date.parse(dueBy))
    : !fetched.complete && at + settings.laterRecheckMinutes * 60_000 <= laterUntil
      ? at + settings.laterRecheckMinutes * 60_000
      : undefined;
  return {
    eventId: `facts-${release.eventId.replace(/^hmpps-/, '')}-${n}`,
    eventType: 'release.facts',
    occurredAt: new Date(Math.max(at, Date.parse(release.occurredAt))).toISOString(),
    prisonId: release.prisonId,
    person: { prisonNumber: release.prisonNumber },
    forEventId: release.eventId,
    facts: fetched.facts,
    sources: outcomesOf(fetched.sources),
    complete: fetched.complete,
    missing: fetched.missing,
    dueBy,
    final,
    ...(recheck !== undefined ? { recheckAt: new Date(recheck).toISOString() } : {}),
  };
}

/** The words an alert carries when it went out without some of the facts. */
export function detailsMissingReason(missing: readonly string[]): string {
  return `${detailsMissingLead} ${missing.join(', ')}: this alert says what was known`;
}

const detailsMissingLead = 'Details could not be fetched from';

export function isDetailsMissing(reason: string): boolean {
  return reason.startsWith(detailsMissingLead);
}

/**
 * Accommodation an HMPPS event told Gatehouse (CAS3: a booking confirmed, a person arrived), kept on the person's
 * record as a case fact: it belongs to the release in progress (or the one just happened) and is merged like any
 * told fact, as of when it happened.
 */
export interface AccommodationTold {
  eventId: string;
  eventType: 'accommodation.recorded';
  occurredAt: string;
  /** CAS3 events name no prison. */
  prisonId: string;
  person: { prisonNumber: string; crn?: string };
  accommodation: Accommodation;
  source: FactSource;
  how: string;
}
