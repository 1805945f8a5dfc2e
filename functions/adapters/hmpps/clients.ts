/**
 * Typed clients of the four HMPPS sources, implementing the ports of fetch-release-facts. Each reads exactly the
 * fields in responses.ts (vendored specs in specs/) and maps them to the domain's plain records.
 */
import type {
  Cas3Referral,
  PrisonerRecord,
  ProbationRecord,
  ResettlementRecord,
} from '#domain/release-facts';
import type {
  Cas3Port,
  PrisonerSearchPort,
  ProbationPort,
  ResettlementPassportPort,
  SourceOutcome,
} from '#use-cases/release-facts-ports';
import type { HmppsApi } from './http';
import {
  caseIdentifiersResponse,
  cas3ReferralsResponse,
  dutyToReferResponse,
  prisonerResponse,
  resettlementPrisonerResponse,
} from './responses';

const segment = encodeURIComponent;

/** ministryofjustice/hmpps-prisoner-search `GET /prisoner/{id}`. */
export function prisonerSearchClient(api: HmppsApi): PrisonerSearchPort {
  return {
    async prisoner(prisonNumber) {
      return map(
        await api.get(`prisoner/${segment(prisonNumber)}`, prisonerResponse),
        (p): PrisonerRecord =>
          strip({
            prisonerNumber: p.prisonerNumber,
            status: p.status,
            legalStatus: p.legalStatus,
            prisonId: p.prisonId,
            confirmedReleaseDate: p.confirmedReleaseDate,
            releaseDate: p.releaseDate,
            conditionalReleaseDate: p.conditionalReleaseDate,
            homeDetentionCurfewEligibilityDate: p.homeDetentionCurfewEligibilityDate,
            homeDetentionCurfewActualDate: p.homeDetentionCurfewActualDate,
            lastMovementTypeCode: p.lastMovementTypeCode,
            lastMovementReasonCode: p.lastMovementReasonCode,
            lastMovementDate: p.lastMovementDate,
          }),
      );
    },
  };
}

/**
 * The probation record from resettlement-passport-and-delius (hmpps-probation-integration-services): the CRN
 * for the NOMS number, then the main address that comes with the latest duty-to-refer record. No duty-to-refer
 * record (404) leaves the address unknown; it does not make the person unknown.
 */
export function probationClient(api: HmppsApi): ProbationPort {
  return {
    async probationRecord(prisonNumber) {
      const identifiers = await api.get(
        `probation-cases/${segment(prisonNumber)}/crn`,
        caseIdentifiersResponse,
      );
      if (identifiers.outcome !== 'ok') return identifiers;
      const dutyToRefer = await api.get(
        `duty-to-refer-nsi/${segment(prisonNumber)}?type=NOMS`,
        dutyToReferResponse,
      );
      if (dutyToRefer.outcome === 'unavailable' || dutyToRefer.outcome === 'not-asked') return dutyToRefer;
      const record: ProbationRecord = { crn: identifiers.value.crn };
      if (dutyToRefer.outcome === 'ok' && dutyToRefer.value.mainAddress) {
        const { postcode, noFixedAbode } = dutyToRefer.value.mainAddress;
        record.mainAddress = strip({ postcode, noFixedAbode });
      }
      return { outcome: 'ok', value: record, fetchedAt: dutyToRefer.fetchedAt };
    },
  };
}

/** ministryofjustice/hmpps-resettlement-passport-api `GET /resettlement-passport/prisoner/{nomsId}`: the pathways. */
export function resettlementPassportClient(api: HmppsApi): ResettlementPassportPort {
  return {
    async resettlement(prisonNumber) {
      return map(
        await api.get(
          `resettlement-passport/prisoner/${segment(prisonNumber)}`,
          resettlementPrisonerResponse,
        ),
        (r): ResettlementRecord => ({
          pathways: r.pathways.map((p) =>
            strip({ pathway: p.pathway, status: p.status, lastDateChange: p.lastDateChange }),
          ),
        }),
      );
    },
  };
}

/** ministryofjustice/hmpps-approved-premises-api `GET /cas3/external/referrals/{crn}`: referrals and their bookings. */
export function cas3Client(api: HmppsApi): Cas3Port {
  return {
    async referrals(crn) {
      return map(
        await api.get(`cas3/external/referrals/${segment(crn)}`, cas3ReferralsResponse),
        (list): Cas3Referral[] =>
          list.map((r) =>
            strip({ date: r.date, bookingStatus: r.bookingStatus, localAuthorityArea: r.localAuthorityArea }),
          ),
      );
    },
  };
}

function map<A, B>(outcome: SourceOutcome<A>, f: (a: A) => B): SourceOutcome<B> {
  return outcome.outcome === 'ok' ? { ...outcome, value: f(outcome.value) } : outcome;
}

/** Only the fields read, without the undefined ones (and without whatever else HMPPS sent). */
function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
