/**
 * Warn the rota's owner and the area's manager of a gap in the on-call rota before a weekend or bank holiday
 * (issue 14): the coverage check finds the gaps (domain/rota-coverage.ts); this writes one warning per gap per
 * check into its outbox and sends it to both people by GOV.UK Notify.
 *
 * Exactly once per gap per check, however many sweeps run and however they overlap: the warning is written with a
 * condition that it does not exist yet (its id is the check day, area, tier and the gap's start), and each person's
 * delivery is claimed as an alert's is (use-cases/dispatch-alert.ts), so a sweep that runs at the same moment, or
 * after one that died mid-send, sends nothing twice. What could not be sent stays in the outbox and is tried again
 * (1, 2, 4, 8, then every 15 minutes) until the gap is over; then it is EXPIRED.
 *
 * The message names the area, the tier and the stretch: nothing about anyone on the rota.
 */
import { nextTryAt } from '#domain/alerts';
import { rotaGapMessage } from '#domain/alert-message';
import type { RotaGapWarning } from '#domain/rota-coverage';
import { rotaGapRecipients, type RoutingConfig } from '#domain/routing';
import type { RotaGapWarningStore } from './alert-ports';
import {
  messageReference,
  sendWithRetries,
  type DispatchDependencies,
  type OutgoingMessage,
} from './dispatch-alert';

/** The delivery key of a warning's one message to each person (beside an alert's `page.000` and so on). */
export const rotaGapNotice = 'rotagap.000';

export interface RotaGapWarningDependencies
  extends Pick<DispatchDependencies, 'deliveries' | 'channels' | 'retry' | 'clock' | 'backoff' | 'deadline'> {
  warnings: RotaGapWarningStore;
  routing: RoutingConfig;
  retentionDays: number;
}

export interface RotaGapWarningResult {
  /** Warnings this sweep wrote (gaps no earlier sweep of the check found). */
  written: number;
  /** Warnings sent to both people (or settled: nobody named, refused for good). */
  sent: number;
  postponed: number;
  expired: number;
  /** Gaps in areas that name no one to warn (routing `rotaGapWarnings`): reported, never sent. */
  nobodyToWarn: number;
  /** Messages refused for good (a number that does not exist, no Notify template): the delivery says why. */
  rejected: number;
  /** Why each postponed warning failed (statuses and reasons; never a number or an address). */
  errors: string[];
}

/** Writes the warning of each gap a check found, once per gap per check: 'exists' for those an earlier sweep wrote. Returns how many are new. */
export async function writeRotaGapWarnings(
  found: readonly RotaGapWarning[],
  deps: Pick<RotaGapWarningDependencies, 'warnings' | 'clock' | 'retentionDays'>,
): Promise<number> {
  const now = deps.clock();
  const expiresAt = Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400;
  let written = 0;
  for (const warning of found)
    if ((await deps.warnings.add(warning, now, expiresAt)) === 'added') written += 1;
  return written;
}

/** Sends every warning still in the outbox (every sweep, not only on check days: one may wait out a Notify outage). */
export async function sendRotaGapWarnings(
  deps: RotaGapWarningDependencies,
  limit = 200,
): Promise<RotaGapWarningResult> {
  const result: RotaGapWarningResult = {
    written: 0,
    sent: 0,
    postponed: 0,
    expired: 0,
    nobodyToWarn: 0,
    rejected: 0,
    errors: [],
  };
  const now = deps.clock();
  for (const warning of await deps.warnings.pending(now, limit)) {
    if (warning.sendUntil <= deps.clock().toISOString()) {
      await deps.deliveries.expire(
        warning.warningId,
        rotaGapNotice,
        deps.clock(),
        `the gap ended at ${warning.until} before the warning could be sent`,
      );
      if (
        await deps.warnings.settle(
          warning.warningId,
          'EXPIRED',
          deps.clock(),
          `not sent before the gap ended, after ${warning.tries} tries`,
        )
      )
        result.expired += 1;
      continue;
    }
    if (deps.deadline !== undefined && deps.deadline - deps.clock().getTime() < deps.retry.attemptTimeoutMs)
      break;
    const people = rotaGapRecipients(deps.routing, warning.localAuthority);
    if (!people) {
      if (
        await deps.warnings.settle(
          warning.warningId,
          'DONE',
          deps.clock(),
          `area ${warning.localAuthority} names no rotaGapWarnings contacts in the routing config`,
        )
      )
        result.nobodyToWarn += 1;
      continue;
    }
    let later: string | undefined;
    for (const recipient of [people.rotaOwner, people.areaManager]) {
      const claim = await deps.deliveries.claim(
        {
          alertId: warning.warningId,
          notice: rotaGapNotice,
          recipient,
          channel: deps.channels[recipient.channel].name,
        },
        deps.clock(),
      );
      if (claim === 'done') continue;
      if (claim === 'busy') {
        later ??= 'another sweep is sending it';
        continue;
      }
      const message: OutgoingMessage = {
        ...rotaGapMessage(warning),
        alertId: warning.warningId,
        notice: rotaGapNotice,
        recipient,
        reference: messageReference(warning.warningId, rotaGapNotice, recipient.id),
      };
      const outcome = await sendWithRetries(message, deps);
      if (outcome === 'rejected') result.rejected += 1;
      else if (outcome === 'deferred') later ??= 'too little time left in this sweep';
      else if (outcome instanceof Error) later ??= outcome.message;
    }
    if (later) {
      await deps.warnings.postpone(
        warning.warningId,
        nextTryAt(warning.tries + 1, deps.clock()),
        deps.clock(),
      );
      result.postponed += 1;
      result.errors.push(`${warning.warningId}: ${later}`);
    } else if (await deps.warnings.settle(warning.warningId, 'DONE', deps.clock())) result.sent += 1;
  }
  return result;
}
