/**
 * The minute sweep.
 *
 * 1. Due alerts (the byDue index, never a scan): page the next step of an unacknowledged alert, remind
 *    whoever acknowledged an unresolved one, close one at the end of its life. Each change is conditional on
 *    the alert's version, so when two sweeps (or a sweep and an acknowledgement) race, one acts, the other skips.
 * 2. Pre-release warnings: scheduled releases within the warning window with no accommodation (bySchedule).
 * 3. From the digest hour: yesterday's ROUTINE releases, one digest per service.
 * 4. The notice outbox: every notice the stream has not settled within its grace (a dispatcher died mid-send,
 *    the stream gave up after its retries, Notify was down) is sent from here, through the same dispatch; one
 *    that could not be sent within its time (domain/alerts.ts, sendWithinMinutes) is EXPIRED and counted.
 * 5. On Thursdays and the last working day before a bank holiday, from 12:00: the rota's gaps until 09:00 on the
 *    next working day, per area and tier (reported and alarmed), and each gap warned of, once per check, to the
 *    rota's owner and the area's manager by GOV.UK Notify (use-cases/warn-rota-gaps.ts).
 * 6. Heartbeats: every feed that missed its expectation (domain/heartbeats.ts) is reported and alarmed.
 * 7. Releases waiting for HMPPS's facts (recheck-release-facts.ts): asked again; at the wait's end they alert on
 *    what is known.
 * 8. Where the stage polls for Notify's receipts (no callbacks): deliveries still SENT a few minutes after Notify
 *    accepted them are asked about, and a final status is recorded as the callback would.
 * Notices of steps 1–3 are written, not sent: the stream hands them to dispatch.
 */
import { digestAlerts, preReleaseWarning } from '#domain/alert-policy';
import { dueChange, nextTryAt, noticeKey, openAlert, type Alert, type PendingNotice } from '#domain/alerts';
import { addDays, londonTime, type WorkingCalendar } from '#domain/calendar';
import { minutesOf } from '#domain/classification';
import type { RoutingConfig } from '#domain/routing';
import {
  coverageCheckAt,
  coverageCheckDay,
  coverageGaps,
  coverageWindow,
  rotaGapWarnings,
  type CoverageGap,
  type RotaGapWarning,
} from '#domain/rota-coverage';
import { overdueFeeds, type FeedExpectation, type OverdueFeed } from '#domain/heartbeats';
import type {
  AlertStore,
  DigestReader,
  HeartbeatStore,
  NoticeOutbox,
  RotaGapWarningStore,
  RotaStore,
  ScheduleReader,
} from './alert-ports';
import { pollDeliveryReceipts, type ReceiptPollResult, type ReceiptSource } from './poll-delivery-receipts';
import {
  sendRotaGapWarnings,
  writeRotaGapWarnings,
  type RotaGapWarningDependencies,
  type RotaGapWarningResult,
} from './warn-rota-gaps';
import { dispatchNotice, type DispatchDependencies } from './dispatch-alert';
import { expiresAt } from '#commons/retention';
import type { RecheckResult } from './recheck-release-facts';

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
  /** The notice outbox and how to send from it; without it the sweep leaves the outbox alone. */
  resend?: { outbox: NoticeOutbox; dispatch: DispatchDependencies };
  /** When (on `clock`) this sweep must have stopped sending. */
  deadline?: number;
  /** The on-call rota, for the coverage check before weekends and bank holidays; without it the check is skipped. */
  rota?: RotaStore;
  /** Where a gap's warning is written once and sent from (with `resend`'s channels); without it gaps are only reported. */
  rotaGapWarnings?: RotaGapWarningStore;
  /**
   * Where Notify's callbacks cannot be configured: ask Notify about deliveries still SENT `afterMinutes` after they
   * were accepted (with `resend`'s stores); without it receipts come only by callback.
   */
  receipts?: { source: ReceiptSource; afterMinutes: number };
  /** Feeds that must not fall silent, and when each last delivered; without them the check is skipped. */
  heartbeats?: { store: HeartbeatStore; expectations: FeedExpectation[] };
  /** Releases waiting for HMPPS's facts, and how to ask again; without it they are left alone. */
  facts?: {
    due(now: Date, limit: number): Promise<string[]>;
    recheck(prisonNumber: string): Promise<RecheckResult>;
  };
}

