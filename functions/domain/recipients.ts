/**
 * Who a notice goes to. A page goes by the alert's kind: a critical release to whoever its escalation step names
 * (the rota's on-call at a tier, else the configured contact), a referral or pre-release warning to the services
 * for its needs (the accommodation services when nobody covers them), a digest to its service. An acknowledgement
 * goes to everyone else the alert reached; a reminder to whoever acknowledged it.
 */
import type { Alert, Notice } from './alerts';
import { escalationStep } from './escalation';
import type { RotaEntry } from './rota';
import {
  areaRouting,
  contactById,
  recipientForTarget,
  servicesFor,
  type Recipient,
  type RoutingConfig,
} from './routing';

export interface NoticeRecipients {
  recipients: Recipient[];
  /** The label of whoever acknowledged, for the acknowledgement's text. */
  acknowledgedBy?: string;
  /** Nobody on the rota at the step's tier now: the page fell to the configured contact. */
  uncovered?: boolean;
}

/** What choosing needs beyond the alert: the rota entries of the alert's area when the step pages a tier, and who the alert reached. */
export interface RecipientFacts {
  routing: RoutingConfig;
  rota: readonly RotaEntry[];
  reached: readonly Recipient[];
  now: Date;
}

/** Whether choosing the recipients of this notice needs the area's rota. */
export function needsRota(alert: Alert, notice: Notice): boolean {
  if (notice.purpose !== 'page' || alert.kind !== 'CRITICAL_RELEASE') return false;
  const step = alert.policy && escalationStep(alert.policy, notice.index);
  return step !== undefined && 'tier' in step.target;
}

/** Whether choosing the recipients of this notice needs whom the alert has reached (anything but a page). */
export function needsReached(notice: Notice): boolean {
  return notice.purpose !== 'page';
}

export function recipientsFor(alert: Alert, notice: Notice, facts: RecipientFacts): NoticeRecipients {
  if (notice.purpose !== 'page') {
    const acker = facts.reached.find((r) => r.id === alert.acknowledgedBy);
    return notice.purpose === 'acknowledged'
      ? {
          recipients: facts.reached.filter((r) => r.id !== alert.acknowledgedBy),
          ...(acker ? { acknowledgedBy: acker.label } : {}),
        }
      : { recipients: acker ? [acker] : [] };
  }
  const { routing } = facts;
  switch (alert.kind) {
    case 'CRITICAL_RELEASE': {
      const step = alert.policy && escalationStep(alert.policy, notice.index);
      if (!step) return { recipients: [] };
      const recipient = recipientForTarget(
        routing,
        alert.localAuthority,
        step.target,
        'tier' in step.target ? facts.rota : [],
        facts.now,
      );
      const uncovered = 'tier' in step.target && recipient !== undefined && !recipient.id.startsWith('rota.');
      return { recipients: recipient ? [recipient] : [], ...(uncovered ? { uncovered } : {}) };
    }
    case 'REFERRAL':
    case 'PRE_RELEASE_WARNING': {
      // A warning is about accommodation, which only the accommodation services can fix before the day.
      const warning = alert.kind === 'PRE_RELEASE_WARNING';
      const services = servicesFor(routing, alert.localAuthority, {
        accommodation: warning || alert.flags?.noFixedAbode === true,
        pathways: warning ? [] : alert.needs,
      });
      // Nobody covers these needs: the area's accommodation services are the partnership's way in.
      const recipients =
        services.length > 0
          ? services
          : servicesFor(routing, alert.localAuthority, { accommodation: true, pathways: [] });
      if (recipients.length === 0)
        throw new Error(
          `alert ${alert.alertId}: area ${alert.localAuthority} has no services in the routing config and no fallback area`,
        );
      return { recipients };
    }
    case 'DIGEST': {
      const service = contactById(
        areaRouting(routing, alert.localAuthority),
        alert.recipientGroup.replace(/^service:/, ''),
      );
      if (!service)
        throw new Error(`alert ${alert.alertId}: the digest's service is no longer in the routing config`);
      return { recipients: [service] };
    }
  }
}
