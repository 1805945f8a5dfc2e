/**
 * Which alerts a release raises, and for whom:
 * - CRITICAL: the on-call housing worker of the destination area, through the escalation policy
 *   (CRITICAL_RELEASE), and the accommodation and aftercare services for the person's needs (REFERRAL);
 * - HIGH: a REFERRAL to those services;
 * - ROUTINE with needs: a line in the next morning's digest of each service (no message of its own);
 * - a scheduled release within two working days with no accommodation: a PRE_RELEASE_WARNING (the sweeper asks).
 * One deduplication key per (person, date, kind, recipient group): a repeat lands on the same alert.
 * Only the partnership's releases alert (scope.ts), and a release from a watched prison to another area alerts
 * that area's contacts when Gatehouse has them; a movement too old to act on pages nobody.
 * Pure: the routing config, the calendar and the time are passed in.
 */
import type { AlertDraft, DigestItem } from './alerts';
import { londonTime, type LocalDate, type WorkingCalendar } from './calendar';
import type { PersonReleases, ReleaseCase } from './release-case';
import { escalationPolicyFor, type RoutingConfig } from './routing';
import { detailsMissingReason } from './release-facts';

export interface RaisedAlerts {
  /** Alerts this case has not raised before. */
  raised: AlertDraft[];
  /** Alerts it raised already: the open alert is updated, nobody is paged again. */
  repeated: AlertDraft[];
}

/**
 * The area whose contacts hear of a case, or undefined when nobody should: a release that is not ours, unless it left
 * a watched prison for another area that has routing of its own (never the fallback: "area not known" never means
 * "another prison's release"). Cases recorded before scope existed keep their old behaviour.
 */
export function alertAreaFor(c: ReleaseCase, routing: RoutingConfig): string | undefined {
  const la = c.circumstances.destinationLocalAuthority ?? 'UNKNOWN';
  if (c.ours !== false) return la;
  return c.whose === 'WATCHED_PRISON_OTHER_AREA' && routing.areas[la] ? la : undefined;
}

/**
 * Too late to page anyone: the event, or the release it reports, happened longer ago than an alert lives. It is
 * recorded and counted on its own date all the same (a replayed month pages nobody).
 */
export function tooLateToAlert(
  occurredAt: string,
  releasedAt: string | undefined,
  now: Date,
  routing: Pick<RoutingConfig, 'alertLifetimeHours'>,
): boolean {
  const oldest = Math.min(Date.parse(occurredAt), releasedAt ? Date.parse(releasedAt) : Infinity);
  return now.getTime() - oldest > routing.alertLifetimeHours * 3_600_000;
}

export function alertsForRelease(c: ReleaseCase, prisonNumber: string, routing: RoutingConfig): RaisedAlerts {
  const drafts = releaseAlerts(c, prisonNumber, routing);
  return {
    raised: drafts.filter((d) => !c.alertKeys.includes(d.dedupKey)),
    repeated: drafts.filter((d) => c.alertKeys.includes(d.dedupKey)),
  };
}

/** A case already back in custody pages nobody; only a release that happened raises an alert. */
function releaseAlerts(c: ReleaseCase, prisonNumber: string, routing: RoutingConfig): AlertDraft[] {
  if (c.status !== 'RELEASED' || !c.releasedAt) return [];
  const { urgency, flags, reasons, date } = c.classification;
  if (urgency === 'ROUTINE') return [];
  const localAuthority = alertAreaFor(c, routing);
  if (!localAuthority) return [];
  const about = {
    urgency,
    caseRef: c.caseRef,
    prisonNumber,
    prisonId: c.prisonId,
    localAuthority,
    releasedAt: c.releasedAt,
    flags,
    // An alert that went out after the wait for HMPPS's facts says which could not be fetched.
    reasons: c.factsMissing?.length ? [...reasons, detailsMissingReason(c.factsMissing)] : reasons,
    needs: c.circumstances.needs,
  };
  const referral: AlertDraft = {
    ...about,
    kind: 'REFERRAL',
    recipientGroup: `services:${localAuthority}`,
    dedupKey: dedupKey('REFERRAL', prisonNumber, date, `services:${localAuthority}`),
  };
  if (urgency === 'HIGH') return [referral];
  const group = `oncall:${localAuthority}`;
  return [
    {
      ...about,
      kind: 'CRITICAL_RELEASE',
      recipientGroup: group,
      dedupKey: dedupKey('CRITICAL_RELEASE', prisonNumber, date, group),
      policy: escalationPolicyFor(routing, localAuthority),
    },
    referral,
  ];
}

/** A ROUTINE release with needs goes into the services' daily digest instead of a message of its own. */
export interface DigestEntry extends DigestItem {
  localAuthority: string;
}

