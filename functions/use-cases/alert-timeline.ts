/**
 * An alert's timeline for the people who run Gatehouse: every notice, whom it was for (by role), every attempt
 * and what became of each delivery. It shows no personal data beyond the recipient's role: no name, number,
 * address or prison number (the case reference is the partnership's own pseudonymous reference).
 */
import type { Alert } from '#domain/alerts';
import type { Recipient } from '#domain/routing';

export interface TimelineItems {
  alert: Alert;
  notices: Record<string, unknown>[];
  deliveries: Record<string, unknown>[];
}

export interface TimelineReader {
  /** The alert item and everything beside it (notices, deliveries), or undefined when there is no such alert. */
  read(alertId: string): Promise<TimelineItems | undefined>;
}

export interface AlertTimeline {
  alertId: string;
  kind: string;
  urgency: string;
  caseRef?: string;
  localAuthority: string;
  status: string;
  step: number;
  raisedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  closedAt?: string;
  notices: {
    notice: string;
    purpose: string;
    status: string;
    createdAt: string;
    settledAt?: string;
    reason?: string;
    triesFromOutbox: number;
    deliveries: {
      recipient: string;
      channel: string;
      status: string;
      reason?: string;
      receipt?: { status: string; at: string };
      attempts: { attempt: number; at: string; outcome: string; error?: string }[];
    }[];
  }[];
}

/** A recipient by role: the rota tier, or the configured contact's label (a service or a duty role, never a person's name). */
export function recipientRole(recipient: Pick<Recipient, 'id' | 'label'>): string {
  const rota = /^rota\.(primary|secondary|manager)\./.exec(recipient.id);
  return rota ? `${rota[1]} on call (rota)` : recipient.label;
}

export async function alertTimeline(
  alertId: string,
  reader: TimelineReader,
): Promise<AlertTimeline | undefined> {
  const items = await reader.read(alertId);
  if (!items) return undefined;
  const { alert } = items;
  const roles = new Map(
    items.deliveries.map((d) => [(d.recipient as Recipient).id, recipientRole(d.recipient as Recipient)]),
  );
  return {
    alertId: alert.alertId,
    kind: alert.kind,
    urgency: alert.urgency,
    ...(alert.caseRef ? { caseRef: alert.caseRef } : {}),
    localAuthority: alert.localAuthority,
    status: alert.status,
    step: alert.step,
    raisedAt: alert.raisedAt,
    ...(alert.acknowledgedAt ? { acknowledgedAt: alert.acknowledgedAt } : {}),
    ...(alert.acknowledgedBy ? { acknowledgedBy: roles.get(alert.acknowledgedBy) ?? 'someone paged' } : {}),
    ...(alert.closedAt ? { closedAt: alert.closedAt } : {}),
    notices: items.notices
      .map((n) => {
        const key = String(n.sk).replace(/^NOTICE#/, '');
        return {
          notice: key,
          purpose: String(n.purpose),
          status: String(n.status ?? 'PENDING'),
          createdAt: String(n.createdAt),
          ...(n.settledAt ? { settledAt: String(n.settledAt) } : {}),
          ...(n.reason ? { reason: String(n.reason) } : {}),
          triesFromOutbox: Number(n.tries ?? 0),
          deliveries: items.deliveries
            .filter((d) => d.notice === key)
            .map((d) => ({
              recipient: recipientRole(d.recipient as Recipient),
              channel: String((d.recipient as Recipient).channel),
              status: String(d.status),
              ...(d.reason ? { reason: String(d.reason) } : {}),
              ...(d.receipt ? { receipt: d.receipt as { status: string; at: string } } : {}),
              attempts: ((d.attempts as Record<string, unknown>[]) ?? []).map((a) => ({
                attempt: Number(a.attempt),
                at: String(a.at),
                outcome: String(a.outcome),
                ...(a.error ? { error: String(a.error) } : {}),
              })),
            })),
        };
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.notice.localeCompare(b.notice)),
  };
}
