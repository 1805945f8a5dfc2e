/**
 * What an accepted row does to Gatehouse, per kind:
 * - release-schedule → a `release.scheduled` custody event, recorded like any other (its id is the file's
 *   hash and the line, so the same row is recorded once however often the file is read);
 * - on-call-rota → a rota entry (the contract in ../rota.ts);
 * - accommodation-outcome and referral-outcome → a tracked outcome: the latest known state of one person's
 *   accommodation after release, or of one referral, with the counts it contributes. A later file that
 *   reports the same person or referral moves the counts instead of adding to them.
 */
import type { CustodyFact } from '#domain/custody-facts';
import type { PartnerFileKind } from '#domain/partners';
import type { CounterDelta } from '#domain/aggregates';
import type { LocalDate } from '#domain/calendar';
import type { RotaEntry } from '#domain/rota';
import {
  accommodationCheckpoints,
  type AccommodationOutcomeRow,
  type OnCallRotaRow,
  type ReferralOutcomeRow,
  type ReleaseScheduleRow,
} from './rows';

export interface FileIdentity {
  sha256: string;
  partnerId: string;
  kind: PartnerFileKind;
  /** The object key the file arrived under. */
  file: string;
  receivedAt: string;
}

export function scheduledEvent(row: ReleaseScheduleRow, line: number, file: FileIdentity): CustodyFact {
  return {
    eventId: `partner-file:${file.sha256}:${line}`,
    eventType: 'release.scheduled',
    occurredAt: file.receivedAt,
    prisonId: row.prison_id,
    person: { prisonNumber: row.prison_number, ...(row.crn ? { crn: row.crn } : {}) },
    release: {
      scheduledFor: row.scheduled_for,
      ...(row.destination_local_authority
        ? { destinationLocalAuthority: row.destination_local_authority }
        : {}),
      ...(row.accommodation ? { accommodation: row.accommodation } : {}),
      ...(row.aftercare_plan ? { aftercarePlan: row.aftercare_plan } : {}),
      ...(row.needs ? { needs: row.needs } : {}),
      ...(row.cohorts ? { cohorts: row.cohorts } : {}),
      ...(row.release_reason ? { reason: row.release_reason } : {}),
    },
  };
}

export function rotaEntry(row: OnCallRotaRow, file: FileIdentity): RotaEntry {
  const address = row.channel === 'sms' ? row.address.replace(/\s+/g, '').replace(/^0/, '+44') : row.address;
  return {
    localAuthority: row.local_authority,
    tier: row.tier,
    start: new Date(row.start).toISOString(),
    end: new Date(row.end).toISOString(),
    channel: row.channel,
    address,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    source: `${file.partnerId}:${file.file}`,
  };
}

/** Whose outcome a row reports: the store keeps one state per subject. */
export type OutcomeSubject =
  | { type: 'accommodation'; prisonNumber: string; releaseDate: LocalDate }
  | { type: 'referral'; partnerId: string; referralId: string };

export interface OutcomeState {
  facts: Record<string, string>;
  /** The counts this subject adds to the figures as it stands; stored, so a change writes the difference. */
  contribution: CounterDelta[];
}

export interface TrackedOutcome {
  subject: OutcomeSubject;
  /** The state after this row, given the state before it (undefined when the subject is new). */
  next(previous: OutcomeState | undefined): OutcomeState;
}

/** A checkpoint left empty keeps what an earlier file said; the area is the latest file's. */
export function accommodationOutcome(row: AccommodationOutcomeRow): TrackedOutcome {
  return {
    subject: { type: 'accommodation', prisonNumber: row.prison_number, releaseDate: row.release_date },
    next(previous) {
      const facts: Record<string, string> = {
        ...previous?.facts,
        localAuthority: row.local_authority,
        releaseDate: row.release_date,
      };
      for (const checkpoint of accommodationCheckpoints)
        if (row[checkpoint]) facts[checkpoint] = row[checkpoint];
      const counts: Record<string, number> = {};
      for (const checkpoint of accommodationCheckpoints) {
        const status = facts[checkpoint];
        if (!status) continue;
        counts[`${checkpoint}.${status}`] = 1;
        counts[`${checkpoint}.total`] = 1;
      }
      return {
        facts,
        contribution: [
          {
            family: 'accommodation',
            dimensions: { la: row.local_authority },
            date: row.release_date,
            counts,
          },
        ],
      };
    },
  };
}

/**
 * Referral outcomes count in the `files` family of the partner that reports them, on the referral date:
 * `referrals`, `referrals.{SERVICE}`, `referrals.{SERVICE}.{OUTCOME}` and `referralOutcomes.{OUTCOME}`.
 */
export function referralOutcome(row: ReferralOutcomeRow, partnerId: string): TrackedOutcome {
  return {
    subject: { type: 'referral', partnerId, referralId: row.referral_id },
    next() {
      return {
        facts: { service: row.service, referralDate: row.referral_date, outcome: row.outcome },
        contribution: [
          {
            family: 'files',
            dimensions: { partner: partnerId, kind: 'referral-outcome' },
            date: row.referral_date,
            counts: {
              referrals: 1,
              [`referrals.${row.service}`]: 1,
              [`referrals.${row.service}.${row.outcome}`]: 1,
              [`referralOutcomes.${row.outcome}`]: 1,
            },
          },
        ],
      };
    },
  };
}

/** File and row counts of the `files` family, on the day the file was received. */
export function fileCounts(
  file: Pick<FileIdentity, 'partnerId' | 'kind'>,
  date: LocalDate,
  counts: Record<string, number>,
): CounterDelta {
  return { family: 'files', dimensions: { partner: file.partnerId, kind: file.kind }, date, counts };
}
