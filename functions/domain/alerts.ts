/**
 * Alerts: what Gatehouse must tell a person, kept as items in the same transaction that records the event
 * (the outbox), so a crash between "saved" and "sent" cannot lose one.
 */
import { createHash } from 'node:crypto';
import type { Pathway } from '../../events/custody-event';
import type { ReleaseFlags, Urgency } from './classification';
import type { AlertDraft } from './release-case';
import { londonTime } from './calendar';

export type AlertStatus = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' | 'EXPIRED';

export interface Alert {
  alertId: string;
  dedupKey: string;
  kind: AlertDraft['kind'];
  urgency: Urgency;
  status: AlertStatus;
  caseRef: string;
  prisonNumber: string;
  prisonId: string;
  localAuthority: string;
  releasedAt: string;
  /** Release date and time in London, as the message shows them. */
  releaseLocal: { date: string; time: string };
  flags: ReleaseFlags;
  reasons: string[];
  needs: Pathway[];
  raisedAt: string;
  /** The escalation step whose notification is due next (0 = the first). */
  step: number;
}

/** A short, stable id from the deduplication key, so a repeat of the same alert lands on the same item. */
export function alertIdFor(dedupKey: string): string {
  return createHash('sha256').update(dedupKey).digest('hex').slice(0, 24);
}

export function openAlert(draft: AlertDraft, now: Date): Alert {
  const local = londonTime(draft.releasedAt);
  return {
    alertId: alertIdFor(draft.dedupKey),
    dedupKey: draft.dedupKey,
    kind: draft.kind,
    urgency: draft.classification.urgency,
    status: 'OPEN',
    caseRef: draft.caseRef,
    prisonNumber: draft.prisonNumber,
    prisonId: draft.prisonId,
    localAuthority: draft.localAuthority,
    releasedAt: draft.releasedAt,
    releaseLocal: { date: local.date, time: local.time },
    flags: draft.classification.flags,
    reasons: draft.classification.reasons,
    needs: draft.needs,
    raisedAt: now.toISOString(),
    step: 0,
  };
}