export interface SweepResult {
  escalated: number;
  reminded: number;
  closed: number;
  /** Changes another sweep or an acknowledgement made first. */
  skipped: number;
  warnings: number;
  digests: number;
  /** Notices sent (or settled) from the outbox, ones left for a later sweep, and ones that expired unsent. */
  resent: number;
  resendsPostponed: number;
  expired: number;
  /** Why each postponed resend failed (no personal data: channel errors name statuses, not recipients). */
  resendErrors: string[];
  /** On a coverage-check day from 12:00: every area and tier not covered until 09:00 on the next working day. */
  rotaGaps: CoverageGap[];
  /** The warnings of those gaps to the rota's owner and the area's manager (absent when the sweep sends none). */
  rotaGapWarnings?: RotaGapWarningResult;
  /** Feeds that missed their expectation (HMPPS events in working hours, a partner's regular file). */
  overdueFeeds: OverdueFeed[];
  /** Releases whose facts were asked for again, and the alerts that raised (only with `facts`). */
  factsRechecked?: number;
  factsAlerts?: number;
  factsErrors?: string[];
  /** Receipts asked of Notify (absent unless the stage polls for them). */
  receiptPolls?: ReceiptPollResult;
}

export async function sweep(deps: SweepDependencies): Promise<SweepResult> {
  const now = deps.clock();
  const result: SweepResult = {
    escalated: 0,
    reminded: 0,
    closed: 0,
    skipped: 0,
    warnings: 0,
    digests: 0,
    resent: 0,
    resendsPostponed: 0,
    expired: 0,
    resendErrors: [],
    rotaGaps: [],
    overdueFeeds: [],
  };

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
    if (draft && (await raise(openAlert(draft, now, deps.routing, deps.idKey), deps)) === 'raised')
      result.warnings += 1;
  }

  if (londonTime(now).minutesOfDay >= minutesOf(deps.routing.digestAt)) {
    const yesterday = addDays(today, -1);
    for (const localAuthority of Object.keys(deps.routing.areas)) {
      const entries = await deps.digests.entries(localAuthority, yesterday);
      for (const draft of digestAlerts(yesterday, localAuthority, entries, deps.routing)) {
        if ((await raise(openAlert(draft, now, deps.routing, deps.idKey), deps)) === 'raised')
          result.digests += 1;
      }
    }
  }
  if (deps.resend) await resendPending(deps, deps.resend, now, result);

  // 5. Before a weekend or a bank holiday: is the rota covered until the service opens again? Who must fill it is told.
  const warnings = rotaGapWarningDependencies(deps);
  let written = 0;
  if (
    deps.rota &&
    coverageCheckDay(today, deps.calendar) &&
    londonTime(now).minutesOfDay >= minutesOf(coverageCheckAt)
  ) {
    const found = await checkRotaCoverage(deps, deps.rota, now, result);
    if (warnings) written = await writeRotaGapWarnings(found, warnings);
  }
  if (warnings)
    result.rotaGapWarnings = { ...(await sendRotaGapWarnings(warnings, deps.batchSize ?? 200)), written };

  // 7. Releases waiting for HMPPS's facts. One that fails stays in the index and is asked again next minute.
  if (deps.facts) {
    result.factsRechecked = 0;
    result.factsAlerts = 0;
    for (const prisonNumber of await deps.facts.due(now, deps.batchSize ?? 200)) {
      let rechecked: RecheckResult;
      try {
        rechecked = await deps.facts.recheck(prisonNumber);
      } catch (error) {
        // Not lost: the case stays in the index and the next sweep asks again. The message names no person.
        result.factsErrors = [...(result.factsErrors ?? []), (error as Error).message];
        continue;
      }
      if (rechecked.outcome === 'recorded') {
        result.factsRechecked += 1;
        result.factsAlerts += rechecked.alertIds.length;
      }
    }
  }

  // 6. Heartbeats: silence is a signal.
  if (deps.heartbeats) {
    const { store, expectations } = deps.heartbeats;
    result.overdueFeeds = overdueFeeds(
      expectations,
      await store.lastSeen(expectations.map((e) => e.feed)),
      now,
      deps.calendar,
    );
  }

  // 7. Where Notify cannot call back: ask it about what it accepted and has not reported on.
  if (deps.receipts && deps.resend)
    result.receiptPolls = await pollReceipts(deps, deps.receipts, deps.resend.dispatch);
  return result;
}