export function digestEntryFor(c: ReleaseCase, routing: RoutingConfig): DigestEntry | undefined {
  if (
    c.status !== 'RELEASED' ||
    !c.releasedAt ||
    c.classification.urgency !== 'ROUTINE' ||
    c.circumstances.needs.length === 0
  )
    return undefined;
  const localAuthority = alertAreaFor(c, routing);
  if (!localAuthority) return undefined;
  const local = londonTime(c.releasedAt);
  return {
    localAuthority,
    caseRef: c.caseRef,
    prisonId: c.prisonId,
    releaseLocal: { date: local.date, time: local.time },
    needs: c.circumstances.needs,
  };
}

/** One digest per service: the day's ROUTINE releases whose needs the service covers. */
export function digestAlerts(
  date: LocalDate,
  localAuthority: string,
  entries: readonly DigestEntry[],
  routing: RoutingConfig,
): AlertDraft[] {
  const area = routing.areas[localAuthority];
  if (!area) return [];
  const byService = new Map<string, DigestEntry[]>();
  for (const entry of entries) {
    for (const id of new Set(entry.needs.flatMap((need) => area.aftercare[need] ?? [])))
      byService.set(id, [...(byService.get(id) ?? []), entry]);
  }
  return [...byService].map(([serviceId, items]) => ({
    kind: 'DIGEST' as const,
    dedupKey: dedupKey('DIGEST', serviceId, date, `service:${serviceId}`),
    recipientGroup: `service:${serviceId}`,
    urgency: 'ROUTINE' as const,
    prisonId: items[0]!.prisonId,
    localAuthority,
    scheduledFor: date,
    reasons: [],
    needs: [...new Set(items.flatMap((i) => i.needs))].sort(),
    items: items.map(({ localAuthority: _la, ...item }) => item),
  }));
}

/** A scheduled release within the warning window whose accommodation is still not known or none. */
export function preReleaseWarning(
  person: PersonReleases,
  today: LocalDate,
  calendar: WorkingCalendar,
  routing: RoutingConfig,
): AlertDraft | undefined {
  const c = person.cases[0];
  if (c?.status !== 'SCHEDULED' || !c.scheduledFor) return undefined;
  const horizon = calendar.addWorkingDays(today, routing.preReleaseWarningWorkingDays);
  if (c.scheduledFor < today || c.scheduledFor > horizon) return undefined;
  const accommodation = c.circumstances.accommodation;
  if (!withoutAccommodation(c)) return undefined;
  const localAuthority = alertAreaFor(c, routing);
  if (!localAuthority) return undefined;
  const group = `services:${localAuthority}`;
  return {
    kind: 'PRE_RELEASE_WARNING',
    dedupKey: warningKey(person.prisonNumber, c.scheduledFor, localAuthority),
    recipientGroup: group,
    urgency: 'HIGH',
    caseRef: c.caseRef,
    prisonNumber: person.prisonNumber,
    prisonId: c.prisonId,
    localAuthority,
    scheduledFor: c.scheduledFor,
    reasons: [
      accommodation === 'NO_FIXED_ABODE'
        ? 'No fixed abode recorded for the release'
        : 'No accommodation recorded for the release',
    ],
    needs: c.circumstances.needs,
  };
}

/**
 * The pre-release warnings an event has made needless: the person's scheduled case had nowhere to stay (none
 * recorded, no fixed abode or not known) and after the event it has somewhere (CAS3 confirmed a bed, the person
 * arrived, a partner recorded it). Their dedup keys, for the area the warning went to before the event and the one
 * it would go to after it; the caller resolves whichever of them is still open.
 */
export function warningsSettled(
  before: PersonReleases | undefined,
  after: PersonReleases,
  routing: RoutingConfig,
): string[] {
  const was = before?.cases[0];
  if (was?.status !== 'SCHEDULED' || !was.scheduledFor || !withoutAccommodation(was)) return [];
  const now = after.cases.find((c) => c.caseRef === was.caseRef);
  if (!now || withoutAccommodation(now)) return [];
  const areas = new Set([alertAreaFor(was, routing), alertAreaFor(now, routing)]);
  return [...areas]
    .filter((area): area is string => area !== undefined)
    .map((area) => warningKey(after.prisonNumber, was.scheduledFor!, area));
}

function withoutAccommodation(c: ReleaseCase): boolean {
  const accommodation = c.circumstances.accommodation;
  return accommodation === undefined || accommodation === 'NO_FIXED_ABODE' || accommodation === 'UNKNOWN';
}

function warningKey(prisonNumber: string, scheduledFor: LocalDate, localAuthority: string): string {
  return dedupKey('PRE_RELEASE_WARNING', prisonNumber, scheduledFor, `services:${localAuthority}`);
}

function dedupKey(kind: string, subject: string, date: LocalDate, recipientGroup: string): string {
  return [kind, subject, date, recipientGroup].join('|');
}
