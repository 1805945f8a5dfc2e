/**
 * The minute sweep.
 *
 * 1. Due alerts (the byDue index, never a scan): page the next step of an unacknowledged alert, remind
 *    whoever acknowledged an unresolved one, close one at the end of its life. Each change is conditional on
 *    the alert's version, so when two sweeps (or a sweep and an acknowledgement) race, one acts, the other skips.
 * 2. Pre-release warnings: scheduled releases within the warning window with no accommodation (bySchedule).
 * 3. From the digest hour: yesterday's ROUTINE releases, one digest per service.
 * The sweep sends nothing itself: it writes notices and alerts, and the stream hands them to dispatch.
 */
import { digestAlerts, preReleaseWarning } from '../domain/alert-policy';
import { dueChange, openAlert, type Alert } from '../domain/alerts';
import { addDays, londonTime, type WorkingCalendar } from '../domain/calendar';
import { minutesOf } from '../domain/classification';
import type { RoutingConfig } from '../domain/routing';
import type { AlertStore, DigestReader, ScheduleReader } from './alert-ports';

export interface SweepDependencies {
  alerts: AlertStore;
  schedules: ScheduleReader;
  digests: DigestReader;
  routing: RoutingConfig;
  calendar: WorkingCalendar;
  retentionDays: number;
  /** The deployment's identifier key: alert ids are keyed with it. */
  idKey: string;
  clock: () => Date;
  /** Most due alerts handled per sweep; the rest wait for the next minute. */
  batchSize?: number;
}

export interface SweepResult {
  escalated: number;
  reminded: number;
  closed: number;
  /** Changes another sweep or an acknowledgement made first. */
  skipped: number;
  warnings: number;
  digests: number;
}

export async function sweep(deps: SweepDependencies): Promise<SweepResult> {
  const now = deps.clock();
  const result: SweepResult = { escalated: 0, reminded: 0, closed: 0, skipped: 0, warnings: 0, digests: 0 };

  for (const alert of await deps.alerts.due(now, deps.batchSize ?? 200)) {
    const change = dueChange(alert, now, deps.routing);
    if (!change) continue;
    if ((await deps.alerts.apply(change, now)) === 'conflict') {
      result.skipped += 1;
      continue;
    }
    if (change.notice?.purpose === 'page') result.escalated += 1;
    else if (change.notice?.purpose === 'reminder') result.reminded += 1;
    else if (change.after.closedAt) result.closed += 1;
  }

  const today = londonTime(now).date;
  const horizon = deps.calendar.addWorkingDays(today, deps.routing.preReleaseWarningWorkingDays);
  for (const person of await deps.schedules.scheduledBetween(today, horizon)) {
    const draft = preReleaseWarning(person, today, deps.calendar, deps.routing);
    if (draft && (await raise(openAlert(draft, now, deps.routing, deps.idKey), deps)) === 'raised') result.warnings += 1;
  }

  if (londonTime(now).minutesOfDay >= minutesOf(deps.routing.digestAt)) {
    const yesterday = addDays(today, -1);
    for (const localAuthority of Object.keys(deps.routing.areas)) {
      const entries = await deps.digests.entries(localAuthority, yesterday);
      for (const draft of digestAlerts(yesterday, localAuthority, entries, deps.routing)) {
        if ((await raise(openAlert(draft, now, deps.routing, deps.idKey), deps)) === 'raised') result.digests += 1;
      }
    }
  }
  return result;
}

function raise(alert: Alert, deps: SweepDependencies) {
  return deps.alerts.raise(alert, Math.floor(deps.clock().getTime() / 1000) + deps.retentionDays * 86_400);
}