/** The rota's gaps from now until the service opens again (into the result), and their warnings for this check. */
async function checkRotaCoverage(
  deps: SweepDependencies,
  rota: RotaStore,
  now: Date,
  result: SweepResult,
): Promise<RotaGapWarning[]> {
  const today = londonTime(now).date;
  const window = coverageWindow(today, deps.calendar);
  const areas = Object.keys(deps.routing.areas);
  const entries = (await Promise.all(areas.map((la) => rota.entries(la)))).flat();
  // Gaps from the window's start, so a gap is the same gap (the same warning) at every sweep of the day; reported
  // from now on, and warned of only while some of it is still ahead.
  const gaps = coverageGaps(entries, areas, window).filter((gap) => gap.until > now.toISOString());
  result.rotaGaps = gaps.map((gap) =>
    gap.from < now.toISOString() ? { ...gap, from: now.toISOString() } : gap,
  );
  return rotaGapWarnings(today, gaps);
}

/** Receipts by asking Notify, recorded as its callback would record them (use-cases/poll-delivery-receipts.ts). */
function pollReceipts(
  deps: SweepDependencies,
  receipts: NonNullable<SweepDependencies['receipts']>,
  dispatch: DispatchDependencies,
): Promise<ReceiptPollResult> {
  return pollDeliveryReceipts(
    {
      alerts: dispatch.alerts,
      deliveries: dispatch.deliveries,
      clock: deps.clock,
      source: receipts.source,
      afterMinutes: receipts.afterMinutes,
      ...(deps.deadline !== undefined ? { deadline: deps.deadline } : {}),
    },
    deps.batchSize ?? 200,
  );
}

/** Rota-gap warnings are sent with dispatch's channels and delivery claims; without a warnings store or `resend`, gaps are only reported. */
function rotaGapWarningDependencies(deps: SweepDependencies): RotaGapWarningDependencies | undefined {
  if (!deps.rotaGapWarnings || !deps.resend) return undefined;
  const { dispatch } = deps.resend;
  return {
    warnings: deps.rotaGapWarnings,
    routing: deps.routing,
    retentionDays: deps.retentionDays,
    deliveries: dispatch.deliveries,
    channels: dispatch.channels,
    retry: dispatch.retry,
    clock: deps.clock,
    ...(dispatch.backoff ? { backoff: dispatch.backoff } : {}),
    ...(deps.deadline !== undefined ? { deadline: deps.deadline } : {}),
  };
}

async function resendPending(
  deps: SweepDependencies,
  resend: NonNullable<SweepDependencies['resend']>,
  now: Date,
  result: SweepResult,
): Promise<void> {
  const { outbox, dispatch } = resend;
  for (const pending of await outbox.pending(now, deps.batchSize ?? 200)) {
    if (pending.sendUntil <= now.toISOString()) {
      if (await expireNotice(pending, dispatch, now)) result.expired += 1;
      continue;
    }
    if (
      deps.deadline !== undefined &&
      deps.deadline - deps.clock().getTime() < dispatch.retry.attemptTimeoutMs
    )
      break;
    try {
      const sent = await dispatchNotice(pending, {
        ...dispatch,
        clock: deps.clock,
        ...(deps.deadline !== undefined ? { deadline: deps.deadline } : {}),
      });
      if (sent.outcome === 'deferred') {
        await outbox.postpone(pending, nextTryAt(pending.tries + 1, deps.clock()), deps.clock());
        result.resendsPostponed += 1;
      } else result.resent += 1;
    } catch (error) {
      // Not lost: it stays in the outbox and is tried again; the sweeper reports it, and the alarm counts it.
      await outbox.postpone(pending, nextTryAt(pending.tries + 1, deps.clock()), deps.clock());
      result.resendsPostponed += 1;
      result.resendErrors.push(`${pending.alertId} ${noticeKey(pending)}: ${(error as Error).message}`);
    }
  }
}

/** A notice that could not be sent in its time: its unfinished deliveries and the notice itself end EXPIRED, counted on the alert's figures. */
async function expireNotice(
  pending: PendingNotice,
  dispatch: DispatchDependencies,
  now: Date,
): Promise<boolean> {
  const reason = `not delivered by ${pending.sendUntil}, after ${pending.tries} tries from the outbox`;
  await dispatch.deliveries.expire(pending.alertId, noticeKey(pending), now, reason);
  const alert = await dispatch.alerts.load(pending.alertId);
  const first = await dispatch.outbox.settle(pending, 'EXPIRED', now, reason);
  if (alert && first) await dispatch.alerts.count(alert, { deliveryExpired: 1 }, now);
  return first;
}

function raise(alert: Alert, deps: SweepDependencies) {
  return deps.alerts.raise(alert, expiresAt(deps.clock(), deps.retentionDays));
}
